#!/usr/bin/env bash
# mmsim run on bad input: every case ends at once (within a time limit, never
# a hang) with exit status 2 and a Bail out! that names the file, the line and
# what was wrong; none passes vacuously. The cases that the kernel executor
# refuses before it starts (the address window) are run there too, when this
# machine can (root, KSM), and must give the same message.
#   bad-input.sh MMSIM
set -u
mmsim=$1
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cd "$tmp" || exit 1
fail=0 n=0
W="0x100000000000"
OUT="address outside [0x100000000000, 0x400000000000), the window scenarios run in"

# check NAME STATUS WANT FILE [kernel]: mmsim run FILE exits STATUS within 60 s
# and prints WANT; with "kernel", mmsim run --kernel prints it too.
check() {
	local name=$1 want_status=$2 want=$3 file=$4 kernel=${5:-} st
	n=$((n + 1))
	timeout 60 "$mmsim" run "$file" >out 2>err
	st=$?
	if [ $st != "$want_status" ] || ! grep -qF -- "$want" out err; then
		echo "not ok $n - $name: exit $st (wanted $want_status), output:"
		sed 's/^/#   /' out err | cut -c1-300 | head -5
		echo "#   wanted: $want"
		fail=1
		return
	fi
	echo "ok $n - $name"
	[ "$kernel" = kernel ] || return
	n=$((n + 1))
	if [ "$(id -u)" != 0 ] || [ ! -d /sys/kernel/mm/ksm ]; then
		echo "ok $n - $name on the kernel executor # SKIP needs root and KSM"
		return
	fi
	timeout 60 "$mmsim" run --kernel "$file" >out 2>err
	st=$?
	if [ $st != 2 ] || ! grep -qF -- "$want" out err; then
		echo "not ok $n - $name on the kernel executor: exit $st, output:"
		sed 's/^/#   /' out err | head -5
		fail=1
	else
		echo "ok $n - $name on the kernel executor"
	fi
}

# case NAME STATUS WANT CONTENT [kernel]: CONTENT (printf %b) as a file.
case_() {
	local name=$1 st=$2 want=$3 content=$4
	printf '%b' "$content" >"$name.mms"
	check "$name" "$st" "$want" "$name.mms" "${5:-}"
}

# Files that are no scenario.
mkdir dir.mms
check directory 2 "Bail out! dir.mms: cannot read: Is a directory" dir.mms
check missing 2 "Bail out! missing.mms: cannot open: No such file or directory" missing.mms
: >unreadable.mms; chmod 000 unreadable.mms
if [ "$(id -u)" != 0 ]; then
	check unreadable 2 "Bail out! unreadable.mms: cannot open: Permission denied" unreadable.mms
fi
head -c $((16 * 1024 * 1024 + 1)) /dev/zero | tr '\0' '#' >huge-file.mms
check huge-file 2 "Bail out! huge-file.mms: larger than 16777216 bytes" huge-file.mms
case_ nul-byte 2 "Bail out! nul-byte.mms:2: a NUL byte, but scenarios are text" 'proc A\nmmap A\0 0x1000\n'
# CRLF line ends are accepted: the same scenario as with LF.
case_ crlf 0 "ok 1 - crlf.mms:3 expect present A $W == no" \
	"proc A\r\nmmap A $W 4K\r\nexpect present A $W == no\r\n"
long=$(head -c 1000000 /dev/zero | tr '\0' x)
case_ long-line 2 "Bail out! long-line.mms:2: mmap: expected protection (rw, r or none), got 'xxxx" \
	"proc A\nmmap A $W 4K $long\n"
case_ long-name 2 "Bail out! long-name.mms:1: proc: expected a process name ([A-Za-z_][A-Za-z0-9_]*, at most 47 characters)" \
	"proc ${long:0:100}\n"
case_ many-words 2 "Bail out! many-words.mms:1: too many words on one line (at most 16)" \
	"proc A B C D E F G H I J K L M N O P Q\n"

# Commands, numbers and ranges.
case_ unknown-command 2 "Bail out! unknown-command.mms:2: unknown command 'frobnicate' (expected kernel" \
	'proc A\nfrobnicate A\n'
case_ unknown-process 2 "Bail out! unknown-process.mms:2: no process B (create it with proc or fork)" \
	"proc A\nmmap B $W 4K\n"
case_ exited-process 2 "Bail out! exited-process.mms:3: no process A (create it with proc or fork)" \
	"proc A\nexit A\nmmap A $W 4K\n"
case_ process-twice 2 "Bail out! process-twice.mms:2: process A exists already" 'proc A\nproc A\n'
case_ missing-length 2 "Bail out! missing-length.mms:2: mmap takes P ADDR LEN [rw|r|none] [noreserve]" \
	"proc A\nmmap A $W\n"
case_ not-a-number 2 "Bail out! not-a-number.mms:2: mmap: expected LEN (a number such as 4096, 0x1000 or 64K), got '4Q'" \
	"proc A\nmmap A $W 4Q\n"
