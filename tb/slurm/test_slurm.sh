#!/bin/bash
# itsim sweep --slurm on a real one-node Slurm cluster on localhost: brings
# up munged, slurmctld and slurmd from Debian's packages (munge, slurmctld,
# slurmd, slurm-client; .ci/deps installs them) with a configuration of its
# own in a temporary directory (SLURM_CONF, its own ports and munge socket:
# nothing under /etc is changed, no running daemon is touched), runs a
# 4-point sweep locally and then through the cluster into the same
# directory, and checks that sweep.csv is byte for byte the same.
#   tb/slurm/test_slurm.sh ITSIM SOURCE_DIR
# Needs root (munged and slurmd run as root here). Exit 77 (skipped) when
# not root; any other failure says which step failed. The daemons this
# script started are stopped on exit, whatever happens.
set -u
itsim=${1:?usage: test_slurm.sh ITSIM SOURCE_DIR}
src=${2:?usage: test_slurm.sh ITSIM SOURCE_DIR}
step_timeout=90   # seconds for any one step; CTest's TIMEOUT bounds the whole

fail() { echo "test_slurm: FAIL: $*" >&2; exit 1; }

if [ "$(id -u)" != 0 ]; then
    echo "test_slurm: skipped: needs root to start munged and slurmd" >&2
    exit 77
fi
for b in munged slurmctld slurmd sbatch sinfo scontrol; do
    command -v "$b" >/dev/null 2>&1 || PATH=$PATH:/usr/sbin command -v "$b" >/dev/null 2>&1 ||
        fail "$b not found: install munge slurmctld slurmd slurm-client (.ci/deps)"
done
export PATH=$PATH:/usr/sbin

T=$(mktemp -d /tmp/itsim-slurm.XXXXXX) || fail "mktemp"
chmod 755 "$T"
pids=()
cleanup() {
    for p in "${pids[@]}"; do kill "$p" 2>/dev/null; done
    for p in "${pids[@]}"; do
        for _ in $(seq 50); do kill -0 "$p" 2>/dev/null || break; sleep 0.1; done
        kill -9 "$p" 2>/dev/null
    done
    if [ -n "${KEEP:-}" ]; then echo "test_slurm: kept $T" >&2; else rm -rf "$T"; fi
}
trap cleanup EXIT
trap 'exit 1' INT TERM

show_logs() {
    for f in "$T"/munged.log "$T"/slurmctld.log "$T"/slurmd.log; do
        [ -f "$f" ] && { echo "---- $f (last lines)"; tail -n 15 "$f"; }
    done >&2
}

# ---- munge: a key of our own, a socket of our own
mkdir -p "$T/munge" && chmod 700 "$T/munge"
dd if=/dev/urandom of="$T/munge/munge.key" bs=1024 count=1 status=none || fail "cannot write a munge key"
chmod 400 "$T/munge/munge.key"
sock="$T/munge/munge.socket"
munged --force --key-file="$T/munge/munge.key" --socket="$sock" --pid-file="$T/munge/munged.pid" \
       --log-file="$T/munged.log" --seed-file="$T/munge/munged.seed" -F >/dev/null 2>&1 &
pids+=($!)
for _ in $(seq 100); do [ -S "$sock" ] && break; sleep 0.1; done
[ -S "$sock" ] || { show_logs; fail "munged did not start (no socket $sock)"; }

