#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Builds Debian's 7.3 cloud kernel again with CONFIG_GUP_TEST=y, for qemu
# (mmsim run --kernel-image): the kernel selftests' R/O longterm pin cases
# (cow.c) pin through /sys/kernel/debug/gup_test (PIN_LONGTERM_TEST_START,
# _STOP and _READ), which Debian does not build. Everything else is
# Debian's: the source is linux-source-7.3 of the very version Debian's
# linux-binary-RELEASE was built from (trixie-backports), the configuration
# is that kernel's own (scripts/fetch-kernels.sh 7.3 saves it), changed only
# as the fragment below says, and the build stops if any option defined
# under mm/ changed other than GUP_TEST. The guest loads no modules (its
# initramfs has none), so there are none: every =m is set to n, not y
# (the 1000 drivers of Debian's would otherwise be built in), except the
# mm/ ones (HWPOISON_INJECT, built in), the drivers that select an mm/
# option Debian has (see the fragment) and what a guest may use later
# (virtio-blk, zram). Nothing of it goes into the repository:
#
#   ${MMSIM_KERNEL_CACHE:-${XDG_CACHE_HOME:-~/.cache}/mmsim/kernels}/7.3-gup/vmlinuz
#   .../7.3-gup/config                the kernel's build configuration
#   .../7.3-gup/stamp                 source version and the hashes it was built from
#   ${XDG_CACHE_HOME:-~/.cache}/mmsim/build-gup/  source tree and objects (about 2.8 GB)
#
# usage: scripts/build-gup-kernel.sh        (prints the path of the vmlinuz)
# When the vmlinuz is there and was built from the same source version,
# Debian configuration and fragment, it does nothing and says so. Otherwise
# it installs what the build needs (apt-get, only what is missing), downloads
# the source package (167 MB) into the private apt state fetch-kernels.sh
# keeps, unpacks it (about 1.5 GB) and runs `nice -n 10 make -j2 bzImage`
# (MMSIM_BUILD_JOBS=N for another -j): about 20 minutes on two shared cores
# (the download and unpacking take one more), a rebuild after a fragment
# change is incremental and the check that finds it up to date is instant.
# The guest's `uname -r` is 7.3.4-mmsim-gup. Debian 12 (its gcc 12, where
# Debian built with gcc 14: the compiler-dependent options differ).
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
xdg=${XDG_CACHE_HOME:-$HOME/.cache}
cache=${MMSIM_KERNEL_CACHE:-$xdg/mmsim/kernels}
build=$xdg/mmsim/build-gup
out=$cache/7.3-gup
jobs=${MMSIM_BUILD_JOBS:-2}
sudo=""
[ "$(id -u)" -eq 0 ] || sudo="sudo"

die() { echo "build-gup-kernel: $*" >&2; exit 1; }
say() { echo "build-gup-kernel: $*" >&2; }

# What changes in Debian's configuration (applied with scripts/config, then
# make olddefconfig). Its hash is in the stamp: edit it and the kernel is
# rebuilt. Besides these lines, every other =m becomes n, =m options of mm/
# become y (MODULES=n would otherwise turn every =m into y). The =m drivers
# set to y here are those that select an mm/ option without a prompt, which
# Debian's configuration has only because of them: VIRTIO_BALLOON (BALLOON,
# BALLOON_MIGRATION), XEN_GNTDEV (FIND_NORMAL_PAGE), INFINIBAND and
# INFINIBAND_USER_ACCESS (INFINIBAND_ON_DEMAND_PAGING selects HMM_MIRROR);
# none has a device in the guest.
fragment='CONFIG_GUP_TEST=y
# CONFIG_MODULES is not set
CONFIG_VIRTIO_PCI=y
CONFIG_VIRTIO_BLK=y
CONFIG_ZRAM=y
CONFIG_ZSMALLOC=y
CONFIG_VIRTIO_BALLOON=y
CONFIG_XEN_GNTDEV=y
CONFIG_INFINIBAND=y
CONFIG_INFINIBAND_USER_ACCESS=y
CONFIG_DEBUG_INFO_NONE=y
# CONFIG_DEBUG_INFO_DWARF_TOOLCHAIN_DEFAULT is not set
# CONFIG_DEBUG_INFO_DWARF4 is not set
# CONFIG_DEBUG_INFO_DWARF5 is not set
# CONFIG_DEBUG_INFO_BTF is not set
# CONFIG_MODULE_SIG is not set
CONFIG_SYSTEM_TRUSTED_KEYS=""
CONFIG_SYSTEM_REVOCATION_KEYS=""
CONFIG_LOCALVERSION="-mmsim-gup"
# CONFIG_LOCALVERSION_AUTO is not set
# other =m: n, mm/ =m: y'

