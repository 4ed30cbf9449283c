#!/usr/bin/env bash
# mmsim whatif mapcount and thp, the command itself: bad input ends with exit
# status 2 and a message naming what was wrong, nothing on stdout; on a
# capture of a process this test starts (sleep), every scheme and policy has
# its row, the output is the same bytes twice, and --json parses.
#   whatif.sh MMSIM
set -u
mmsim=$1
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cd "$tmp" || exit 1
fail=0 n=0

# check NAME STATUS WANT ARGS...: mmsim whatif ARGS exits STATUS within 60 s, stderr says WANT.
check() {
	local name=$1 want_status=$2 want=$3 st
	shift 3
	n=$((n + 1))
	timeout 60 "$mmsim" whatif "$@" >out 2>err
	st=$?
	if [ $st != "$want_status" ] || ! grep -qF -- "$want" err || { [ $st = 2 ] && [ -s out ]; }; then
		echo "not ok $n - $name: exit $st (wanted $want_status), stderr:"
		sed 's/^/#   /' err | head -5
		echo "#   wanted: $want"
		fail=1
	else
		echo "ok $n - $name"
	fi
}

printf 'not a capture\n%.0s' $(seq 100) >text.cap
for cmd in mapcount thp; do
	check "$cmd: missing file" 2 "missing.cap" $cmd missing.cap
	check "$cmd: not SQLite" 2 "not an SQLite database" $cmd text.cap
	check "$cmd: bad flag" 2 "bad option" $cmd text.cap --frobnicate
	check "$cmd: no file" 2 "usage: mmsim whatif $cmd" $cmd
done

if ! "$mmsim" capture -o sleep.cap --after 1 -- sleep 30 >/dev/null 2>capture.err; then
	echo "ok $((n + 1)) - # SKIP cannot capture a process here: $(head -1 capture.err)"
	exit $fail
fi
check "mapcount: unknown scheme" 2 "nosuch" mapcount sleep.cap --scheme nosuch
check "thp: bad policy" 2 'bad policy "always-5M"' thp sleep.cap --policy always-5M
for cmd in mapcount thp; do
	n=$((n + 1))
	"$mmsim" whatif $cmd sleep.cap --csv >a.csv 2>err && "$mmsim" whatif $cmd sleep.cap --csv >b.csv 2>>err
	rows=$(($(wc -l <a.csv) - 1))
	want=$([ $cmd = mapcount ] && echo 8 || echo 11)
	if cmp -s a.csv b.csv && [ "$rows" = "$want" ]; then
		echo "ok $n - $cmd: $rows rows, the same bytes twice"
	else
		echo "not ok $n - $cmd: $rows rows (wanted $want), or two runs differ"; fail=1
	fi
	n=$((n + 1))
	if ! command -v python3 >/dev/null; then
		echo "ok $n - $cmd --json # SKIP no python3 to parse it"
	elif "$mmsim" whatif $cmd sleep.cap --json --per-process | python3 -c 'import json, sys; d = json.load(sys.stdin); assert d["processes"] and d["kernel"]'; then
		echo "ok $n - $cmd --json parses, with its processes"
	else
		echo "not ok $n - $cmd --json"; fail=1
	fi
done
exit $fail
