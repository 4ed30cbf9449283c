#!/usr/bin/env bash
# The captures of docs/experiments/mapcount-whatif.md and thp-whatif.md:
# three real programs (python3, perl, node), each started, left S seconds
# to settle, captured with its children (mmsim capture), then killed with
# its whole process group.
#   capture-workloads.sh MMSIM OUTDIR [--thp]
# --thp (root): under the project's lock (/run/mmsim-kernel.lock) for the
# whole run, THP "always" at 2M and 64K while the programs run, so that they
# get large folios; every setting is restored on exit, also on errors and
# signals, and every program has exited before the lock is released.
set -u
mmsim=$1 out=$2 thp=${3:-}
settle=${MMSIM_SETTLE_S:-6}
mkdir -p "$out" || exit 2
T=/sys/kernel/mm/transparent_hugepage

if [ "$thp" = --thp ] && [ -z "${MMSIM_LOCKED:-}" ]; then
	MMSIM_LOCKED=1 exec flock /run/mmsim-kernel.lock "$0" "$@"
fi

saved=()
restore() {
	for s in "${saved[@]}"; do
		printf '%s\n' "${s#*=}" >"${s%%=*}" 2>/dev/null
	done
	saved=()
}
set_thp() {	# FILE VALUE: remember the current value, set the new one
	local cur
	cur=$(sed -n 's/.*\[\(.*\)\].*/\1/p' "$1")
	saved+=("$1=$cur")
	printf '%s\n' "$2" >"$1"
}
leader=""
kill_group() {	# and wait until every process of it is gone
	[ -n "$leader" ] && kill -TERM -- "-$leader" 2>/dev/null
	while [ -n "$leader" ] && pgrep -g "$leader" >/dev/null 2>&1; do sleep 0.2; done
	leader=""
}
cleanup() {
	kill_group
	restore
}
trap 'cleanup; exit 130' INT TERM
trap cleanup EXIT

if [ "$thp" = --thp ]; then
	set_thp $T/enabled always
	set_thp $T/hugepages-64kB/enabled always
fi

# capture NAME COMMAND...: one workload in its own process group.
capture() {
	local name=$1 rc
	shift
	"$mmsim" capture -o "$out/$name.cap" --children --after "$settle" --leave-running \
		-- "$@" 2>"$out/$name.err"
	rc=$?
	# The program leads a process group of its own, its children in it.
	leader=$(sed -n 's/^mmsim capture: \([0-9]*\) (.*) left running.*/\1/p' "$out/$name.err")
	cat "$out/$name.err" >&2
	kill_group
	[ $rc = 0 ] || { echo "capture of $name failed" >&2; exit 2; }
}

capture python3 python3 -c '
import json, decimal, email, http.client, xml.dom.minidom, os, time
data = [{"k": i, "v": str(i) * 8} for i in range(150000)]
for n in range(2):
    if os.fork() == 0:
        for d in data[n::7]:
            d["v"] = d["v"] + "x"
        time.sleep(600)
        os._exit(0)
time.sleep(600)'
capture perl perl -MPOSIX -MData::Dumper -MStorable -MEncode -MList::Util -e '
my %h = map { $_ => ("v$_" x 4) } 1 .. 200000;
for my $n (1 .. 2) {
	if (!fork) { $h{$_} .= "x" for grep { $_ % 7 == $n } keys %h; sleep 600; exit }
}
sleep 600'
capture node node -e '
require("http"); require("zlib");
const a = [];
for (let i = 0; i < 300000; i++) a.push({ k: i, v: String(i).repeat(4) });
const b = Buffer.alloc(32 << 20, 1);
setTimeout(() => {}, 600000)'
