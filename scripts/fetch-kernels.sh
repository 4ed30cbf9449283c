#!/usr/bin/env bash
# Fetches the older Linux kernels mmsim checks itself against under qemu
# (mmsim run --kernel-image): Debian's cloud kernels, 6.1 from bookworm,
# 6.12 from bookworm-backports and 7.3 from trixie-backports. Each goes to a
# cache outside the repository, nothing of it is ever committed:
#
#   ${MMSIM_KERNEL_CACHE:-${XDG_CACHE_HOME:-~/.cache}/mmsim/kernels}/RELEASE/vmlinuz
#   .../RELEASE/config                the kernel's build configuration
#   .../6.1 -> RELEASE, .../6.12 -> RELEASE, .../7.3 -> RELEASE   by major.minor
#
# usage: scripts/fetch-kernels.sh [6.1] [6.12] [7.3]     (default: all three)
# Prints the path of each vmlinuz. Needs apt-get and dpkg-deb (Debian 12).
# 6.12 comes from bookworm-security and bookworm-backports, whichever has the
# newest: a system that lists only one of them (debootstrap lists neither)
# would get an older 6.12, and 6.12.95 crashes while booting under TCG where
# 6.12.118 does not. 6.1 likewise comes from bookworm and bookworm-security:
# stable builds of one version differ (MREMAP_DONTUNMAP of part of a locked
# VMA splits it on 6.1.0-57 and not on 6.1.0-50), so every machine must get
# the same, newest one. 7.3 is a Debian 13 (trixie) package. For all, rather
# than change the system's apt sources, it keeps a private apt state under
# $cache (its own sources, lists and archives) and downloads only the
# kernel's packages from it: for 7.3, linux-binary-RELEASE (the vmlinuz,
# which linux-image-RELEASE depends on) and linux-base-RELEASE (the config).
set -euo pipefail

cache=${MMSIM_KERNEL_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/mmsim/kernels}
versions=("$@")
[ ${#versions[@]} -gt 0 ] || versions=(6.1 6.12 7.3)
sudo=""
[ "$(id -u)" -eq 0 ] || sudo="sudo"

die() { echo "fetch-kernels: $*" >&2; exit 1; }
command -v apt-get >/dev/null && command -v dpkg-deb >/dev/null ||
	die "needs apt-get and dpkg-deb (Debian 12)"

# A private apt state under the cache (see above): private_apt DIR URI SUITE...
. "$(dirname "$0")/private-apt.sh"

# The newest package of a series apt knows about.
newest() {
	apt-cache "${apt_opts[@]}" search --names-only "$1" | awk '{print $1}' | sort -V | tail -n 1
}

fetch() {
	local want=$1 pattern pkg release tmp deb
	apt_opts=()
	case "$want" in
	6.1)  pattern='^linux-image-6\.1\.0-[0-9]+-cloud-amd64$'
	      private_apt apt-bookworm-6.1 http://deb.debian.org/debian bookworm \
		      http://deb.debian.org/debian-security bookworm-security ;;
	6.12) pattern='^linux-image-6\.12\.[0-9]+\+deb12(\.[0-9]+)?-cloud-amd64$'
	      private_apt apt-bookworm http://deb.debian.org/debian-security bookworm-security \
		      http://deb.debian.org/debian bookworm-backports ;;
	7.3)  pattern='^linux-binary-7\.3\.[0-9]+\+deb13(\.[0-9]+)?-cloud-amd64$'
	      private_apt apt http://deb.debian.org/debian trixie-backports ;;
	*)    die "unknown version $want (6.1, 6.12 or 7.3)" ;;
	esac
	pkg=$(newest "$pattern")
	if [ -z "$pkg" ]; then
		if [ ${#apt_opts[@]} -gt 0 ]; then
			apt-get "${apt_opts[@]}" update -qq
		else
			$sudo apt-get update -qq
		fi
		pkg=$(newest "$pattern")
	fi
	[ -n "$pkg" ] || die "no package matches $pattern (apt-cache search)"
	release=${pkg#linux-image-}
	release=${release#linux-binary-}
	if [ -s "$cache/$release/vmlinuz" ]; then
		ln -sfn "$release" "$cache/$want"
		echo "$cache/$release/vmlinuz"
		return
	fi
	tmp=$(mktemp -d)
	trap 'rm -rf "$tmp"' RETURN
	# apt-get download writes to the current directory; _apt must be able to.
	chmod 0777 "$tmp"
	local pkgs=("$pkg")
	# Debian 13's linux-image-RELEASE is empty: the image is in linux-binary-RELEASE,
	# the config in linux-base-RELEASE, both under usr/lib/modules/RELEASE.
	[ "$want" != 7.3 ] || pkgs+=("linux-base-$release")
	(cd "$tmp" && apt-get "${apt_opts[@]}" download -q "${pkgs[@]}" >&2) ||
		die "apt-get download ${pkgs[*]} failed"
	for deb in "$tmp"/*.deb; do
		dpkg-deb -x "$deb" "$tmp/x"
	done
	local image=$tmp/x/boot/vmlinuz-$release config=$tmp/x/boot/config-$release
	if [ ! -f "$image" ]; then
		image=$tmp/x/usr/lib/modules/$release/vmlinuz
		config=$tmp/x/usr/lib/modules/$release/config
	fi
	[ -f "$image" ] || die "$pkg has no boot/vmlinuz-$release nor usr/lib/modules/$release/vmlinuz"
	mkdir -p "$cache/$release"
	cp "$image" "$cache/$release/vmlinuz.part"
	[ -f "$config" ] && cp "$config" "$cache/$release/config"
	mv "$cache/$release/vmlinuz.part" "$cache/$release/vmlinuz"
	ln -sfn "$release" "$cache/$want"
	echo "$cache/$release/vmlinuz"
}

mkdir -p "$cache"
for v in "${versions[@]}"; do
	fetch "$v"
done
