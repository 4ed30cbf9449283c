#!/usr/bin/env bash
# Soaks the model: the property test (tests/test_property.c: random mmap,
# munmap, mprotect, mremap, madvise, fork, exit, write, read, THP switches and
# reclaim, the invariant checker after every call, every byte compared with a
# shadow copy, no leak at the end) for OPS operations in each configuration:
# the six folio mapcount schemes on Linux 6.18's profile, and the 6.12 and 6.1
# profiles. Configurations take turns, a chunk of seeds at a time, so each one
# gets its share when time runs out.
#
#   scripts/soak.sh [OPS] [--hours H] [--build DIR] [--config NAME]...
#
# OPS defaults to 6000 a configuration (CI: one chunk each); --hours stops
# earlier. NAME is a scheme (linux legacy large nopagemapcount tuples fullpartial) or a profile
# (6.12, 6.1). DIR is a build with tests/test_property (default build/ci).
# Logs a line a chunk; at the end prints one a configuration:
#   soak linux@6.18: N operations (seeds A..B), F failed chunks, R ops/s in S s
# (a chunk stops at its first failing seed; its operations count all the
# same) and exits 1 when any chunk failed; its seed and step are in
# DIR/soak/soak.log
# (MMSIM_SOAK_DIR overrides that directory, whose status file holds the
# figures so far), and MMSIM_PROPERTY_SEED=A MMSIM_PROPERTY_SEEDS=1
# MMSIM_PROPERTY_TRACE=1 replays one.
set -euo pipefail
# All in a function, read whole before it runs: editing this file cannot
# disturb a soak under way.
main() {
	cd "$(dirname "$0")/.."
	local ops=6000 hours="" build=build/ci configs=() c
	while [ $# -gt 0 ]; do
		case $1 in
		--hours) hours=$2; shift 2 ;;
		--build) build=$2; shift 2 ;;
		--config) configs+=("$2"); shift 2 ;;
		[0-9]*) ops=$(awk -v n="$1" 'BEGIN { printf "%d", n }'); shift ;;
		*) echo "usage: scripts/soak.sh [OPS] [--hours H] [--build DIR] [--config NAME]..." >&2
		   exit 2 ;;
		esac
	done
	[ ${#configs[@]} -gt 0 ] ||
		configs=(linux legacy large nopagemapcount tuples fullpartial 6.12 6.1)
	if [ ! -x "$build/tests/test_property" ]; then
		cmake --build "$build" --target test_property >/dev/null
	fi
	# A copy, so a rebuild while it runs changes nothing.
	local dir=${MMSIM_SOAK_DIR:-$build/soak}
	mkdir -p $dir
	cp "$build/tests/test_property" $dir/test_property.$$
	local log=$dir/soak.log
	: >"$log"
	local seeds_per_chunk=10 per_seed=400
	# One chunk: seeds seeds of 400 calls, and seeds/2 more on a 400-frame machine.
	local chunk_ops=$((seeds_per_chunk * per_seed + seeds_per_chunk / 2 * per_seed))
	local end=0
	[ -z "$hours" ] || end=$(($(date +%s) + $(awk -v h="$hours" 'BEGIN { printf "%d", h * 3600 }')))
	declare -A done_ops fails next secs
	for c in "${configs[@]}"; do
		done_ops[$c]=0 fails[$c]=0 next[$c]=1 secs[$c]=0
	done
	local more=1 failed=0
	while [ $more = 1 ]; do
		more=0
		for c in "${configs[@]}"; do
			[ "${done_ops[$c]}" -lt "$ops" ] || continue
			[ "$end" = 0 ] || [ "$(date +%s)" -lt "$end" ] || continue
			more=1
			local env=(MMSIM_PROPERTY_SEED="${next[$c]}" MMSIM_PROPERTY_SEEDS=$seeds_per_chunk)
			case $c in
			6.*) env+=(MMSIM_TEST_KERNEL="$c") ;;
			*) env+=(MMSIM_TEST_SCHEME="$c") ;;
			esac
			local t0 t1 out status=0
			t0=$(date +%s%N)
			out=$(env "${env[@]}" $dir/test_property.$$ 2>&1) || status=$?
			t1=$(date +%s%N)
			secs[$c]=$((${secs[$c]} + (t1 - t0) / 1000000))
			# A failed chunk counts too (its seeds ran up to the failure): the
			# soak moves on to the next seeds rather than repeat these.
			done_ops[$c]=$((${done_ops[$c]} + chunk_ops))
			if [ $status = 0 ]; then
				echo "soak $(label "$c"): seeds ${next[$c]}..$((${next[$c]} + seeds_per_chunk - 1)) ok, ${done_ops[$c]} operations" >>"$log"
			else
				fails[$c]=$((${fails[$c]} + 1))
				failed=1
				{ echo "soak $(label "$c"): seeds ${next[$c]}..$((${next[$c]} + seeds_per_chunk - 1)) FAILED:"
				  grep -E "seed [0-9]+|ERROR|error" <<<"$out" | head -6; } >>"$log"
			fi
			next[$c]=$((${next[$c]} + seeds_per_chunk))
		done
		summary >"$dir/status"
	done
	summary
	rm -f $dir/test_property.$$
	[ $failed = 0 ] || echo "soak: failures: see $log" >&2
	return $failed
}

label() {
	case $1 in
	6.*) echo "linux@$1" ;;
	*) echo "$1@6.18" ;;
	esac
}

summary() {
	local c ms
	for c in "${configs[@]}"; do
		ms=${secs[$c]}
		[ "$ms" -gt 0 ] || ms=1
		echo "soak $(label "$c"): ${done_ops[$c]} operations (seeds 1..$((${next[$c]} - 1))), ${fails[$c]} failed chunks, $((${done_ops[$c]} * 1000 / ms)) ops/s in $((ms / 1000)) s"
	done
}

main "$@"
