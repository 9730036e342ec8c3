#!/usr/bin/env python3
"""Random small convolution cases computed by PyTorch in float64, for convlab's exact calculator.

Values are small integers and halves, so every float64 result is exact and the test can demand equality.
Writes core/src/test/resources/fixtures/exact/conv_cases.json. Run: /usr/bin/python3 tools/pytorch/exact_conv_fixtures.py
"""
import json
import os
import random

import torch
import torch.nn.functional as F

random.seed(6)
torch.manual_seed(6)
MODES = ["zeros", "circular", "reflect", "replicate"]


def values(shape):
    # integers in [-3, 3] and some halves
    t = torch.randint(-6, 7, shape, dtype=torch.float64) / 2
    return t


def direct_case(one_d):
    c = random.randint(1, 3)
    n = [1, random.randint(1, 7)] if one_d else [random.randint(1, 6), random.randint(1, 6)]
    k = [1, random.randint(1, 3)] if one_d else [random.randint(1, 3), random.randint(1, 3)]
    mode = random.choice(MODES)
    stride = [1, random.randint(1, 3)] if one_d else [random.randint(1, 3), random.randint(1, 3)]
    dil = [1, random.randint(1, 2)] if one_d else [random.randint(1, 2), random.randint(1, 2)]
    pad = [0, 0]
    for a in (0, 1):
        if one_d and a == 0:
            continue
        limit = {"zeros": 2, "circular": min(2, n[a]), "reflect": min(2, n[a] - 1), "replicate": 2}[mode]
        pad[a] = random.randint(0, max(0, limit))
    for a in (0, 1):
        if n[a] + 2 * pad[a] - dil[a] * (k[a] - 1) < 1:
            return None
    flip = random.random() < 0.3
    bias = random.choice([None, None, 0.5, -2.0])
    x = values((1, c, n[0], n[1]))
    w = values((1, c, k[0], k[1]))
    used = torch.flip(w, dims=[2, 3]) if flip else w
    if mode == "zeros":
        y = F.conv2d(x, used, padding=tuple(pad), stride=tuple(stride), dilation=tuple(dil))
    else:
        xp = F.pad(x, (pad[1], pad[1], pad[0], pad[0]), mode=mode)
        y = F.conv2d(xp, used, stride=tuple(stride), dilation=tuple(dil))
    if bias is not None:
        y = y + bias
    return dict(transpose=False, one_d=one_d, input=squeeze(x, one_d), kernel=squeeze(w, one_d), mode=mode, stride=stride,
                padding=pad, dilation=dil, output_padding=[0, 0], flip=flip, bias=bias, output=y[0, 0].squeeze(0).tolist() if one_d else y[0, 0].tolist())


def transposed_case(one_d):
    c = random.randint(1, 2)
    n = [1, random.randint(1, 4)] if one_d else [random.randint(1, 4), random.randint(1, 4)]
    k = [1, random.randint(1, 3)] if one_d else [random.randint(1, 3), random.randint(1, 3)]
    stride = [1, random.randint(1, 3)] if one_d else [random.randint(1, 3), random.randint(1, 3)]
    dil = [1, random.randint(1, 2)] if one_d else [random.randint(1, 2), random.randint(1, 2)]
    pad = [0, random.randint(0, 2)] if one_d else [random.randint(0, 2), random.randint(0, 2)]
    op = [0, 0]
    for a in (0, 1):
        if not (one_d and a == 0):
            op[a] = random.randint(0, max(stride[a], dil[a]) - 1)
        if (n[a] - 1) * stride[a] - 2 * pad[a] + dil[a] * (k[a] - 1) + op[a] + 1 < 1:
            return None
    x = values((1, c, n[0], n[1]))
    w = values((c, 1, k[0], k[1]))
    y = F.conv_transpose2d(x, w, stride=tuple(stride), padding=tuple(pad), output_padding=tuple(op), dilation=tuple(dil))
    bias = random.choice([None, 1.5])
    if bias is not None:
        y = y + bias
    kernel = w[:, 0].unsqueeze(0)  # convlab's kernel is C×kh×kw for one output channel
    return dict(transpose=True, one_d=one_d, input=squeeze(x, one_d), kernel=squeeze(kernel, one_d), mode="zeros", stride=stride,
                padding=pad, dilation=dil, output_padding=op, flip=False, bias=bias, output=y[0, 0].squeeze(0).tolist() if one_d else y[0, 0].tolist())


def squeeze(t, one_d):
    """1×C×H×W → C×H×W (C > 1) or H×W; 1-D: C×1×W → C×W rows... written as convlab reads them."""
    t = t[0]
    if t.shape[0] == 1:
        t = t[0]
        return t[0].tolist() if one_d else t.tolist()
    return t.tolist()  # C×H×W (for 1-D, C×1×W)


cases = []
while len(cases) < 1500:
    one_d = random.random() < 0.3
    case = transposed_case(one_d) if random.random() < 0.3 else direct_case(one_d)
    if case is not None:
        cases.append(case)

out = os.path.join(os.path.dirname(__file__), "..", "..", "core", "src", "test", "resources", "fixtures", "exact", "conv_cases.json")
with open(out, "w") as f:
    json.dump({"generator": "tools/pytorch/exact_conv_fixtures.py", "torch": torch.__version__, "cases": cases}, f, separators=(",", ":"))
print("wrote", len(cases), "cases to", os.path.normpath(out))
