#!/bin/sh
# The prediction against the real ksmd: starts a workload of real programs
# with PR_SET_MEMORY_MERGE (mmsim capture --merge-any), captures it, lets
# the live ksmd make PASSES full passes on the still-running processes and
# compares pass by pass with mmsim whatif ksm (whatif --live: exit 1 when
# pages_shared or pages_sharing differ by more than 5% in a pass or 2% at
# the end). Usage: ksm-whatif.sh MMSIM WORKLOAD [PASSES]; WORKLOAD is
# python3, perl, node or tclsh (four processes each), or qemu (three guests
# under TCG booting the same kernel, MMSIM_QEMU_KERNEL or the 6.1 image of
# scripts/fetch-kernels.sh, to its panic for want of a root file system;
# with a time series, since guests keep writing). Exit 77: cannot run here.
mmsim=$1 workload=$2 passes=${3:-6}
[ "$(id -u)" -eq 0 ] || { echo "skip: needs root (the live ksmd)"; exit 77; }
[ -d /sys/kernel/mm/ksm ] || { echo "skip: this kernel has no KSM"; exit 77; }
case $workload in
python3) prog=python3; cmd='import json, decimal, email, http.client, xml.dom.minidom, time; time.sleep(600)'
	set -- -c "$cmd" ;;
perl) prog=perl; set -- -MPOSIX -MData::Dumper -MStorable -MEncode -MList::Util -e 'sleep 600' ;;
node) prog=node; set -- -e 'require("http"); require("zlib"); setTimeout(() => {}, 600000)' ;;
tclsh) prog=tclsh; set -- ;;
qemu) prog=qemu-system-x86_64
	kernel=${MMSIM_QEMU_KERNEL:-${XDG_CACHE_HOME:-$HOME/.cache}/mmsim/kernels/6.1/vmlinuz}
	[ -r "$kernel" ] || { echo "skip: no kernel image $kernel (scripts/fetch-kernels.sh)"; exit 77; }
	set -- -m 96 -smp 1 -accel tcg -kernel "$kernel" -append "console=ttyS0 panic=0" \
		-display none -serial null -monitor none -no-reboot
	copies=3 settle=${MMSIM_SETTLE_S:-40} series="--interval 1000 --duration 5" ;;
*) echo "unknown workload $workload"; exit 2 ;;
esac
command -v $prog >/dev/null || { echo "skip: no $prog"; exit 77; }
prog=$(command -v $prog)
tmp=$(mktemp -d) || exit 2
cap=$tmp/$workload.cap
# Four copies under one shell, in one process group the script kills at the end.
args=""
for a in "$@"; do args="$args '$(printf %s "$a" | sed "s/'/'\\\\''/g")'"; done
if [ "$workload" = tclsh ]; then body="sleep 600 | $prog"; else body="$prog$args"; fi
"$mmsim" capture -o "$cap" --merge-any --children --after "${settle:-${MMSIM_SETTLE_S:-8}}" --leave-running \
	$series -- sh -c "for i in $(seq -s ' ' ${copies:-4}); do $body & done; wait" 2>"$tmp/capture.err"
rc=$?
cat "$tmp/capture.err"
leader=$(sed -n 's/^mmsim capture: \([0-9]*\) (sh) left running/\1/p' "$tmp/capture.err")
cleanup() { [ -n "$leader" ] && kill -TERM -- "-$leader" 2>/dev/null; pkill -TERM -g "$leader" 2>/dev/null; rm -rf "$tmp"; }
trap cleanup EXIT INT TERM
[ $rc -eq 0 ] || exit 2
"$mmsim" replay "$cap" | sed 's/^/# /'
"$mmsim" whatif ksm "$cap" --passes "$passes" --live
