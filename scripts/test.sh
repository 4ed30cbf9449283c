#!/usr/bin/env bash
# The whole test suite, as CI runs it: a warning-free release build with
# every test, then the same tests under AddressSanitizer and UBSan.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/deps.sh
# The era tests boot Linux 6.1 and 6.12 under qemu; without qemu or the
# images they skip (saying why), so getting them is worth a try, not a must.
if ! { scripts/deps.sh --era && scripts/fetch-kernels.sh >/dev/null; }; then
	echo "test.sh: no qemu or kernel images: the era tests will be skipped" >&2
fi
# Without Chromium the test of mmsim explain's page skips, saying so.
scripts/deps.sh --browser || echo "test.sh: no chromium: the browser test will be skipped" >&2
# The sweep engines' tests start a single-node Slurm and an sshd on localhost,
# from packages whose services a normal Debian starts when they are installed:
# so they are installed in CI (CI=true) or when asked (MMSIM_TEST_CLUSTERS=1).
# Without them those tests skip, saying why.
if [ -n "${CI:-}${MMSIM_TEST_CLUSTERS:-}" ] && ! scripts/deps.sh --clusters; then
	echo "test.sh: no Slurm, munge or sshd: the sweep/slurm and sweep/ssh tests will be skipped" >&2
fi
jobs=$(nproc)

cmake -S . -B build/ci -DMMSIM_WERROR=ON -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build build/ci -j"$jobs"
ctest --test-dir build/ci --output-on-failure -j"$jobs"
build/ci/examples/thp_fork >/dev/null
if [ -x build/ci/bench/mmsim-bench-core ]; then
	build/ci/bench/mmsim-bench-core --quick
fi

# Each fuzz target on the same inputs every time (scripts/fuzz.sh --ci: a
# fixed seed and count, about a minute each): a finding fails CI; without
# clang's libFuzzer it says so and is skipped. Campaigns that look for new
# findings are scripts/fuzz.sh HOURS.
fuzz_status=0
scripts/fuzz.sh --ci || fuzz_status=$?
[ "$fuzz_status" = 0 ] || [ "$fuzz_status" = 77 ] || exit "$fuzz_status"

cmake -S . -B build/sanitize -DMMSIM_SANITIZE=ON -DMMSIM_WERROR=ON -DMMSIM_BUILD_BENCH=OFF \
	-DCMAKE_BUILD_TYPE=Debug >/dev/null
cmake --build build/sanitize -j"$jobs"
# The kernel and era tests run once, above: under ASan the scenario window
# (0x100000000000...) lies inside ASan's shadow memory, so the kernel
# executor's processes could not map it. The soak runs once, above too; the
# property tests it repeats run here. The scheme runs (every scenario under
# each mapcount scheme) run once, above: here each scheme's code runs in its
# property test, and the scenarios run under the default scheme. Of cow.c's
# GUP rows (scripts/gen-cow-gup-scenarios.py) the base-page and PMD-THP runs
# do: the mTHP runs repeat the same code for eight sizes each, 72 files that
# cost a minute and a half under ASan; they run above.
ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
	ctest --test-dir build/sanitize --output-on-failure -j"$jobs" -LE "kernel|era|soak|scheme" \
	-E 'scenario/selftest-cow-(vmsplice|iouring|ro)-.*-(pte-mapped|single-pte-of|partial-mremap|partial-shared)-thp'
