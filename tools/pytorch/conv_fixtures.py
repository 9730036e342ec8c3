#!/usr/bin/python3
"""Parity fixtures for convlab's convolutions, computed by PyTorch in float64.

Each case stores the inputs (x, weight, bias), a random output gradient gy, and PyTorch's output y and
gradients gx, gw, gb (of sum(y * gy)). Written to core/src/test/resources/fixtures/conv/*.json;
read by ConvParityTest. Run: /usr/bin/python3 tools/pytorch/conv_fixtures.py
"""
import json
import os

import torch
import torch.nn.functional as F

torch.manual_seed(20261123)
OUT = os.path.join(os.path.dirname(__file__), "..", "..", "core", "src", "test", "resources", "fixtures", "conv")


def pair(v):
    return list(v) if isinstance(v, (tuple, list)) else [v, v]


def tensor_json(t):
    return {"shape": list(t.shape), "data": [float(v) for v in t.detach().reshape(-1).tolist()]}


def conv_case(name, op, x_shape, w_shape, bias=True, stride=1, padding=0, dilation=1, groups=1,
              padding_mode="zeros", flip=False, output_padding=0):
    one_d = op.endswith("1d")
    x = torch.randn(*x_shape, dtype=torch.float64, requires_grad=True)
    w = torch.randn(*w_shape, dtype=torch.float64, requires_grad=True)
    transposed = op.startswith("conv_transpose")
    out_c = w_shape[1] * groups if transposed else w_shape[0]
    b = torch.randn(out_c, dtype=torch.float64, requires_grad=True) if bias else None
    k = w.flip(list(range(2, w.dim()))) if flip else w   # true convolution: flipped kernel
    if transposed:
        fn = F.conv_transpose1d if one_d else F.conv_transpose2d
        y = fn(x, k, b, stride=stride, padding=padding, output_padding=output_padding, groups=groups, dilation=dilation)
    else:
        # the module applies padding modes and "same" exactly as nn.Conv1d/Conv2d users get them
        cls = torch.nn.Conv1d if one_d else torch.nn.Conv2d
        m = cls(x_shape[1], out_c, tuple(w_shape[2:]), stride=stride, padding=padding, dilation=dilation,
                groups=groups, bias=bias, padding_mode=padding_mode).double()
        y = m._conv_forward(x, k, b)
    gy = torch.randn(*y.shape, dtype=torch.float64)
    (y * gy).sum().backward()
    opts = {"stride": pair(stride), "padding": "same" if padding == "same" else pair(padding), "dilation": pair(dilation),
            "groups": groups, "padding_mode": padding_mode, "flip": flip, "output_padding": pair(output_padding)}
    if one_d:   # one value per option in 1-d
        opts = {k2: (v[1] if isinstance(v, list) else v) for k2, v in opts.items()}
    return {"name": name, "op": op, "options": opts, "x": tensor_json(x), "w": tensor_json(w),
            "b": tensor_json(b) if bias else None, "gy": tensor_json(gy), "y": tensor_json(y),
            "gx": tensor_json(x.grad), "gw": tensor_json(w.grad), "gb": tensor_json(b.grad) if bias else None}


