#!/usr/bin/env bash
# mmsim run of several files prints one TAP subtest a file (kselftest's
# nesting): the plan of files first, each file's lines indented under
# "# Subtest:", its own plan, and its verdict in the parent; exit 1 when a
# file failed. One file alone keeps the flat form.
set -u
mmsim=$1
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cd "$tmp"
printf 'proc A\nmmap A 0x100000000000 8K rw\nwrite A 0x100000000000 4K byte=1\nexpect smaps A Rss == 4\n' >pass.mms
printf 'proc A\nmmap A 0x100000000000 8K rw\nexpect smaps A Rss == 4\n' >fail.mms
printf 'proc A\nmmap A 0x100000000000 8K rw\nprobe smaps A Rss\n' >probe.mms
"$mmsim" run pass.mms fail.mms probe.mms >out 2>err
status=$?
cat >want <<'EOT'
TAP version 13
1..3
# Subtest: pass.mms
    ok 1 - pass.mms:4 expect smaps A Rss == 4
    1..1
ok 1 - pass.mms
# Subtest: fail.mms
    not ok 1 - fail.mms:3 expect smaps A Rss == 4 # got 0
    1..1
not ok 2 - fail.mms
# Subtest: probe.mms
    # probe.mms:3 probe smaps A Rss = 0
    1..0 # SKIP no expect in this file: only probes
ok 3 - probe.mms # SKIP only probes
EOT
fail=0
if [ "$status" != 1 ] || ! diff -u want out; then
	echo "not ok 1 - three files: exit $status (wanted 1), output above" >&2
	fail=1
fi
"$mmsim" run pass.mms >out1 2>&1
if [ "$(cat out1)" != "$(printf 'TAP version 13\nok 1 - pass.mms:4 expect smaps A Rss == 4\n1..1')" ]; then
	echo "not ok 2 - one file is not flat:" >&2
	cat out1 >&2
	fail=1
fi
exit $fail
