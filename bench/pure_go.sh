#!/usr/bin/env bash
# The pure-Go training epoch against OpenBLAS's, taking turns round by round:
# `govae train -config configs/mnist.yaml -epochs EPOCHS` with
#
#   openblas    GOVAE_BLAS=openblas (the kernels internal/blas/openblas tells it)
#   go          GOVAE_BLAS=go: internal/blas/gemm's widest kernel for this CPU
#   go-avx2     GOVAE_BLAS=go GOVAE_GEMM=avx2: its AVX2 kernel, as a CPU
#               without AVX-512 runs it (the same sums)
#
# Prints the median seconds of an epoch's training steps of each (over rounds
# and epochs) and each pure-Go one's ratio to OpenBLAS's.
#
# Usage: bash bench/pure_go.sh [ROUNDS] [EPOCHS]   (default 3 rounds of 2 epochs)
set -euo pipefail
cd "$(dirname "$0")/.."
rounds=${1:-3}
epochs=${2:-2}
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
go build -o "$out/govae" ./cmd/govae
results="$out/results" # lines: run seconds

run() { # label, then environment assignments
  local label=$1
  shift
  rm -rf "$out/run"
  env "$@" "$out/govae" train -config configs/mnist.yaml -epochs "$epochs" -out "$out/run" -log json 2>"$out/log" ||
    { cat "$out/log"; exit 1; }
  grep -m1 '"matrix products"' "$out/log" | sed -E 's/.*"blas":"([^"]*)".*/\1/' >"$out/blas_$label"
  grep '"epoch done"' "$out/log" | sed -E "s/.*\"seconds\":([0-9.]+).*/$label \1/" >>"$results"
}

echo "$rounds rounds × $epochs epochs; $(date -u +%Y-%m-%dT%H:%MZ); $(lscpu | sed -n 's/^Model name: *//p'), $(nproc) CPUs"
for r in $(seq "$rounds"); do
  run openblas GOVAE_BLAS=openblas
  run go GOVAE_BLAS=go
  run go-avx2 GOVAE_BLAS=go GOVAE_GEMM=avx2
done
for l in openblas go go-avx2; do echo "$l: $(cat "$out/blas_$l")"; done
/usr/bin/python3 - "$results" <<'PY'
import sys
sys.path.insert(0, "bench")
from results import read
v, m = read(sys.argv[1])
print("| | s/epoch (median) | ÷ OpenBLAS |")
print("|---|---:|---:|")
for k in ["openblas", "go", "go-avx2"]:
    print(f"| {k} | {m[k]:.2f} | {m[k]/m['openblas']:.2f}× |")
PY
