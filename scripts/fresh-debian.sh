#!/usr/bin/env bash
# The suite as a new user meets it: a fresh Debian 12 (debootstrap bookworm,
# kept once in DIR/base), the repository cloned at COMMIT, and `CI=true
# .ci/run` as root inside, RUNS times in a row (stopping at the first
# failure). Each run gets a new copy of the base system, so every run installs
# its dependencies (scripts/deps.sh) from nothing. The live kernel is shared:
# its tests take the project's lock (/run is bound into the chroot).
#
#   sudo scripts/fresh-debian.sh [--dir DIR] COMMIT [RUNS]
#
# Logs go to DIR/run-N.log; the last line of each says its exit status. Needs
# root, debootstrap and the network to Debian's mirrors. DIR defaults to
# /var/tmp/mmsim-fresh.
set -u
dir=/var/tmp/mmsim-fresh
if [ "${1:-}" = --dir ]; then
	dir=${2:?--dir takes a directory}
	shift 2
fi
commit=${1:?usage: fresh-debian.sh [--dir DIR] COMMIT [RUNS]}
runs=${2:-1}
repo=$(cd "$(dirname "$0")/.." && pwd)
[ "$(id -u)" = 0 ] || { echo "fresh-debian.sh: needs root (chroot, mounts)" >&2; exit 2; }
command -v debootstrap >/dev/null || { echo "fresh-debian.sh: needs debootstrap" >&2; exit 2; }
git -C "$repo" rev-parse --verify -q "$commit^{commit}" >/dev/null ||
	{ echo "fresh-debian.sh: no commit '$commit' in $repo" >&2; exit 2; }
mkdir -p "$dir"

# Nothing may stay mounted inside a tree that is about to be deleted: a bound
# /dev would take the host's device nodes with it.
unmount_all() {
	local root=$1 m
	for m in run dev/pts dev sys proc; do
		umount -l "$root/$m" 2>/dev/null
	done
	! grep -q " $root/" /proc/mounts
}

one_run() {
	local n=$1 root=$dir/root-$1 status
	unmount_all "$root" || { echo "fresh-debian.sh: $root still has mounts" >&2; return 2; }
	rm -rf "$root"
	cp -a "$dir/base" "$root"
	cat >"$root/etc/apt/sources.list" <<'EOF'
deb http://deb.debian.org/debian bookworm main
deb http://deb.debian.org/debian bookworm-updates main
deb http://deb.debian.org/debian-security bookworm-security main
EOF
	cp /etc/resolv.conf "$root/etc/resolv.conf"
	if ! { mount -t proc proc "$root/proc" && mount --rbind /sys "$root/sys" &&
	       mount --bind /dev "$root/dev" && mount --bind /dev/pts "$root/dev/pts" &&
	       mount --bind /run "$root/run"; }; then
		unmount_all "$root"
		return 2
	fi
	git clone -q "$repo" "$root/root/mmsim" && git -C "$root/root/mmsim" checkout -q "$commit"
	chroot "$root" /usr/bin/env -i HOME=/root LANG=C.UTF-8 TERM=dumb CI=true \
		PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
		bash -c 'apt-get update -q >/dev/null && cd /root/mmsim && time ./.ci/run'
	status=$?
	unmount_all "$root"
	echo "fresh-debian.sh: run $n of $commit: exit $status ($(date -u))"
	return $status
}

cleanup() {
	local r
	for r in "$dir"/root-*; do
		[ -d "$r" ] && unmount_all "$r"
	done
}
trap cleanup EXIT
trap 'exit 130' INT TERM
if [ ! -x "$dir/base/bin/bash" ]; then
	rm -rf "$dir/base.tmp"
	debootstrap --variant=minbase bookworm "$dir/base.tmp" http://deb.debian.org/debian \
		>"$dir/debootstrap.log" 2>&1 || { echo "fresh-debian.sh: debootstrap failed" \
		"(see $dir/debootstrap.log)" >&2; exit 2; }
	mv "$dir/base.tmp" "$dir/base"
fi
for n in $(seq 1 "$runs"); do
	one_run "$n" >"$dir/run-$n.log" 2>&1 || { tail -1 "$dir/run-$n.log"; exit 1; }
	tail -1 "$dir/run-$n.log"
done