command -v apt-get >/dev/null && command -v dpkg-deb >/dev/null ||
	die "needs apt-get and dpkg-deb (Debian 12)"

# Debian's configuration, and the release it belongs to.
base=$cache/7.3/config
if [ ! -s "$base" ]; then
	say "no $base: scripts/fetch-kernels.sh 7.3"
	"$here/fetch-kernels.sh" 7.3 >/dev/null
fi
[ -s "$base" ] || die "$base is missing (scripts/fetch-kernels.sh 7.3 did not save it)"
release=$(basename "$(readlink -f "$cache/7.3")")

# The private apt state of fetch-kernels.sh for 7.3 (the same sources file).
. "$here/private-apt.sh"
private_apt apt http://deb.debian.org/debian trixie-backports

# The version of linux-binary-RELEASE: the source must be the same version.
version_of() {
	apt-cache "${apt_opts[@]}" show "$1" 2>/dev/null | sed -n 's/^Version: //p' | sort -V | tail -n 1
}
srcver=$(version_of "linux-binary-$release")
if [ -z "$srcver" ] || [ -z "$(version_of "linux-source-7.3=$srcver")" ]; then
	apt-get "${apt_opts[@]}" update -qq
	srcver=$(version_of "linux-binary-$release")
fi
[ -n "$srcver" ] || die "apt knows no linux-binary-$release (trixie-backports moved on?" \
	"scripts/fetch-kernels.sh 7.3 fetches the newest, then run this again)"
[ -n "$(version_of "linux-source-7.3=$srcver")" ] ||
	die "no linux-source-7.3 $srcver in trixie-backports (the one $release was built from)"

stamp="source=linux-source-7.3 $srcver
base=$(sha256sum "$base" | cut -d' ' -f1) $release
fragment=$(printf '%s\n' "$fragment" | sha256sum | cut -d' ' -f1)"
if [ -s "$out/vmlinuz" ] && [ -s "$out/config" ] && [ "$(cat "$out/stamp" 2>/dev/null)" = "$stamp" ]; then
	say "up to date, nothing to do (linux-source-7.3 $srcver, same configuration fragment)"
	echo "$out/vmlinuz"
	exit 0
fi

