#!/usr/bin/env bash
# Linux 6.1 (per-page mapcounts, an rmap call per PTE) against a kernel of
# 6.18's generation, timed on the ATC'24 shapes (bench/README.md,
# "mmsim-kernel-mapcount-timing"): one qemu boot each (TCG), one after the
# other, same host, same run; then the measured 6.1/new ratios beside the
# cost model's predicted 6.1/6.18 ratios (mmsim-bench-mapcount --costs).
# TCG emulates the CPU: its times are only a rough check of the kernels'.
#
#   scripts/qemu-mapcount-timing.sh [--build DIR] [--new VERSION] [--size MiB]
#                                   [--reps N] [--costs FILE] [--wait S] [--no-host]
#
# --new: 7.3 (default; the script checks its config has 6.18's default
# scheme: CONFIG_PAGE_MAPCOUNT=y, CONFIG_NO_PAGE_MAPCOUNT unset) or 6.12.
# Waits up to --wait seconds (default 1800) for other qemu guests to finish
# before each boot, so that two never share the CPUs. Without --no-host it
# also times this machine's kernel natively (under the kernel lock).
# Exits 77 (skipped) when qemu, an image or the static timing program is
# missing, 1 when a guest's 2M layout was not PTE-mapped THPs, 2 on errors.
set -u
root=$(cd "$(dirname "$0")/.." && pwd)
build=$root/build new=7.3 size=64 reps=15 costs=$root/bench/mapcount-costs.txt wait_max=1800 host=1
while [ $# -gt 0 ]; do
	case $1 in
	--build) build=$2; shift ;;
	--new) new=$2; shift ;;
	--size) size=$2; shift ;;
	--reps) reps=$2; shift ;;
	--costs) costs=$2; shift ;;
	--wait) wait_max=$2; shift ;;
	--no-host) host=0 ;;
	*) sed -n '2,/^set -u/p' "$0" | sed '$d; s/^# \{0,1\}//' >&2; exit 2 ;;
	esac
	shift
done
skip() { echo "SKIP: $*" >&2; exit 77; }
mmsim=$build/cli/mmsim timing=$build/bench/mmsim-kernel-mapcount-timing
bench=$build/bench/mmsim-bench-mapcount
cache=${MMSIM_KERNEL_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/mmsim/kernels}
command -v "${MMSIM_QEMU:-qemu-system-x86_64}" >/dev/null ||
	skip "no qemu-system-x86_64 (apt-get install qemu-system-x86)"
for v in 6.1 "$new"; do
	[ -r "$cache/$v/vmlinuz" ] || skip "no Linux $v image at $cache/$v/vmlinuz (scripts/fetch-kernels.sh $v)"
done
[ -x "$timing" ] || skip "no $timing: this build cannot link statically"
[ -x "$mmsim" ] && [ -x "$bench" ] || { echo "build $build first" >&2; exit 2; }
[ -r "$costs" ] || { echo "no cost model $costs (mmsim-calibrate-mapcount)" >&2; exit 2; }

# The stand-in must count mapcounts as 6.18's default config does.
config=$cache/$new/config
if [ -r "$config" ]; then
	grep -q '^CONFIG_PAGE_MAPCOUNT=y' "$config" && grep -q '^# CONFIG_NO_PAGE_MAPCOUNT is not set' "$config" &&
		scheme="CONFIG_PAGE_MAPCOUNT=y, CONFIG_NO_PAGE_MAPCOUNT unset: 6.18's default (linux)" ||
		scheme="per-page mapcounts without CONFIG_PAGE_MAPCOUNT (before 6.15)"
	grep -q '^CONFIG_NO_PAGE_MAPCOUNT=y' "$config" && scheme="CONFIG_NO_PAGE_MAPCOUNT=y: not 6.18's default"
else
	scheme="no config beside the image: unchecked"
fi
echo "# new kernel: $new ($scheme)"

# One guest at a time on this machine: other sessions boot qemu too.
wait_for_qemu() {
	local waited=0
	while pgrep -f qemu-system >/dev/null; do
		[ "$waited" -ge "$wait_max" ] && skip "another qemu guest ran for $wait_max s (--wait)"
		sleep 5
		waited=$((waited + 5))
	done
}

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
status=0
for v in 6.1 "$new"; do
	wait_for_qemu
	# One vCPU: TCG's two threads would compete for this machine's two CPUs.
	MMSIM_QEMU_SMP=1 "$mmsim" qemu-exec "$cache/$v/vmlinuz" "$timing" --size "$size" --reps "$reps" \
		--set-thp >"$tmp/$v" 2>"$tmp/$v.err"
	rc=$?
	cat "$tmp/$v" "$tmp/$v.err"
	# mmsim says what the guest lacks: "mmsim: qemu: no static busybox ..."
	reason=$(sed -n 's/^mmsim: qemu: \(no static .*\)/\1/p' "$tmp/$v.err" | head -1)
	[ "$rc" -ne 2 ] || [ -z "$reason" ] || skip "$reason"
	[ "$rc" -eq 0 ] || status=$((rc == 1 ? 1 : 2))
	grep -q '^pte_2m *munmap ' "$tmp/$v" || { echo "no figures from Linux $v" >&2; exit 2; }
done
if [ "$host" = 1 ]; then
	lock=/run/mmsim-kernel.lock
	if [ -w /run ]; then
		flock -w 600 "$lock" "$timing" --size "$size" --reps "$reps" >"$tmp/host"
	else
		"$timing" --size "$size" --reps "$reps" >"$tmp/host"
	fi
	cat "$tmp/host"
fi
"$bench" --quick --costs "$costs" | sed -n '/^6.1 (legacy/,/^$/p' >"$tmp/pred"
grep -q '^pte_2m' "$tmp/pred" || { echo "no predictions from $bench" >&2; exit 2; }
cat "$tmp/pred"

echo "measured (TCG, best of $reps; only a rough check) against predicted, 6.1 over $new:"
awk -v new="$new" -v host="$host" '
	FNR == 1 { f++ }
	/^(4k|pte_2m) / {
		k = $1 " " $2
		if (f == 1) { b61[k] = $3; m61[k] = $4 }
		else if (f == 2) { bn[k] = $3; mn[k] = $4 }
		else if (f == 3) { pr[k] = $NF }
		else if (f == 4) { hb[k] = $3 }
		if (f == 1) keys[++n] = k
	}
	END {
		printf "%-7s %-13s %9s %9s %9s %9s %9s %8s %8s%s\n", "layout", "op", "6.1 ns", new " ns",
		       "measured", "predicted", "median", "6.1 m/b", new " m/b", host ? "  host ns (native)" : ""
		for (i = 1; i <= n; i++) {
			k = keys[i]; split(k, kk, " ")
			printf "%-7s %-13s %9.1f %9.1f %8.2fx %9s %8.2fx %7.1fx %7.1fx", kk[1], kk[2],
			       b61[k], bn[k], b61[k] / bn[k], pr[k], m61[k] / mn[k], m61[k] / b61[k], mn[k] / bn[k]
			if (host) printf "  %9.1f", hb[k]
			printf "\n"
		}
		print "(measured: 6.1/" new " of the best times; median: of the medians; m/b: median over"
		print " best, the noise; predicted: the cost model, 6.1 legacy over 6.18 linux)"
	}' "$tmp/6.1" "$tmp/$new" "$tmp/pred" $([ "$host" = 1 ] && echo "$tmp/host")
exit "$status"
