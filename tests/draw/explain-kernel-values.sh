#!/usr/bin/env bash
# mmsim explain puts the kernel's values (here from a `mmsim run --kernel
# --json` file, made from the simulator's with one value changed, so no
# kernel is needed) beside the simulator's, and marks exactly the query
# whose values differ. Exits 77 (ctest: skipped) without Graphviz's dot.
set -u
mmsim=$1 dir=$2
command -v dot >/dev/null || { echo "SKIP: Graphviz's dot is not installed (scripts/deps.sh)" >&2; exit 77; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
f="$dir/fork-thp-child-write.mms"
"$mmsim" run --json "$f" >"$tmp/sim.json" || exit 1
# The kernel "says" 3 where line 8 expects 2.
sed -e 's/"executor": "simulator"/"executor": "kernel"/' \
    -e '/"line": 8,/s/"value": 2,/"value": 3,/' "$tmp/sim.json" >"$tmp/kernel.json"
"$mmsim" explain "$f" --kernel-json "$tmp/kernel.json" -o "$tmp/page.html" || exit 1
fail=0
check() { # check WHAT COUNT PATTERN
	local n
	n=$(grep -o -- "$3" "$tmp/page.html" | wc -l)
	[ "$n" = "$2" ] && echo "ok: $1" || { echo "not ok: $1: $n times '$3', wanted $2"; fail=1; }
}
check "a kernel column in each step with queries" 2 '<th>kernel</th>'
check "one difference marked" 1 '<tr class="bad">'
check "the differing query is line 8's" 1 '<tr class="bad"><td>expect kpagecount C 0x100000005000 == 2</td><td class="v">2</td><td class="v">3</td>'
check "the source named" 1 "Kernel values from $tmp/kernel.json"
exit $fail
