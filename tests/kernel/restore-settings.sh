#!/usr/bin/env bash
# The kernel executor must leave the machine as it found it, however the
# run ends. Three rounds, each a long scenario that changes THP and KSM
# settings at the top and then writes 1G of unique pages:
#   1. SIGTERM to mmsim midway;
#   2. SIGINT to mmsim's whole process group midway (what Ctrl-C does);
#   3. a scenario that ends in "Bail out!" from a munmap the kernel refuses.
# After each round: every writable file under /sys/kernel/mm/transparent_hugepage
# and /sys/kernel/mm/ksm holds its snapshot value again, and no process of
# the scenario is left. Exit 0 on success, 1 with a diff otherwise, 77 (with
# the reason) when this machine cannot run the kernel executor.
#
# Usage: restore-settings.sh MMSIM
set -u

mmsim=${1:-}
THP=/sys/kernel/mm/transparent_hugepage
KSM=/sys/kernel/mm/ksm
LOCK=/run/mmsim-kernel.lock	# the executor's own lock: no other run in between
echo "# the live kernel: Linux $(uname -r)"

skip() { echo "SKIP: $*" >&2; exit 77; }
die() { echo "error: $*" >&2; exit 2; }

[ -n "$mmsim" ] || die "usage: $0 MMSIM"
[ -x "$mmsim" ] || die "$mmsim is not an executable"
[ "$(id -u)" -eq 0 ] || skip "the kernel executor needs root"
[ -d "$KSM" ] || skip "this kernel has no KSM ($KSM)"
[ -e "$THP/hugepages-2048kB/enabled" ] || skip "this kernel has no per-size THP controls"
[ -r /proc/kpageflags ] || skip "no /proc/kpageflags"
command -v flock >/dev/null || skip "flock(1) is not installed"

work=$(mktemp -d /tmp/restore-settings.XXXXXX) || die "mktemp failed"
mmsim_pid=
cleanup() {
	[ -n "$mmsim_pid" ] && kill -KILL "$mmsim_pid" 2>/dev/null
	rm -rf "$work"
}
trap cleanup EXIT

# Every writable setting (regular files with a write bit; counters and
# stats are read-only), one "path: value" line each, in a stable order.
# Listed under the executor's lock so that no other run is half-way.
snapshot() {
	flock -w 300 "$LOCK" sh -c '
		find "$1" "$2" -type f -perm /222 2>/dev/null | LC_ALL=C sort |
		while read -r f; do
			v=$(cat "$f" 2>/dev/null) || v="<unreadable>"
			printf "%s: %s\n" "$f" "$v"
		done' sh "$THP" "$KSM"
}

# PIDs of every descendant of $1 (agents and the processes they forked).
descendants() {
	ps -e -o pid= -o ppid= | awk -v root="$1" '
		{ parent[$1] = $2 }
		END {
			found[root] = 1
			do {
				more = 0
				for (p in parent)
					if (!(p in found) && (parent[p] in found)) { found[p] = 1; more = 1 }
			} while (more)
			for (p in found) if (p != root) print p
		}'
}

# A PID still alive as a scenario process (not a zombie, not a reused PID).
alive_agent() {
	local pid=$1 state cmd
	[ -r "/proc/$pid/stat" ] || return 1
	state=$(awk '{ print $3 }' "/proc/$pid/stat" 2>/dev/null) || return 1
	[ "$state" = Z ] && return 1
	cmd=$(tr '\0' ' ' < "/proc/$pid/cmdline" 2>/dev/null)
	case "$cmd" in mmsim*) return 0 ;; *) return 1 ;; esac
}

# Settings changed at the top, then about 20 s of faulting in and writing
# 1G of unique pages on the kernel (each dontneed makes the next write
# allocate again); the signal comes 2.5 s after the first process exists.
{
	echo "# Long run for the restore test: settings first, then 1G of unique pages."
	echo "thp top always"
	echo "thp 2M always"
	echo "thp 64K always"
	echo "thp 16K madvise"
	echo "ksm pages_to_scan=4000 max_page_sharing=64 use_zero_pages=1 smart_scan=0"
	echo "proc A"
	echo "mmap A 0x100000000000 1G"
	echo "write A 0x100000000000 1G unique"
	echo "fork A B"
	echo "write B 0x100000000000 1G unique"
	for i in 1 2 3 4 5 6; do
		echo "madvise A 0x100000000000 1G dontneed"
		echo "write A 0x100000000000 1G unique"
	done
} > "$work/long.mms"

