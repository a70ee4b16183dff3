"""Replays the Go trainer's first steps in PyTorch (train/pytorch_test.go).

Usage: pytorch_steps.py ARCH WEIGHTS STEPS BATCH LATENT [OBJECTIVE K]

Builds bench/pytorch_vae.py's model (ARCH mlp or conv), loads WEIGHTS (the Go
model's initial weights, safetensors), and reads from STEPS, one step after
the other (a .npy array, a row a step), BATCH images of 784 pixels and their
BATCH·K × LATENT noise (an image's K codes in a row). Each step is the
reference's: the loss, backward, torch.optim.Adam(lr=1e-3). Prints one loss
per line.

The loss of OBJECTIVE vae (the default) with K = 1 is the bench script's
loss_fn; with K > 1 (MLP only) its reconstruction term is averaged over the K
codes. OBJECTIVE iwae is the importance-weighted bound of Burda et al. (2015),
−Σ log (1/K) Σ p(x, z_k)/q(z_k|x), its densities from torch.distributions.
"""
import math
import os
import sys

import numpy as np
import torch
import torch.nn.functional as F
from torch.distributions import Normal

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "bench"))
import pytorch_vae as ref  # noqa: E402


def k_sample_loss(model, x, eps, k, objective):
    """The MLP's loss with k codes an image."""
    h1 = F.relu(model.fc1(x))
    mu, logvar = model.fc21(h1), model.fc22(h1)
    mu_k, std_k = mu.repeat_interleave(k, 0), torch.exp(0.5 * logvar).repeat_interleave(k, 0)
    z = mu_k + eps * std_k
    logits = model.fc4(F.relu(model.fc3(z)))
    x_k = x.repeat_interleave(k, 0)
    log_px = -F.binary_cross_entropy_with_logits(logits, x_k, reduction="none").sum(1)
    if objective == "vae":
        kl = -0.5 * torch.sum(1 + logvar - mu.pow(2) - logvar.exp())
        return -log_px.sum() / k + kl
    log_q = Normal(mu_k, std_k).log_prob(z).sum(1)
    log_p = Normal(torch.zeros_like(z), torch.ones_like(z)).log_prob(z).sum(1)
    log_w = (log_px + log_p - log_q).view(-1, k)
    return -(torch.logsumexp(log_w, 1) - math.log(k)).sum()


def main():
    arch, weights, steps = sys.argv[1], sys.argv[2], sys.argv[3]
    batch, latent = int(sys.argv[4]), int(sys.argv[5])
    objective = sys.argv[6] if len(sys.argv) > 6 else "vae"
    k = int(sys.argv[7]) if len(sys.argv) > 7 else 1
    torch.set_num_threads(1)
    model = ref.ConvVAE() if arch == "conv" else ref.VAE()
    model.load_state_dict(ref.load_safetensors(weights), strict=True)
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    data = np.load(steps)
    for row in data:
        x = torch.from_numpy(row[:batch * 784].reshape(batch, 784).copy())
        eps = torch.from_numpy(row[batch * 784:].reshape(batch * k, latent).copy())
        if objective == "vae" and k == 1:
            logits, mu, logvar = model(x, eps)
            loss = ref.loss_fn(logits, x, mu, logvar)
        else:
            loss = k_sample_loss(model, x, eps, k, objective)
        opt.zero_grad()
        loss.backward()
        opt.step()
        print(f"{loss.item():.9g}")


if __name__ == "__main__":
    main()
