#!/usr/bin/env bash
# The kernel executor under faults. mmsim run --kernel is killed with
# SIGINT (its process group, as Ctrl-C), SIGTERM and SIGKILL, once in the
# middle of a KSM pass (ksmd running over 1G of equal pages) and once right
# after a THP setting changed (the scenario's second thp line). After
# SIGINT and SIGTERM every setting is back at once. SIGKILL runs no handler:
# the settings stay changed, /run/mmsim-kernel.saved holds the originals, and
# the next start (a short KSM scenario, which must still pass) restores them
# first and says so; once `mmsim kernel-restore` does it by hand instead.
# The same for a scenario that needs swap (its swap file, on /var/tmp,
# swapped on while pages go out): killed with SIGTERM and with SIGKILL.
# Then two executors started at once take turns (the lock): both pass.
# After each round no scenario process is left and every writable file
# under /sys/kernel/mm/transparent_hugepage and /sys/kernel/mm/ksm holds its
# first value. Exit 0, 1 with what went wrong, 77 when this machine cannot.
#
# Usage: fault-recovery.sh MMSIM SCENARIOS_DIR
set -u
mmsim=${1:-} scenarios=${2:-}
. "$(dirname "$0")/common.sh"
echo "# the live kernel: Linux $(uname -r)"
check_kernel_executor "$mmsim" "$0"
[ -f "$scenarios/ksm-basic.mms" ] || die "usage: $0 MMSIM SCENARIOS_DIR"
SAVED=/run/mmsim-kernel.saved
# Another kernel run holds the lock and its saved file while it works: wait
# for it to finish (up to the executor's own 120 s) before looking.
flock -w 120 /run/mmsim-kernel.lock true 2>/dev/null
[ ! -e "$SAVED" ] || die "$SAVED exists before the test: run mmsim kernel-restore first"

work=$(mktemp -d /tmp/fault-recovery.XXXXXX) || die "mktemp failed"
mmsim_pid=
cleanup() {
	[ -n "$mmsim_pid" ] && kill -KILL "$mmsim_pid" 2>/dev/null
	# Never leave the machine changed, whatever happened above.
	[ ! -e "$SAVED" ] || "$mmsim" kernel-restore >/dev/null
	rm -rf "$work"
}
trap cleanup EXIT
status=0 n=0
ok() { n=$((n + 1)); echo "ok $n - $*"; }
not_ok() { n=$((n + 1)); echo "not ok $n - $*"; status=1; }

H64=$THP/hugepages-64kB/enabled
first64=$(sed 's/.*\[\(.*\)\].*/\1/' "$H64")
# The scenario's 64K mode differs from this machine's (and from never).
mode64=always
[ "$first64" != always ] || mode64=madvise

cat >"$work/ksm.mms" <<'SCN'
# A long KSM pass: 1G of equal pages, mergeable, scanned three times.
proc A
mmap A 0x100000000000 1G
madvise A 0x100000000000 1G mergeable
write A 0x100000000000 1G byte=1
ksm scan 3
expect ksm.pages_sharing > 0
SCN
{
	echo "# THP settings changed one after the other, then long writes."
	echo "ksm pages_to_scan=4000 max_page_sharing=64 use_zero_pages=1"
	echo "thp top always"
	echo "thp 64K $mode64"
	echo "thp 2M always"
	echo "thp 16K madvise"
	echo "proc A"
	echo "mmap A 0x100000000000 1G"
	for i in 1 2 3 4 5 6; do
		echo "write A 0x100000000000 1G unique"
		echo "madvise A 0x100000000000 1G dontneed"
	done
} >"$work/thp.mms"

# A scenario that needs swap: the executor makes its swap file, swaps it
# on, and pages 256M out and back in, again and again.
{
	echo "swap 512M"
	echo "proc A"
	echo "mmap A 0x100000000000 256M"
	echo "madvise A 0x100000000000 256M nohugepage"
	for i in 1 2 3 4 5 6; do
		echo "write A 0x100000000000 256M unique"
		echo "madvise A 0x100000000000 256M pageout"
	done
} >"$work/swap.mms"

before=$(snapshot)
[ -n "$before" ] || die "could not read the settings"
printf '%s\n' "$before" >"$work/before"

# Waits (up to 120 s) until the run reaches the point: "ksm" a KSM pass
# (ksmd switched on by the executor), "thp" the 64K mode written.
reached() {
	case $1 in
	ksm) [ "$(cat "$KSM/run")" = 1 ] ;;
	thp) grep -q "\[$mode64\]" "$H64" ;;
	swap) grep -q "^$SWAPFILE " /proc/swaps ;;
	esac
}

# Settings as before and no process of the run left; $1 names the round.
check_clean() {
	local name=$1 seen=$2 left p t
	for t in $(seq 1 50); do
		left=""
		for p in $(sort -u "$seen"); do alive_agent "$p" && left="$left $p"; done
		[ -z "$left" ] && break
		sleep 0.1
	done
	if [ -n "$left" ]; then
		not_ok "$name: scenario processes left:$left"
		kill -KILL $left 2>/dev/null
	fi
	snapshot >"$work/after-$name"
	if diff -u --label before --label "after $name" "$work/before" "$work/after-$name" >"$work/diff"; then
		ok "$name: every setting as before, no process left"
	else
		not_ok "$name: settings differ:"
		sed 's/^/#   /' "$work/diff"
	fi
}

