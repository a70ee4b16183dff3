"""PyTorch's side of interop's tests: the example's VAE module (pytorch/examples
vae/main.py), safetensors read and written with a few lines of numpy (Debian has
no safetensors package), and onnx.checker.

    torch_check.py decode WEIGHTS.safetensors CODES.npy OUT.npy [LABELS.npy]
    torch_check.py train FIXTURE_DIR OUT.safetensors LOSSES.npy
    torch_check.py check-onnx MODEL.onnx
"""
import gzip
import json
import os
import struct
import sys

import numpy as np
import torch
import torch.nn.functional as F
from torch import nn


class VAE(nn.Module):
    """The example's module, with its sizes as arguments (and an optional
    label, a second hidden layer each way, tanh for relu)."""

    def __init__(self, inp=784, hidden=400, latent=20, classes=0, layers=1, activation="relu"):
        super().__init__()
        self.classes = classes
        self.act = torch.tanh if activation == "tanh" else F.relu
        self.fc1 = nn.Linear(inp + classes, hidden)
        if layers == 2:
            self.fc1b = nn.Linear(hidden, hidden)
        self.fc21 = nn.Linear(hidden, latent)
        self.fc22 = nn.Linear(hidden, latent)
        self.fc3 = nn.Linear(latent + classes, hidden)
        if layers == 2:
            self.fc3b = nn.Linear(hidden, hidden)
        self.fc4 = nn.Linear(hidden, inp)

    def hidden(self, h, first, second):
        h = self.act(first(h))
        return self.act(second(h)) if second is not None else h

    def encode(self, x, y=None):
        h1 = self.hidden(x if y is None else torch.cat([x, y], 1), self.fc1, getattr(self, "fc1b", None))
        return self.fc21(h1), self.fc22(h1)

    def decode(self, z, y=None):
        h3 = self.hidden(z if y is None else torch.cat([z, y], 1), self.fc3, getattr(self, "fc3b", None))
        return torch.sigmoid(self.fc4(h3))


class TwoLayerVAE(VAE):
    """Burda et al.'s two stochastic layers on top of VAE: q(z2|z1) (fc5,
    fc5b, fc61, fc62) and the prior p(z1|z2) (fc7, fc7b, fc81, fc82); a code
    is z2, decoded through the mean of p(z1|z2)."""

    def __init__(self, inp, hidden, latent, hidden2, latent2, layers=1, activation="relu"):
        super().__init__(inp, hidden, latent, 0, layers, activation)
        self.fc5 = nn.Linear(latent, hidden2)
        if layers == 2:
            self.fc5b = nn.Linear(hidden2, hidden2)
        self.fc61 = nn.Linear(hidden2, latent2)
        self.fc62 = nn.Linear(hidden2, latent2)
        self.fc7 = nn.Linear(latent2, hidden2)
        if layers == 2:
            self.fc7b = nn.Linear(hidden2, hidden2)
        self.fc81 = nn.Linear(hidden2, latent)
        self.fc82 = nn.Linear(hidden2, latent)

    def decode(self, z2, y=None):
        h7 = self.hidden(z2, self.fc7, getattr(self, "fc7b", None))
        return super().decode(self.fc81(h7))


