# Helpers of the sweep tests, sourced: TAP-like checks, reading results.csv,
# and the small scheme grid the engine tests run.
fails=0
ok() { echo "ok - $*"; }
bad() { echo "not ok - $*"; fails=$((fails + 1)); }
check() { if eval "$1"; then ok "$2"; else bad "$2"; fi; }
# The value of column NAME in row ROW (1 = the first job) of a results.csv
# whose fields hold no commas.
csv() { awk -F, -v row="$2" -v name="$3" 'NR == 1 { for (i = 1; i <= NF; i++) c[$i] = i }
	NR == row + 1 { print $c[name] }' "$1"; }

# scheme_grid FILE NAME: 2 schemes x 2 scenarios of tests/scenarios ($src).
scheme_grid() {
	cat >"$1" <<GRID
[sweep]
name = $2
command = run --json --scheme {scheme} {input}
inputs = $src/tests/scenarios/fork-thp-child-write.mms $src/tests/scenarios/fork-mthp-cow.mms
ok_exit = 0 1
[params]
scheme = linux tuples
GRID
}

# same_as_direct OUT N: how many of the first N rows of OUT/results.csv are ok
# and whose JSON is byte for byte `mmsim run --json --scheme S FILE` run here.
same_as_direct() {
	local out=$1 n=$2 same=0 row input scheme key
	for row in $(seq 1 "$n"); do
		input=$(csv "$out/results.csv" "$row" input)
		scheme=$(csv "$out/results.csv" "$row" scheme)
		key=$(csv "$out/results.csv" "$row" key)
		"$mmsim" run --json --scheme "$scheme" "$(realpath "$src/tests/scenarios/$input.mms")" \
			>"$tmp/direct.json" 2>/dev/null
		[ "$(csv "$out/results.csv" "$row" outcome)" = ok ] &&
			cmp -s "$tmp/direct.json" "$out/jobs/$key/stdout" && same=$((same + 1))
	done
	echo "$same"
}
