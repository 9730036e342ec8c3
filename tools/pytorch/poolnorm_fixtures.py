#!/usr/bin/python3
"""PyTorch parity fixtures for convlab's pooling, normalization and dropout layers.

Writes small JSON files to core/src/test/resources/fixtures/poolnorm/ (committed; the Java tests read
them, so the normal test run never needs PyTorch). Inputs are float32 values; references are computed
in float64 so convlab's float64 path can be held to ~1e-12 and its float32 path to float32 rounding.
Each case: the op and its parameters, input, upstream gradient grad_output (the loss is
sum(output * grad_output)), output, grad_input and, for normalization, grad_weight, grad_bias and the
running statistics before and after the step.

Run: /usr/bin/python3 tools/pytorch/poolnorm_fixtures.py
"""
import json
import os

import torch
import torch.nn.functional as F

OUT = os.path.join(os.path.dirname(__file__), "..", "..", "core", "src", "test", "resources", "fixtures", "poolnorm")
torch.manual_seed(20261123)


def t(x):
    """A tensor as {shape, data} with float64 values."""
    return {"shape": list(x.shape), "data": [float(v) for v in x.detach().double().reshape(-1).tolist()]}


def rand(*shape, offset=0.0, integers=False):
    """float32-representable values in float64 (integers in {0, 1, 2} make max-pool ties)."""
    if integers:
        return torch.randint(0, 3, shape).double()
    return (torch.randn(*shape) + offset).float().double()


def run(fn, x, params=()):
    """output, grad_output and the gradients of sum(output * grad_output) for x and params."""
    x = x.clone().requires_grad_(True)
    ps = [p.clone().requires_grad_(True) for p in params]
    y = fn(x, *ps)
    g = rand(*y.shape)
    (y * g).sum().backward()
    return y, g, x.grad, [p.grad for p in ps]


def check_float32_agrees(fn, x, y64, g, gx64):
    """The float32 PyTorch result must agree with the float64 one (same argmax routing on ties)."""
    x32 = x.float().clone().requires_grad_(True)
    y32 = fn(x32)
    (y32 * g.float()).sum().backward()
    assert torch.allclose(y32.double(), y64, atol=1e-5), "float32 output differs"
    assert torch.equal(x32.grad != 0, gx64 != 0), "float32 routes max-pool gradients elsewhere"


def pooling_cases():
    cases = []

    def add(name, op, x, params, fn, ties=False):
        y, g, gx, _ = run(fn, x)
        if op.startswith("max"):
            check_float32_agrees(fn, x, y, g, gx)
        cases.append({"name": name, "op": op, "params": params, "input": t(x), "grad_output": t(g),
                      "output": t(y), "grad_input": t(gx)})

    for k, s, p, ceil, shape, ints in [(2, 2, 0, False, (2, 3, 7, 6), False), (3, 2, 1, True, (2, 2, 8, 7), False),
                                       (2, 1, 0, False, (1, 2, 5, 5), True), (3, 3, 1, True, (1, 2, 7, 8), True),
                                       (3, 1, 1, False, (1, 1, 4, 5), True)]:
        params = {"kernel": k, "stride": s, "padding": p, "ceil_mode": ceil}
        add(f"maxpool2d k{k} s{s} p{p} ceil={ceil} ties={ints}", "maxpool2d", rand(*shape, integers=ints), params,
            lambda x, k=k, s=s, p=p, c=ceil: F.max_pool2d(x, k, s, p, ceil_mode=c))
    for k, s, p, ceil, shape in [(2, 2, 0, False, (2, 2, 6, 5)), (3, 2, 1, True, (2, 2, 7, 6)), (3, 3, 1, True, (1, 3, 8, 7))]:
        for include in (True, False):
            params = {"kernel": k, "stride": s, "padding": p, "ceil_mode": ceil, "count_include_pad": include}
            add(f"avgpool2d k{k} s{s} p{p} ceil={ceil} include_pad={include}", "avgpool2d", rand(*shape), params,
                lambda x, k=k, s=s, p=p, c=ceil, i=include: F.avg_pool2d(x, k, s, p, ceil_mode=c, count_include_pad=i))
    for k, s, p, ceil, ints in [(3, 2, 1, True, False), (2, 1, 0, False, True), (4, 3, 2, True, True)]:
        params = {"kernel": k, "stride": s, "padding": p, "ceil_mode": ceil}
        add(f"maxpool1d k{k} s{s} p{p} ceil={ceil} ties={ints}", "maxpool1d", rand(2, 3, 10, integers=ints), params,
            lambda x, k=k, s=s, p=p, c=ceil: F.max_pool1d(x, k, s, p, ceil_mode=c))
    for include in (True, False):
        params = {"kernel": 4, "stride": 3, "padding": 2, "ceil_mode": True, "count_include_pad": include}
        add(f"avgpool1d k4 s3 p2 ceil include_pad={include}", "avgpool1d", rand(2, 2, 11), params,
            lambda x, i=include: F.avg_pool1d(x, 4, 3, 2, ceil_mode=True, count_include_pad=i))
    add("global average pooling", "globalavgpool2d", rand(2, 3, 5, 4), {},
        lambda x: F.adaptive_avg_pool2d(x, 1).flatten(1))
    return cases


