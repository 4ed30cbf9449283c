#!/usr/bin/env bash
# Draws the pictures listed in docs/img/pictures.txt from their scenarios:
# docs/img/NAME.dot (mmsim draw's DOT, byte for byte) and NAME.svg (laid out
# by Graphviz's dot). With --check, only compares each NAME.dot with what
# mmsim draws now and says which are stale (exit 1).
# usage: scripts/draw-docs.sh [--check] [MMSIM]   (MMSIM: build/cli/mmsim)
set -euo pipefail
cd "$(dirname "$0")/.."
check=false
[ "${1:-}" != --check ] || { check=true; shift; }
mmsim=$(realpath "${1:-build/cli/mmsim}")
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
stale=0
while read -r name file after view proc addr; do
	case "$name" in ''|'#'*) continue ;; esac
	args=(--after "$after" --view "$view")
	[ -z "${proc:-}" ] || args+=(--proc "$proc" --addr "$addr")
	# The caption names the scenario and the line, not where the file lies.
	(cd tests/scenarios && "$mmsim" draw "$file" "${args[@]}" -o "$tmp/$name.dot")
	if $check; then
		cmp -s "$tmp/$name.dot" "docs/img/$name.dot" ||
			{ echo "docs/img/$name.dot is stale: run scripts/draw-docs.sh"; stale=1; }
		continue
	fi
	cp "$tmp/$name.dot" "docs/img/$name.dot"
	dot -Tsvg "docs/img/$name.dot" -o "docs/img/$name.svg"
	echo "docs/img/$name.svg"
done <docs/img/pictures.txt
exit $stale
