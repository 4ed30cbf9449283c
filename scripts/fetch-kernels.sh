#!/usr/bin/env bash
# Fetches the older Linux kernels mmsim checks itself against under qemu
# (mmsim run --kernel-image): Debian 12's cloud kernels, 6.1 from bookworm
# and 6.12 from bookworm-backports. Each goes to a cache outside the
# repository, nothing of it is ever committed:
#
#   ${MMSIM_KERNEL_CACHE:-${XDG_CACHE_HOME:-~/.cache}/mmsim/kernels}/RELEASE/vmlinuz
#   .../RELEASE/config                the kernel's build configuration
#   .../6.1 -> RELEASE, .../6.12 -> RELEASE   by major.minor, for the tests
#
# usage: scripts/fetch-kernels.sh [6.1] [6.12]     (default: both)
# Prints the path of each vmlinuz. Needs apt-get and dpkg-deb (Debian 12).
# 6.12 comes from bookworm-security or bookworm-backports: when apt knows no
# such package and no source names bookworm-backports, it adds
# /etc/apt/sources.list.d/mmsim-bookworm-backports.sources (as root, or
# through sudo) and says so; it changes no other apt setting.
set -euo pipefail

cache=${MMSIM_KERNEL_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/mmsim/kernels}
versions=("$@")
[ ${#versions[@]} -gt 0 ] || versions=(6.1 6.12)
sudo=""
[ "$(id -u)" -eq 0 ] || sudo="sudo"

die() { echo "fetch-kernels: $*" >&2; exit 1; }
command -v apt-get >/dev/null && command -v dpkg-deb >/dev/null ||
	die "needs apt-get and dpkg-deb (Debian 12)"

# bookworm-backports, unless some source already names it.
have_backports() {
	grep -rqsE '(^|[[:space:]])bookworm-backports([[:space:]]|$)' \
		/etc/apt/sources.list /etc/apt/sources.list.d/ 2>/dev/null
}
add_backports() {
	local f=/etc/apt/sources.list.d/mmsim-bookworm-backports.sources
	have_backports && return 0
	echo "fetch-kernels: adding bookworm-backports to apt's sources in $f" >&2
	printf '%s\n' 'Types: deb' 'URIs: http://deb.debian.org/debian' \
		'Suites: bookworm-backports' 'Components: main' \
		'Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg' | $sudo tee "$f" >/dev/null
	$sudo apt-get update -qq
}

# The newest package of a series apt knows about.
newest() {
	apt-cache search --names-only "$1" | awk '{print $1}' | sort -V | tail -n 1
}

fetch() {
	local want=$1 pattern pkg release tmp deb
	case "$want" in
	6.1)  pattern='^linux-image-6\.1\.0-[0-9]+-cloud-amd64$' ;;
	6.12) pattern='^linux-image-6\.12\.[0-9]+\+deb12(\.[0-9]+)?-cloud-amd64$' ;;
	*)    die "unknown version $want (6.1 or 6.12)" ;;
	esac
	pkg=$(newest "$pattern")
	if [ -z "$pkg" ]; then
		if [ "$want" = 6.12 ] && ! have_backports; then
			add_backports
		else
			$sudo apt-get update -qq
		fi
		pkg=$(newest "$pattern")
	fi
	[ -n "$pkg" ] || die "no package matches $pattern (apt-cache search)"
	release=${pkg#linux-image-}
	if [ -s "$cache/$release/vmlinuz" ]; then
		ln -sfn "$release" "$cache/$want"
		echo "$cache/$release/vmlinuz"
		return
	fi
	tmp=$(mktemp -d)
	trap 'rm -rf "$tmp"' RETURN
	# apt-get download writes to the current directory; _apt must be able to.
	chmod 0777 "$tmp"
	(cd "$tmp" && apt-get download -q "$pkg" >&2) || die "apt-get download $pkg failed"
	deb=$(ls "$tmp"/*.deb)
	dpkg-deb -x "$deb" "$tmp/x"
	[ -f "$tmp/x/boot/vmlinuz-$release" ] || die "$pkg has no boot/vmlinuz-$release"
	mkdir -p "$cache/$release"
	cp "$tmp/x/boot/vmlinuz-$release" "$cache/$release/vmlinuz.part"
	[ -f "$tmp/x/boot/config-$release" ] && cp "$tmp/x/boot/config-$release" "$cache/$release/config"
	mv "$cache/$release/vmlinuz.part" "$cache/$release/vmlinuz"
	ln -sfn "$release" "$cache/$want"
	echo "$cache/$release/vmlinuz"
}

mkdir -p "$cache"
for v in "${versions[@]}"; do
	fetch "$v"
done