# The same, but it ends in Bail out!: munmap of length 0 is EINVAL.
cat > "$work/bail.mms" <<'EOF'
# Bail-out run for the restore test: settings first, some work, then a
# munmap the kernel refuses.
thp top always
thp 2M always
thp 32K always
ksm pages_to_scan=4000 use_zero_pages=1 smart_scan=0
proc A
mmap A 0x100000000000 256M
write A 0x100000000000 256M unique
fork A B
write B 0x100000000000 64M unique
munmap B 0x100000000000 0
write A 0x100000000000 256M unique
EOF

status=0
before=$(snapshot)
[ -n "$before" ] || die "could not read the settings"
printf '%s\n' "$before" > "$work/before"

# Runs one round: $1 name, $2 scenario, $3 signal (or "none"), $4 target
# ("pid" or "group"), $5 the exit status expected from mmsim.
round() {
	local name=$1 scn=$2 sig=$3 target=$4 want=$5
	local seen="$work/$name.pids" rc t left="" p

	: > "$seen"
	setsid "$mmsim" run --kernel "$scn" > "$work/$name.out" 2>&1 &
	mmsim_pid=$!
	# The settings at the top run before the first process exists, so once
	# a scenario process shows up the executor has changed them (armed).
	for t in $(seq 1 600); do
		descendants "$mmsim_pid" >> "$seen"
		[ -s "$seen" ] && break
		kill -0 "$mmsim_pid" 2>/dev/null || break
		sleep 0.1
	done
	if [ "$sig" != none ]; then
		# Midway: let the writes run for a while, still recording processes.
		for t in $(seq 1 25); do
			descendants "$mmsim_pid" >> "$seen"
			sleep 0.1
		done
		if ! kill -0 "$mmsim_pid" 2>/dev/null; then
			echo "not ok: $name: the scenario ended before the signal" >&2
			status=1
		elif [ "$target" = group ]; then
			kill -s "$sig" -- "-$mmsim_pid"
		else
			kill -s "$sig" "$mmsim_pid"
		fi
	else
		while kill -0 "$mmsim_pid" 2>/dev/null; do
			descendants "$mmsim_pid" >> "$seen"
			sleep 0.1
		done
	fi
	wait "$mmsim_pid"
	rc=$?
	mmsim_pid=
	if [ "$rc" -ne "$want" ]; then
		echo "not ok: $name: mmsim exited with $rc, expected $want; its output:" >&2
		sed 's/^/    /' "$work/$name.out" >&2
		status=1
	fi
	if [ ! -s "$seen" ]; then
		echo "not ok: $name: never saw a scenario process (the check below would prove nothing)" >&2
		status=1
	fi
	# Nothing left behind: allow a moment for the kernel to finish exits.
	for t in $(seq 1 30); do
		left=""
		for p in $(sort -u "$seen"); do
			alive_agent "$p" && left="$left $p"
		done
		[ -z "$left" ] && break
		sleep 0.1
	done
	if [ -n "$left" ]; then
		echo "not ok: $name: scenario processes left behind:$left" >&2
		for p in $left; do ps -o pid=,ppid=,stat=,args= -p "$p" >&2; done
		kill -KILL $left 2>/dev/null
		status=1
	fi
	snapshot > "$work/after-$name"
	if ! diff -u --label before --label "after $name" "$work/before" "$work/after-$name" >&2; then
		echo "not ok: $name: settings not restored (diff above)" >&2
		status=1
	elif [ "$status" -eq 0 ]; then
		echo "ok: $name: mmsim exit $rc, settings restored, none of its $(sort -u "$seen" | wc -l) processes left"
	fi
}

round sigterm "$work/long.mms" TERM pid 143
round sigint "$work/long.mms" INT group 130
round bailout "$work/bail.mms" none pid 2
if ! grep -q '^Bail out!.*EINVAL' "$work/bailout.out"; then
	echo "not ok: bailout: no Bail out! with EINVAL in the output:" >&2
	sed 's/^/    /' "$work/bailout.out" >&2
	status=1
fi
exit "$status"
