#!/usr/bin/env bash
# ctest's "era" label: scenarios on another Linux under qemu, VERSION 6.1,
# 6.12 or 7.3, its image the one scripts/fetch-kernels.sh cached (7.3-gup:
# the one scripts/build-gup-kernel.sh built).
#   run-era.sh run  VERSION MMSIM MMSIM_STATIC FILE...   every expect holds on that kernel
#   run-era.sh diff VERSION MMSIM MMSIM_STATIC FILE...   the simulator in that version's
#       profile answers every query as the kernel does (mmsim diff --kernel-image)
# Exits 77, which ctest reports as skipped, when qemu, the image,
# busybox-static or mmsim-static is missing.
set -u
mode=$1 version=$2 mmsim=$3 mmsim_static=$4
shift 4
skip() { echo "SKIP: $*" >&2; exit 77; }
cache=${MMSIM_KERNEL_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/mmsim/kernels}
image=$cache/$version/vmlinuz
command -v "${MMSIM_QEMU:-qemu-system-x86_64}" >/dev/null ||
	skip "no qemu-system-x86_64 (apt-get install qemu-system-x86)"
case $version in
*-gup) get="scripts/build-gup-kernel.sh builds it, in about 20 minutes on 2 CPUs" ;;
*)     get="scripts/fetch-kernels.sh $version" ;;
esac
[ -r "$image" ] || skip "no Linux $version image at $image ($get)"
[ -x "$mmsim_static" ] || skip "no mmsim-static ($mmsim_static): this build cannot link statically"
export MMSIM_STATIC=$mmsim_static
echo "# Linux $version: $(readlink -f "$image")"

case $mode in
run)  out=$("$mmsim" run --kernel-image "$image" "$@") ;;
diff) out=$("$mmsim" diff --kernel-image "$image" "$@") ;;
*)    echo "usage: $0 run|diff VERSION MMSIM MMSIM_STATIC FILE..." >&2; exit 2 ;;
esac
status=$?
printf '%s\n' "$out"
# mmsim says what the guest lacks: "Bail out! qemu: no static busybox ..."
reason=$(printf '%s\n' "$out" | sed -n 's/^\(Bail out! \|  kernel: Bail out! \)\?qemu: \(no static .*\)/\2/p' | head -1)
[ "$status" -ne 2 ] || [ -z "$reason" ] || skip "$reason"
exit "$status"