CONV2D = [
    conv_case("basic 3x3 pad 1, odd sizes", "conv2d", (2, 3, 5, 6), (4, 3, 3, 3), padding=1),
    conv_case("single input channel (first layer)", "conv2d", (3, 1, 7, 7), (5, 1, 3, 3), padding=1),
    conv_case("stride 2 pad 1", "conv2d", (2, 2, 7, 5), (3, 2, 3, 3), stride=2, padding=1),
    conv_case("stride 3 no padding, kernel 2", "conv2d", (1, 2, 8, 7), (2, 2, 2, 2), stride=3),
    conv_case("dilation 2 pad 2", "conv2d", (2, 2, 7, 6), (3, 2, 3, 3), dilation=2, padding=2),
    conv_case("groups 2", "conv2d", (2, 4, 5, 5), (6, 2, 3, 3), groups=2, padding=1),
    conv_case("depthwise", "conv2d", (2, 3, 6, 5), (3, 1, 3, 3), groups=3, padding=1),
    conv_case("depthwise multiplier 2, stride 2", "conv2d", (1, 2, 7, 7), (4, 1, 3, 3), groups=2, stride=2, padding=1),
    conv_case("no bias, kernel 2 (course CONV2)", "conv2d", (2, 2, 4, 5), (3, 2, 2, 2), bias=False),
    conv_case("1x1 kernel", "conv2d", (2, 3, 4, 3), (2, 3, 1, 1)),
    conv_case("1x1 kernel stride 2", "conv2d", (2, 3, 5, 4), (2, 3, 1, 1), stride=2),
    conv_case("rectangular kernel, per-axis stride and padding", "conv2d", (2, 2, 6, 7), (3, 2, 2, 3), stride=(2, 1), padding=(1, 2)),
    conv_case("circular pad 1", "conv2d", (2, 2, 5, 6), (3, 2, 3, 3), padding=1, padding_mode="circular"),
    conv_case("circular kernel 2 pad 1", "conv2d", (2, 3, 4, 4), (3, 3, 2, 2), padding=1, padding_mode="circular"),
    conv_case("circular pad 2 stride 2 dilation 2", "conv2d", (1, 2, 5, 7), (2, 2, 3, 3), padding=2, stride=2, dilation=2, padding_mode="circular"),
    conv_case("reflect pad 1", "conv2d", (2, 2, 5, 4), (3, 2, 3, 3), padding=1, padding_mode="reflect"),
    conv_case("reflect pad 2 stride 2", "conv2d", (1, 2, 6, 5), (2, 2, 3, 3), padding=2, stride=2, padding_mode="reflect"),
    conv_case("replicate pad 2 dilation 2", "conv2d", (2, 2, 5, 6), (2, 2, 3, 3), padding=2, dilation=2, padding_mode="replicate"),
    conv_case("replicate pad 1 groups 2", "conv2d", (1, 4, 4, 5), (2, 2, 3, 3), padding=1, groups=2, padding_mode="replicate"),
    conv_case("same, kernel 3", "conv2d", (2, 2, 5, 6), (3, 2, 3, 3), padding="same"),
    conv_case("same, even kernel 4 (asymmetric)", "conv2d", (2, 2, 5, 6), (2, 2, 4, 4), padding="same"),
    conv_case("same, kernel 3 dilation 2, circular", "conv2d", (1, 2, 6, 5), (2, 2, 3, 3), padding="same", dilation=2, padding_mode="circular"),
    conv_case("same, kernel 2, reflect", "conv2d", (2, 1, 4, 5), (2, 1, 2, 2), padding="same", padding_mode="reflect"),
    conv_case("same, kernel 4, replicate", "conv2d", (1, 2, 5, 5), (2, 2, 4, 4), padding="same", padding_mode="replicate"),
    conv_case("flip (true convolution) 3x3 pad 1", "conv2d", (2, 2, 5, 4), (3, 2, 3, 3), padding=1, flip=True),
    conv_case("flip rectangular kernel, stride 2", "conv2d", (1, 2, 6, 7), (2, 2, 2, 3), stride=2, flip=True),
]

CONV1D = [
    conv_case("basic kernel 3 pad 1", "conv1d", (2, 3, 7), (4, 3, 3), padding=1),
    conv_case("stride 2 dilation 2", "conv1d", (2, 2, 11), (3, 2, 3), stride=2, dilation=2, padding=1),
    conv_case("groups 2 no bias", "conv1d", (2, 4, 6), (2, 2, 3), groups=2, bias=False),
    conv_case("circular pad 2", "conv1d", (2, 2, 5), (2, 2, 3), padding=2, padding_mode="circular"),
    conv_case("reflect pad 2", "conv1d", (1, 2, 6), (3, 2, 4), padding=2, padding_mode="reflect"),
    conv_case("replicate pad 3", "conv1d", (2, 1, 5), (2, 1, 3), padding=3, padding_mode="replicate"),
    conv_case("same, even kernel", "conv1d", (2, 2, 7), (2, 2, 4), padding="same"),
    conv_case("flip", "conv1d", (2, 2, 6), (2, 2, 3), padding=1, flip=True),
]

TRANSPOSED = [
    conv_case("transposed 2d basic", "conv_transpose2d", (2, 3, 4, 5), (3, 2, 3, 3)),
    conv_case("transposed 2d stride 2 pad 1 output padding 1", "conv_transpose2d", (2, 2, 3, 4), (2, 3, 3, 3), stride=2, padding=1, output_padding=1),
    conv_case("transposed 2d groups 2 dilation 2", "conv_transpose2d", (1, 4, 3, 3), (4, 1, 3, 3), groups=2, dilation=2, padding=1),
    conv_case("transposed 2d output padding below dilation", "conv_transpose2d", (2, 2, 3, 3), (2, 2, 2, 2), dilation=2, output_padding=1, bias=False),
    conv_case("transposed 2d stride 3 kernel 2, per-axis", "conv_transpose2d", (1, 2, 3, 2), (2, 2, 2, 2), stride=(3, 2), padding=(0, 1), output_padding=(2, 1)),
    conv_case("transposed 2d flip", "conv_transpose2d", (1, 2, 3, 3), (2, 2, 3, 3), stride=2, flip=True),
    conv_case("transposed 1d stride 3 output padding 2", "conv_transpose1d", (2, 2, 4), (2, 3, 3), stride=3, output_padding=2, padding=1),
    conv_case("transposed 1d groups 2", "conv_transpose1d", (2, 4, 5), (4, 1, 3), groups=2, dilation=2),
]

if __name__ == "__main__":
    os.makedirs(OUT, exist_ok=True)
    for fname, cases in [("conv2d.json", CONV2D), ("conv1d.json", CONV1D), ("conv_transpose.json", TRANSPOSED)]:
        with open(os.path.join(OUT, fname), "w") as f:
            json.dump({"generator": "tools/pytorch/conv_fixtures.py", "torch": torch.__version__, "cases": cases}, f)
        print(fname, len(cases), "cases")
