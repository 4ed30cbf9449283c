#!/usr/bin/env bash
# mmsim sweep --engine parallel-ssh through a real sshd that this test starts
# on 127.0.0.1 (a generated sshd_config, host and user keys in a temporary
# directory) and stops. Two ssh host names, both this machine, stand for a
# group of hosts sharing a filesystem:
# - a 2 scheme x 2 scenario grid: every job ran over ssh (GNU parallel's
#   joblog names the host), both hosts took jobs, every cell's JSON is the
#   direct run's;
# - a job sees the ssh connection (SSH_CONNECTION), hosts given as a file.
# Skipped (77), saying why, without sshd or ssh-keygen, or as non-root.
set -u
mmsim=$1 src=$2
sshd=$(command -v sshd || echo /usr/sbin/sshd)
[ -x "$sshd" ] && command -v ssh-keygen >/dev/null && command -v ssh >/dev/null ||
	{ echo "SKIP: no sshd, ssh or ssh-keygen (Debian: openssh-server; scripts/deps.sh --clusters)"; exit 77; }
command -v parallel >/dev/null || { echo "SKIP: no GNU parallel"; exit 77; }
[ "$(id -u)" -eq 0 ] || { echo "SKIP: the test's sshd runs as root"; exit 77; }
tmp=$(mktemp -d /tmp/mmsim-sweep-ssh.XXXXXX)
sshd_pid=
cleanup() {
	if [ -n "$sshd_pid" ]; then
		kill "$sshd_pid" 2>/dev/null
		wait "$sshd_pid" 2>/dev/null
	fi
	rm -rf "$tmp"
}
trap cleanup EXIT
# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"

port=$((30000 + ($$ % 5000) * 2))
ssh-keygen -q -t ed25519 -N '' -f "$tmp/host_key"
ssh-keygen -q -t ed25519 -N '' -f "$tmp/id"
cp "$tmp/id.pub" "$tmp/authorized_keys"
mkdir -p /run/sshd	# sshd's privilege separation directory
cat >"$tmp/sshd_config" <<EOF
Port $port
ListenAddress 127.0.0.1
HostKey $tmp/host_key
AuthorizedKeysFile $tmp/authorized_keys
PermitRootLogin prohibit-password
PasswordAuthentication no
KbdInteractiveAuthentication no
UsePAM no
StrictModes no
PidFile $tmp/sshd.pid
LogLevel VERBOSE
EOF
cat >"$tmp/ssh_config" <<EOF
Host mmsim-a mmsim-b
	HostName 127.0.0.1
	Port $port
	User $(id -un)
	IdentityFile $tmp/id
	IdentitiesOnly yes
	StrictHostKeyChecking no
	UserKnownHostsFile /dev/null
	BatchMode yes
	LogLevel ERROR
EOF
"$sshd" -D -f "$tmp/sshd_config" -E "$tmp/sshd.log" &
sshd_pid=$!
export PARALLEL_SSH="ssh -F $tmp/ssh_config"
for _ in $(seq 50); do
	$PARALLEL_SSH mmsim-a true 2>/dev/null && break
	sleep 0.2
done
$PARALLEL_SSH mmsim-a true || { echo "SKIP: the test's sshd did not start:"; tail -5 "$tmp/sshd.log"; exit 77; }

mkdir -p "$tmp/grid"
scheme_grid "$tmp/grid/grid.ini" ssh-test
out=$tmp/out
"$mmsim" sweep "$tmp/grid/grid.ini" --engine parallel-ssh --hosts mmsim-a,mmsim-b --jobs 1 \
	--out "$out" >"$tmp/log" 2>&1
status=$?
cat "$tmp/log"
check '[ $status -eq 0 ] && grep -q "4 jobs: 4 ok" "$tmp/log"' "the sweep over ssh exits 0, 4 jobs ok"
hosts=$(awk -F'\t' 'NR > 1 { print $2 }' "$out/parallel.joblog" | sort | uniq -c | awk '{ print $2 }' | xargs)
check '[ "$hosts" = "mmsim-a mmsim-b" ]' "both hosts took jobs (joblog: $hosts)"
check '[ "$(grep -c "Accepted publickey" "$tmp/sshd.log")" -ge 4 ]' "the jobs came in through the test's sshd"
same=$(same_as_direct "$out" 4)
check '[ $same -eq 4 ]' "every cell's JSON is the direct run's ($same of 4)"

cat >"$tmp/grid/where.sh" <<'EOF'
#!/bin/sh
echo "{\"n\": $1, \"ssh\": \"${SSH_CONNECTION:-}\"}"
EOF
chmod +x "$tmp/grid/where.sh"
printf '[sweep]\ncommand = exec ./where.sh {n}\n[params]\nn = 1 2 3\n' >"$tmp/grid/where.ini"
printf 'mmsim-a\nmmsim-b\n' >"$tmp/hosts"
"$mmsim" sweep "$tmp/grid/where.ini" --engine parallel-ssh --hosts "$tmp/hosts" --out "$tmp/where" \
	>"$tmp/log" 2>&1
status=$?
conn=$(awk -F, 'NR > 1 && $NF ~ /^127\.0\.0\.1 [0-9]+ 127\.0\.0\.1 '$port'$/' "$tmp/where/results.csv" | wc -l)
check '[ $status -eq 0 ] && [ "$conn" = 3 ]' "jobs run inside an ssh connection to the hosts of a hosts file ($conn of 3)"

echo "$fails failed"
[ "$fails" -eq 0 ]
