"""PyTorch half of `npm run bench`: the same autoencoder, data order scheme, optimiser and loss
as aedr's trainer, timed per epoch on CPU. Prints one JSON line.

usage: torch_train.py MNIST_DIR LAYERS OUTPUT_ACT BATCH EPOCHS THREADS LR
"""
import json
import resource
import sys
import time

import numpy as np
import torch
from torch import nn

mnist_dir, layers, out_act, batch, epochs, threads, lr = sys.argv[1:8]
layers = [int(v) for v in layers.split(",")]
batch, epochs, threads, lr = int(batch), int(epochs), int(threads), float(lr)
torch.set_num_threads(threads)
torch.manual_seed(0)

raw = np.fromfile(f"{mnist_dir}/train-images-idx3-ubyte", dtype=np.uint8)[16:]
x = torch.from_numpy(raw.reshape(-1, 784).astype(np.float32) / 255.0)
n = x.shape[0]

mods, d = [], 784
for i, units in enumerate(layers):
    mods.append(nn.Linear(d, units))
    last = i == len(layers) - 1
    if not (last and len(layers) > 1):
        mods.append(nn.ReLU())
    d = units
for units in list(reversed(layers[:-1])):
    mods += [nn.Linear(d, units), nn.ReLU()]
    d = units
mods.append(nn.Linear(d, 784))
mods.append(nn.Sigmoid() if out_act == "sigmoid" else nn.ReLU())
model = nn.Sequential(*mods)
opt = torch.optim.Adam(model.parameters(), lr=lr, eps=1e-7)
loss_fn = nn.MSELoss()

seconds = []
for epoch in range(epochs):
    t0 = time.perf_counter()
    perm = torch.randperm(n)
    total = 0.0
    for s in range(0, n, batch):
        xb = x[perm[s : s + batch]]
        opt.zero_grad(set_to_none=True)
        loss = loss_fn(model(xb), xb)
        loss.backward()
        opt.step()
        total += loss.item() * xb.shape[0]
    seconds.append(time.perf_counter() - t0)
print(json.dumps({
    "seconds": seconds,
    "trainLoss": total / n,
    "maxRssMB": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    "torch": torch.__version__,
    "threads": torch.get_num_threads(),
}))