# round NAME SCENARIO POINT SIGNAL TARGET(pid|group) EXIT
round() {
	local name=$1 scn=$2 point=$3 sig=$4 target=$5 want=$6 seen="$work/$1.pids" rc t
	: >"$seen"
	# Its own session and group; bash reports no "Killed" for it.
	{ setsid "$mmsim" run --kernel "$scn" >"$work/$name.out" 2>&1 & } 2>/dev/null
	mmsim_pid=$!
	for t in $(seq 1 1200); do
		descendants "$mmsim_pid" >>"$seen"
		reached "$point" && break
		kill -0 "$mmsim_pid" 2>/dev/null || break
		sleep 0.1
	done
	if grep -q "other processes have KSM-mergeable memory" "$work/$name.out"; then
		echo "SKIP: $(grep -o 'other processes.*' "$work/$name.out")" >&2
		exit 77
	fi
	if ! kill -0 "$mmsim_pid" 2>/dev/null || ! reached "$point"; then
		not_ok "$name: the run never reached its $point point:"
		sed 's/^/#   /' "$work/$name.out"
		wait "$mmsim_pid"
		mmsim_pid=
		return
	fi
	sleep 0.3
	descendants "$mmsim_pid" >>"$seen"
	if [ "$target" = group ]; then kill -s "$sig" -- "-$mmsim_pid"; else kill -s "$sig" "$mmsim_pid"; fi
	wait "$mmsim_pid" 2>/dev/null
	rc=$?
	mmsim_pid=
	if [ "$rc" = "$want" ]; then
		ok "$name: killed by SIG$sig $point, exit $rc"
	else
		not_ok "$name: exit $rc, wanted $want:"
		sed 's/^/#   /' "$work/$name.out"
	fi
	if [ "$sig" != KILL ]; then
		[ ! -e "$SAVED" ] || not_ok "$name: $SAVED left behind"
		check_clean "$name" "$seen"
		return
	fi
	# SIGKILL: nothing was put back, but the originals are on disk.
	if [ -e "$SAVED" ] && ! snapshot | cmp -s - "$work/before"; then
		ok "$name: settings still changed, $SAVED holds the originals"
	else
		not_ok "$name: after SIGKILL, expected changed settings and $SAVED"
	fi
	recover "$name" "$seen"
}

# The next start restores first; the second time, mmsim kernel-restore does.
recovered_by=run
recover() {
	local name=$1 seen=$2 out="$work/$1.next"
	if [ "$recovered_by" = run ]; then
		"$mmsim" run --kernel "$scenarios/ksm-basic.mms" >"$out" 2>&1
		local rc=$?
		[ $rc = 0 ] && ok "$name: the next run passes" ||
			{ not_ok "$name: the next run exited $rc:"; sed 's/^/#   /' "$out"; }
		recovered_by=kernel-restore
	else
		"$mmsim" kernel-restore >"$out" 2>&1 || not_ok "$name: mmsim kernel-restore failed"
		recovered_by=run
	fi
	if grep -q "ended without restoring the settings; restoring them from $SAVED" "$out" &&
	   grep -q "all restored" "$out"; then
		ok "$name: $(head -1 "$out" | cut -c1-60)... ($(grep -c ' -> ' "$out") settings put back)"
	else
		not_ok "$name: the next start did not say it restored:"
		sed 's/^/#   /' "$out"
	fi
	[ ! -e "$SAVED" ] || not_ok "$name: $SAVED still there"
	check_clean "$name" "$seen"
}

round ksm-sigint "$work/ksm.mms" ksm INT group 130
round ksm-sigterm "$work/ksm.mms" ksm TERM pid 143
round ksm-sigkill "$work/ksm.mms" ksm KILL pid 137
round thp-sigint "$work/thp.mms" thp INT group 130
round thp-sigterm "$work/thp.mms" thp TERM pid 143
round thp-sigkill "$work/thp.mms" thp KILL pid 137
# The swap file goes too: swapped off (what is out read back) and removed.
round swap-sigterm "$work/swap.mms" swap TERM pid 143
round swap-sigkill "$work/swap.mms" swap KILL pid 137

# Nothing to do: kernel-restore says so.
if "$mmsim" kernel-restore | grep -q "nothing to restore"; then
	ok "kernel-restore with nothing to restore says so"
else
	not_ok "kernel-restore with nothing to restore"
fi

# Two executors at once: the second waits for the first's lock, both pass.
"$mmsim" run --kernel "$scenarios/ksm-basic.mms" >"$work/a.out" 2>&1 &
a=$!
"$mmsim" run --kernel "$scenarios/ksm-basic.mms" >"$work/b.out" 2>&1 &
b=$!
wait $a; ra=$?
wait $b; rb=$?
if [ $ra = 0 ] && [ $rb = 0 ]; then
	ok "two executors at once: both pass, one after the other"
else
	not_ok "two executors at once: exit $ra and $rb:"
	sed 's/^/#   /' "$work/a.out" "$work/b.out" | grep -v "^#   ok"
fi
: >"$work/none.pids"
check_clean two-at-once "$work/none.pids"
echo "1..$n"
exit $status
