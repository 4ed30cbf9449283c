# Helpers of the kernel executor's tests (sourced): THP and LOCK name the
# settings directories and the executor's lock.
THP=/sys/kernel/mm/transparent_hugepage
KSM=/sys/kernel/mm/ksm
LOCK=/run/mmsim-kernel.lock	# the executor's own lock: no other run in between

SWAPFILE=/var/tmp/mmsim-kernel.swap	# the executor's swap file, for "swap SIZE"

# Every writable setting (regular files with a write bit; counters and
# stats are read-only), one "path: value" line each, in a stable order,
# then the swap devices (without their use) and whether the executor's swap
# file exists. Listed under the executor's lock so that no other run is
# half-way.
snapshot() {
	flock -w 300 "$LOCK" sh -c '
		find "$1" "$2" -type f -perm /222 2>/dev/null | LC_ALL=C sort |
		while read -r f; do
			v=$(cat "$f" 2>/dev/null) || v="<unreadable>"
			printf "%s: %s\n" "$f" "$v"
		done
		awk "NR > 1 { print \"swap device: \" \$1 }" /proc/swaps 2>/dev/null
		[ ! -e "$3" ] || echo "swap file left: $3"' sh "$THP" "$KSM" "$SWAPFILE"
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


skip() { echo "SKIP: $*" >&2; exit 77; }
die() { echo "error: $*" >&2; exit 2; }

# check_kernel_executor MMSIM SCRIPT: can this machine run the test? Else
# exit 77 saying why (2 for bad use).
check_kernel_executor() {
	[ -n "$1" ] || die "usage: $2 MMSIM"
	[ -x "$1" ] || die "$1 is not an executable"
	[ "$(id -u)" -eq 0 ] || skip "the kernel executor needs root"
	[ -d "$KSM" ] || skip "this kernel has no KSM ($KSM)"
	[ -e "$THP/hugepages-2048kB/enabled" ] || skip "this kernel has no per-size THP controls"
	[ -r /proc/kpageflags ] || skip "no /proc/kpageflags"
	command -v flock >/dev/null || skip "flock(1) is not installed"
}
