#!/usr/bin/env bash
# A single-node Slurm cluster on this machine, for tests: munged, slurmctld
# and slurmd, each started in the foreground in the background of this shell
# from a generated slurm.conf in a temporary directory, on loopback ports.
# Source it, then: cluster_start DIR (0, or 77 with the reason on stderr),
# export SLURM_CONF, ..., cluster_stop (kills exactly the daemons it started;
# cluster_start installs it as the EXIT trap too).
cluster_pids=()

cluster_stop() {
	local p
	for p in "${cluster_pids[@]}"; do
		kill "$p" 2>/dev/null || true
	done
	for p in "${cluster_pids[@]}"; do
		# up to 10 s each, then for good
		for _ in $(seq 50); do kill -0 "$p" 2>/dev/null || break; sleep 0.2; done
		kill -KILL "$p" 2>/dev/null || true
		wait "$p" 2>/dev/null || true
	done
	cluster_pids=()
}

cluster_skip() {
	echo "SKIP: $*" >&2
	[ -n "${CLUSTER_DIR:-}" ] && for f in "$CLUSTER_DIR"/*.log; do
		[ -s "$f" ] && { echo "--- $f" >&2; tail -n 15 "$f" >&2; }
	done
	cluster_stop
	return 77
}

cluster_start() {
	CLUSTER_DIR=$1
	local d=$1 host port cpus
	for t in munged slurmctld slurmd sbatch sinfo; do
		command -v "$t" >/dev/null ||
			{ cluster_skip "no $t (Debian: munge slurmctld slurmd slurm-client; scripts/deps.sh --slurm)"; return 77; }
	done
	[ "$(id -u)" -eq 0 ] || { cluster_skip "Slurm's daemons need root here"; return 77; }
	trap cluster_stop EXIT
	mkdir -p "$d/state" "$d/spool" "$d/munge"
	chmod 700 "$d/munge"
	head -c 1024 /dev/urandom >"$d/munge/munge.key"
	chmod 400 "$d/munge/munge.key"
	munged -F -f --socket="$d/munge/socket" --key-file="$d/munge/munge.key" \
		--pid-file="$d/munge/munged.pid" --log-file="$d/munged.log" \
		--seed-file="$d/munge/seed" >/dev/null 2>&1 &
	cluster_pids+=($!)
	for _ in $(seq 50); do [ -S "$d/munge/socket" ] && break; sleep 0.1; done
	[ -S "$d/munge/socket" ] || { cluster_skip "munged did not start"; return 77; }

	host=$(hostname)
	cpus=$(nproc)
	# Ports from the pid, so two runs at once do not meet.
	port=$((20000 + ($$ % 5000) * 2))
	cat >"$d/slurm.conf" <<CONF
ClusterName=mmsimtest
SlurmctldHost=$host(127.0.0.1)
SlurmctldPort=$port
SlurmdPort=$((port + 1))
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
CredType=cred/munge
AuthInfo=socket=$d/munge/socket
StateSaveLocation=$d/state
SlurmdSpoolDir=$d/spool
SlurmctldPidFile=$d/slurmctld.pid
SlurmdPidFile=$d/slurmd.pid
SlurmctldLogFile=$d/slurmctld.log
SlurmdLogFile=$d/slurmd.log
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
SchedulerType=sched/backfill
SelectType=select/cons_tres
SelectTypeParameters=CR_Core
MpiDefault=none
ReturnToService=2
SlurmctldTimeout=30
SlurmdTimeout=30
MinJobAge=30
NodeName=mmsimnode NodeAddr=127.0.0.1 NodeHostname=$host CPUs=$cpus State=UNKNOWN
PartitionName=test Nodes=mmsimnode Default=YES MaxTime=INFINITE State=UP
CONF
	export SLURM_CONF="$d/slurm.conf"
	slurmctld -D -i -f "$d/slurm.conf" >"$d/slurmctld.out" 2>&1 &
	cluster_pids+=($!)
	slurmd -D -N mmsimnode -f "$d/slurm.conf" >"$d/slurmd.out" 2>&1 &
	cluster_pids+=($!)
	for _ in $(seq 60); do
		[ "$(sinfo -h -o %T 2>/dev/null)" = idle ] && return 0
		sleep 0.5
	done
	cluster_skip "Slurm did not come up in 30 s (sinfo: $(sinfo -h -o %T 2>&1))"
}
