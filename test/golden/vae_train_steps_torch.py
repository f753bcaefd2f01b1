"""Three Adam steps of a small VAE with pytorch/examples' loss (vae/main.py), in PyTorch, for
test/vae-golden.test.ts.

Model: 12-8-(3, 3)-8-12, ReLU hidden layers, linear μ and log σ² heads from the hidden layer,
sigmoid output; loss = (BCE summed over values + KL) / batch, KL = -0.5 sum(1 + logvar - mu^2 -
exp(logvar)): the example's loss_function divided by the batch size, as aedr reports it; z =
mu + exp(0.5 logvar) eps with eps given (aedr feeds it). Kernels are [in, out] (x @ W + b), as
aedr stores them. Adam in Keras 2.3's form (lr_t = lr sqrt(1 - b2^t) / (1 - b1^t),
p -= lr_t m / (sqrt(v) + 1e-7)), lr 1e-2. Float64 throughout.

The start is a formula both sides compute and round to float32: element i of parameter j is
0.8 sin(0.37 i + 1.3 j + 0.1) for kernels and 0.1 cos(i + j) for biases; value i of the batch
of 5 rows is 0.5 + 0.45 sin(0.05 i + 0.7 (i // 12)); eps of step t, element i, is
1.5 sin(1.7 i + 0.9 t + 0.2). Stored: the loss, recon and KL at every step, and the
parameters after the third step.

Run: /usr/bin/python3 test/golden/vae_train_steps_torch.py  (writes vae_train_steps_torch.json)
"""
import json
import math
import os

import numpy as np
import torch
import torch.nn.functional as F

torch.set_default_dtype(torch.float64)


def f32(a):
    return np.asarray(a, dtype=np.float32).astype(np.float64)


specs = [
    ("encoder.0.weight", (12, 8)), ("encoder.0.bias", (8,)),
    ("encoder.1.weight", (8, 3)), ("encoder.1.bias", (3,)),
    ("encoder.logvar.weight", (8, 3)), ("encoder.logvar.bias", (3,)),
    ("decoder.0.weight", (3, 8)), ("decoder.0.bias", (8,)),
    ("decoder.1.weight", (8, 12)), ("decoder.1.bias", (12,)),
]
p = {}
for j, (name, shape) in enumerate(specs):
    i = np.arange(int(np.prod(shape)), dtype=np.float64)
    v = 0.8 * np.sin(0.37 * i + 1.3 * j + 0.1) if len(shape) > 1 else 0.1 * np.cos(i + j)
    p[name] = torch.tensor(f32(v).reshape(shape), requires_grad=True)
i = np.arange(5 * 12, dtype=np.float64)
x = torch.tensor(f32(0.5 + 0.45 * np.sin(0.05 * i + 0.7 * (i // 12))).reshape(5, 12))

b1, b2, eps_adam, lr = 0.9, 0.999, 1e-7, 1e-2
m = {k: torch.zeros_like(v) for k, v in p.items()}
s = {k: torch.zeros_like(v) for k, v in p.items()}
steps = []
for t in range(1, 4):
    k = np.arange(5 * 3, dtype=np.float64)
    eps = torch.tensor(f32(1.5 * np.sin(1.7 * k + 0.9 * t + 0.2)).reshape(5, 3))
    h = torch.relu(x @ p["encoder.0.weight"] + p["encoder.0.bias"])
    mu = h @ p["encoder.1.weight"] + p["encoder.1.bias"]
    logvar = h @ p["encoder.logvar.weight"] + p["encoder.logvar.bias"]
    z = mu + torch.exp(0.5 * logvar) * eps
    h3 = torch.relu(z @ p["decoder.0.weight"] + p["decoder.0.bias"])
    y = torch.sigmoid(h3 @ p["decoder.1.weight"] + p["decoder.1.bias"])
    bce = F.binary_cross_entropy(y, x, reduction="sum")
    kld = -0.5 * torch.sum(1 + logvar - mu.pow(2) - logvar.exp())
    loss = (bce + kld) / 5
    for v in p.values():
        v.grad = None
    loss.backward()
    steps.append({"loss": loss.item(), "recon": bce.item() / 5, "kl": kld.item() / 5})
    lr_t = lr * math.sqrt(1 - b2**t) / (1 - b1**t)
    with torch.no_grad():
        for name, v in p.items():
            m[name] = b1 * m[name] + (1 - b1) * v.grad
            s[name] = b2 * s[name] + (1 - b2) * v.grad**2
            v -= lr_t * m[name] / (torch.sqrt(s[name]) + eps_adam)

out = {
    "torch": torch.__version__,
    "steps": steps,
    "final": {k: v.detach().reshape(-1).tolist() for k, v in p.items()},
}
path = os.path.join(os.path.dirname(__file__), "vae_train_steps_torch.json")
with open(path, "w") as f:
    json.dump(out, f)
print(json.dumps(steps))