case_ overflow 2 "Bail out! overflow.mms:2: mmap: LEN '99999999999999999999999' is too large (at most 2^63 - 1)" \
	"proc A\nmmap A $W 99999999999999999999999\n"
case_ overflow-suffix 2 "Bail out! overflow-suffix.mms:2: mmap: LEN '17179869184G' is too large (at most 2^63 - 1)" \
	"proc A\nmmap A $W 17179869184G\n"
case_ overflow-expect 2 "Bail out! overflow-expect.mms:2: expect: expected a number within +-(2^63 - 1), got '99999999999999999999'" \
	'proc A\nexpect ksm.pages_shared == 99999999999999999999\n'
case_ unaligned-address 2 "Bail out! unaligned-address.mms:2: mmap: ADDR 0x100000000001 is not a multiple of 4096" \
	'proc A\nmmap A 0x100000000001 4K\n'
case_ unaligned-length 2 "Bail out! unaligned-length.mms:2: mmap: LEN 0x1001 is not a multiple of 4096" \
	"proc A\nmmap A $W 4097\n"
case_ wrapping-range 2 "Bail out! wrapping-range.mms:2: mmap: ADDR '0xfffffffffffff000' is too large (at most 2^63 - 1)" \
	'proc A\nmmap A 0xfffffffffffff000 8K\n'
# mmap of length 0 fails with EINVAL, as mmap(2) does.
case_ zero-length 2 "Bail out! zero-length.mms:2: mmap A $W 0 failed: EINVAL" "proc A\nmmap A $W 0\n"

# The address window, alike on both executors.
case_ mmap-at-0x1000 2 "Bail out! mmap-at-0x1000.mms: line 2: mmap A 0x1000 4K: $OUT" \
	'proc A\nmmap A 0x1000 4K\n' kernel
case_ mmap-at-0 2 "Bail out! mmap-at-0.mms: line 2: mmap A 0x0 4K: $OUT" 'proc A\nmmap A 0x0 4K\n' kernel
case_ mremap-to-0x1000 2 "Bail out! mremap-to-0x1000.mms: line 3: mremap A $W 4K 0x1000: $OUT" \
	"proc A\nmmap A $W 4K\nmremap A $W 4K 0x1000\n" kernel
case_ across-window-end 2 "Bail out! across-window-end.mms: line 2: mmap A 0x3fffffffe000 16K: $OUT" \
	'proc A\nmmap A 0x3fffffffe000 16K\n' kernel
case_ beyond-task-size 2 "Bail out! beyond-task-size.mms: line 2: mmap A 0x800000000000 4K: $OUT" \
	'proc A\nmmap A 0x800000000000 4K\n' kernel
case_ query-outside 2 "Bail out! query-outside.mms: line 2: expect present A 0x1000 == no: $OUT" \
	'proc A\nexpect present A 0x1000 == no\n' kernel

# Huge sizes: a write larger than the simulated memory bails before it
# starts; one that fits alone runs out at once; both say how much is needed.
case_ write-2G 2 "Bail out! write-2G.mms:3: write A $W 2G byte=1: needs 2048 MiB of memory, more than the simulated machine's 1024 MiB; give it more with \`memory SIZE\` before the first proc, or mmsim run --memory SIZE (SIZE more than 2048 MiB)" \
	"proc A\nmmap A $W 2G\nwrite A $W 2G byte=1\n"
case_ write-64G 2 "Bail out! write-64G.mms:3: write A $W 64G byte=1: needs 65536 MiB of memory, more than the simulated machine's 1024 MiB" \
	"proc A\nmmap A $W 64G\nwrite A $W 64G byte=1\n"
case_ write-1G-twice 2 "Bail out! write-1G-twice.mms:5: write B $W 1G byte=2: out of simulated memory: all but 0 of its 1024 MiB are in use, and the command needed" \
	"proc A\nmmap A $W 1G\nwrite A $W 768M byte=1\nfork A B\nwrite B $W 1G byte=2\n"
case_ memory-16M 2 "Bail out! memory-16M.mms:4: write A $W 32M unique: needs 32 MiB of memory, more than the simulated machine's 16 MiB" \
	"memory 16M\nproc A\nmmap A $W 32M\nwrite A $W 32M unique\n"
# Reading 1 GiB maps the zero page: no memory needed, done at once.
case_ read-1G 0 "1..1" "proc A\nmmap A $W 1G\nread A $W 1G\nexpect smaps A Rss == 0\n"
case_ read-unmapped 2 "Bail out! read-unmapped.mms:2: read A $W 4K failed: EFAULT" "proc A\nread A $W 4K\n"

# expect errno: the call is parsed as a command; its errno is the answer.
case_ errno-no-call 2 "Bail out! errno-no-call.mms:2: expect errno: missing the call" \
	'proc A\nexpect errno == EINVAL\n'
case_ errno-not-a-call 2 "Bail out! errno-not-a-call.mms:2: expect errno: 'write' is not a call that can fail" \
	"proc A\nexpect errno write A $W 4K byte=1 == EFAULT\n"
