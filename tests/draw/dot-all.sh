#!/usr/bin/env bash
# Graphviz's dot accepts every view of every scenario (tests/scenarios/*.mms
# and era/*.mms) without a warning. Each scenario runs once with `show dot`
# lines added: the folio view right after its first write, of the folio
# written, and the process, anon_vma and KSM views at its end. Every eighth
# scenario runs twice, and its DOT must be byte-identical. With STRIDE n
# (the sanitizer build: each run is slower there) only every n-th scenario.
# Exits 77 (ctest: skipped) without dot.
# usage: dot-all.sh MMSIM SCENARIO_DIR [STRIDE]
set -u
mmsim=$1 dir=$2 stride=${3:-1}
command -v dot >/dev/null || { echo "SKIP: Graphviz's dot is not installed (scripts/deps.sh)" >&2; exit 77; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail=0 n=0 i=0
for f in "$dir"/*.mms "$dir"/era/*.mms; do
	[ -e "$f" ] || continue
	k=$((${k:-0} + 1))
	[ $(((k - 1) % stride)) = 0 ] || continue
	name=$(basename "$f" .mms)
	out="$tmp/$name"
	mkdir -p "$out"
	awk -v out="$out" '
		{ print }
		$1 == "write" && !done { print "show dot folio " $2 " " $3 " " out "/folio.dot"; done = 1 }
		END { print "show dot process " out "/process.dot"
		      print "show dot anon_vma " out "/anon_vma.dot"
		      print "show dot ksm " out "/ksm.dot" }' "$f" >"$tmp/$name.mms"
	"$mmsim" run "$tmp/$name.mms" >"$tmp/tap" 2>&1
	if grep -q "^Bail out!" "$tmp/tap"; then
		echo "not ok: $name: $(grep "^Bail out!" "$tmp/tap")"; fail=1; continue
	fi
	if [ $((i++ % 8)) = 0 ]; then
		mkdir -p "$out.again"
		sed "s|$out/|$out.again/|" "$tmp/$name.mms" >"$tmp/$name.again.mms"
		"$mmsim" run "$tmp/$name.again.mms" >/dev/null 2>&1
		for d in "$out"/*.dot; do
			cmp -s "$d" "$out.again/$(basename "$d")" ||
				{ echo "not ok: $name: $(basename "$d") differs between two runs"; fail=1; }
		done
	fi
	for d in "$out"/*.dot; do
		n=$((n + 1))
		if ! dot -Tsvg "$d" -o /dev/null 2>"$tmp/dot.err" || [ -s "$tmp/dot.err" ]; then
			echo "not ok: $name $(basename "$d"): dot says: $(head -3 "$tmp/dot.err")"; fail=1
		fi
	done
done
[ "$n" -gt $((400 / stride)) ] || { echo "only $n pictures drawn from $dir: wrong directory?"; exit 1; }
echo "$n pictures of $i scenarios: $([ $fail = 0 ] && echo all accepted by dot || echo FAILURES)"
exit $fail
