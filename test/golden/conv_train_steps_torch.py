"""Three Adam steps of the TensorFlow tutorial's convolutional autoencoder, in PyTorch, for
test/conv-train-golden.test.ts.

Model (`--conv 16,8` on 28x28x1): Conv2D 16 then 8 filters (3x3, stride 2, Keras 'same', ReLU),
Conv2DTranspose 8 then 16 (3x3, stride 2, Keras 'same', ReLU), Conv2D 1 (3x3 same, sigmoid);
3,217 parameters; MSE against the input; Adam in Keras 2.3's form (lr_t = lr sqrt(1 - b2^t) /
(1 - b1^t), p -= lr_t m / (sqrt(v) + 1e-7)), lr 1e-3. Keras 'same' is written with PyTorch
primitives as in conv_model_torch.py. Float64 throughout.

So that the file stays small, the start is a formula both sides compute and round to float32:
element i of parameter j is limit_j sin(0.37 i + 1.3 j + 0.1) for kernels (limit_j the Glorot
bound sqrt(6 / (fanIn + fanOut)) with Keras' receptive-field fans) and 0.01 cos(i + j) for
biases; pixel i of the batch of 4 is 0.5 + 0.5 sin(0.05 i + 0.7 (i // 784)). Stored: the loss
and each parameter's gradient norm at every step, and the parameters after the third step.

Run: /usr/bin/python3 test/golden/conv_train_steps_torch.py  (writes conv_train_steps_torch.json)
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


def same_conv(x, w, b, stride):
    k, n = w.shape[2], x.shape[2]
    total = max((-(-n // stride) - 1) * stride + k - n, 0)
    lo = total // 2
    return F.conv2d(F.pad(x, (lo, total - lo, lo, total - lo)), w, b, stride=stride)


def same_conv_transpose(x, w, b, stride):
    full = F.conv_transpose2d(x, w, b, stride=stride)
    n, k = x.shape[2] * stride, w.shape[2]
    lo = ((x.shape[2] - 1) * stride + k - n) // 2
    return full[:, :, lo:lo + n, lo:lo + n]


# name, shape, fanIn, fanOut (Keras: receptive field x channels)
specs = [
    ("encoder.0.weight", (16, 1, 3, 3), 9, 144), ("encoder.0.bias", (16,), 0, 0),
    ("encoder.1.weight", (8, 16, 3, 3), 144, 72), ("encoder.1.bias", (8,), 0, 0),
    ("decoder.0.weight", (8, 8, 3, 3), 72, 72), ("decoder.0.bias", (8,), 0, 0),
    ("decoder.1.weight", (8, 16, 3, 3), 72, 144), ("decoder.1.bias", (16,), 0, 0),
    ("decoder.2.weight", (1, 16, 3, 3), 144, 9), ("decoder.2.bias", (1,), 0, 0),
]
p = {}
for j, (name, shape, fi, fo) in enumerate(specs):
    i = np.arange(int(np.prod(shape)), dtype=np.float64)
    v = math.sqrt(6 / (fi + fo)) * np.sin(0.37 * i + 1.3 * j + 0.1) if len(shape) > 1 else 0.01 * np.cos(i + j)
    p[name] = torch.tensor(f32(v).reshape(shape), requires_grad=True)
i = np.arange(4 * 784, dtype=np.float64)
x = torch.tensor(f32(0.5 + 0.5 * np.sin(0.05 * i + 0.7 * (i // 784))).reshape(4, 1, 28, 28))

b1, b2, eps, lr = 0.9, 0.999, 1e-7, 1e-3
m = {k: torch.zeros_like(v) for k, v in p.items()}
s = {k: torch.zeros_like(v) for k, v in p.items()}
losses, norms = [], []
for t in range(1, 4):
    h = torch.relu(same_conv(x, p["encoder.0.weight"], p["encoder.0.bias"], 2))
    h = torch.relu(same_conv(h, p["encoder.1.weight"], p["encoder.1.bias"], 2))
    h = torch.relu(same_conv_transpose(h, p["decoder.0.weight"], p["decoder.0.bias"], 2))
    h = torch.relu(same_conv_transpose(h, p["decoder.1.weight"], p["decoder.1.bias"], 2))
    y = torch.sigmoid(same_conv(h, p["decoder.2.weight"], p["decoder.2.bias"], 1))
    loss = ((y - x) ** 2).mean()
    for v in p.values():
        v.grad = None
    loss.backward()
    losses.append(loss.item())
    norms.append({k: v.grad.norm().item() for k, v in p.items()})
    lr_t = lr * math.sqrt(1 - b2**t) / (1 - b1**t)
    with torch.no_grad():
        for k, v in p.items():
            m[k].mul_(b1).add_((1 - b1) * v.grad)
            s[k].mul_(b2).add_((1 - b2) * v.grad * v.grad)
            v.sub_(lr_t * m[k] / (torch.sqrt(s[k]) + eps))

out = {
    "torch": torch.__version__,
    "params": [{"name": n, "shape": list(sh), "fanIn": fi, "fanOut": fo} for n, sh, fi, fo in specs],
    "losses": losses,
    "gradNorms": norms,
    "final": {k: v.detach().numpy().ravel().tolist() for k, v in p.items()},
}
with open(os.path.join(os.path.dirname(__file__), "conv_train_steps_torch.json"), "w") as fh:
    json.dump(out, fh)
print("losses", losses)
