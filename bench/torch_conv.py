"""PyTorch half of bench/conv.ts: the TensorFlow tutorial's convolutional denoising autoencoder
("Intro to Autoencoders") on MNIST, timed per epoch on CPU. Prints one JSON line.

Model: Conv2d 1->16 and 16->8 (3x3, stride 2, padding 1, ReLU), ConvTranspose2d 8->8 and 8->16
(3x3, stride 2, padding 1, output_padding 1, ReLU), Conv2d 16->1 (3x3, padding 1, sigmoid):
3,217 parameters, PyTorch's own layers and default init (the usual port of the tutorial; its
'same' padding puts the odd pad at the start where Keras puts it at the end, which changes no
shape or cost). Training as aedr's: pixels / 255, each batch's input + N(0, sigma^2) clipped to
[0, 1] drawn per batch, clean target, MSE, Adam (lr, eps 1e-7), batch 32, a fresh permutation
per epoch. Test MSE after the last epoch against the clean test images, with clean input and
with one fixed corruption of them.

usage: torch_conv.py MNIST_DIR EPOCHS BATCH THREADS SEED NOISE_STD LR [ROWS]
(ROWS: the first ROWS training and test images only, for a smoke run)
"""
import json
import resource
import sys
import time

import numpy as np
import torch
from torch import nn

mnist_dir, epochs, batch, threads, seed, std, lr = sys.argv[1:8]
epochs, batch, threads, seed = int(epochs), int(batch), int(threads), int(seed)
std, lr = float(std), float(lr)
torch.set_num_threads(threads)
torch.manual_seed(seed)


def images(name):
    raw = np.fromfile(f"{mnist_dir}/{name}", dtype=np.uint8)[16:]
    return torch.from_numpy(raw.reshape(-1, 1, 28, 28).astype(np.float32) / 255.0)


limit = int(sys.argv[8]) if len(sys.argv) > 8 else None
x = images("train-images-idx3-ubyte")[:limit]
test = images("t10k-images-idx3-ubyte")[:limit]
n = x.shape[0]

model = nn.Sequential(
    nn.Conv2d(1, 16, 3, stride=2, padding=1), nn.ReLU(),
    nn.Conv2d(16, 8, 3, stride=2, padding=1), nn.ReLU(),
    nn.ConvTranspose2d(8, 8, 3, stride=2, padding=1, output_padding=1), nn.ReLU(),
    nn.ConvTranspose2d(8, 16, 3, stride=2, padding=1, output_padding=1), nn.ReLU(),
    nn.Conv2d(16, 1, 3, padding=1), nn.Sigmoid(),
)
params = sum(p.numel() for p in model.parameters())
opt = torch.optim.Adam(model.parameters(), lr=lr, eps=1e-7)
loss_fn = nn.MSELoss()

wall, cpu, losses = [], [], []
for epoch in range(epochs):
    t0, c0 = time.perf_counter(), time.process_time()
    perm = torch.randperm(n)
    total = 0.0
    for s in range(0, n, batch):
        xb = x[perm[s : s + batch]]
        noisy = (xb + std * torch.randn_like(xb)).clamp_(0.0, 1.0)
        opt.zero_grad(set_to_none=True)
        loss = loss_fn(model(noisy), xb)
        loss.backward()
        opt.step()
        total += loss.item() * xb.shape[0]
    wall.append(time.perf_counter() - t0)
    cpu.append(time.process_time() - c0)
    losses.append(total / n)

g = torch.Generator().manual_seed(seed + 1)
noisy_test = (test + std * torch.randn(test.shape, generator=g)).clamp_(0.0, 1.0)
with torch.no_grad():
    def mse(inp):
        return sum(
            float(((model(inp[i : i + 1000]) - test[i : i + 1000]) ** 2).sum())
            for i in range(0, test.shape[0], 1000)
        ) / test.numel()
    test_clean, test_noisy = mse(test), mse(noisy_test)
    out = model(test[:1000])
print(json.dumps({
    "seconds": wall,
    "cpuSeconds": cpu,
    "trainLoss": losses,
    "testMse": test_clean,
    "testMseNoisy": test_noisy,
    "outputStd": float(out.std(dim=0).mean()),
    "params": params,
    "maxRssMB": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    "torch": torch.__version__,
    "threads": torch.get_num_threads(),
}))
