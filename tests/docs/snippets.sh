#!/usr/bin/env bash
# Every scenario shown in the docs is a real one: each code block of
# README.md and docs/*.md whose first command is a scenario command (an
# indented block, or a fenced one) is cut out into a file and run on the
# simulator; it must pass, with at least one expect judged.
#   snippets.sh MMSIM SOURCE_DIR
set -u
mmsim=$1 src=$2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
# awk writes each block to $tmp/NAME-LINE.mms and nothing else.
for md in "$src"/README.md "$src"/docs/*.md; do
	awk -v out="$tmp" -v name="$(basename "$md" .md)" '
	function first_word(s) { sub(/^[ \t]+/, "", s); split(s, w, /[ \t]/); return w[1] }
	function is_cmd(s, w) {
		w = first_word(s)
		return w ~ /^(scheme|thp|proc|kernel|ksm|memory|seed|anon_pgoff)$/
	}
	function start(line) { file = sprintf("%s/%s-%d.mms", out, name, line); n = 0 }
	function keep(s) { if (file != "") { print s > file; n++ } }
	function stop() { if (file != "") close(file); file = "" }
	/^```/ {
		if (fenced) { fenced = 0; stop(); next }
		fenced = 1; pending = NR; next
	}
	fenced {
		if (pending) {
			if ($0 ~ /^#/ || $0 ~ /^$/) { buf = buf $0 "\n"; next }
			if (is_cmd($0)) { start(pending); printf "%s", buf > file }
			pending = 0; buf = ""
		}
		keep($0); next
	}
	/^    / {
		if (!inblock) { inblock = 1; if (is_cmd($0)) start(NR) }
		line = $0; sub(/^    /, "", line); keep(line); next
	}
	{ if (inblock) { inblock = 0; stop() } }
	' "$md"
done
total=0 failed=0
for f in "$tmp"/*.mms; do
	[ -e "$f" ] || continue
	total=$((total + 1))
	out=$("$mmsim" run "$f" 2>&1); status=$?
	if [ "$status" -ne 0 ] || ! printf '%s\n' "$out" | grep -q '^ok '; then
		failed=$((failed + 1))
		echo "not ok - $(basename "$f" .mms | sed 's/-\([0-9]*\)$/.md:\1/') (exit $status)"
		printf '%s\n' "$out" | sed 's/^/    /'
	else
		echo "ok - $(basename "$f" .mms | sed 's/-\([0-9]*\)$/.md:\1/')"
	fi
done
[ "$total" -gt 0 ] || { echo "no scenario found in the docs: the extraction is broken"; exit 1; }
echo "$((total - failed)) passed, $failed failed"
[ "$failed" -eq 0 ]
