#!/usr/bin/env bash
# The scan-time advisor against the real ksmd. Four python3 processes with
# PR_SET_MEMORY_MERGE (the python3 workload of ksm-whatif.sh) are captured
# and left running; ksmd then runs freely with advisor_mode=scan-time (the
# kernel's defaults otherwise) while pages_to_scan, ksmd's CPU time
# (/proc/PID/schedstat) and the time are recorded after each full scan;
# then mmsim whatif ksm --advisor scan-time predicts the same passes, fed
# with the CPU ksmd had used before (--ksmd-cpu-ms: the kernel's first
# advisor sample counts all of it). Prints both side by side.
#
# The whole experiment holds the project's lock (/run/mmsim-kernel.lock),
# and every writable file of /sys/kernel/mm/ksm is restored afterwards, also
# on error and on signals; the workload is killed and waited for before the
# lock goes.
#
# Usage: ksm-advisor.sh MMSIM [PASSES]. The advisor's choice turns on whole
# percents of ksmd's CPU, which the live ksmd does not repeat from run to run
# (docs/experiments/ksm-whatif.md), so every pass is shown with the ratio
# where they differ, and the exit status is 0 when pages_to_scan agrees where
# that noise cannot decide it: after the last pass (the ceiling), and after
# passes 1 and 2 when ksmd had used 5 s of CPU or more before (the first
# sample counts all of it, then the 10% floor decides); 1 when not, 2 on
# errors, 77 when this machine cannot run it.
set -u
mmsim=$1 passes=${2:-8}
KSM=/sys/kernel/mm/ksm
LOCK=/run/mmsim-kernel.lock
[ "$(id -u)" -eq 0 ] || { echo "skip: needs root (the live ksmd)"; exit 77; }
[ -e $KSM/advisor_mode ] || { echo "skip: this kernel has no KSM advisor (Linux 6.7+)"; exit 77; }
command -v python3 >/dev/null || { echo "skip: no python3"; exit 77; }
if [ -z "${MMSIM_ADVISOR_LOCKED:-}" ]; then
	# -o: the lock stays with flock itself, not with the workload it starts.
	MMSIM_ADVISOR_LOCKED=1 exec flock -o -w 600 "$LOCK" "$0" "$@"
fi
echo "# Linux $(uname -r), $(date -u +%FT%TZ)"

tmp=$(mktemp -d) || exit 2
cap=$tmp/python3.cap live=$tmp/live
leader=
saved=$tmp/saved
# Every writable setting (a write bit: root may write anything), as "name value".
settings() {
	find $KSM -maxdepth 1 -type f -perm /222 | LC_ALL=C sort | while read -r f; do
		printf '%s %s\n' "${f##*/}" "$(cat "$f")"
	done
}
settings >"$saved"

ksm_write() { echo "$2" >"$KSM/$1" 2>/dev/null || { echo "# cannot write $1=$2" >&2; return 1; }; }

restore() {
	local mode name value
	echo 2 >$KSM/run	# unmerge: max_page_sharing and merge_across_nodes need it
	mode=$(sed -n 's/^advisor_mode .*\[\(.*\)\].*/\1/p' "$saved")
	# The advisor's limits, then its mode (which resets pages_to_scan), then the rest.
	while read -r name value; do
		case $name in advisor_mode|run|pages_to_scan) ;; advisor_*) ksm_write "$name" "$value" ;; esac
	done <"$saved"
	ksm_write advisor_mode none
	[ -n "$mode" ] && ksm_write advisor_mode "$mode"
	while read -r name value; do
		case $name in
		advisor_*|run) ;;
		pages_to_scan) [ "$mode" = none ] && ksm_write "$name" "$value" ;;
		*) ksm_write "$name" "$value" ;;
		esac
	done <"$saved"
	ksm_write run "$(sed -n 's/^run //p' "$saved")"
}

