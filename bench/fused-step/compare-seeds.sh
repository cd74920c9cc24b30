#!/usr/bin/env bash
# LeNet-300-100 with the default options (40 epochs, `exact`), full MNIST, one thread, for a few seeds at two
# revisions, interleaved per seed: the same widths and error band before and after a change to the training step.
# Usage: bench/fused-step/compare-seeds.sh BEFORE_REV AFTER_REV [SEEDS...]   (default seeds 0 1 2)
# EXTRA: more `sweep train` options for both (e.g. EXTRA="--epochs 1 --train-limit 1000" for a smoke test).
# Needs the dataset in ${DATA:-~/.cache/sweep/datasets/mnist} (`sweep data fetch`). About 1-2 minutes per trial on an idle machine.
set -euo pipefail
before=${1:?before revision}; after=${2:?after revision}; shift 2
seeds=("$@"); [ ${#seeds[@]} -eq 0 ] && seeds=(0 1 2)
data=${DATA:-$HOME/.cache/sweep/datasets/mnist}
repo=$(git rev-parse --show-toplevel)
work=${WORK:-$(mktemp -d /tmp/sweep-seeds.XXXXXX)}   # WORK: reuse the checkouts and builds of an earlier call
for rev in "$before" "$after"; do
  if [ ! -d "$work/$rev" ]; then
    git -C "$repo" worktree add --detach "$work/$rev" "$rev" >/dev/null
    dotnet build "$work/$rev/src/Client/Client.csproj" -c Release -m:1 -v q -nologo >/dev/null
  fi
done
printf '%-6s %-12s %-10s %-10s %-8s %s\n' seed revision widths 'error_%' wall_s flops_fraction
for seed in "${seeds[@]}"; do
  for rev in "$before" "$after"; do
    out="$work/$rev-seed$seed.json"
    (cd "$work/$rev" && dotnet run --project src/Client -c Release --no-build -- train --data "$data" --seed "$seed" --threads 1 ${EXTRA:-} --json > "$out") || true   # a failed trial is a row too
    python3 - "$out" "$seed" "$rev" <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))
if r.get("status") != "completed":
    print(f"{sys.argv[2]:<6} {sys.argv[3][:12]:<12} {r.get('status')}: {r.get('reason')} ({r.get('message')})")
    sys.exit(0)
print(f"{sys.argv[2]:<6} {sys.argv[3][:12]:<12} {'-'.join(map(str, r['final_widths'])):<10} {100 * r['test_error']:<10.2f} {r.get('wall_seconds', float('nan')):<8.1f} {r['flops_fraction']:.3f}")
PY
  done
done
echo "results: $work (remove the worktrees with: git -C $repo worktree remove --force $work/REV)"