# Build dependencies, only what is missing.
install_deps() {
	local pkgs=(build-essential flex bison bc libelf-dev libssl-dev xz-utils zstd perl
		    debian-archive-keyring) missing=() p
	for p in "${pkgs[@]}"; do
		dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
	done
	[ ${#missing[@]} -eq 0 ] && return
	say "installing: ${missing[*]}"
	$sudo apt-get update -qq
	DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends \
		"${missing[@]}" >/dev/null
}
install_deps

# The source tree, $build/linux-source-7.3, of version $srcver.
mkdir -p "$build"
src=$build/linux-source-7.3 obj=$build/obj
if [ "$(cat "$build/source-version" 2>/dev/null)" != "$srcver" ] || [ ! -f "$src/Makefile" ]; then
	rm -rf "$src" "$obj" "$build/source-version" "$build"/tmp.*
	tmp=$(mktemp -d "$build/tmp.XXXXXX")
	# apt-get download writes to the current directory; _apt must be able to.
	chmod 0777 "$tmp"
	say "downloading linux-source-7.3 $srcver"
	(cd "$tmp" && apt-get "${apt_opts[@]}" download -q "linux-source-7.3=$srcver" >&2) ||
		die "apt-get download linux-source-7.3=$srcver failed"
	say "unpacking usr/src/linux-source-7.3.tar.xz"
	dpkg-deb --fsys-tarfile "$tmp"/linux-source-7.3_*.deb |
		tar -xOf - ./usr/src/linux-source-7.3.tar.xz | tar -xJf - -C "$tmp"
	[ -f "$tmp/linux-source-7.3/Makefile" ] || die "the package has no linux-source-7.3.tar.xz"
	mv "$tmp/linux-source-7.3" "$src"
	rm -rf "$tmp"
	echo "$srcver" >"$build/source-version"
fi
kver=$(make -s -C "$src" kernelversion)
grep -q "^# Linux/x86 $kver Kernel Configuration" "$base" ||
	die "$base is not a $kver configuration ($(sed -n 3p "$base"))"

# The configuration: Debian's, then the fragment.
mkdir -p "$obj"
cfg=$obj/.config
mksyms=$(find "$src/mm" -name 'Kconfig*' -exec cat {} + |
	awk '$1 == "config" || $1 == "menuconfig" { print $2 }' | sort -u)
# =m: n, but y for what mm/ defines.
MKSYMS=$mksyms awk '
	BEGIN { n = split(ENVIRON["MKSYMS"], a, "\n"); for (i = 1; i <= n; i++) keep["CONFIG_" a[i]] = 1 }
	/^CONFIG_[A-Za-z0-9_]+=m$/ { s = substr($0, 1, index($0, "=") - 1)
		print (s in keep) ? s "=y" : "# " s " is not set"; next }
	{ print }' "$base" >"$cfg"
args=()
while IFS= read -r line; do
	case "$line" in
	"# CONFIG_"*" is not set") s=${line#\# CONFIG_}; args+=(--disable "${s% is not set}") ;;
	CONFIG_*=\"*) s=${line#CONFIG_}; v=${s#*=}; v=${v#\"}; args+=(--set-str "${s%%=*}" "${v%\"}") ;;
	CONFIG_*=y) s=${line#CONFIG_}; args+=(--enable "${s%=y}") ;;
	esac
done <<<"$fragment"
"$src/scripts/config" --file "$cfg" "${args[@]}"
make -s -C "$src" O="$obj" olddefconfig >/dev/null

# Every option mm/ defines as in Debian's configuration (=m read as =y), but GUP_TEST.
value() { # FILE SYMBOL
	local v
	v=$(grep -E "^CONFIG_$2=" "$1" | cut -d= -f2-) || true
	[ "$v" != m ] || v=y
	echo "${v:-n}"
}
bad=0
for s in $mksyms; do
	a=$(value "$base" "$s") b=$(value "$cfg" "$s")
	[ "$a" = "$b" ] && continue
	say "mm option changed: CONFIG_$s=$a (Debian) -> $b"
	[ "$s" = GUP_TEST ] || bad=1
done
[ "$bad" -eq 0 ] || die "an option of mm/ changed: see above (the fragment or the toolchain did it)"
# What the fragment asks must hold (a choice, say, keeps its old member when two are y).
while IFS= read -r line; do
	case "$line" in
	CONFIG_*=\"\") ;; # (absent when what it depends on is off, as SYSTEM_REVOCATION_KEYS is)
	CONFIG_*) grep -qxF "$line" "$cfg" || die "$line did not hold after olddefconfig" ;;
	"# CONFIG_"*) s=${line#\# }; s=${s% is not set}
		! grep -q "^$s=" "$cfg" || die "$s is set after olddefconfig" ;;
	esac
done <<<"$fragment"

# The build; KBUILD_BUILD_* so that two builds of one source and configuration match.
say "building $kver-mmsim-gup in $obj (make -j$jobs bzImage)"
start=$(date +%s)
export KBUILD_BUILD_USER=mmsim KBUILD_BUILD_HOST=mmsim KBUILD_BUILD_VERSION=1
KBUILD_BUILD_TIMESTAMP=$(date -u -d "@$(stat -c %Y "$src/Makefile")")
export KBUILD_BUILD_TIMESTAMP
nice -n 10 make -s -C "$src" O="$obj" -j"$jobs" bzImage
say "built in $(( ($(date +%s) - start) / 60 )) min"
kr=$(cat "$obj/include/config/kernel.release")
[ "$kr" = "$kver-mmsim-gup" ] || die "the kernel release is $kr, not $kver-mmsim-gup"

mkdir -p "$out"
rm -f "$out/stamp"
cp "$obj/arch/x86/boot/bzImage" "$out/vmlinuz.part"
cp "$cfg" "$out/config"
mv "$out/vmlinuz.part" "$out/vmlinuz"
printf '%s\n' "$stamp" >"$out/stamp"
echo "$out/vmlinuz"
