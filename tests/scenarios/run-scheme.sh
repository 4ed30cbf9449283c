#!/usr/bin/env bash
# Runs every scenario on the simulator under one folio mapcount scheme with
# the invariant checker on. Expects may fail (a scheme answers as a kernel of
# its kind would); a Bail out! (a broken invariant, a crash) may not.
set -u
mmsim=$1 scheme=$2 dir=$3
bad=0 failed=0 n=0
for f in "$dir"/*.mms; do
	n=$((n + 1))
	out=$("$mmsim" run --verify=call --scheme "$scheme" "$f" 2>&1)
	case $? in
	0) ;;
	1) failed=$((failed + 1)) ;;
	*) bad=$((bad + 1)); echo "$out" | grep -m1 "Bail out" ;;
	esac
done
echo "scheme $scheme: $n scenarios, $failed with expects that differ from Linux 6.18, $bad bailed out"
[ "$bad" -eq 0 ]
