"""Replays the Go trainer's first steps in PyTorch (train/pytorch_test.go).

Usage: pytorch_steps.py ARCH WEIGHTS STEPS BATCH LATENT

Builds bench/pytorch_vae.py's model (ARCH mlp or conv), loads WEIGHTS (the Go
model's initial weights, safetensors), and reads from STEPS, one step after
the other (a .npy array, a row a step), BATCH images of 784 pixels and their
BATCH × LATENT noise. Each step is the reference's: the loss of the bench script's
loss_fn, backward, torch.optim.Adam(lr=1e-3). Prints one loss per line.
"""
import os
import sys

import numpy as np
import torch

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "bench"))
import pytorch_vae as ref  # noqa: E402


def main():
    arch, weights, steps = sys.argv[1], sys.argv[2], sys.argv[3]
    batch, latent = int(sys.argv[4]), int(sys.argv[5])
    torch.set_num_threads(1)
    model = ref.ConvVAE() if arch == "conv" else ref.VAE()
    model.load_state_dict(ref.load_safetensors(weights), strict=True)
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    data = np.load(steps)
    for row in data:
        x = torch.from_numpy(row[:batch * 784].reshape(batch, 784).copy())
        eps = torch.from_numpy(row[batch * 784:].reshape(batch, latent).copy())
        logits, mu, logvar = model(x, eps)
        loss = ref.loss_fn(logits, x, mu, logvar)
        opt.zero_grad()
        loss.backward()
        opt.step()
        print(f"{loss.item():.9g}")


if __name__ == "__main__":
    main()
