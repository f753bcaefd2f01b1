"""Reference values for test/conv-ops-golden.test.ts, computed independently in PyTorch.

Conv, ConvTranspose, MaxPool and nearest Upsample on small seeded tensors: the forward output
and the gradients of loss = sum(y * weighting) with respect to every input, by torch.autograd
in float64. ONNX's asymmetric pads are written with PyTorch primitives: F.pad before conv2d
and max_pool2d (with -inf for pooling), and a crop (negative F.pad) after conv_transpose2d,
then the bias; symmetric cases call the PyTorch op with its own padding arguments. Inputs are
rounded to float32 so the TypeScript side starts from the same numbers. The MaxPool cases
include ties (a ReLU'd input with many zeros): PyTorch routes a tie's gradient to the first
maximum in row-major order, as ONNX MaxPool's Indices do.

Run: /usr/bin/python3 test/golden/conv_ops_torch.py  (writes conv_ops_torch.json)
"""
import json
import os

import numpy as np
import torch
import torch.nn.functional as F

torch.set_default_dtype(torch.float64)
rng = np.random.default_rng(20261202)


def f32(a):
    return np.asarray(a, dtype=np.float32).astype(np.float64)


def t(a):
    return torch.tensor(a, requires_grad=True)


def conv(x, w, b, strides, pads, dilations=(1, 1)):
    # ONNX pads [top, left, bottom, right]; F.pad takes (left, right, top, bottom).
    xp = F.pad(x, (pads[1], pads[3], pads[0], pads[2]))
    return F.conv2d(xp, w, b, stride=tuple(strides), dilation=tuple(dilations))


def conv_transpose(x, w, b, strides, pads, output_padding, dilations=(1, 1)):
    full = F.conv_transpose2d(x, w, None, stride=tuple(strides), dilation=tuple(dilations))
    y = F.pad(full, (-pads[1], -pads[3] + output_padding[1], -pads[0], -pads[2] + output_padding[0]))
    return y if b is None else y + b.view(1, -1, 1, 1)


def max_pool(x, kernel, strides, pads):
    xp = F.pad(x, (pads[1], pads[3], pads[0], pads[2]), value=-np.inf)
    return F.max_pool2d(xp, tuple(kernel), stride=tuple(strides))


def case(name, op, attrs, shapes, fn, init=None):
    vals = [f32(init(s) if (init and i == 0) else rng.uniform(-1, 1, s)) for i, s in enumerate(shapes)]
    ts = [t(v) for v in vals]
    y = fn(*ts)
    wgt = f32(rng.uniform(-1, 1, tuple(y.shape)))
    (y * torch.tensor(wgt)).sum().backward()
    return {
        "name": name,
        "op": op,
        "attrs": attrs,
        "inputs": [{"shape": list(s), "data": v.ravel().tolist()} for s, v in zip(shapes, vals)],
        "weighting": wgt.ravel().tolist(),
        "y": {"shape": list(y.shape), "data": y.detach().numpy().ravel().tolist()},
        "grads": [x.grad.numpy().ravel().tolist() for x in ts],
    }


def relu_ties(shape):
    # Quantised and ReLU'd: many exact zeros and repeated values, so windows hold ties.
    return np.maximum(np.round(rng.uniform(-1, 1, shape) * 2) / 2, 0)


cases = [
    case("Conv 3x3 stride 2 SAME_UPPER + bias (Keras Conv2D same)", "Conv",
         {"strides": [2, 2], "autoPad": "SAME_UPPER"}, [(2, 2, 6, 6), (3, 2, 3, 3), (3,)],
         lambda x, w, b: conv(x, w, b, (2, 2), (0, 0, 1, 1))),
    case("Conv 3x3 stride 1 pads [1, 0, 1, 2]", "Conv",
         {"pads": [1, 0, 1, 2]}, [(1, 3, 5, 5), (2, 3, 3, 3)],
         lambda x, w: conv(x, w, None, (1, 1), (1, 0, 1, 2))),
    case("Conv 3x3 stride 2 VALID", "Conv",
         {"strides": [2, 2], "autoPad": "VALID"}, [(2, 2, 7, 6), (2, 2, 3, 3), (2,)],
         lambda x, w, b: conv(x, w, b, (2, 2), (0, 0, 0, 0))),
    case("ConvTranspose 3x3 stride 2 SAME_UPPER + bias (Keras Conv2DTranspose same)", "ConvTranspose",
         {"strides": [2, 2], "autoPad": "SAME_UPPER"}, [(1, 3, 4, 4), (3, 2, 3, 3), (2,)],
         lambda x, w, b: conv_transpose(x, w, b, (2, 2), (0, 0, 1, 1), (0, 0))),
    case("ConvTranspose 3x3 stride 2 padding 1 output_padding 1 (torch symmetric form)", "ConvTranspose",
         {"strides": [2, 2], "pads": [1, 1, 1, 1], "outputPadding": [1, 1]}, [(1, 2, 3, 4), (2, 3, 3, 3), (3,)],
         lambda x, w, b: F.conv_transpose2d(x, w, b, stride=2, padding=1, output_padding=1)),
    case("ConvTranspose 2x2 strides [2, 3] output padding [1, 2]", "ConvTranspose",
         {"strides": [2, 3], "outputPadding": [1, 2]}, [(1, 2, 3, 3), (2, 2, 2, 2)],
         lambda x, w: conv_transpose(x, w, None, (2, 3), (0, 0, 0, 0), (1, 2))),
    case("MaxPool 2x2 stride 2 with ties", "MaxPool",
         {"kernelShape": [2, 2], "strides": [2, 2]}, [(2, 2, 6, 6)],
         lambda x: max_pool(x, (2, 2), (2, 2), (0, 0, 0, 0)), init=relu_ties),
    case("MaxPool 3x3 stride 2 SAME_UPPER with ties (overlapping windows)", "MaxPool",
         {"kernelShape": [3, 3], "strides": [2, 2], "autoPad": "SAME_UPPER"}, [(1, 2, 6, 6)],
         lambda x: max_pool(x, (3, 3), (2, 2), (0, 0, 1, 1)), init=relu_ties),
    case("MaxPool 2x2 stride 2 odd input", "MaxPool",
         {"kernelShape": [2, 2], "strides": [2, 2]}, [(1, 2, 5, 7)],
         lambda x: max_pool(x, (2, 2), (2, 2), (0, 0, 0, 0))),
    case("Upsample nearest x2", "Resize", {"scale": [2, 2]}, [(2, 2, 3, 3)],
         lambda x: F.interpolate(x, scale_factor=2, mode="nearest")),
    case("Upsample nearest [2, 3]", "Resize", {"scale": [2, 3]}, [(1, 2, 2, 3)],
         lambda x: F.interpolate(x, scale_factor=(2, 3), mode="nearest")),
]

out = {"torch": torch.__version__, "cases": cases}
with open(os.path.join(os.path.dirname(__file__), "conv_ops_torch.json"), "w") as fh:
    json.dump(out, fh)
print("wrote", len(cases), "cases")