# ---- slurm: a one-node cluster on this host
host=$(hostname -s)
cpus=$(nproc)
mkdir -p "$T/state" "$T/spool"
cat >"$T/slurm.conf" <<CONF
ClusterName=itsimtest
SlurmctldHost=$host(127.0.0.1)
SlurmctldPort=16817
SlurmdPort=16818
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
AuthInfo=socket=$sock
CredType=cred/munge
StateSaveLocation=$T/state
SlurmdSpoolDir=$T/spool
SlurmctldPidFile=$T/slurmctld.pid
SlurmdPidFile=$T/slurmd.pid
SlurmctldLogFile=$T/slurmctld.log
SlurmdLogFile=$T/slurmd.log
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
SchedulerType=sched/builtin
SelectType=select/cons_tres
SelectTypeParameters=CR_Core
MpiDefault=none
ReturnToService=2
SlurmdTimeout=30
InactiveLimit=0
KillWait=5
NodeName=$host NodeAddr=127.0.0.1 CPUs=$cpus State=UNKNOWN
PartitionName=itsim Nodes=$host Default=YES MaxTime=INFINITE State=UP
CONF
export SLURM_CONF="$T/slurm.conf"
slurmctld -D -i -f "$SLURM_CONF" >"$T/slurmctld.out" 2>&1 &
pids+=($!)
slurmd -D -f "$SLURM_CONF" >"$T/slurmd.out" 2>&1 &
pids+=($!)
ready=
for _ in $(seq $((step_timeout * 2))); do
    state=$(sinfo -h -n "$host" -o '%t' 2>/dev/null)
    case "$state" in idle*|mix*|alloc*) ready=1; break ;; esac
    for p in "${pids[@]}"; do kill -0 "$p" 2>/dev/null || { show_logs; fail "a daemon exited during start-up"; }; done
    sleep 0.5
done
[ -n "$ready" ] || { show_logs; fail "the node did not become idle within ${step_timeout}s (state: ${state:-none})"; }
echo "test_slurm: cluster up (node $host, $cpus CPUs)"

# ---- the same 4-point sweep, locally and through Slurm, into one directory
out="$T/sweep"
trace="$src/traces/bringup.its"
args=(sweep "$trace" --grid cpu.ack_latency=20ns,50ns --grid mem.read_latency=50ns,80ns
      --out "$out" --gnuplot '' --progress off)
timeout "$step_timeout" "$itsim" "${args[@]}" -j 2 || fail "the local sweep failed"
cp "$out/sweep.csv" "$T/local.csv"
rm -rf "$out/points" "$out/sweep.csv"
timeout "$step_timeout" "$itsim" "${args[@]}" --slurm --wait ||
    { cat "$out/sbatch.log" >&2 2>/dev/null; show_logs; fail "the sweep through Slurm failed"; }
[ -f "$out/sweep.csv" ] || fail "no sweep.csv after --slurm --wait"
for n in 0001 0002 0003 0004; do
    [ "$(cat "$out/points/$n/exit_status" 2>/dev/null)" = 0 ] || fail "point $n did not run through Slurm"
done
cmp "$T/local.csv" "$out/sweep.csv" || { diff "$T/local.csv" "$out/sweep.csv" >&2; fail "sweep.csv differs"; }
# --collect alone (the way after a --slurm without --wait) gives it again.
cp "$out/sweep.csv" "$T/slurm.csv"
timeout "$step_timeout" "$itsim" "${args[@]}" --collect >/dev/null || fail "--collect failed"
cmp "$T/local.csv" "$out/sweep.csv" || fail "sweep.csv from --collect differs"
# Without --wait: submitted, returns at once with the job ID.
rm -rf "$out/points" "$out/sweep.csv"
msg=$(timeout "$step_timeout" "$itsim" "${args[@]}" --slurm) || fail "--slurm without --wait failed"
case "$msg" in *"submitted Slurm job "[0-9]*) ;; *) fail "unexpected output: $msg" ;; esac
[ ! -f "$out/sweep.csv" ] || fail "--slurm without --wait wrote sweep.csv"
for _ in $(seq $((step_timeout * 2))); do   # let that job end before the daemons stop
    [ -z "$(squeue -h -o %i 2>/dev/null)" ] && break
    sleep 0.5
done
echo "test_slurm: PASS: sweep.csv identical locally and through Slurm ($(wc -l <"$T/local.csv") lines)"
