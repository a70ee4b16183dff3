"""An independent judge of samples, for docs/ae-vs-vae.md: a small
convolutional classifier trained with PyTorch on MNIST (not the project's
one-hidden-layer classifier), reading .npy files of samples that
`govae sample -out X.npy` wrote, and printing for each the share read
confidently (p >= 0.9) and the inception-style score exp E KL(p(y|x) || p(y)).

    python3 bench/judge_samples.py --data DIR a.npy b.npy ...

DIR holds MNIST's four IDX .gz files (the GoMNIST module's data folder).
"""
import argparse
import gzip
import os

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F


def read_idx(path):
    with gzip.open(path, "rb") as f:
        data = f.read()
    ndim = data[3]
    dims = [int.from_bytes(data[4 + 4 * i:8 + 4 * i], "big") for i in range(ndim)]
    return np.frombuffer(data, dtype=np.uint8, offset=4 + 4 * ndim).reshape(dims)


class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.c1 = nn.Conv2d(1, 32, 3, padding=1)
        self.c2 = nn.Conv2d(32, 64, 3, padding=1)
        self.fc = nn.Linear(64 * 7 * 7, 128)
        self.out = nn.Linear(128, 10)

    def forward(self, x):
        x = F.max_pool2d(F.relu(self.c1(x.view(-1, 1, 28, 28))), 2)
        x = F.max_pool2d(F.relu(self.c2(x)), 2)
        return self.out(F.relu(self.fc(x.flatten(1))))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--data", required=True)
    ap.add_argument("--epochs", type=int, default=2)
    ap.add_argument("samples", nargs="+")
    a = ap.parse_args()
    torch.manual_seed(1)
    x = torch.from_numpy(read_idx(os.path.join(a.data, "train-images-idx3-ubyte.gz")).astype(np.float32) / 255)
    y = torch.from_numpy(read_idx(os.path.join(a.data, "train-labels-idx1-ubyte.gz")).astype(np.int64))
    tx = torch.from_numpy(read_idx(os.path.join(a.data, "t10k-images-idx3-ubyte.gz")).astype(np.float32) / 255)
    ty = torch.from_numpy(read_idx(os.path.join(a.data, "t10k-labels-idx1-ubyte.gz")).astype(np.int64))
    net = Net()
    opt = torch.optim.Adam(net.parameters(), 1e-3)
    for _ in range(a.epochs):
        for idx in torch.randperm(len(x)).split(128):
            opt.zero_grad()
            F.cross_entropy(net(x[idx]), y[idx]).backward()
            opt.step()
    net.eval()
    with torch.no_grad():
        acc = (net(tx).argmax(1) == ty).float().mean().item()
        print(f"classifier test accuracy {acc:.4f}")
        for path in a.samples:
            p = F.softmax(net(torch.from_numpy(np.load(path).astype(np.float32))), 1).double()
            confident = (p.max(1).values >= 0.9).double().mean().item()
            marginal = p.mean(0, keepdim=True)
            kl = (p * (torch.log(p.clamp_min(1e-300)) - torch.log(marginal))).sum(1).mean().item()
            print(f"{path} confident {confident:.4f} score {np.exp(kl):.3f}")


if __name__ == "__main__":
    main()
