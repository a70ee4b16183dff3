"""The reference for evaluation speed: PyTorch's importance-sampled NLL
(K codes of an image decoded 1,000 at a time, logits only, log-sum-exp) and
its decoding of 10,000 codes, on weights exported by cmd/export.

    python3 bench/pytorch_eval.py WEIGHTS.safetensors --data DIR --k 5000 --n 100

Prints "nll IMAGES_PER_S NLL ELBO" and "decode SECONDS" (median of 10).
With --binarize it scores the binarised test set pytorch_vae.py draws.
"""
import argparse
import gzip
import json
import math
import os
import struct
import time

import numpy as np
import torch
import torch.nn.functional as F

from pytorch_vae import VAE


def load_weights(path):
    data = open(path, "rb").read()
    n = struct.unpack("<Q", data[:8])[0]
    header = {k: v for k, v in json.loads(data[8:8 + n]).items() if k != "__metadata__"}
    return {k: torch.from_numpy(np.frombuffer(data[8 + n + v["data_offsets"][0]:8 + n + v["data_offsets"][1]], "<f4")
                                .reshape(v["shape"]).copy()) for k, v in header.items()}


def test_images(folder, n, binarize=False):
    name = os.path.join(folder, "t10k-images-idx3-ubyte.gz")
    with gzip.open(name, "rb") as f:
        data = f.read()
    x = torch.from_numpy(np.frombuffer(data, dtype=np.uint8, offset=16).reshape(-1, 784).astype(np.float32) / 255)
    if binarize:  # the test set pytorch_vae.py --binarize dynamic draws
        x = torch.bernoulli(x, generator=torch.Generator().manual_seed(2015))
    return x[:n]


@torch.no_grad()
def nll(model, x, k, chunk=1000):
    total_nll = total_elbo = 0.0
    for i in range(len(x)):
        xi = x[i:i + 1]
        h1 = F.relu(model.fc1(xi))
        mu, logvar = model.fc21(h1), model.fc22(h1)
        std = torch.exp(0.5 * logvar)
        logw, recon = [], 0.0
        for done in range(0, k, chunk):
            m = min(chunk, k - done)
            eps = torch.randn(m, mu.shape[1])
            z = mu + std * eps
            logits = model.fc4(F.relu(model.fc3(z)))
            logpx = -F.binary_cross_entropy_with_logits(logits, xi.expand(m, -1), reduction="none").sum(1)
            logw.append(logpx - 0.5 * (z.pow(2) - eps.pow(2) - logvar).sum(1))
            recon -= logpx.sum().item()
        kl = -0.5 * torch.sum(1 + logvar - mu.pow(2) - logvar.exp()).item()
        total_nll -= (torch.logsumexp(torch.cat(logw), 0) - math.log(k)).item()
        total_elbo += recon / k + kl
    return total_nll / len(x), total_elbo / len(x)


@torch.no_grad()
def decode_seconds(model, n=10000, repeats=10):
    z = torch.randn(n, 20)
    times = []
    for _ in range(repeats):
        t = time.perf_counter()
        torch.sigmoid(model.fc4(F.relu(model.fc3(z))))
        times.append(time.perf_counter() - t)
    return sorted(times)[len(times) // 2]


def main():
    p = argparse.ArgumentParser()
    p.add_argument("weights")
    p.add_argument("--data", required=True)
    p.add_argument("--k", type=int, default=5000)
    p.add_argument("--n", type=int, default=100)
    p.add_argument("--threads", type=int, default=2)
    p.add_argument("--binarize", action="store_true", help="score PyTorch's own binarised test set")
    a = p.parse_args()
    torch.set_num_threads(a.threads)
    torch.manual_seed(1)
    model = VAE()
    model.load_state_dict(load_weights(a.weights), strict=True)
    model.eval()
    x = test_images(a.data, a.n, a.binarize)
    t = time.perf_counter()
    value, elbo = nll(model, x, a.k)
    print("nll %.3f %.4f %.4f" % (a.n / (time.perf_counter() - t), value, elbo))
    print("decode %.4f" % decode_seconds(model))


if __name__ == "__main__":
    main()
