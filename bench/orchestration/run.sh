#!/usr/bin/env bash
# Orchestration benchmark (issue 4, "Benchmark"): per-trial overhead of a sweep on an embedded silo
# against the same trials through `sweep train`, and 1 silo x 1 slot against 2 silos x 1 slot (Redis).
# Usage: [EPOCHS=1] [LIMIT=60000] bench/orchestration/run.sh [ROUNDS] [TRIALS] > bench/results/orchestration-overhead.txt
# Trials do identical work whatever their seed: cost 0 and theta learning rate 0 (nothing is pruned).
# EPOCHS x LIMIT training examples per trial: long enough that a trial is seconds, as real trials are minutes.
set -euo pipefail
ROUNDS=${1:-3}
K=${2:-4}
EPOCHS=${EPOCHS:-1}
LIMIT=${LIMIT:-60000}
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
SILO_DLL=$ROOT/src/Silo/bin/Release/net10.0/Sweep.Silo.dll
[ -f "$SILO_DLL" ] || SILO_DLL=$(ls "$ROOT"/src/Silo/bin/Release/net10.0/*Silo.dll | head -1)
CLIENT=$ROOT/src/Client/bin/Release/net10.0/sweep
WORK=$(mktemp -d /tmp/sweep-orch.XXXXXX)
OPTS=(--arch lenet300-100 --epochs "$EPOCHS" --train-limit "$LIMIT" --estimator multilinear --cost 0 --lr-theta 0 --threads 1)
PIDS=()
cleanup() { for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done; }
trap cleanup EXIT

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'; }
now() { date +%s.%N; }
wait_port() { for _ in $(seq 1 300); do (exec 3<>/dev/tcp/127.0.0.1/"$1") 2>/dev/null && return 0; sleep 0.2; done; echo "port $1 never opened" >&2; return 1; }

spec() { # name
  cat > "$WORK/$1.yaml" <<YAML
name: $1
architecture: lenet300-100
dataset: mnist
epochs: $EPOCHS
batch-size: 100
options: { train-limit: $LIMIT, estimator: multilinear, cost: 0, lr-theta: 0 }
grids:
  identical: { seed: [$(seq -s ', ' 1 "$K")] }
YAML
  echo "$WORK/$1.yaml"
}

start_silo() { # name mode extra-env... ; sets GW (gateway port) and records the pid (no subshell, so cleanup sees it)
  local name=$1 mode=$2; shift 2
  local sp gp pp; sp=$(free_port); gp=$(free_port); pp=$(free_port)
  env DOTNET_ENVIRONMENT=Production Sweep__Mode="$mode" Sweep__ClusterId="$CLUSTER" Sweep__ServiceId="$CLUSTER" \
      Sweep__TrialRunner__Slots=1 Sweep__TrialRunner__ThreadsPerTrial=1 \
      Sweep__Endpoints__SiloPort="$sp" Sweep__Endpoints__GatewayPort="$gp" Telemetry__Prometheus__Port="$pp" \
      "$@" dotnet "$SILO_DLL" > "$WORK/$name.log" 2>&1 &
  PIDS+=($!)
  wait_port "$gp"
  GW=$gp
}

sweep_once() { # gateway name -> prints seconds launch-to-done and the sum of the trials' training seconds
  local gw=$1 name=$2 t0 t1 id
  t0=$(now)
  # --wait polls every RefreshInterval (2 s for people); 100 ms here so the poll does not pose as overhead.
  Sweep__Client__RefreshInterval=00:00:00.100 SWEEP_CLUSTER_ID=$CLUSTER SWEEP_SERVICE_ID=$CLUSTER "$CLIENT" launch "$(spec "$name")" --wait --gateway "127.0.0.1:$gw" --id "$name" > "$WORK/$name.out" 2>&1
  t1=$(now)
  SWEEP_CLUSTER_ID=$CLUSTER SWEEP_SERVICE_ID=$CLUSTER "$CLIENT" results "$name" --format csv --gateway "127.0.0.1:$gw" > "$WORK/$name.csv"
  local train; train=$(python3 -c "import csv,sys; r=list(csv.DictReader(open('$WORK/$name.csv'))); print(sum(float(x['wall_seconds']) for x in r))")
  echo "$(echo "$t1 - $t0" | bc) $train"
}

train_once() { # k sequential `sweep train` processes -> seconds and sum of training seconds
  local t0 t1 sum=0 s
  t0=$(now)
  for i in $(seq 1 "$K"); do
    s=$("$CLIENT" train "${OPTS[@]}" --seed "$i" --json 2>/dev/null | python3 -c "import json,sys; print(json.loads(sys.stdin.read().strip().splitlines()[-1])['wall_seconds'])")
    sum=$(echo "$sum + $s" | bc)
  done
  t1=$(now)
  echo "$(echo "$t1 - $t0" | bc) $sum"
}

echo "# orchestration benchmark $(date -u +%FT%TZ), $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg), rounds $ROUNDS, trials $K"
echo "# options: ${OPTS[*]}"
"$CLIENT" train "${OPTS[@]}" --epochs 1 --train-limit 500 --json > /dev/null 2>&1 || true   # warm caches

echo "## embedded silo (1 slot) vs sweep train"
CLUSTER=bench-$$-emb
start_silo embedded Embedded Sweep__Embedded__StateDirectory="$WORK/state"
sweep_once "$GW" warmup-$$ > /dev/null
for r in $(seq 1 "$ROUNDS"); do
  if (( r % 2 )); then a=$(sweep_once "$GW" emb-$$-$r); b=$(train_once); else b=$(train_once); a=$(sweep_once "$GW" emb-$$-$r); fi
  echo "round $r sweep_wall_s sweep_train_sum_s train_wall_s train_train_sum_s: $a $b"
done
kill "${PIDS[-1]}"; wait "${PIDS[-1]}" 2>/dev/null || true

echo "## cluster: 1 silo x 1 slot vs 2 silos x 1 slot (Redis)"
RPORT=$(free_port)
redis-server --port "$RPORT" --bind 127.0.0.1 --save '' --appendonly no > "$WORK/redis.log" 2>&1 &
PIDS+=($!)
wait_port "$RPORT"
for r in $(seq 1 "$ROUNDS"); do
  for n in 1 2; do
    CLUSTER=bench-$$-c$r-$n
    GWS=()
    for s in $(seq 1 "$n"); do start_silo "c$r-$n-$s" Cluster Sweep__Redis__ConnectionString="127.0.0.1:$RPORT"; GWS+=("$GW"); done
    # Warm-up as for the embedded silo: one small trial per silo (data loaded, code jitted), not timed.
    K_SAVED=$K LIMIT_SAVED=$LIMIT; K=$n LIMIT=1000
    sweep_once "${GWS[0]}" clw-$$-$r-$n > /dev/null
    K=$K_SAVED LIMIT=$LIMIT_SAVED
    res=$(sweep_once "${GWS[0]}" cl-$$-$r-$n)
    echo "round $r silos $n sweep_wall_s sweep_train_sum_s: $res"
    for s in $(seq 1 "$n"); do kill "${PIDS[-$s]}" 2>/dev/null || true; done
    sleep 1
  done
done
echo "# load at end $(cut -d' ' -f1-3 /proc/loadavg); logs in $WORK"
