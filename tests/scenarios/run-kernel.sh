#!/usr/bin/env bash
# Runs one scenario on the live kernel (mode "run") or through mmsim diff
# (mode "diff") for ctest. Exits 77, which ctest reports as skipped, with
# the reason on stderr when this machine cannot serve as the oracle.
set -u
mode=$1 mmsim=$2 file=$3
skip() { echo "SKIP: $*" >&2; exit 77; }
[ "$(id -u)" -eq 0 ] || skip "the kernel executor needs root"
[ -d /sys/kernel/mm/ksm ] || skip "this kernel has no KSM (/sys/kernel/mm/ksm)"
[ -e /sys/kernel/mm/transparent_hugepage/hugepages-2048kB/enabled ] ||
	skip "this kernel has no per-size THP controls"
[ -r /proc/kpageflags ] || skip "no /proc/kpageflags"
case "$mode" in
run)
	# A file this machine cannot run at all (a memory requirement, say) is
	# skipped with mmsim's reason, not passed.
	out=$("$mmsim" run --kernel "$file"); status=$?
	printf '%s\n' "$out"
	why=$(printf '%s\n' "$out" | sed -n 's/^# .*: all [0-9]* expects were skipped (\(.*\)): nothing was checked.*/\1/p')
	[ "$status" -ne 1 ] || [ -z "$why" ] || skip "$why"
	exit "$status" ;;
diff)
	# Likewise one that needs what this machine lacks (swap it cannot make).
	out=$("$mmsim" diff "$file"); status=$?
	printf '%s\n' "$out"
	why=$(printf '%s\n' "$out" | sed -n 's/^[^ ]*: not on this machine (\(.*\))$/\1/p')
	[ "$status" -ne 0 ] || [ -z "$why" ] || skip "$why"
	exit "$status" ;;
*)    echo "usage: $0 run|diff MMSIM FILE" >&2; exit 2 ;;
esac
