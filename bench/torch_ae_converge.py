"""PyTorch reference for bench/ae-converge.ts (issue 12's target): the compare's AE, 784-256-128-d
(ReLU, linear code, sigmoid output, mirrored decoder), trained to convergence as the issue's
reference did (Adam lr 0.002 with Keras' epsilon 1e-7, batch 64, 300 epochs, MSE on pixels / 255),
then kNN(5) accuracy of the test codes against the training codes (majority vote, ties to the
smallest label as scikit-learn's KNeighborsClassifier). Reads the subset ae-converge.ts wrote.
Prints one JSON line per dimension.

usage: python3 torch_ae_converge.py DIR [DIMS=2,10] [EPOCHS=300] [BATCH=64] [THREADS=1]
"""
import json
import sys
import time

import numpy as np
import torch
from torch import nn

d_dir = sys.argv[1]
dims = [int(v) for v in (sys.argv[2] if len(sys.argv) > 2 else "2,10").split(",")]
epochs = int(sys.argv[3]) if len(sys.argv) > 3 else 300
batch = int(sys.argv[4]) if len(sys.argv) > 4 else 64
torch.set_num_threads(int(sys.argv[5]) if len(sys.argv) > 5 else 1)

load = lambda name: np.load(f"{d_dir}/{name}.npy")
x = torch.from_numpy(load("mnist-train-x").astype(np.float32) / 255.0)
xt = torch.from_numpy(load("mnist-test-x").astype(np.float32) / 255.0)
y = load("mnist-train-y").reshape(-1).astype(np.int64)
yt = load("mnist-test-y").reshape(-1).astype(np.int64)


def knn5(z, zt):
    dist = torch.cdist(zt.double(), z.double())
    idx = dist.topk(5, largest=False).indices.numpy()
    correct = 0
    for i, row in enumerate(idx):
        votes = np.bincount(y[row], minlength=10)
        correct += int(votes.argmax() == yt[i])
    return correct / len(yt)


for d in dims:
    torch.manual_seed(d)
    enc = nn.Sequential(nn.Linear(784, 256), nn.ReLU(), nn.Linear(256, 128), nn.ReLU(), nn.Linear(128, d))
    dec = nn.Sequential(nn.Linear(d, 128), nn.ReLU(), nn.Linear(128, 256), nn.ReLU(), nn.Linear(256, 784), nn.Sigmoid())
    params = list(enc.parameters()) + list(dec.parameters())
    opt = torch.optim.Adam(params, lr=0.002, eps=1e-7)
    t0 = time.perf_counter()
    n = x.shape[0]
    for _ in range(epochs):
        perm = torch.randperm(n)
        for s in range(0, n, batch):
            xb = x[perm[s : s + batch]]
            opt.zero_grad(set_to_none=True)
            loss = ((dec(enc(xb)) - xb) ** 2).mean()
            loss.backward()
            opt.step()
    with torch.no_grad():
        acc = knn5(enc(x), enc(xt))
        mse = ((dec(enc(xt)) - xt) ** 2).mean().item()
    print(json.dumps({"d": d, "method": f"torch-{epochs}ep-b{batch}", "knn5": acc, "testMse": mse,
                      "seconds": time.perf_counter() - t0, "torch": torch.__version__}), flush=True)
