#!/usr/bin/env bash
# Runs scenarios on an older Linux under qemu (mmsim run --kernel-image) for
# ctest's "era" label: VERSION is 6.1 or 6.12, its image the one
# scripts/fetch-kernels.sh cached. The scenarios expect Linux 6.18, so an
# expect that fails here is a version difference to model, not a bug: it is
# reported, and only a run that could not finish (Bail out!, exit 2) fails.
# Exits 77, which ctest reports as skipped, when qemu, the image, busybox-static
# or mmsim-static is missing.
set -u
version=$1 mmsim=$2 mmsim_static=$3
shift 3
skip() { echo "SKIP: $*" >&2; exit 77; }
cache=${MMSIM_KERNEL_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/mmsim/kernels}
image=$cache/$version/vmlinuz
command -v "${MMSIM_QEMU:-qemu-system-x86_64}" >/dev/null ||
	skip "no qemu-system-x86_64 (apt-get install qemu-system-x86)"
[ -r "$image" ] || skip "no Linux $version image at $image (scripts/fetch-kernels.sh $version)"
[ -x "$mmsim_static" ] || skip "no mmsim-static ($mmsim_static): this build cannot link statically"
export MMSIM_STATIC=$mmsim_static

tap=$("$mmsim" run --kernel-image "$image" "$@")
status=$?
printf '%s\n' "$tap"
failed=$(printf '%s\n' "$tap" | grep -c '^not ok')
case $status in
0) echo "# Linux $version: every expect holds" ;;
1) echo "# Linux $version: $failed expect(s) differ from 6.18 (information, not a failure)" ;;
*) # mmsim says what the guest lacks: "Bail out! qemu: no static busybox ..."
   reason=$(printf '%s\n' "$tap" | sed -n 's/^Bail out! qemu: \(no static .*\)/\1/p')
   [ -z "$reason" ] || skip "$reason"
   echo "# Linux $version: the run did not finish (exit $status)"; exit 1 ;;
esac
exit 0
