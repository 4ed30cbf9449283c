#!/usr/bin/env bash
# Fuzzes mmsim with libFuzzer (tests/fuzz/README.md): builds the targets
# with clang, ASan and UBSan in build/fuzz, then runs each one.
#
#   scripts/fuzz.sh HOURS        a campaign: both targets at once, HOURS each
#   scripts/fuzz.sh --seconds S  each target for S seconds in turn
#   scripts/fuzz.sh --ci         each target (at once, given a CPU each) for a
#                                fixed number of inputs from a fixed seed and
#                                a fresh corpus: the same inputs on every run,
#                                about a minute each here (CI; a time limit
#                                would try more inputs on a fast machine than
#                                on a loaded one, and a test must pass every
#                                time)
#
# Seeds: every scenario of tests/scenarios and every past finding of
# tests/fuzz/regressions; the corpus grows in build/fuzz/corpus/TARGET and is
# kept between runs. A finding (crash, leak, undefined behaviour, a broken
# model invariant, an input slower than MMSIM_FUZZ_TIMEOUT seconds, default
# 25) is saved in build/fuzz/findings/ and the exit status is 1; put it in
# tests/fuzz/regressions once fixed (MMSIM_FUZZ_BUILD=DIR: another build
# directory, for a campaign beside other work). Exit 77 when clang cannot build
# libFuzzer targets. Each run ends with one line per target:
#   fuzz-TARGET: N executions in S s (R/s), F findings
set -euo pipefail
# All in a function, read whole before it runs: editing this file cannot
# disturb a campaign under way.
main() {
cd "$(dirname "$0")/.."
usage() { echo "usage: scripts/fuzz.sh HOURS | --seconds S | --ci [TARGET...]" >&2; exit 2; }
[ $# -ge 1 ] || usage
ci=0
if [ "$1" = --ci ]; then
	# Inputs per target: about a minute each on this 2-CPU machine, idle.
	ci=1 seconds=0 parallel=0
	shift
elif [ "$1" = --seconds ]; then
	[ $# -ge 2 ] || usage
	seconds=$2 parallel=0
	shift 2
else
	seconds=$(awk -v h="$1" 'BEGIN { if (h + 0 <= 0) exit 1; printf "%d", h * 3600 }') || usage
	parallel=1
	shift
fi
targets=("${@:-parse}")
[ $# -ge 1 ] || targets=(parse run)
# In CI an input counts as hanging only far above what any input takes alone
# (under 2 s in a release build): a loaded machine must not make a finding.
timeout=${MMSIM_FUZZ_TIMEOUT:-$([ $ci = 1 ] && echo 120 || echo 25)}
cc=${MMSIM_FUZZ_CC:-clang}

probe=$(mktemp -d)
trap 'rm -rf "$probe"' EXIT
echo 'int LLVMFuzzerTestOneInput(const char *d, unsigned long n) { (void)d; return (int)n * 0; }' \
	>"$probe/t.c"
if ! command -v "$cc" >/dev/null ||
   ! "$cc" -fsanitize=fuzzer,address,undefined "$probe/t.c" -o "$probe/t" 2>/dev/null; then
	echo "fuzz.sh: SKIP: $cc cannot build libFuzzer targets (scripts/deps.sh installs clang" \
	     "and libclang-rt-14-dev)" >&2
	exit 77
fi

build=${MMSIM_FUZZ_BUILD:-build/fuzz}
CC=$cc cmake -S . -B $build -DMMSIM_FUZZ=ON -DMMSIM_WERROR=OFF -DMMSIM_BUILD_BENCH=OFF \
	-DMMSIM_BUILD_STATIC_CLI=OFF -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
if ! cmake --build $build -j"$(nproc)" --target "${targets[@]/#/fuzz-}" >$build/build.log 2>&1; then
	cat $build/build.log >&2
	exit 2
fi
mkdir -p $build/findings

# One target: libFuzzer's own log in build/fuzz/TARGET.log, a summary line here.
run_target() {
	local t=$1 corpus=$build/corpus/$1 log=$build/$1.log status=0 limit
	[ ! -e "$log" ] || cat "$log" >>"$log.old"
	if [ $ci = 1 ]; then
		corpus=$build/corpus-ci/$1
		rm -rf "$corpus"
		limit="-seed=1 -runs=$(ci_runs "$t")"
	else
		limit="-max_total_time=$seconds"
	fi
	mkdir -p "$corpus"
	# $limit unquoted: one or two options.
	ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
	$build/tests/fuzz/fuzz-"$t" "$corpus" tests/scenarios tests/scenarios/era tests/fuzz/regressions \
		-dict=tests/fuzz/mms.dict $limit -timeout="$timeout" \
		-max_len=8192 -print_final_stats=1 -artifact_prefix=$build/findings/"$t"- \
		>"$log" 2>&1 || status=$?
	awk -v t="$t" -v st="$status" -v dir=$build/findings '
		/^stat::number_of_executed_units:/ { n = $2 }
		/^stat::average_exec_per_sec:/ { r = $2 }
		/^Done [0-9]+ runs in [0-9]+ second/ { s = $5 }
		END { printf "fuzz-%s: %d executions in %d s (%d/s), %d findings%s\n", t, n, s, r,
			  st != 0, st != 0 ? " (see " dir "/" t "-* and its log)" : "" }' "$log"
	return "$status"
}

ci_runs() {
	case $1 in
	parse) echo "${MMSIM_CI_FUZZ_RUNS_PARSE:-1000000}" ;;
	*) echo "${MMSIM_CI_FUZZ_RUNS_RUN:-100000}" ;;
	esac
}

failed=0
# A campaign goes on after a finding (each is saved) until its time is up.
campaign() {
	local t=$1 end=$(($(date +%s) + seconds)) left start status=0
	while left=$((end - $(date +%s))); [ "$left" -gt 0 ]; do
		start=$(date +%s)
		seconds=$left run_target "$t" && continue
		status=1
		# A finding within a minute is a seed or corpus input: fix it first.
		if [ $(($(date +%s) - start)) -lt 60 ]; then
			echo "fuzz-$t: stopped: an input of the corpus fails at once" >&2
			break
		fi
	done
	return $status
}

if [ "$parallel" = 1 ]; then
	pids=()
	for t in "${targets[@]}"; do campaign "$t" & pids+=($!); done
	for p in "${pids[@]}"; do wait "$p" || failed=1; done
elif [ $ci = 1 ] && [ "$(nproc)" -ge ${#targets[@]} ]; then
	# The fixed runs at once, a CPU each: the same inputs as in turn, in half
	# the time CI waits; the summaries print in the targets' order.
	pids=()
	for t in "${targets[@]}"; do run_target "$t" >$build/$t.summary & pids+=($!); done
	for i in "${!targets[@]}"; do
		wait "${pids[$i]}" || failed=1
		cat $build/"${targets[$i]}".summary
	done
else
	for t in "${targets[@]}"; do run_target "$t" || failed=1; done
fi
exit $failed
}
main "$@"
