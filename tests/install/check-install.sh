#!/usr/bin/env bash
# The installed package under a prefix of our choosing: headers, libraries,
# mmsim(1), a .pc file that names that prefix (not the configured one), and a
# program built against it alone, through pkg-config (shared and --static)
# and through CMake's find_package(mmsim).
#   check-install.sh BUILD_DIR SOURCE_DIR
set -u
build=$1 src=$2
fail() { echo "FAIL: $*" >&2; exit 1; }
command -v pkg-config >/dev/null || { echo "SKIP: no pkg-config" >&2; exit 77; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
prefix=$tmp/prefix
cmake --install "$build" --prefix "$prefix" >"$tmp/install.log" 2>&1 ||
	{ cat "$tmp/install.log"; fail "cmake --install failed"; }
pc=$(find "$prefix" -name mmsim.pc | head -1)
[ -n "$pc" ] || fail "no mmsim.pc installed"
[ -f "$prefix/include/mmsim/mmsim.h" ] && [ -f "$prefix/include/mmsim/version.h" ] ||
	fail "headers missing"
[ -n "$(find "$prefix" -path '*man1/mmsim.1')" ] || fail "mmsim(1) missing"
export PKG_CONFIG_PATH=$(dirname "$pc")
flags=$(pkg-config --cflags --libs mmsim) || fail "pkg-config --cflags --libs mmsim"
echo "pkg-config: $flags"
case "$flags" in *"$prefix"*) ;; *) fail "pkg-config names no path under $prefix: $flags" ;; esac
case "$flags" in */usr/local*) fail "pkg-config still names /usr/local: $flags" ;; esac

cat >"$tmp/use.c" <<'PROG'
#include <stdio.h>
#include <string.h>
#include <mmsim/mmsim.h>

int main(void)
{
	struct mmsim_config cfg = { .nr_frames = 4096 };
	struct mmsim *sim;
	int pid;

	if (strcmp(mmsim_version(), MMSIM_VERSION_STRING))
		return 3;
	if (mmsim_create(&cfg, &sim) || mmsim_proc_create(sim, &pid) ||
	    mmsim_mmap(sim, pid, 0x100000000000UL, 4096, MMSIM_PROT_READ | MMSIM_PROT_WRITE))
		return 1;
	if (mmsim_fill(sim, pid, 0x100000000000UL, 4096, 7))
		return 2;
	mmsim_destroy(sim);
	printf("ok %s\n", mmsim_version());
	return 0;
}
PROG
# shellcheck disable=SC2086
cc -o "$tmp/use-shared" "$tmp/use.c" $(pkg-config --cflags --libs mmsim) \
	-Wl,-rpath,"$(pkg-config --variable=libdir mmsim)" || fail "build against the .pc (shared)"
"$tmp/use-shared" || fail "the shared program failed"
# jemalloc is mmsim's own programs' allocator, not the embedding program's.
case "$(pkg-config --static --libs mmsim)" in *jemalloc*) fail "the .pc imposes jemalloc" ;; esac
if command -v ldd >/dev/null && ldd "$tmp/use-shared" | grep -q jemalloc; then
	fail "a program built against the library links jemalloc"
fi
# A static link needs nothing by hand, where this libc links statically at all.
echo 'int main(void) { return 0; }' >"$tmp/empty.c"
if cc -static -o "$tmp/empty" "$tmp/empty.c" 2>/dev/null; then
	# shellcheck disable=SC2086
	cc -static -o "$tmp/use-static" "$tmp/use.c" $(pkg-config --static --cflags --libs mmsim) \
		2>"$tmp/static.log" || { cat "$tmp/static.log"; fail "static link through the .pc"; }
	"$tmp/use-static" || fail "the static program failed"
else
	echo "# no static libc here: the static link is not tried"
fi

mkdir -p "$tmp/cm"
cp "$tmp/use.c" "$tmp/cm/use.c"
cat >"$tmp/cm/CMakeLists.txt" <<'CM'
cmake_minimum_required(VERSION 3.25)
project(use C)
find_package(mmsim REQUIRED)
add_executable(use use.c)
target_link_libraries(use PRIVATE mmsim::shared)
CM
cmake -S "$tmp/cm" -B "$tmp/cm/build" -DCMAKE_PREFIX_PATH="$prefix" >"$tmp/cm.log" 2>&1 &&
	cmake --build "$tmp/cm/build" >>"$tmp/cm.log" 2>&1 || { cat "$tmp/cm.log"; fail "find_package(mmsim)"; }
LD_LIBRARY_PATH=$(pkg-config --variable=libdir mmsim) "$tmp/cm/build/use" || fail "the CMake program failed"
LD_LIBRARY_PATH=$(pkg-config --variable=libdir mmsim) ldd "$tmp/cm/build/use" | grep -q jemalloc &&
	fail "find_package(mmsim) imposes jemalloc"
"$prefix/bin/mmsim" --version | grep -q "^mmsim " || fail "installed mmsim --version"
echo "install: all checks passed"
