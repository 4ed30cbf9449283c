#!/usr/bin/env bash
# A guest that dies before the run starts is booted again (the emulator's
# flake, not a result), and MMSIM_QEMU_ACCEL=kvm falls back to TCG when KVM
# cannot run the guest. A stand-in qemu (MMSIM_QEMU) fails its first boots
# the way a panicking guest does, then runs the real one.
#   boot-retry.sh VERSION MMSIM MMSIM_STATIC FILE
# Exits 77, which ctest reports as skipped, when qemu, the image or
# mmsim-static is missing.
set -u
version=$1 mmsim=$2 mmsim_static=$3 file=$4
skip() { echo "SKIP: $*" >&2; exit 77; }
fail() { echo "FAIL: $*" >&2; exit 1; }
cache=${MMSIM_KERNEL_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/mmsim/kernels}
image=$cache/$version/vmlinuz
qemu=$(command -v qemu-system-x86_64) || skip "no qemu-system-x86_64 (apt-get install qemu-system-x86)"
[ -r "$image" ] || skip "no Linux $version image at $image (scripts/fetch-kernels.sh $version)"
[ -x "$mmsim_static" ] || skip "no mmsim-static ($mmsim_static): this build cannot link statically"
export MMSIM_STATIC=$mmsim_static
echo "# Linux $version: $(readlink -f "$image")"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# The stand-in: the first $1 boots die at once as a guest panic does; a
# KVM boot reports what a broken KVM reports and hangs until killed.
cat >"$tmp/qemu" <<STANDIN
#!/usr/bin/env bash
n=\$(cat "$tmp/boots" 2>/dev/null || echo 0)
echo \$((n + 1)) >"$tmp/boots"
case " \$* " in *accel=kvm*)
	echo "KVM internal error. Suberror: 1" >&2
	sleep 600 ;;
esac
if [ "\$n" -lt "\$(cat "$tmp/die")" ]; then
	echo "Kernel panic - not syncing: Attempted to kill init! exitcode=0x0000000b"
	exit 1
fi
exec "$qemu" "\$@"
STANDIN
chmod +x "$tmp/qemu"
export MMSIM_QEMU=$tmp/qemu

run() {	# DIE TRIES [ACCEL]: runs the file; stdout in $tmp/out, stderr in $tmp/err
	echo "$1" >"$tmp/die"
	rm -f "$tmp/boots"
	MMSIM_QEMU_BOOT_TRIES=$2 MMSIM_QEMU_ACCEL=${3:-tcg} \
		"$mmsim" run --kernel-image "$image" "$file" >"$tmp/out" 2>"$tmp/err"
}

# Two boots die, the third runs the scenario: it passes and says so.
run 2 3; status=$?
cat "$tmp/out" "$tmp/err"
[ "$status" -eq 0 ] || fail "two early deaths and three tries: exit $status, expected 0"
grep -q "boot 1 of 3 died before the run started.*booting again" "$tmp/err" &&
	grep -q "boot 2 of 3 died" "$tmp/err" || fail "the retries are not reported"
grep -q "^# the live kernel: Linux $version" "$tmp/out" || fail "the guest's release is not printed"

# Every try dies: a Bail out! that says how often.
run 9 2; status=$?
cat "$tmp/out" "$tmp/err"
[ "$status" -eq 2 ] || fail "every boot died: exit $status, expected 2"
grep -q "^Bail out! qemu: the guest died before the run started, 2 times.*the last: the guest never started" "$tmp/out" ||
	fail "no Bail out! naming the retries"
[ "$(cat "$tmp/boots")" = 2 ] || fail "$(cat "$tmp/boots") boots for MMSIM_QEMU_BOOT_TRIES=2"

# KVM that fails: the same run again with TCG, which passes.
run 0 1 kvm; status=$?
cat "$tmp/out" "$tmp/err"
[ "$status" -eq 0 ] || fail "KVM failing: exit $status, expected 0 after the TCG boot"
grep -q "KVM cannot run the guest.*booting again with TCG" "$tmp/err" || fail "no fallback message"
grep -q "under qemu (tcg)" "$tmp/err" || fail "the run did not end under TCG"
echo "boot-retry: all checks passed"
