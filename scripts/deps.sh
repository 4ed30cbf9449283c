#!/usr/bin/env bash
# Installs what mmsim needs on Debian 12 (bookworm), only what is missing.
# With --era, what the era tests need too: qemu and a static busybox, to boot
# Debian's 6.1 and 6.12 kernels (scripts/fetch-kernels.sh fetches those).
# With --browser, Chromium, for the test of mmsim explain's page.
# Graphviz lays out mmsim draw's pictures (its tests skip without dot).
# With --clusters, what the sweep engines' tests start on localhost: a
# single-node Slurm (munge, slurmctld, slurmd, the clients) and an sshd.
# mmsim sweep: libinih (the grid is INI), cJSON (jobs' results), SQLite
# (results.sqlite; sqlite3 for the tests), GNU parallel (the local and
# parallel-ssh engines) and gnuplot (sweep plot). python3, perl and nodejs
# are the real programs the KSM what-if is checked on (tests/kernel/ksm-whatif.sh).
set -euo pipefail
# clang and libclang-rt-14-dev: the libFuzzer targets of tests/fuzz (scripts/fuzz.sh).
pkgs=(build-essential cmake pkg-config libcmocka-dev libjemalloc-dev uthash-dev libxxhash-dev liburing-dev
      graphviz fonts-dejavu-core
      libinih-dev libcjson-dev libsqlite3-dev sqlite3 parallel gnuplot-nox
      python3 perl nodejs
      clang libclang-rt-14-dev)
[ "${1:-}" != --era ] || pkgs=(qemu-system-x86 busybox-static)
[ "${1:-}" != --browser ] || pkgs=(chromium)
[ "${1:-}" != --clusters ] || pkgs=(munge slurmctld slurmd slurm-client openssh-server)
missing=()
for p in "${pkgs[@]}"; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0
sudo=""
[ "$(id -u)" -eq 0 ] || sudo="sudo"
echo "installing: ${missing[*]}" >&2
$sudo apt-get update -qq
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${missing[@]}" >/dev/null
