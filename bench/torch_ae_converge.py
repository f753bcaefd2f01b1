"""PyTorch reference for bench/ae-converge.ts (issue 12's target): the compare's AE, 784-256-128-d
(ReLU, linear code, sigmoid output, mirrored decoder), MSE on pixels / 255, Adam lr 0.002, then
kNN(5) accuracy of the test codes against the training codes (majority vote, ties to the
smallest label, as scikit-learn's KNeighborsClassifier and aedr's knnAccuracy). Reads the subset
ae-converge.ts wrote (DIR/mnist-{train,test}-{x,y}.npy).

Two stopping rules:
- `--rule fixed --epochs 300`: a fixed budget (the issue's reference: 300 epochs, batch 64);
- `--rule aedr`: aedr's Autoencoder default, scikit-learn MLP's rule as src/reducers/autoencoder.ts
  and src/train/early-stopping.ts implement it: at most --max-iter (200) epochs; the monitored
  value is the epoch's training loss (the batch MSEs averaged over the epoch's rows, the last
  partial batch included); an epoch counts as improvement when that loss is below the loss of
  the last improving epoch minus 2 * tol (tol 1e-4 applies to sklearn's loss MSE / 2); training
  stops once more than --n-iter-no-change (10) epochs in a row did not improve; the model ends
  with the weights of the epoch with the lowest training loss.

What else can be set to aedr's choices (defaults in brackets are PyTorch's own):
- `--init torch|glorot` [torch]: PyTorch's Linear init (kaiming_uniform(a=sqrt 5), biases
  U(+-1/sqrt fan_in)) or aedr's (Glorot-uniform kernels, zero biases);
- `--output-bias torch|mean` [torch]: or aedr's: the output bias starts at the logit of the mean
  training pixel clamped to [0.01, 0.99];
- `--adam torch|keras` [torch]: torch.optim.Adam (eps 1e-7 added to sqrt(v_hat)) or aedr's Keras
  form (eps added to sqrt(v), the bias correction folded into the step size);
- `--batch` [64]: aedr's compare uses min(200, n).
Not the same whatever the flags: the random streams (weights, shuffling) and float32 summation
order, so single runs differ by seed noise; compare means over --seeds.

Prints one JSON line per (d, seed) and one summary line per d (mean and sample std of kNN(5));
`--json PATH` also writes all of them as one JSON document.

usage: python3 torch_ae_converge.py DIR [--dims 2,10] [--seeds 0] [--rule fixed|aedr]
         [--epochs 300] [--max-iter 200] [--tol 1e-4] [--n-iter-no-change 10] [--batch 64]
         [--init torch|glorot] [--output-bias torch|mean] [--adam torch|keras] [--threads 1]
         [--json PATH]
"""
import argparse
import copy
import json
import math
import statistics
import time

import numpy as np
import torch
from torch import nn

ap = argparse.ArgumentParser()
ap.add_argument("dir")
ap.add_argument("--dims", default="2,10")
ap.add_argument("--seeds", default="0")
ap.add_argument("--rule", choices=["fixed", "aedr"], default="fixed")
ap.add_argument("--epochs", type=int, default=300)
ap.add_argument("--max-iter", type=int, default=200)
ap.add_argument("--tol", type=float, default=1e-4)
ap.add_argument("--n-iter-no-change", type=int, default=10)
ap.add_argument("--batch", type=int, default=64)
ap.add_argument("--lr", type=float, default=0.002)
ap.add_argument("--init", choices=["torch", "glorot"], default="torch")
ap.add_argument("--output-bias", choices=["torch", "mean"], default="torch")
ap.add_argument("--adam", choices=["torch", "keras"], default="torch")
ap.add_argument("--threads", type=int, default=1)
ap.add_argument("--json")
args = ap.parse_args()
torch.set_num_threads(args.threads)

load = lambda name: np.load(f"{args.dir}/{name}.npy")
x = torch.from_numpy(load("mnist-train-x").astype(np.float32) / 255.0)
xt = torch.from_numpy(load("mnist-test-x").astype(np.float32) / 255.0)
y = load("mnist-train-y").reshape(-1).astype(np.int64)
yt = load("mnist-test-y").reshape(-1).astype(np.int64)


def knn5(z, zt):
    dist = torch.cdist(zt.double(), z.double())
    # Stable sort: neighbours at equal distance in training-row order, as aedr's knn.
    idx = torch.sort(dist, dim=1, stable=True).indices[:, :5].numpy()
    correct = 0
    for i, row in enumerate(idx):
        votes = np.bincount(y[row], minlength=10)
        correct += int(votes.argmax() == yt[i])
    return correct / len(yt)


