#!/usr/bin/env bash
# mmsim sweep with the local engine (GNU parallel):
# - examples/sweep-schemes.ini (6 schemes x 3 scenarios): every cell's
#   stdout is byte for byte what `mmsim run --json --scheme S FILE` prints
#   when run by hand, and its row in results.csv and results.sqlite carries
#   that run's passed/failed counts;
# - resume: a second run runs nothing, a job whose result is removed runs again;
# - failures: a job that exits 3 and one that times out are reported with their
#   parameters and stderr, the others still run, the sweep exits 1, and
#   --retry-failed runs exactly those again;
# - a job stopped by SIGTERM (a cancelled allocation) leaves no result and no
#   process behind;
# - a benchmark grid (bench core ... --json {json}) and a plot through gnuplot.
set -u
mmsim=$1 src=$2
command -v parallel >/dev/null || { echo "SKIP: no GNU parallel (scripts/deps.sh installs it)"; exit 77; }
command -v sqlite3 >/dev/null || { echo "SKIP: no sqlite3 (scripts/deps.sh installs it)"; exit 77; }
tmp=$(mktemp -d /tmp/mmsim-sweep-local.XXXXXX)
trap 'rm -rf "$tmp"' EXIT
# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"

# --- the example grid, every cell against a direct run ---
out=$tmp/schemes
"$mmsim" sweep "$src/examples/sweep-schemes.ini" --out "$out" --jobs 2 >"$tmp/log" 2>&1
status=$?
cat "$tmp/log"
check '[ $status -eq 0 ]' "sweep-schemes exits 0 (every job ok)"
check '[ "$(wc -l <"$out/results.csv")" -eq 19 ]' "results.csv: a header and 18 rows"
check '[ "$(sqlite3 "$out/results.sqlite" "select count(*) from results where outcome = '\''ok'\''")" = 18 ]' \
	"results.sqlite: 18 rows, all ok"
cells=0 same=0 counted=0
for row in $(seq 1 18); do
	input=$(csv "$out/results.csv" "$row" input)
	scheme=$(csv "$out/results.csv" "$row" scheme)
	key=$(csv "$out/results.csv" "$row" key)
	file=$(realpath "$src/tests/scenarios/$input.mms")
	"$mmsim" run --json --scheme "$scheme" "$file" >"$tmp/direct.json" 2>/dev/null
	want_status=$?
	cells=$((cells + 1))
	cmp -s "$tmp/direct.json" "$out/jobs/$key/stdout" && same=$((same + 1))
	passed=$(sed -n 's/.*"passed": \([0-9]*\),.*/\1/p' "$tmp/direct.json")
	failed=$(sed -n 's/.*"failed": \([0-9]*\),.*/\1/p' "$tmp/direct.json")
	if [ "$(csv "$out/results.csv" "$row" passed)" = "$passed" ] &&
	   [ "$(csv "$out/results.csv" "$row" failed)" = "$failed" ] &&
	   [ "$(csv "$out/results.csv" "$row" exit_status)" = "$want_status" ] &&
	   [ "$(sqlite3 "$out/results.sqlite" "select passed || ' ' || failed from results
		where input = '$input' and scheme = '$scheme'")" = "$passed $failed" ]; then
		counted=$((counted + 1))
	else
		echo "# $input $scheme: direct run passed=$passed failed=$failed status=$want_status"
	fi
done
check '[ $cells -eq 18 ] && [ $same -eq 18 ]' "every cell's JSON is the direct run's, byte for byte ($same of $cells)"
check '[ $counted -eq 18 ]' "every row has the direct run's passed, failed and exit status ($counted of 18)"
pairs=$(cut -d, -f3,4 "$out/results.csv" | tail -n +2 | sort -u | wc -l)
check '[ "$pairs" -eq 18 ]' "18 distinct (input, scheme) cells"
# The scheme question has an answer: tuples differs from Linux 6.18 somewhere, linux never.
check '[ "$(sqlite3 "$out/results.sqlite" "select sum(failed) from results where scheme = '\''linux'\''")" = 0 ]' \
	"scheme linux fails no expect"
