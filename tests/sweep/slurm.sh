#!/usr/bin/env bash
# mmsim sweep --engine slurm against a real single-node Slurm that this test
# starts on localhost (tests/sweep/slurm-cluster.sh: munged, slurmctld and
# slurmd from a generated slurm.conf in a temporary directory) and stops:
# - a 2 scheme x 2 scenario grid as one job array, two jobs per array task,
#   waited for and collected; every cell's JSON is the direct run's;
# - --no-wait, then `mmsim sweep collect DIR` once the array has ended;
# - resume: after a job's result is removed, the next submission's array
#   holds that job alone;
# - scancel of a running array: the job it interrupted has no result, is
#   listed by collect, and is the only one the next run submits; no second
#   array is submitted while one of the sweep's is queued or running.
# Skipped (77), saying why, where Slurm or munge is missing or does not start.
set -u
mmsim=$1 src=$2
here=$(cd "$(dirname "$0")" && pwd)
tmp=$(mktemp -d /tmp/mmsim-sweep-slurm.XXXXXX)
# shellcheck source=slurm-cluster.sh
. "$here/slurm-cluster.sh"
cleanup() { cluster_stop; rm -rf "$tmp"; }
cluster_start "$tmp/cluster" || { rm -rf "$tmp"; exit 77; }
trap cleanup EXIT
# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"
# Until Slurm job $1 has left the queue (two minutes at most).
wait_gone() {
	for _ in $(seq 240); do
		[ -z "$(squeue -h -j "$1" 2>/dev/null)" ] && return
		sleep 0.5
	done
}
echo "# Slurm $(sinfo -V) on $(sinfo -h -o '%N %c CPUs %T')"

mkdir -p "$tmp/grid"
scheme_grid "$tmp/grid/grid.ini" slurm-test
printf '[slurm]\nchunk = 2\noptions = --time=5\n' >>"$tmp/grid/grid.ini"

# --- waited for ---
out=$tmp/out
timeout 240 "$mmsim" sweep "$tmp/grid/grid.ini" --engine slurm --out "$out" >"$tmp/log" 2>&1
status=$?
cat "$tmp/log"
check '[ $status -eq 0 ]' "the sweep through Slurm exits 0"
check 'grep -q "Slurm job [0-9]*: 2 array tasks for 4 jobs" "$tmp/log"' "one job array of two tasks (chunk = 2)"
check 'grep -q "^#SBATCH --array=0-1$" "$out/slurm/array-1.sh"' "submitted with sbatch --array=0-1"
check '[ "$(ls "$out"/slurm/slurm-*_*.out | wc -l)" = 2 ]' "each array task wrote its Slurm output"
same=$(same_as_direct "$out" 4)
check '[ $same -eq 4 ]' "every cell ran under Slurm, its JSON the direct run's ($same of 4)"
check '[ "$(cut -d, -f3,4 "$out/results.csv" | tail -n +2 | sort -u | wc -l)" = 4 ]' "4 distinct cells"

# --- resume: one job without a result is resubmitted alone ---
key=$(csv "$out/results.csv" 3 key)
rm "$out/jobs/$key/meta.json"
timeout 240 "$mmsim" sweep "$tmp/grid/grid.ini" --engine slurm --out "$out" >"$tmp/log" 2>&1
status=$?
check '[ $status -eq 0 ] && grep -q "4 jobs, 3 with results already, 1 to run" "$tmp/log" && [ -f "$out/jobs/$key/meta.json" ]' \
	"the job without a result ran again"
check '[ "$(cat "$out/slurm/todo-2")" = "$key" ] && grep -q "^#SBATCH --array=0-0$" "$out/slurm/array-2.sh"' \
	"in an array of its own"

# --- --no-wait, then collect ---
out2=$tmp/out2
"$mmsim" sweep "$tmp/grid/grid.ini" --engine slurm --no-wait --out "$out2" >"$tmp/log" 2>&1
status=$?
cat "$tmp/log"
job=$(sed -n 's/^submitted Slurm job \([0-9]*\);.*/\1/p' "$tmp/log")
check '[ $status -eq 0 ] && [ -n "$job" ]' "--no-wait submits and returns"
wait_gone "$job"
"$mmsim" sweep collect "$out2" >"$tmp/log" 2>&1
status=$?
cat "$tmp/log"
check '[ $status -eq 0 ] && grep -q "4 jobs: 4 ok, 0 failed, 0 without a result" "$tmp/log"' \
	"mmsim sweep collect gathers the array's results"
check 'cmp -s <(cut -d, -f1-6,12- "$out/results.csv") <(cut -d, -f1-6,12- "$out2/results.csv")' \
	"the same table as the waited-for sweep (but for timing and host)"

# --- a cancelled array: what it interrupted has no result, and runs again ---
mkdir -p "$tmp/cancel"
cat >"$tmp/cancel/job.sh" <<'EOF'
#!/bin/sh
# n=2 sleeps until it is cancelled, unless the file "fast" exists
[ "$1" = 2 ] && [ ! -e "$(dirname "$0")/fast" ] && echo $$ >"$(dirname "$0")/sleeper.pid" && exec sleep 120
echo "{\"n\": $1}"
EOF
chmod +x "$tmp/cancel/job.sh"
printf '[sweep]\ncommand = exec ./job.sh {n}\n[params]\nn = 1 2 3\n' >"$tmp/cancel/grid.ini"
c=$tmp/cancel/out
"$mmsim" sweep "$tmp/cancel/grid.ini" --engine slurm --no-wait --out "$c" >"$tmp/log" 2>&1
job=$(sed -n 's/^submitted Slurm job \([0-9]*\);.*/\1/p' "$tmp/log")
k1=$(awk -F'\t' '$3 == 1 { print $2 }' "$c/jobs.tsv")
k2=$(awk -F'\t' '$3 == 2 { print $2 }' "$c/jobs.tsv")
k3=$(awk -F'\t' '$3 == 3 { print $2 }' "$c/jobs.tsv")
for _ in $(seq 120); do
	[ -f "$c/jobs/$k1/meta.json" ] && [ -f "$c/jobs/$k3/meta.json" ] && [ -f "$c/jobs/$k2/stderr" ] && break
	sleep 0.5
done
"$mmsim" sweep "$tmp/cancel/grid.ini" --engine slurm --no-wait --out "$c" >"$tmp/log" 2>&1
status=$?
check '[ $status -eq 2 ] && grep -q "Slurm job $job of this sweep is still queued or running" "$tmp/log"' \
	"no second array while the first still runs"
scancel "$job"
wait_gone "$job"
"$mmsim" sweep collect "$c" >"$tmp/log" 2>&1
status=$?
cat "$tmp/log"
check '[ $status -eq 1 ] && grep -q "^job 1 (n=2) has no result: missing" "$tmp/log" && grep -q "3 jobs: 2 ok, 0 failed, 1 without a result" "$tmp/log"' \
	"after scancel, the interrupted job has no result and is listed"
check '[ -s "$tmp/cancel/sleeper.pid" ] && ! kill -0 "$(cat "$tmp/cancel/sleeper.pid")" 2>/dev/null' \
	"scancel stopped the job's command"
touch "$tmp/cancel/fast"
timeout 240 "$mmsim" sweep "$tmp/cancel/grid.ini" --engine slurm --out "$c" >"$tmp/log" 2>&1
status=$?
check '[ $status -eq 0 ] && grep -q "3 jobs, 2 with results already, 1 to run" "$tmp/log"' \
	"running the sweep again runs only the interrupted job"

echo "$fails failed"
[ "$fails" -eq 0 ]
