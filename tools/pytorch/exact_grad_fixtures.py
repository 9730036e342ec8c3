#!/usr/bin/env python3
"""Gradient cases computed by PyTorch autograd in float64, for convlab's exact gradient calculators (`convlab grad`).

Named cases the course asks about (conv with stride 2 and padding 1, dilation, transposed; max pool with ties and
overlapping windows; batch norm and layer norm with gamma and beta) and random small ones. Conv and max-pool values
are integers and halves, so PyTorch's float64 results are exact; average pooling and normalization are compared with
a tolerance. Arrays are written as convlab reads them (a matrix for one channel, C×H×W for several, a sequence for
1-D). Writes core/src/test/resources/fixtures/exact/grad_cases.json.
Run: /usr/bin/python3 tools/pytorch/exact_grad_fixtures.py
"""
import json
import os
import random

import torch
import torch.nn.functional as F

random.seed(15)
torch.manual_seed(15)


def halves(shape):
    return torch.randint(-6, 7, shape, dtype=torch.float64) / 2


def layout(t, one_d):
    """(1, C, H, W) or (C, 1, H, W) → H×W matrix, W sequence (1-D), or C×H×W."""
    t = t[0] if t.shape[0] == 1 else t[:, 0]
    if t.shape[0] == 1:
        return t[0][0].tolist() if one_d else t[0].tolist()
    return t.tolist()


def conv_case(name, x, w, stride, padding, dilation, transpose=False, one_d=False, flip=False, output_padding=(0, 0)):
    x = x.clone().requires_grad_(True)
    w = w.clone().requires_grad_(True)
    b = torch.tensor([0.5], dtype=torch.float64, requires_grad=True)
    if transpose:
        y = F.conv_transpose2d(x, w, b, stride=stride, padding=padding, output_padding=output_padding, dilation=dilation)
    else:
        used = torch.flip(w, dims=[2, 3]) if flip else w
        y = F.conv2d(x, used, b, stride=stride, padding=padding, dilation=dilation)
    dy = halves(y.shape)
    y.backward(dy)
    return dict(op="conv", name=name, one_d=one_d, transpose=transpose, flip=flip, stride=list(stride), padding=list(padding),
                dilation=list(dilation), output_padding=list(output_padding),
                input=layout(x.detach(), one_d), kernel=layout(w.detach(), one_d), grad_output=layout(dy, one_d),
                output=layout(y.detach(), one_d), grad_input=layout(x.grad, one_d), grad_kernel=layout(w.grad, one_d), grad_bias=b.grad.item())


def pool_case(name, kind, x, k, s, p, one_d=False):
    x = x.clone().requires_grad_(True)
    if kind == "max":
        y = F.max_pool2d(x, (1, k) if one_d else k, (1, s) if one_d else s, (0, p) if one_d else p)
    else:
        y = F.avg_pool2d(x, (1, k) if one_d else k, (1, s) if one_d else s, (0, p) if one_d else p, count_include_pad=True)
    dy = halves(y.shape)
    y.backward(dy)
    return dict(op=kind + "pool", name=name, one_d=one_d, size=k, stride=s, padding=p, input=layout(x.detach(), one_d),
                grad_output=layout(dy, one_d), output=layout(y.detach(), one_d), grad_input=layout(x.grad, one_d))


def norm_case(name, kind, x, gamma, beta, eps):
    x = x.clone().requires_grad_(True)
    g = gamma.clone().requires_grad_(True)
    b = beta.clone().requires_grad_(True)
    if kind == "batch":
        y = F.batch_norm(x, None, None, g, b, training=True, eps=eps)
    else:
        y = F.layer_norm(x, (x.shape[1],), g, b, eps=eps)
    dy = halves(y.shape)
    y.backward(dy)
    return dict(op=kind + "norm", name=name, eps=eps, input=x.detach().tolist(), gamma=gamma.tolist(), beta=beta.tolist(),
                grad_output=dy.tolist(), output=y.detach().tolist(), grad_input=x.grad.tolist(), grad_gamma=g.grad.tolist(), grad_beta=b.grad.tolist())


cases = []
hw4 = torch.arange(1, 26, dtype=torch.float64).reshape(1, 1, 5, 5)
sobel = torch.tensor([[[[-1, -2, -1], [0, 0, 0], [1, 2, 1]]]], dtype=torch.float64)
cases.append(conv_case("conv stride 2 padding 1 (hw4 3d ii)", hw4, sobel, (2, 2), (1, 1), (1, 1)))
cases.append(conv_case("conv dilation 2", halves((1, 1, 6, 6)), halves((1, 1, 2, 2)), (1, 1), (0, 0), (2, 2)))
cases.append(conv_case("conv transposed stride 2", halves((1, 1, 2, 3)), halves((1, 1, 3, 3)), (2, 2), (1, 1), (1, 1), transpose=True,
                       output_padding=(1, 1)))
