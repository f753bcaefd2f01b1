"""Reference forward pass and gradients for src/nn/layer-graph.test.ts, computed in PyTorch.

The TensorFlow tutorial's convolutional autoencoder family (`--conv 4,2` on 8x8x1 images):
Conv2D 4 then 2 filters (3x3, stride 2, Keras 'same', ReLU), Conv2DTranspose 2 then 4 (stride
2, Keras 'same', ReLU), Conv2D 1 (3x3 same, sigmoid), MSE against the input. Keras 'same' is
written with PyTorch primitives: for Conv2d, F.pad with the odd pad at the end; for
ConvTranspose2d, the full transposed convolution cropped to input x stride from the start (TF's
conv2d_transpose), not PyTorch's padding=1/output_padding=1, which crops at the start.
Weights use PyTorch's layouts (Conv2d [out, in, k, k], ConvTranspose2d [in, out, k, k]) and are
rounded to float32; gradients by torch.autograd in float64.

Run: /usr/bin/python3 test/golden/conv_model_torch.py  (writes conv_model_torch.json)
"""
import json
import os

import numpy as np
import torch
import torch.nn.functional as F

torch.set_default_dtype(torch.float64)
rng = np.random.default_rng(20261203)
B, H = 3, 8


def f32(a):
    return np.asarray(a, dtype=np.float32).astype(np.float64)


def same_conv(x, w, b, stride):
    k = w.shape[2]
    n = x.shape[2]
    out = -(-n // stride)
    total = max((out - 1) * stride + k - n, 0)
    lo = total // 2
    return F.conv2d(F.pad(x, (lo, total - lo, lo, total - lo)), w, b, stride=stride)


def same_conv_transpose(x, w, b, stride):
    full = F.conv_transpose2d(x, w, b, stride=stride)
    n = x.shape[2] * stride
    k = w.shape[2]
    total = (x.shape[2] - 1) * stride + k - n
    lo = total // 2
    return full[:, :, lo:lo + n, lo:lo + n]


shapes = [
    ("encoder.0.weight", (4, 1, 3, 3)), ("encoder.0.bias", (4,)),
    ("encoder.1.weight", (2, 4, 3, 3)), ("encoder.1.bias", (2,)),
    ("decoder.0.weight", (2, 2, 3, 3)), ("decoder.0.bias", (2,)),
    ("decoder.1.weight", (2, 4, 3, 3)), ("decoder.1.bias", (4,)),
    ("decoder.2.weight", (1, 4, 3, 3)), ("decoder.2.bias", (1,)),
]
params = {k: torch.tensor(f32(rng.uniform(-0.5, 0.5, s) + (0.05 if len(s) == 1 else 0)), requires_grad=True) for k, s in shapes}
x = torch.tensor(f32(rng.random((B, 1, H, H))))
p = params
h = torch.relu(same_conv(x, p["encoder.0.weight"], p["encoder.0.bias"], 2))
code = torch.relu(same_conv(h, p["encoder.1.weight"], p["encoder.1.bias"], 2))
u = torch.relu(same_conv_transpose(code, p["decoder.0.weight"], p["decoder.0.bias"], 2))
u = torch.relu(same_conv_transpose(u, p["decoder.1.weight"], p["decoder.1.bias"], 2))
y = torch.sigmoid(same_conv(u, p["decoder.2.weight"], p["decoder.2.bias"], 1))
loss = ((y - x) ** 2).mean()
loss.backward()
out = {
    "torch": torch.__version__,
    "x": x.numpy().ravel().tolist(),
    "shape": [B, H * H],
    "params": {k: v.detach().numpy().ravel().tolist() for k, v in p.items()},
    "code": code.detach().numpy().ravel().tolist(),
    "y": y.detach().numpy().ravel().tolist(),
    "loss": loss.item(),
    "grads": {k: v.grad.numpy().ravel().tolist() for k, v in p.items()},
}
with open(os.path.join(os.path.dirname(__file__), "conv_model_torch.json"), "w") as fh:
    json.dump(out, fh)
print("loss", loss.item())
