#!/usr/bin/env bash
# The `trial` section of Sweep.Bench (docs/PERFORMANCE.md): one study trial per architecture against its
# FLOP limit, two side by side, and the PyTorch peer's dense epoch. Installs the peer's runtime (Debian's
# python3-torch, with OpenBLAS: the reference BLAS it otherwise links makes it several times slower) when
# missing; the tests never need it. Arguments go to the section, e.g. a quick look:
#   bench/trial/run.sh --trial-epochs 1 --trial-limit 10000 --trial-peer lenet300-100 --trial-peer-epochs 1
# The full section (under an hour on an idle 2-core machine, most of it LeNet-5-Caffe) writes bench/results/study-trial-cost.json:
#   bench/trial/run.sh --out bench/results/study-trial-cost.json
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
cd "$root"
if ! /usr/bin/python3 -c 'import torch' 2>/dev/null || [ ! -e /usr/lib/x86_64-linux-gnu/openblas-pthread/libblas.so.3 ]; then
  sudo=""; [ "$(id -u)" = 0 ] || sudo="sudo"
  $sudo apt-get update -q
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -q --no-install-recommends python3-torch python3-numpy libopenblas0-pthread
fi
peer="${PEER_SCRIPT:-$root/../shared/bench/pytorch_peer.py}"
dotnet build bench/Sweep.Bench -c Release -m:1 -v q -nologo
exec bench/Sweep.Bench/bin/Release/net10.0/Sweep.Bench trial --peer-script "$peer" --python /usr/bin/python3 "$@"
