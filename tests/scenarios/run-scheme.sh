#!/usr/bin/env bash
# Runs every scenario on the simulator under one folio mapcount scheme with
# the invariant checker on. Expects may fail (a scheme answers as a kernel of
# its kind would), and so may a call the scheme's answers make the kernel
# refuse (MADV_COLLAPSE's refcount check reads folio_mapcount(): EAGAIN where
# a scheme counts mappings otherwise). A broken invariant (EUCLEAN) or a
# crash may not.
set -u
mmsim=$1 scheme=$2 dir=$3
bad=0 failed=0 refused=0 n=0
for f in "$dir"/*.mms; do
	n=$((n + 1))
	out=$("$mmsim" run --verify=call --scheme "$scheme" "$f" 2>&1)
	status=$?
	bail=$(printf '%s\n' "$out" | grep -m1 "^Bail out")
	case $status in
	0) ;;
	1) failed=$((failed + 1)) ;;
	2)	if printf '%s\n' "$bail" | grep -q 'failed: E[A-Z]*:' &&
		   ! printf '%s\n' "$bail" | grep -q 'EUCLEAN'; then
			refused=$((refused + 1)); echo "refused: $bail"
		else
			bad=$((bad + 1)); echo "$bail"
		fi ;;
	*) bad=$((bad + 1)); echo "$(basename "$f"): exit $status"; printf '%s\n' "$out" | tail -3 ;;
	esac
done
echo "scheme $scheme: $n scenarios, $failed with expects that differ from Linux 6.18," \
	"$refused with a call the scheme makes fail, $bad bailed out"
[ "$bad" -eq 0 ]
