#!/usr/bin/env bash
# `govae sample -n 10000 -out x.npy` against its floor, taking turns round by
# round so that a slow spell of a shared machine falls on all of them:
#
#   command     wall seconds of the command for 10,000 samples less its
#               start-up (the same command for 1 sample, run right after): the
#               median of the rounds' differences
#   streaming   the same work in process: sample.WriteSamples
#   floor       the in-process decode of 10,000 codes at once (sample's
#               BenchmarkDecode) plus the time to write the same .npy file whole
#               from memory (BenchmarkWriteFile), each measured alone
#
# The model is the 10-epoch MNIST model's shape (784-400-20), weights drawn
# at random: speed does not depend on them.
#
# Usage: bash bench/sample_file.sh [ROUNDS]   (default 15)
set -euo pipefail
cd "$(dirname "$0")/.."
rounds=${1:-15}
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
go build -o "$out/govae" ./cmd/govae
go test -c -o "$out/sample.test" ./sample >/dev/null
"$out/govae" train -config configs/mnist.yaml -epochs 1 -out "$out/run" -log json 2>/dev/null >/dev/null ||
  { echo "training the model to sample from failed" >&2; exit 1; }
ck="$out/run/checkpoint.ckpt"
results="$out/results" # lines: name value

wall() { # label, then the command
  local label=$1
  shift
  local t0 t1
  t0=$(date +%s.%N)
  "$@" >/dev/null 2>&1
  t1=$(date +%s.%N)
  echo "$label $(echo "$t1 - $t0" | bc -l)" >>"$results"
}

echo "$rounds rounds; $(date -u +%Y-%m-%dT%H:%MZ); $(lscpu | sed -n 's/^Model name: *//p'), $(nproc) CPUs"
for r in $(seq "$rounds"); do
  wall cmd_10000 "$out/govae" sample -checkpoint "$ck" -n 10000 -out "$out/x.npy"
  wall cmd_1 "$out/govae" sample -checkpoint "$ck" -n 1 -out "$out/y.npy"
  (cd sample && "$out/sample.test" -test.run '^$' -test.bench 'SamplesToFile|Decode|WriteFile' -test.benchtime 5x) |
    awk '/^BenchmarkSamplesToFile/ {print "streaming", $3/1e9} /^BenchmarkDecode/ {print "decode", $3/1e9}
         /^BenchmarkWriteFile/ {print "write", $3/1e9}' >>"$results"
done

/usr/bin/python3 - "$results" <<'PY'
import statistics, sys
sys.path.insert(0, "bench")
from results import read
v, m = read(sys.argv[1])
m["floor"] = m["decode"] + m["write"]
cmd = statistics.median(a - b for a, b in zip(v["cmd_10000"], v["cmd_1"]))
print("| | seconds (median) | ÷ floor |")
print("|---|---:|---:|")
print(f"| govae sample -n 10000 -out x.npy ({m['cmd_10000']:.3f}), less start-up (-n 1: {m['cmd_1']:.3f}) | {cmd:.3f} | {cmd/m['floor']:.2f}× |")
print(f"| sample.WriteSamples, in process | {m['streaming']:.3f} | {m['streaming']/m['floor']:.2f}× |")
print(f"| floor: decode 10,000 codes at once ({m['decode']:.3f}) + write the file from memory ({m['write']:.3f}) | {m['floor']:.3f} | 1.00× |")
PY
