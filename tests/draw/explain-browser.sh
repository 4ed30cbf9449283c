#!/usr/bin/env bash
# mmsim explain's page in a real browser: headless Chromium loads it from a
# file:// URL with #selftest, which steps through every step and view and
# says whether each showed an SVG of some size and whether any script error
# was raised; Chromium's own log must hold no JavaScript error either. A
# screenshot of one step is kept in ARTIFACTS. Exits 77 (ctest: skipped)
# without Chromium or Graphviz.
set -u
mmsim=$1 dir=$2 artifacts=$3
skip() { echo "SKIP: $*" >&2; exit 77; }
command -v dot >/dev/null || skip "Graphviz's dot is not installed (scripts/deps.sh)"
browser=$(command -v chromium || command -v chromium-browser) ||
	skip "no chromium (apt-get install chromium; scripts/deps.sh --browser)"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
mkdir -p "$artifacts"
fail=0
chrome() {
	timeout 120 "$browser" --headless --no-sandbox --disable-gpu --disable-background-networking \
		--no-first-run --user-data-dir="$tmp/profile" --window-size=1600,1000 \
		--enable-logging=stderr --v=0 "$@"
}
for scn in fork-thp-child-write ksm-basic; do
	page="$tmp/$scn.html"
	"$mmsim" explain "$dir/$scn.mms" -o "$page" || { echo "not ok: mmsim explain $scn"; fail=1; continue; }
	grep -q "https\?://" <(grep -v 'xmlns\|w3.org' "$page") &&
		{ echo "not ok: $scn.html refers to the network"; fail=1; }
	chrome --virtual-time-budget=10000 --dump-dom "file://$page#selftest" >"$tmp/dom" 2>"$tmp/log"
	verdict=$(grep -o '<pre id="selftest">[^<]*' "$tmp/dom" | sed 's/.*>//')
	steps=$(grep -c '<div class="step' "$page")
	if [[ "$verdict" != "SELFTEST PASS steps=$steps "* ]]; then
		echo "not ok: $scn: ${verdict:-no verdict from the page} ($steps steps)"; fail=1
	else
		echo "ok: $scn: $verdict"
	fi
	if grep -E "Uncaught|CONSOLE.*(Error|error)" "$tmp/log"; then
		echo "not ok: $scn: script errors in Chromium's log"; fail=1
	fi
done
chrome --screenshot="$artifacts/explain-fork-thp-child-write.png" \
	"file://$tmp/fork-thp-child-write.html#step-6" >/dev/null 2>&1
[ -s "$artifacts/explain-fork-thp-child-write.png" ] || { echo "not ok: no screenshot"; fail=1; }
exit $fail