def batchnorm_cases():
    cases = []

    def add(name, shape, training, affine=True, momentum=0.1, eps=1e-5, mean_only=False, offset=1.5):
        c = shape[1]
        x = rand(*shape, offset=offset) * 2
        rm0 = rand(c) * 0.5
        rv0 = rand(c).abs() + 0.5
        w = rand(c) * 0.5 + 1
        b = rand(c)
        rm, rv = rm0.clone(), rv0.clone()
        dims = [0] + list(range(2, len(shape)))

        def fn(x, *p):
            wt, bs = (p[0], p[1]) if affine else (None, None)
            if not mean_only:
                return F.batch_norm(x, rm, rv, wt, bs, training=training, momentum=momentum, eps=eps)
            # mean-only has no PyTorch layer: y = γ·(x − μ) + β, μ the batch (or running) mean, composed from ops
            view = [1, c] + [1] * (len(shape) - 2)
            if training:
                mu = x.mean(dim=dims, keepdim=True)
                with torch.no_grad():
                    rm.mul_(1 - momentum).add_(momentum * mu.reshape(-1))
            else:
                mu = rm.reshape(view)
            y = x - mu
            return y * wt.reshape(view) + bs.reshape(view) if affine else y

        y, g, gx, pg = run(fn, x, (w, b) if affine else ())
        case = {"name": name, "params": {"training": training, "affine": affine, "momentum": momentum, "eps": eps,
                                         "mean_only": mean_only},
                "input": t(x), "grad_output": t(g), "output": t(y), "grad_input": t(gx),
                "running_mean_before": t(rm0), "running_var_before": t(rv0),
                "running_mean_after": t(rm), "running_var_after": t(rv)}
        if affine:
            case.update({"weight": t(w), "bias": t(b), "grad_weight": t(pg[0]), "grad_bias": t(pg[1])})
        cases.append(case)

    add("bn2d training affine", (4, 3, 5, 4), True)
    add("bn2d training no affine momentum 0.3", (3, 2, 3, 3), True, affine=False, momentum=0.3)
    add("bn2d training batch of one (N=1, 9 values per channel)", (1, 2, 3, 3), True)
    add("bn1d training (N, C)", (6, 5), True, eps=1e-3)
    add("bn1d training (N, C, L)", (3, 4, 5), True)
    add("bn2d eval", (2, 3, 4, 4), False)
    add("bn2d eval batch of one", (1, 3, 3, 2), False)
    add("bn1d eval batch of one (N, C)", (1, 4), False, affine=False)
    add("bn2d mean-only training", (3, 2, 4, 3), True, mean_only=True)
    add("bn1d mean-only eval", (2, 3), False, mean_only=True)
    return cases


def layer_group_norm_cases():
    cases = []

    def add(name, op, x, params, affine_shape, fn):
        ps = (rand(*affine_shape) * 0.5 + 1, rand(*affine_shape)) if affine_shape else ()
        y, g, gx, pg = run(fn, x, ps)
        case = {"name": name, "op": op, "params": params, "input": t(x), "grad_output": t(g), "output": t(y), "grad_input": t(gx)}
        if affine_shape:
            case.update({"weight": t(ps[0]), "bias": t(ps[1]), "grad_weight": t(pg[0]), "grad_bias": t(pg[1])})
        cases.append(case)

    add("layernorm [4]", "layernorm", rand(3, 4, offset=2), {"normalized_shape": [4], "eps": 1e-5}, (4,),
        lambda x, w, b: F.layer_norm(x, [4], w, b, 1e-5))
    add("layernorm [3, 5]", "layernorm", rand(2, 3, 5), {"normalized_shape": [3, 5], "eps": 1e-5}, (3, 5),
        lambda x, w, b: F.layer_norm(x, [3, 5], w, b, 1e-5))
    add("layernorm [6] no affine eps 1e-3", "layernorm", rand(2, 3, 6), {"normalized_shape": [6], "eps": 1e-3}, None,
        lambda x: F.layer_norm(x, [6], None, None, 1e-3))
    for groups in (1, 2, 4):
        add(f"groupnorm G={groups} C=4", "groupnorm", rand(2, 4, 3, 3, offset=-1), {"groups": groups, "eps": 1e-5}, (4,),
            lambda x, w, b, G=groups: F.group_norm(x, G, w, b, 1e-5))
    add("groupnorm G=3 (N, C, L) no affine", "groupnorm", rand(2, 6, 5), {"groups": 3, "eps": 1e-5}, None,
        lambda x: F.group_norm(x, 3, None, None, 1e-5))
    return cases


def dropout_cases():
    """Masks cannot match (different generators); the scaling of survivors and the channel rule can."""
    cases = []
    for p in (0.1, 0.3, 0.5, 0.7, 0.9):
        y = F.dropout(torch.ones(4000), p=p, training=True)
        survivors = sorted(set(y[y != 0].tolist()))
        assert len(survivors) == 1
        cases.append({"op": "dropout", "p": p, "survivor_value_float32": survivors[0],
                      "survivor_value_float64": F.dropout(torch.ones(4000, dtype=torch.float64), p=p)[0:4000].max().item()})
    y = F.dropout2d(torch.ones(16, 8, 3, 3), p=0.5, training=True)
    per_channel = y.reshape(16 * 8, 9)
    assert bool((per_channel == per_channel[:, :1]).all()), "dropout2d drops whole channels"
    cases.append({"op": "dropout2d", "p": 0.5, "whole_channels": True, "survivor_value_float32": per_channel.max().item()})
    return cases


def write(name, cases):
    os.makedirs(OUT, exist_ok=True)
    with open(os.path.join(OUT, name), "w") as f:
        json.dump({"generator": "tools/pytorch/poolnorm_fixtures.py", "torch": torch.__version__, "cases": cases}, f)
    print(f"{name}: {len(cases)} cases")


if __name__ == "__main__":
    torch.set_num_threads(1)
    write("pooling.json", pooling_cases())
    write("batchnorm.json", batchnorm_cases())
    write("layer_group_norm.json", layer_group_norm_cases())
    write("dropout.json", dropout_cases())