def build(d):
    enc = nn.Sequential(nn.Linear(784, 256), nn.ReLU(), nn.Linear(256, 128), nn.ReLU(), nn.Linear(128, d))
    dec = nn.Sequential(nn.Linear(d, 128), nn.ReLU(), nn.Linear(128, 256), nn.ReLU(), nn.Linear(256, 784), nn.Sigmoid())
    if args.init == "glorot":
        for m in list(enc) + list(dec):
            if isinstance(m, nn.Linear):
                nn.init.xavier_uniform_(m.weight)
                nn.init.zeros_(m.bias)
    if args.output_bias == "mean":
        p = x.double().mean(0).clamp(0.01, 0.99)
        with torch.no_grad():
            dec[-2].bias.copy_(torch.log(p / (1 - p)).float())
    return enc, dec


class KerasAdam:
    """Adam as aedr's src/optim/adam.ts: lr_t = lr sqrt(1 - b2^t) / (1 - b1^t); p -= lr_t m / (sqrt(v) + eps)."""

    def __init__(self, params, lr, b1=0.9, b2=0.999, eps=1e-7):
        self.params, self.lr, self.b1, self.b2, self.eps, self.t = list(params), lr, b1, b2, eps, 0
        self.m = [torch.zeros_like(p) for p in self.params]
        self.v = [torch.zeros_like(p) for p in self.params]

    def zero_grad(self, set_to_none=True):
        for p in self.params:
            p.grad = None

    @torch.no_grad()
    def step(self):
        self.t += 1
        lr_t = self.lr * math.sqrt(1 - self.b2**self.t) / (1 - self.b1**self.t)
        for p, m, v in zip(self.params, self.m, self.v):
            m.mul_(self.b1).add_(p.grad, alpha=1 - self.b1)
            v.mul_(self.b2).addcmul_(p.grad, p.grad, value=1 - self.b2)
            p.addcdiv_(m, v.sqrt().add_(self.eps), value=-lr_t)


def train(d, seed):
    torch.manual_seed(seed)
    enc, dec = build(d)
    params = list(enc.parameters()) + list(dec.parameters())
    opt = KerasAdam(params, args.lr) if args.adam == "keras" else torch.optim.Adam(params, lr=args.lr, eps=1e-7)
    n = x.shape[0]
    max_epochs = args.epochs if args.rule == "fixed" else args.max_iter
    best, best_state, best_epoch, ref, wait, stop = math.inf, None, 0, None, 0, "completed"
    epoch = 0
    for epoch in range(1, max_epochs + 1):
        perm = torch.randperm(n)
        total = 0.0
        for s in range(0, n, args.batch):
            xb = x[perm[s : s + args.batch]]
            opt.zero_grad(set_to_none=True)
            loss = ((dec(enc(xb)) - xb) ** 2).mean()
            loss.backward()
            opt.step()
            total += loss.item() * xb.shape[0]
        if args.rule == "fixed":
            continue
        value = total / n
        if value < best:
            best, best_epoch = value, epoch
            best_state = copy.deepcopy((enc.state_dict(), dec.state_dict()))
        if ref is None or value < ref - 2 * args.tol:
            ref, wait = value, 0
        else:
            wait += 1
        if wait >= args.n_iter_no_change + 1:
            stop = "early-stopped"
            break
    if best_state is not None:
        enc.load_state_dict(best_state[0])
        dec.load_state_dict(best_state[1])
    with torch.no_grad():
        acc = knn5(enc(x), enc(xt))
        mse = ((dec(enc(xt)) - xt) ** 2).mean().item()
    return {"knn5": acc, "testMse": mse, "epochsRun": epoch, "bestEpoch": best_epoch or epoch, "stopReason": stop}


method = (
    f"torch-{args.rule}" + (f"-{args.epochs}ep" if args.rule == "fixed" else f"-tol{args.tol:g}")
    + f"-b{args.batch}-init_{args.init}-bias_{args.output_bias}-adam_{args.adam}"
)
dims = [int(v) for v in args.dims.split(",")]
seeds = [int(v) for v in args.seeds.split(",")]
rows = []
for d in dims:
    accs = []
    for seed in seeds:
        t0 = time.perf_counter()
        r = train(d, seed + d)
        row = {"d": d, "seed": seed, "method": method, **r, "seconds": round(time.perf_counter() - t0, 2),
               "torch": torch.__version__, "threads": args.threads}
        accs.append(r["knn5"])
        rows.append(row)
        print(json.dumps(row), flush=True)
    summary = {"d": d, "method": method, "summary": True, "seeds": seeds, "knn5Mean": statistics.mean(accs),
               "knn5Std": statistics.stdev(accs) if len(accs) > 1 else 0.0}
    rows.append(summary)
    print(json.dumps(summary), flush=True)
if args.json:
    with open(args.json, "w") as f:
        json.dump({"dir": args.dir, "args": vars(args), "rows": rows}, f, indent=1)