cases.append(conv_case("conv two channels stride 2", halves((1, 2, 5, 4)), halves((1, 2, 3, 2)), (2, 1), (1, 0), (1, 1)))
cases.append(conv_case("conv 1-D stride 2 padding 1", halves((1, 1, 1, 7)), halves((1, 1, 1, 3)), (1, 2), (0, 1), (1, 1), one_d=True))
cases.append(conv_case("conv flipped (true convolution)", halves((1, 1, 4, 4)), halves((1, 1, 2, 3)), (1, 1), (1, 1), (1, 1), flip=True))
for i in range(150):
    one_d = random.random() < 0.3
    transpose = random.random() < 0.3
    c = random.randint(1, 2)
    n = [1, random.randint(2, 7)] if one_d else [random.randint(2, 6), random.randint(2, 6)]
    k = [1, random.randint(1, 3)] if one_d else [random.randint(1, 3), random.randint(1, 3)]
    s = [1, random.randint(1, 3)] if one_d else [random.randint(1, 3), random.randint(1, 3)]
    d = [1, random.randint(1, 2)] if one_d else [random.randint(1, 2), random.randint(1, 2)]
    p = [0, random.randint(0, 2)] if one_d else [random.randint(0, 2), random.randint(0, 2)]
    op = [0, 0]
    if transpose:
        op = [0 if one_d else random.randint(0, max(s[0], d[0]) - 1), random.randint(0, max(s[1], d[1]) - 1)]
        sizes = [(n[a] - 1) * s[a] - 2 * p[a] + d[a] * (k[a] - 1) + op[a] + 1 for a in (0, 1)]
        if min(sizes) < 1:
            continue
        w = halves((c, 1, k[0], k[1]))
    else:
        if any(n[a] + 2 * p[a] - d[a] * (k[a] - 1) < 1 for a in (0, 1)):
            continue
        w = halves((1, c, k[0], k[1]))
    flip = not transpose and random.random() < 0.25
    cases.append(conv_case("conv random %d" % i, halves((1, c, n[0], n[1])), w, tuple(s), tuple(p), tuple(d), transpose=transpose,
                           one_d=one_d, flip=flip, output_padding=tuple(op)))

ties = torch.tensor([[[[1, 3, 2, 3], [4, 4, 0, 1], [5, 6, 7, 8], [1, 2, 8, 0]]]], dtype=torch.float64)
cases.append(pool_case("max pool 2x2 with ties", "max", ties, 2, 2, 0))
cases.append(pool_case("max pool 3x3 stride 1 overlapping with ties", "max", torch.tensor([[[[1, 1, 1, 1], [1, 1, 1, 1], [2, 1, 1, 2], [1, 1, 2, 1]]]],
                                                                                        dtype=torch.float64), 3, 1, 0))
cases.append(pool_case("max pool 2x2 stride 1 overlapping", "max", halves((1, 1, 4, 5)), 2, 1, 0))
cases.append(pool_case("max pool padding 1", "max", halves((1, 2, 4, 4)), 3, 2, 1))
cases.append(pool_case("avg pool 2x2", "avg", halves((1, 1, 4, 4)), 2, 2, 0))
cases.append(pool_case("avg pool 3x3 stride 2 padding 1", "avg", halves((1, 1, 5, 5)), 3, 2, 1))
cases.append(pool_case("max pool 1-D overlapping", "max", torch.tensor([[[[1, 3, 3, 2, 5, 5]]]], dtype=torch.float64), 2, 1, 0, one_d=True))
for i in range(150):
    one_d = random.random() < 0.3
    kind = random.choice(["max", "avg"])
    c = random.randint(1, 2)
    k = random.randint(1, 3)
    s = random.randint(1, 3)
    p = random.randint(0, k // 2)
    n = [1, random.randint(1, 7)] if one_d else [random.randint(2, 6), random.randint(2, 6)]
    if any(n[a] + 2 * (0 if one_d and a == 0 else p) - ((1 if one_d and a == 0 else k)) < 0 for a in (0, 1)):
        continue
    x = torch.randint(0, 3, (1, c, n[0], n[1]), dtype=torch.float64)  # few distinct values: ties
    cases.append(pool_case("pool random %d" % i, kind, x, k, s, p, one_d=one_d))

cases.append(norm_case("batch norm with gamma and beta", "batch", halves((4, 3)), torch.tensor([2.0, -1.0, 0.5], dtype=torch.float64),
                       torch.tensor([0.0, 1.0, -2.0], dtype=torch.float64), 1e-5))
cases.append(norm_case("layer norm with gamma and beta", "layer", halves((3, 4)), torch.tensor([1.0, 2.0, -1.0, 0.5], dtype=torch.float64),
                       torch.tensor([0.5, 0.0, 1.0, -1.0], dtype=torch.float64), 1e-5))
cases.append(norm_case("batch norm eps 0 perfect square", "batch", torch.tensor([[1.0, 2.0], [3.0, 2.0], [5.0, 6.0], [7.0, 6.0]], dtype=torch.float64),
                       torch.tensor([1.0, 1.0], dtype=torch.float64), torch.tensor([0.0, 0.0], dtype=torch.float64), 0.0))
for i in range(60):
    kind = random.choice(["batch", "layer"])
    n, d = random.randint(2, 5), random.randint(2, 5)
    x = halves((n, d))
    if (x.var(dim=0 if kind == "batch" else 1, unbiased=False) == 0).any():
        continue
    cases.append(norm_case("norm random %d" % i, kind, x, halves((d,)), halves((d,)), random.choice([1e-5, 0.25])))

out = os.path.join(os.path.dirname(__file__), "..", "..", "core", "src", "test", "resources", "fixtures", "exact", "grad_cases.json")
with open(out, "w") as f:
    json.dump({"generator": "tools/pytorch/exact_grad_fixtures.py", "torch": torch.__version__, "cases": cases}, f, separators=(",", ":"))
print("wrote", len(cases), "cases to", os.path.normpath(out))
