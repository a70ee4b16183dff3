#!/usr/bin/env bash
# One process and `mpirun -np 2` side by side on this machine, taking turns
# round by round so that a slow spell of a shared machine falls on both:
#
#   training    seconds of an epoch's training steps of configs/mnist.yaml,
#               median over rounds and epochs, and the last epoch's test loss
#   NLL         importance-sampled NLL at K = 5000 on the first IMAGES test
#               images, images/s: one process on one CPU (taskset), one on
#               all CPUs, and 2 ranks
#   allreduce   one step's sum of the 652,827 gradient and loss values
#               between 2 ranks, over shared memory and over TCP: the floor
#               of what 2 ranks add to a step
#
# Usage: bash bench/mpi.sh [ROUNDS] [EPOCHS] [IMAGES]   (default 2 2 100)
# Needs Open MPI (apt-get install openmpi-bin).
set -euo pipefail
cd "$(dirname "$0")/.."
rounds=${1:-2}
epochs=${2:-2}
images=${3:-100}
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
go build -o "$out/govae" ./cmd/govae
go test -c -o "$out/mpi.test" ./internal/mpi >/dev/null
mpirun=(mpirun --oversubscribe -np 2)
[ "$(id -u)" = 0 ] && mpirun+=(--allow-run-as-root)
results="$out/results" # lines: name value

training() { # label, then the command before its flags
  local label=$1
  shift
  rm -rf "$out/run"
  "$@" train -config configs/mnist.yaml -epochs "$epochs" -out "$out/run" -log json 2>"$out/log" ||
    { cat "$out/log"; exit 1; }
  tail -n +2 "$out/run/metrics.csv" | awk -F, -v l="$label" '{print l"_epoch", $4} END {print l"_test_loss", $3}' >>"$results"
  cp "$out/run/checkpoint.ckpt" "$out/$label.ckpt"
}

nll() { # label, then the command before its flags
  local label=$1
  shift
  "$@" eval -checkpoint "$out/one.ckpt" -k 5000 -n "$images" 2>/dev/null |
    /usr/bin/python3 -c 'import json,sys; d=json.load(sys.stdin); print(sys.argv[1]+"_nll_rate", d["n"]/d["seconds"]); print(sys.argv[1]+"_nll", d["nll"])' "$label" >>"$results"
}

allreduce() { # label, transport
  "${mpirun[@]}" --mca btl "$2" "$out/mpi.test" -test.run '^$' -test.bench SumFloat32 -test.benchtime 2000x |
    awk -v l="$1" '/^BenchmarkSumFloat32/ {for (i = 1; i < NF; i++) if ($(i+1) == "ns/op") {print l"_allreduce_ms", $i/1e6; exit}}' >>"$results"
}

echo "$rounds rounds × $epochs epochs, NLL on $images images; $(date -u +%Y-%m-%dT%H:%MZ); $(lscpu | sed -n 's/^Model name: *//p'), $(nproc) CPUs; $(mpirun --version | head -1)"
for r in $(seq "$rounds"); do
  training one "$out/govae"
  training ranks2 "${mpirun[@]}" "$out/govae"
  nll one_cpu taskset -c 0 "$out/govae"
  nll one "$out/govae"
  nll ranks2 "${mpirun[@]}" "$out/govae"
  allreduce shm self,vader
  allreduce tcp self,tcp
done

/usr/bin/python3 - "$results" <<'PY'
import sys
sys.path.insert(0, "bench")
from results import read
v, m = read(sys.argv[1])
print(f"| | one process | mpirun -np 2 | ratio |")
print(f"|---|---:|---:|---:|")
print(f"| training, s/epoch (median) | {m['one_epoch']:.2f} | {m['ranks2_epoch']:.2f} | {m['ranks2_epoch']/m['one_epoch']:.2f}× |")
print(f"| last epoch's test loss (last round) | {v['one_test_loss'][-1]:.3f} | {v['ranks2_test_loss'][-1]:.3f} | Δ {abs(v['one_test_loss'][-1]-v['ranks2_test_loss'][-1]):.3f} |")
print(f"| NLL K=5000, images/s, one process on 1 CPU | {m['one_cpu_nll_rate']:.1f} | {m['ranks2_nll_rate']:.1f} | {m['ranks2_nll_rate']/m['one_cpu_nll_rate']:.2f}× |")
print(f"| NLL K=5000, images/s, one process on all CPUs | {m['one_nll_rate']:.1f} | {m['ranks2_nll_rate']:.1f} | {m['ranks2_nll_rate']/m['one_nll_rate']:.2f}× |")
print(f"| NLL (last round) | {v['one_nll'][-1]:.4f} | {v['ranks2_nll'][-1]:.4f} | |")
print(f"| allreduce of one step, ms: shared memory | | {m['shm_allreduce_ms']:.2f} | |")
print(f"| allreduce of one step, ms: TCP | | {m['tcp_allreduce_ms']:.2f} | |")
PY
