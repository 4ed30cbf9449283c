#!/usr/bin/env bash
# mmsim draw, mmsim explain and `show dot` refuse bad input with a clear
# message and exit status 2, and write nothing.
set -u
mmsim=$1 dir=$2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail=0
f="$dir/fork-thp-child-write.mms"
# expect_error "what the message must say" mmsim ARGS...
expect_error() {
	local want=$1
	shift
	"$@" >"$tmp/out" 2>"$tmp/err"
	local st=$?
	if [ $st != 2 ] || ! grep -qF -- "$want" "$tmp/err" "$tmp/out"; then
		echo "not ok: $* -> exit $st, wanted 2 and '$want'; got: $(cat "$tmp/err" "$tmp/out" | head -3)"
		fail=1
	else
		echo "ok: $*"
	fi
}
expect_error "usage: mmsim draw" "$mmsim" draw "$f"
expect_error "--view takes process, folio, anon_vma or ksm, got 'pages'" "$mmsim" draw "$f" --view pages
expect_error "--format takes dot, svg or png, got 'gif'" "$mmsim" draw "$f" --view process --format gif
expect_error "--after takes a line number, got 'x'" "$mmsim" draw "$f" --view process --after x
expect_error "fork-thp-child-write.mms:2: no command on that line (the commands are on lines 3 to 25)" \
	"$mmsim" draw "$f" --view process --after 2
expect_error "the folio view needs --proc P and --addr ADDR" "$mmsim" draw "$f" --view folio --proc P
expect_error "no process Q in the scenario" "$mmsim" draw "$f" --view process --proc Q
expect_error "no process C (create it with proc or fork)" "$mmsim" draw "$f" --view process --proc C --after 6
expect_error "draw: nothing is mapped at 0x100000200000 in pid 1" \
	"$mmsim" draw "$f" --view folio --proc P --addr 0x100000200000
expect_error "cannot write $tmp/no/such/dir.dot" "$mmsim" draw "$f" --view ksm -o "$tmp/no/such/dir.dot"
expect_error "no-such.mms" "$mmsim" draw "$tmp/no-such.mms" --view ksm
expect_error "usage: mmsim explain" "$mmsim" explain "$f"
expect_error "not the output of mmsim run --kernel --json" "$mmsim" explain "$f" -o "$tmp/p.html" --kernel-json "$f"
printf 'proc P\nshow dot folio P out.dot\n' >"$tmp/a.mms"
expect_error "a.mms:2: show takes 'show dot process|anon_vma [P] FILE', 'show dot folio P ADDR FILE' or 'show dot ksm FILE'" \
	"$mmsim" run "$tmp/a.mms"
printf 'proc P\nshow dot pages P out.dot\n' >"$tmp/b.mms"
expect_error "b.mms:2: show: expected VIEW (process, folio, anon_vma, ksm), got 'pages'" "$mmsim" run "$tmp/b.mms"
printf 'proc P\nshow dot process %s/no/such/x.dot\n' "$tmp" >"$tmp/c.mms"
expect_error "show dot: cannot write $tmp/no/such/x.dot: No such file or directory" "$mmsim" run "$tmp/c.mms"
printf 'proc P\nmmap P 0x100000000000 4K\nshow dot folio P 0x100000000000 %s/x.dot\n' "$tmp" >"$tmp/d.mms"
expect_error "d.mms:3: draw: nothing is mapped at 0x100000000000 in pid 1" "$mmsim" run "$tmp/d.mms"
[ ! -e "$tmp/x.dot" ] || { echo "not ok: a failed show dot left $tmp/x.dot"; fail=1; }
exit $fail