check '[ "$(sqlite3 "$out/results.sqlite" "select sum(failed) > 0 from results where scheme = '\''tuples'\''")" = 1 ]' \
	"scheme tuples fails some expect"
check '[ "$(sqlite3 "$out/results.sqlite" "select count(*) from results where host <> '\'''\'' and version <> '\'''\'' and seconds > 0 and started like '\''20%Z'\''")" = 18 ]' \
	"every row has host, version, timing"
executor=$(sqlite3 "$out/results.sqlite" 'select json_extract(json, "$[0].executor") from results where job = 0')
check '[ "$executor" = simulator ]' "the whole JSON is kept for json_extract()"

# --- resume ---
"$mmsim" sweep "$src/examples/sweep-schemes.ini" --out "$out" >"$tmp/log" 2>&1
check 'grep -q "18 jobs, 18 with results already, 0 to run" "$tmp/log"' "a second run runs nothing"
key=$(csv "$out/results.csv" 5 key)
first=$out/jobs/$(csv "$out/results.csv" 1 key)/meta.json
before=$(stat -c %y "$first")
rm "$out/jobs/$key/meta.json"
"$mmsim" sweep "$src/examples/sweep-schemes.ini" --out "$out" >"$tmp/log" 2>&1
check 'grep -q "18 jobs, 17 with results already, 1 to run" "$tmp/log" && [ -f "$out/jobs/$key/meta.json" ]' \
	"a job without a result runs again, alone"
after=$(stat -c %y "$first")
check '[ "$before" = "$after" ]' "the others' results are untouched"

flock -n "$out/lock" "$mmsim" sweep "$src/examples/sweep-schemes.ini" --out "$out" >"$tmp/log" 2>&1
status=$?
check '[ $status -eq 2 ] && grep -q "another mmsim sweep is running in" "$tmp/log"' \
	"one sweep at a time in a directory"

# --- failures do not stop the others ---
mkdir -p "$tmp/fail"
cat >"$tmp/fail/job.sh" <<'EOF'
#!/bin/sh
# n=2 fails, n=3 hangs past the timeout, the others print JSON
case $1 in
2) echo "boom at n=$1" >&2; exit 3 ;;
3) echo $$ >"$(dirname "$0")/sleeper.pid"; exec sleep 30 ;;
esac
echo "{\"n\": $1, \"square\": $(($1 * $1))}"
EOF
chmod +x "$tmp/fail/job.sh"
cat >"$tmp/fail/grid.ini" <<'EOF'
[sweep]
command = exec ./job.sh {n}
timeout = 2
[params]
n = 1 2 3 4
EOF
"$mmsim" sweep "$tmp/fail/grid.ini" --out "$tmp/fail/out" >"$tmp/log" 2>&1
status=$?
cat "$tmp/log"
f=$tmp/fail/out/results.csv
check '[ $status -eq 1 ]' "a sweep with failed jobs exits 1"
check 'grep -q "^job 1 (n=2) failed: exit 3" "$tmp/log" && grep -q "  stderr: boom at n=2" "$tmp/log"' \
	"the failed job is reported with its parameters and stderr"
check 'grep -q "^job 2 (n=3) failed: timeout" "$tmp/log"' "the job past its timeout is reported"
check '[ "$(csv "$f" 1 outcome)" = ok ] && [ "$(csv "$f" 4 outcome)" = ok ] && [ "$(csv "$f" 4 square)" = 16 ]' \
	"the other jobs ran and were collected (default metrics: the JSON's members)"
check '[ "$(csv "$f" 2 outcome)" = "exit 3" ] && [ "$(csv "$f" 3 outcome)" = timeout ]' \
	"outcomes: exit 3, timeout"
check '[ "$(sqlite3 "$tmp/fail/out/results.sqlite" "select stderr from results where n = 2")" = "boom at n=2" ]' \
	"results.sqlite keeps a failed job's stderr"
"$mmsim" sweep "$tmp/fail/grid.ini" --out "$tmp/fail/out" >"$tmp/log" 2>&1
check 'grep -q "4 jobs, 4 with results already, 0 to run" "$tmp/log"' "failed jobs have results: not run again by default"
"$mmsim" sweep "$tmp/fail/grid.ini" --out "$tmp/fail/out" --retry-failed >"$tmp/log" 2>&1
check 'grep -q "4 jobs, 2 with results already, 2 to run" "$tmp/log"' "--retry-failed runs the two failed jobs again"

# --- a job stopped by SIGTERM leaves no result and no process ---
key=$(csv "$f" 3 key)
rm -f "$tmp/fail/out/jobs/$key/meta.json" "$tmp/fail/sleeper.pid"
"$mmsim" sweep exec "$tmp/fail/out" "$key" &
wrapper=$!
for _ in $(seq 50); do [ -s "$tmp/fail/sleeper.pid" ] && break; sleep 0.1; done
kill -TERM "$wrapper"
wait "$wrapper"
status=$?
sleep 0.2
check '[ $status -eq 143 ] && [ ! -f "$tmp/fail/out/jobs/$key/meta.json" ]' \
	"a job stopped by SIGTERM has no result (status $status), so it runs again"
check '! kill -0 "$(cat "$tmp/fail/sleeper.pid")" 2>/dev/null' "its command was stopped with it"

# --- a bad grid ---
printf '[sweep]\ncommand = run {x}\n[params]\nx = 1\ny = 2\n' >"$tmp/bad.ini"
"$mmsim" sweep "$tmp/bad.ini" --out "$tmp/bad" >"$tmp/log" 2>&1
status=$?
check '[ $status -eq 2 ] && grep -q "bad.ini:5: parameter .y. is not used by the command" "$tmp/log" && [ ! -e "$tmp/bad" ]' \
	"a bad grid: exit 2, file:line and why, nothing written"

# --- a benchmark grid, and a plot ---
cat >"$tmp/bench.ini" <<'EOF'
[sweep]
command = bench core --only {op} --size {size} --reps 1 --no-kernel --json {json}
jobs = 1
[params]
op = fault_4k fork_4k
size = 2 4
[metrics]
sim_ns = operations.name=fork_4k.sim.median_ns
op_name = operations.0.name
EOF
if [ -x "$(dirname "$mmsim")/../bench/mmsim-bench-core" ]; then
	"$mmsim" sweep "$tmp/bench.ini" --out "$tmp/bench" >"$tmp/log" 2>&1
	status=$?
	b=$tmp/bench/results.csv
	check '[ $status -eq 0 ] && [ "$(csv "$b" 1 op_name)" = fault_4k ] && [ "$(csv "$b" 4 op_name)" = fork_4k ]' \
		"bench core jobs ran, each on its own operation"
	check '[ -z "$(csv "$b" 1 sim_ns)" ] && awk "BEGIN { exit !($(csv "$b" 3 sim_ns) > 0) }"' \
		"metric paths select by name (fork_4k's time only in fork_4k's rows)"
else
	echo "ok - # SKIP no mmsim-bench-core in this build (MMSIM_BUILD_BENCH=OFF): bench grid not tested"
fi
if command -v gnuplot >/dev/null; then
	"$mmsim" sweep plot "$out" --y failed --x scheme --lines input --out "$tmp/p.png" >"$tmp/log" 2>&1
	check '[ "$(head -c 4 "$tmp/p.png" | od -An -c | tr -d " ")" = "211PNG" ]' "sweep plot draws a PNG"
	v=$(sqlite3 "$out/results.sqlite" "select failed from results
		where scheme = 'tuples' and input = 'fork-thp-child-write'")
	check '[ "$(grep -c "^# " "$tmp/p.png.dat")" = 3 ] && grep -q "^4 tuples $v 1$" "$tmp/p.png.dat"' \
		"its data: a line per input, each cell's value at its scheme"
	"$mmsim" sweep plot "$out" --y nosuch --x scheme >"$tmp/log" 2>&1
	check '[ $? -eq 2 ] && grep -q "no column .nosuch." "$tmp/log"' "plot of an unknown column: a clear error"
else
	echo "ok - # SKIP no gnuplot: sweep plot not tested"
fi

echo "$fails failed"
[ "$fails" -eq 0 ]