class ConvVAE(VAE):
    """The conv model of configs/mnist-conv.yaml: two strided convolutions
    before fc1, two transposed ones after fc4."""

    def __init__(self, inp=784, hidden=256, latent=20, classes=0, channels=1):
        self.side = int(round((inp // channels) ** 0.5))
        self.channels = channels
        q = self.side // 4
        super().__init__(64 * q * q, hidden, latent, classes)
        self.conv1 = nn.Conv2d(channels, 32, 4, 2, 1)
        self.conv2 = nn.Conv2d(32, 64, 4, 2, 1)
        self.deconv1 = nn.ConvTranspose2d(64, 32, 4, 2, 1)
        self.deconv2 = nn.ConvTranspose2d(32, channels, 4, 2, 1)

    def encode(self, x, y=None):
        h = x.view(-1, self.channels, self.side, self.side)
        h = F.relu(self.conv2(F.relu(self.conv1(h))))
        return super().encode(h.flatten(1), y)

    def decode(self, z, y=None):
        h3 = F.relu(self.fc3(z if y is None else torch.cat([z, y], 1)))
        h = F.relu(self.fc4(h3)).view(-1, 64, self.side // 4, self.side // 4)
        return torch.sigmoid(self.deconv2(F.relu(self.deconv1(h))).flatten(1))


def read_safetensors(path):
    with open(path, "rb") as f:
        data = f.read()
    n = struct.unpack("<Q", data[:8])[0]
    header = json.loads(data[8:8 + n])
    meta = header.pop("__metadata__", {})
    base = 8 + n
    tensors = {}
    for name, e in header.items():
        assert e["dtype"] == "F32", e
        b, end = e["data_offsets"]
        tensors[name] = torch.from_numpy(np.frombuffer(data[base + b: base + end], dtype="<f4").reshape(e["shape"]).copy())
    return tensors, meta


def write_safetensors(path, state):
    header, blobs, offset = {}, [], 0
    for name, t in state.items():
        a = t.detach().cpu().numpy().astype("<f4")
        header[name] = {"dtype": "F32", "shape": list(a.shape), "data_offsets": [offset, offset + a.nbytes]}
        blobs.append(a.tobytes())
        offset += a.nbytes
    js = json.dumps(header).encode()
    js += b" " * (-len(js) % 8)
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(js)) + js + b"".join(blobs))


def read_idx(path):
    with gzip.open(path, "rb") as f:
        data = f.read()
    ndim = data[3]
    dims = [int.from_bytes(data[4 + 4 * i: 8 + 4 * i], "big") for i in range(ndim)]
    return np.frombuffer(data, dtype=np.uint8, offset=4 + 4 * ndim).reshape(dims)


def decode(weights, codes, out, labels=None):
    state, meta = read_safetensors(weights)
    classes = int(meta.get("classes", 0))
    sizes = int(meta["input_size"]), int(meta["hidden_size"]), int(meta["latent_size"]), classes
    if meta.get("arch") == "conv":
        m = ConvVAE(*sizes, channels=int(meta.get("channels", 1)))
    elif meta.get("stochastic_layers") == "2":
        m = TwoLayerVAE(*sizes[:3], int(meta["hidden_size_2"]), int(meta["latent_size_2"]),
                        int(meta.get("hidden_layers", 1)), meta.get("activation", "relu"))
    else:
        m = VAE(*sizes, int(meta.get("hidden_layers", 1)), meta.get("activation", "relu"))
    if meta.get("variational") == "false":  # a plain autoencoder has no logvar head
        del m.fc22
    state.pop("logscale", None)  # a Gaussian decoder's; decoding needs the means only
    m.load_state_dict(state, strict=True)
    z = torch.from_numpy(np.load(codes))
    y = None
    if classes:
        y = F.one_hot(torch.from_numpy(np.load(labels).astype(np.int64)), classes).float()
    with torch.no_grad():
        np.save(out, m.decode(z, y).numpy().astype(np.float32))


def train(fixture, out, losses):
    torch.manual_seed(1)
    torch.set_num_threads(2)
    x = torch.from_numpy(read_idx(os.path.join(fixture, "train-images-idx3-ubyte.gz")).reshape(-1, 784).astype(np.float32) / 255)
    test = torch.from_numpy(read_idx(os.path.join(fixture, "t10k-images-idx3-ubyte.gz")).reshape(-1, 784).astype(np.float32) / 255)
    m = VAE()
    opt = torch.optim.Adam(m.parameters(), lr=1e-3)
    for i in torch.randperm(len(x)).split(64):
        mu, logvar = m.encode(x[i])
        z = mu + torch.randn_like(mu) * torch.exp(0.5 * logvar)
        recon = m.decode(z)
        loss = F.binary_cross_entropy(recon, x[i], reduction="sum") - 0.5 * torch.sum(1 + logvar - mu.pow(2) - logvar.exp())
        opt.zero_grad()
        loss.backward()
        opt.step()
    write_safetensors(out, m.state_dict())
    with torch.no_grad():  # the loss of each test image with eps = 0: z = mu
        mu, logvar = m.encode(test)
        recon = m.decode(mu)
        bce = F.binary_cross_entropy(recon, test, reduction="none").sum(1)
        kl = -0.5 * torch.sum(1 + logvar - mu.pow(2) - logvar.exp(), 1)
        np.save(losses, (bce + kl).double().numpy())


def check_onnx(path):
    import onnx
    onnx.checker.check_model(onnx.load(path), full_check=True)
    print("ok")


if __name__ == "__main__":
    cmd, args = sys.argv[1], sys.argv[2:]
    {"decode": decode, "train": train, "check-onnx": check_onnx}[cmd](*args)