case_ errno-bad-name 2 "Bail out! errno-bad-name.mms:3: expect errno: expected an errno name (such as EINVAL or ENOMEM) or 0, got 'EWHAT'" \
	"proc A\nmmap A $W 4K\nexpect errno munmap A $W 4K == EWHAT\n"
case_ errno-less-than 2 "Bail out! errno-less-than.mms:2: expect errno: takes == or !=, got '<'" \
	"proc A\nexpect errno munmap A $W 4K < EINVAL\n"
case_ errno-bad-call 2 "Bail out! errno-bad-call.mms:2: madvise: expected ADVICE" \
	"proc A\nexpect errno madvise A $W 4K sideways == EINVAL\n"
case_ errno-probe 2 "Bail out! errno-probe.mms:2: probe: errno comes with expect only" \
	"proc A\nprobe errno munmap A $W 4K\n"
case_ errno-outside 2 "Bail out! errno-outside.mms: line 2: expect errno mmap A 0x1000 4K == 0: $OUT" \
	'proc A\nexpect errno mmap A 0x1000 4K == 0\n' kernel
# Pins and pipes (cow.c's GUP rows): the words, and reads of what was never read.
case_ pin-mode 2 "Bail out! pin-mode.mms:2: pin: expected pin mode (ro or rw), got 'rx'" \
	"proc A\npin A $W 4K rx\n"
case_ pin-fast 2 "Bail out! pin-fast.mms:2: pin: expected fast after ro|rw, got 'slow'" \
	"proc A\npin A $W 4K ro slow\n"
case_ pipe-unread 2 "Bail out! pipe-unread.mms:2: pipe_byte: A has read no pipe (pipe_read A first)" \
	"proc A\nexpect pipe_byte A 0 == 1\n"
case_ pipe-past 2 "Bail out! pipe-past.mms:5: pipe_byte: offset 4096 is past the 4096 bytes pipe_read A read" \
	"proc A\nmmap A $W 4K\nvmsplice A $W 4K\npipe_read A\nexpect pipe_byte A 4096 == 0\n"
case_ pipe-none 2 "Bail out! pipe-none.mms:2: pipe_read A failed: EBADF: pid 1 has no pipe (vmsplice makes one)" \
	"proc A\npipe_read A\n"
case_ pin-hole 2 "Bail out! pin-hole.mms:3: pin A $W 8K rw failed: EFAULT: get_user_pages: no VMA at 0x100000001000" \
	"proc A\nmmap A $W 4K\npin A $W 8K rw\n"
case_ numa-count 2 "Bail out! numa-count.mms:1: numa: expected 1 to 8 nodes, got 9" \
	"numa 9\nproc A\n"
case_ move-pages-all 2 "Bail out! move-pages-all.mms:2: move_pages: expected all (MPOL_MF_MOVE_ALL) after NODE, got 'any'" \
	"proc A\nmove_pages A $W 1 any\n"
case_ numa-late 2 "Bail out! numa-late.mms:2: numa must come before the first proc" \
	"proc A\nnuma 2\n"
case_ swap-small 2 "Bail out! swap-small.mms:1: swap: expected SIZE, a multiple of 4096 of at least 40K (such as 64M), got '36K'" \
	"swap 36K\nproc A\n"
case_ swap-late 2 "Bail out! swap-late.mms:2: swap must come before the first proc" \
	"proc A\nswap 64M\n"
case_ clear-refs-type 2 "Bail out! clear-refs-type.mms:2: clear_refs: TYPE is 1 (all), 2 (anon), 3 (mapped) or 4 (soft-dirty), got 5" \
	"proc A\nclear_refs A 5\n"
# A failure that is not the call's own still bails out: no such process.
case_ errno-no-proc 2 "Bail out! errno-no-proc.mms:2: no process B (create it with proc or fork)" \
	"proc A\nexpect errno munmap B $W 4K == EINVAL\n"
case_ errno-wrong 1 "not ok 1 - errno-wrong.mms:3 expect errno madvise A $W 4K populate_write == 0 # got EINVAL" \
	"proc A\nmmap A $W 4K r\nexpect errno madvise A $W 4K populate_write == 0\n"

# --json of an expect errno: valid JSON, the errno as a number with its name.
n=$((n + 1))
printf 'proc A\nmmap A %s 4K r\nexpect errno madvise A %s 4K populate_write == EINVAL\n' "$W" "$W" \
	>errno-json.mms
if ! command -v python3 >/dev/null; then
	echo "ok $n - errno-json # SKIP no python3 to parse the JSON"
elif "$mmsim" run --json errno-json.mms | python3 -c 'import json, sys
r = json.load(sys.stdin)[0]["results"][0]
assert (r["value"], r["errno"], r["expected"], r["status"]) == (22, "EINVAL", 22, "ok"), r'; then
	echo "ok $n - errno-json"
else
	echo "not ok $n - errno-json: mmsim run --json is not the JSON wanted"
	fail=1
fi

echo "1..$n"
exit $fail