cleanup() {
	trap - EXIT INT TERM HUP
	if [ -n "$leader" ]; then
		kill -TERM -- "-$leader" 2>/dev/null
		for _ in $(seq 50); do pgrep -g "$leader" >/dev/null || break; sleep 0.1; done
		kill -KILL -- "-$leader" 2>/dev/null
	fi
	restore
	after=$tmp/after
	settings >"$after"
	cmp -s "$saved" "$after" || { echo "# settings NOT restored:"; diff "$saved" "$after"; }
	# MMSIM_ADVISOR_OUT=DIR keeps the capture and both tables.
	[ -n "${MMSIM_ADVISOR_OUT:-}" ] && cp "$cap" "$live" "$tmp/pred.csv" "$MMSIM_ADVISOR_OUT/" 2>/dev/null
	rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 2' INT TERM HUP

# No one else's mergeable memory: ksmd would scan it too.
others=$(grep -ls 'ksm_merge_any: yes\|ksm_mergeable: yes' /proc/[0-9]*/ksm_stat 2>/dev/null | wc -l)
[ "$others" -eq 0 ] || { echo "skip: $others other processes have mergeable memory"; exit 77; }

cmd='import json, decimal, email, http.client, xml.dom.minidom, time; time.sleep(600)'
"$mmsim" capture -o "$cap" --merge-any --children --after "${MMSIM_SETTLE_S:-8}" --leave-running \
	-- sh -c "for i in 1 2 3 4; do python3 -c '$cmd' & done; wait" 2>"$tmp/capture.err"
rc=$?
sed 's/^/# /' "$tmp/capture.err"
leader=$(sed -n 's/^mmsim capture: \([0-9]*\) (sh) left running/\1/p' "$tmp/capture.err")
[ $rc -eq 0 ] && [ -n "$leader" ] || exit 2

# A fresh start: nothing merged, the kernel's defaults, the advisor switched on
# (none first, so that its memory is reset and pages_to_scan starts at 500).
echo 2 >$KSM/run
for kv in sleep_millisecs=20 max_page_sharing=256 smart_scan=1 use_zero_pages=0 \
	  merge_across_nodes=1 stable_node_chains_prune_millisecs=2000 advisor_max_cpu=70 \
	  advisor_min_pages_to_scan=500 advisor_max_pages_to_scan=30000 \
	  advisor_target_scan_time=200 advisor_mode=none advisor_mode=scan-time; do
	[ -e "$KSM/${kv%%=*}" ] || continue
	ksm_write "${kv%%=*}" "${kv#*=}" || exit 2
done
ksmd=$(pgrep -x ksmd) || exit 2
read -r cpu0 _ </proc/$ksmd/schedstat
read -r scans0 <$KSM/full_scans
echo "# ksmd had used ${cpu0} ns of CPU; pages_to_scan $(cat $KSM/pages_to_scan)"

# ksmd runs; after each full scan: pages_to_scan, ksmd's CPU, the time.
exec {nap}<> <(:)
echo 1 >$KSM/run
t0=$EPOCHREALTIME
last=$scans0
: >"$live"
while [ $((last - scans0)) -lt "$passes" ]; do
	read -r -t 0.002 -u $nap _
	read -r s <$KSM/full_scans
	[ "$s" = "$last" ] && continue
	read -r pts <$KSM/pages_to_scan
	read -r cpu _ </proc/$ksmd/schedstat
	now=$EPOCHREALTIME
	[ $((s - last)) -gt 1 ] && echo "# polling missed a scan before scan $((s - scans0))"
	last=$s
	echo "$((s - scans0)) $pts $cpu $now" >>"$live"
	t=${now/./}; t=$(( (t - ${t0/./}) / 1000 ))
	[ "$t" -gt 300000 ] && { echo "# ksmd too slow: stopped after 300 s"; break; }
done
echo 0 >$KSM/run

# MMSIM_CPU_NS=NEW,COMPARED,SKIPPED: other per-page costs for the estimate.
# The sleeps in jiffies of this kernel's CONFIG_HZ, when it says.
hz=$( (zcat /proc/config.gz 2>/dev/null || cat "/boot/config-$(uname -r)" 2>/dev/null) |
	sed -n 's/^CONFIG_HZ=//p')
"$mmsim" whatif ksm "$cap" --passes "$passes" --advisor scan-time --csv \
	${MMSIM_CPU_NS:+--cpu-ns "$MMSIM_CPU_NS"} ${hz:+--hz "$hz"} \
	--ksmd-cpu-ms "$(awk -v c="$cpu0" 'BEGIN { printf "%.3f", c / 1e6 }')" \
	--sleep-ms 20 --max-page-sharing 256 --smart-scan 1 --use-zero-pages 0 \
	--merge-across-nodes 1 >"$tmp/pred.csv" || exit 2

# Side by side: the live scan's length is from one end to the next less the
# 20 ms ksmd sleeps in between.
awk -v cpu0="$cpu0" -v t0="$t0" '
	NR == FNR { pts[$1] = $2; cpu[$1] = $3; t[$1] = $4; n = $1; next }
	FNR == 1 { for (i = 1; i <= NF; i++) col[$i] = i; next }
	{ ppts[$1] = $col["pages_to_scan"]; pcpu[$1] = $col["ksmd_cpu_ms_estimate"]; pt[$1] = $col["time_ms"] }
	END {
		printf "%-5s %13s %13s %11s %11s %11s %11s\n", "pass", "pages_to_scan", "predicted",
		       "ksmd_cpu_ms", "cpu_ms_est", "scan_s_live", "scan_s_sim"
		prev_t = t0; prev_c = cpu0; bad = 0
		for (k = 1; k <= n; k++) {
			r = pts[k] > ppts[k] ? pts[k] / ppts[k] : ppts[k] / pts[k]
			# Both from one end of a scan to the next, less a sleep (the
			# simulated first scan counts its last sleep, the live one not).
			printf "%-5d %13d %13d %11.1f %11.1f %11.3f %11.3f%s\n", k, pts[k], ppts[k],
			       (cpu[k] - prev_c) / 1e6, pcpu[k], t[k] - prev_t - (k > 1 ? 0.02 : 0),
			       (pt[k] - pt[k - 1]) / 1000 - 0.02,
			       pts[k] == ppts[k] ? "" : sprintf("  differs (x%.2f)", r)
			differ += pts[k] != ppts[k]; prev_t = t[k]; prev_c = cpu[k]
			if (r > worst) worst = r
			# Exact where CPU noise cannot decide: the last pass (the ceiling);
			# the first two when ksmd had used 5 s or more before (then the
			# first sample is over 500%, and the second scan, 10 pages a
			# batch, is long enough for under 1%: the 10% floor decides both).
			if ((k == n || (k <= 2 && cpu0 >= 5e9)) && pts[k] != ppts[k]) bad++
		}
		printf "# pages_to_scan: %d of %d passes agree, worst ratio %.2f; %s %s\n",
		       n - differ, n, worst, (cpu0 >= 5e9 ? "passes 1, 2 and " n : "pass " n),
		       (bad ? "DIFFER" : "agree")
		exit bad ? 1 : 0
	}' "$live" FS=, "$tmp/pred.csv"
