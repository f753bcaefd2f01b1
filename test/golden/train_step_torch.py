"""Reference training steps for src/train/step-graph.test.ts, computed independently in PyTorch.

A 6-3-6 autoencoder (ReLU code; sigmoid or ReLU output) takes three steps on one batch of 4.
Gradients come from torch.autograd in float64; Adam is written out in Keras 2.3's form (the
form aedr implements: lr_t = lr*sqrt(1-b2^t)/(1-b1^t), p -= lr_t*m/(sqrt(v)+eps)); SGD with
momentum is torch.optim.SGD itself. Inputs are rounded to float32 so both sides start equal.

Run: /usr/bin/python3 test/golden/train_step_torch.py  (writes train_step_torch.json)
"""
import json
import os

import numpy as np
import torch
import torch.nn.functional as F

torch.set_default_dtype(torch.float64)
rng = np.random.default_rng(20261128)
D, K, B = 6, 3, 4


def f32(a):
    return np.asarray(a, dtype=np.float32).astype(np.float64)


x = f32(rng.random((B, D)))
init = {
    "encoder.0.weight": f32(rng.uniform(-0.6, 0.6, (D, K))),
    "encoder.0.bias": f32(rng.uniform(-0.1, 0.1, K) + 0.2),
    "decoder.0.weight": f32(rng.uniform(-0.6, 0.6, (K, D))),
    "decoder.0.bias": f32(rng.uniform(-0.1, 0.1, D) + 0.3),
}
names = list(init)
CASES = [
    {"name": "adam-mse-sigmoid", "loss": "mse", "output": "sigmoid", "optimizer": {"name": "adam", "learningRate": 0.01}},
    {"name": "adam-bce-sigmoid", "loss": "bce", "output": "sigmoid", "optimizer": {"name": "adam", "learningRate": 0.01}},
    {"name": "adam-mse-relu", "loss": "mse", "output": "relu", "optimizer": {"name": "adam", "learningRate": 0.001}},
    {"name": "sgd-momentum-mse-relu", "loss": "mse", "output": "relu", "optimizer": {"name": "sgd", "learningRate": 0.5, "momentum": 0.9}},
]
STEPS = 3
out = {"x": x.ravel().tolist(), "shape": [B, D], "init": {k: v.ravel().tolist() for k, v in init.items()}, "steps": STEPS, "cases": []}
for case in CASES:
    p = {k: torch.tensor(v, requires_grad=True) for k, v in init.items()}
    xt = torch.tensor(x)
    opt = case["optimizer"]
    state = {k: (torch.zeros_like(v), torch.zeros_like(v)) for k, v in p.items()}
    sgd = torch.optim.SGD(p.values(), lr=opt["learningRate"], momentum=opt.get("momentum", 0)) if opt["name"] == "sgd" else None
    losses = []
    for t in range(1, STEPS + 1):
        h = torch.relu(xt @ p["encoder.0.weight"] + p["encoder.0.bias"])
        z = h @ p["decoder.0.weight"] + p["decoder.0.bias"]
        y = torch.sigmoid(z) if case["output"] == "sigmoid" else torch.relu(z)
        loss = ((y - xt) ** 2).mean() if case["loss"] == "mse" else F.binary_cross_entropy_with_logits(z, xt)
        losses.append(loss.item())
        for v in p.values():
            v.grad = None
        loss.backward()
        if sgd:
            sgd.step()
            continue
        b1, b2, eps, lr = 0.9, 0.999, 1e-7, opt["learningRate"]
        lr_t = lr * np.sqrt(1 - b2**t) / (1 - b1**t)
        with torch.no_grad():
            for k, v in p.items():
                m, s = state[k]
                m.mul_(b1).add_((1 - b1) * v.grad)
                s.mul_(b2).add_((1 - b2) * v.grad * v.grad)
                v.sub_(lr_t * m / (torch.sqrt(s) + eps))
    result = {**case, "losses": losses, "params": {k: v.detach().numpy().ravel().tolist() for k, v in p.items()}}
    if sgd:
        result["slots"] = {f"{k}.velocity": sgd.state[v]["momentum_buffer"].numpy().ravel().tolist() for k, v in p.items()}
    else:
        result["slots"] = {}
        for k in names:
            result["slots"][f"{k}.m"] = state[k][0].numpy().ravel().tolist()
            result["slots"][f"{k}.v"] = state[k][1].numpy().ravel().tolist()
    out["cases"].append(result)

with open(os.path.join(os.path.dirname(__file__), "train_step_torch.json"), "w") as fh:
    json.dump(out, fh)
print("wrote", len(out["cases"]), "cases")
