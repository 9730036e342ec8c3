#!/usr/bin/env python3
"""Parity fixtures for convlab.optim: run with /usr/bin/python3 (PyTorch 1.13).

For each optimizer configuration: two float32 parameters (a 3x4 matrix and a 4-vector), a fixed random
gradient per step, and the parameter values after each of 4 steps. The Java test sets the same gradients,
steps its optimizer and compares. Writes core/src/test/resources/fixtures/optim/<name>.json.
"""
import json
import math
import os

import torch

OUT = os.path.join(os.path.dirname(__file__), "..", "..", "core", "src", "test", "resources", "fixtures", "optim")
STEPS = 4

# name -> (torch class, kwargs shared by all groups, per-group overrides or None for a single group)
CASES = {
    "sgd_plain": (torch.optim.SGD, dict(lr=0.1), None),
    "sgd_momentum_dampening_wd": (torch.optim.SGD, dict(lr=0.05, momentum=0.9, dampening=0.1, weight_decay=0.01), None),
    "sgd_nesterov_wd": (torch.optim.SGD, dict(lr=0.05, momentum=0.9, nesterov=True, weight_decay=0.01), None),
    "sgd_two_groups": (torch.optim.SGD, dict(lr=0.05, momentum=0.9), [dict(lr=0.1, weight_decay=0.0), dict(lr=0.01, weight_decay=0.1)]),
    "adam_default": (torch.optim.Adam, dict(), None),
    "adam_wd_amsgrad": (torch.optim.Adam, dict(lr=0.01, betas=(0.8, 0.95), eps=1e-6, weight_decay=0.1, amsgrad=True), None),
    "adamw_default": (torch.optim.AdamW, dict(), None),
    "adamw_wd_amsgrad": (torch.optim.AdamW, dict(lr=0.01, betas=(0.8, 0.95), eps=1e-6, weight_decay=0.1, amsgrad=True), None),
    "rmsprop_default": (torch.optim.RMSprop, dict(), None),
    "rmsprop_centered_momentum_wd": (torch.optim.RMSprop, dict(lr=0.01, alpha=0.9, eps=1e-6, weight_decay=0.01, momentum=0.9, centered=True), None),
    "adagrad_default": (torch.optim.Adagrad, dict(), None),
    "adagrad_decay_wd_init": (torch.optim.Adagrad, dict(lr=0.1, lr_decay=0.1, weight_decay=0.01, initial_accumulator_value=0.1, eps=1e-8), None),
}


def run(name, cls, kwargs, groups, seed):
    g = torch.Generator().manual_seed(seed)
    shapes = [(3, 4), (4,)]
    params = [torch.randn(s, generator=g, dtype=torch.float32).requires_grad_() for s in shapes]
    initial = [p.detach().clone() for p in params]
    if groups is None:
        opt = cls(params, **kwargs)
        group_spec = [dict(params=[0, 1], lr=opt.param_groups[0]["lr"], weight_decay=opt.param_groups[0]["weight_decay"])]
    else:
        opt = cls([dict(params=[p], **o) for p, o in zip(params, groups)], **kwargs)
        group_spec = [dict(params=[i], lr=o["lr"], weight_decay=o["weight_decay"]) for i, o in enumerate(groups)]
    grads, after = [], []
    for _ in range(STEPS):
        step_grads = [torch.randn(s, generator=g, dtype=torch.float32) for s in shapes]
        for p, gr in zip(params, step_grads):
            p.grad = gr.clone()
        opt.step()
        grads.append([gr.flatten().tolist() for gr in step_grads])
        after.append([p.detach().flatten().tolist() for p in params])
    hyper = {k: (list(v) if isinstance(v, tuple) else v) for k, v in opt.defaults.items()
             if isinstance(v, (int, float, bool, tuple))}
    return dict(optimizer=cls.__name__, torch=torch.__version__, hyper=hyper, groups=group_spec,
                shapes=[list(s) for s in shapes], initial=[p.flatten().tolist() for p in initial],
                grads=grads, after=after)


def main():
    os.makedirs(OUT, exist_ok=True)
    for seed, (name, (cls, kwargs, groups)) in enumerate(sorted(CASES.items())):
        data = run(name, cls, kwargs, groups, 100 + seed)
        with open(os.path.join(OUT, name + ".json"), "w") as f:
            json.dump(data, f)
        print("wrote", name)


def schedules():
    """Learning rates of torch.optim.lr_scheduler over 30 steps, base lr 1 (so lr = factor)."""
    def run(make):
        p = torch.zeros(1, requires_grad=True)
        opt = torch.optim.SGD([p], lr=1.0)
        sched = make(opt)
        lrs = []
        for _ in range(30):
            lrs.append(opt.param_groups[0]["lr"])
            opt.step()
            sched.step()
        return lrs
    S = torch.optim.lr_scheduler
    return {
        "step_7_0.5": run(lambda o: S.StepLR(o, step_size=7, gamma=0.5)),
        "cosine_20_0.1": run(lambda o: S.CosineAnnealingLR(o, T_max=20, eta_min=0.1)),
        "warmup_5_0.2+cosine_20": run(lambda o: S.SequentialLR(o, [S.LinearLR(o, start_factor=0.2, total_iters=5),
                                                                    S.CosineAnnealingLR(o, T_max=20)], milestones=[5])),
    }


def muon_reference(adjust, nesterov, seed):
    """torch.optim.Muon (PyTorch 2.9) transcribed for torch 1.13, which lacks it; Newton-Schulz in float32
    (PyTorch runs it in bfloat16) so the Java float32 implementation can be compared closely."""
    g = torch.Generator().manual_seed(seed)
    shapes = [(6, 4), (3, 5)]
    params = [torch.randn(s, generator=g) for s in shapes]
    initial = [p.clone() for p in params]
    lr, wd, momentum = 0.02, 0.1, 0.95
    a, b, c = 3.4445, -4.775, 2.0315
    bufs = [torch.zeros_like(p) for p in params]
    grads, after = [], []
    for _ in range(STEPS):
        step_grads = [torch.randn(s, generator=g) for s in shapes]
        for p, grad, buf in zip(params, step_grads, bufs):
            buf.lerp_(grad, 1 - momentum)
            update = grad.lerp(buf, momentum) if nesterov else buf
            x = update.T if update.size(0) > update.size(1) else update
            x = x / x.norm().clamp(min=1e-7)
            for _ in range(5):
                gram = x @ x.T
                gram_update = torch.addmm(gram, gram, gram, beta=b, alpha=c)
                x = torch.addmm(x, gram_update, x, beta=a)
            ortho = x.T if update.size(0) > update.size(1) else x
            A, B = p.shape[:2]
            ratio = math.sqrt(max(1, A / B)) if adjust == "original" else 0.2 * math.sqrt(max(A, B))
            p.mul_(1 - lr * wd)
            p.add_(ortho, alpha=-lr * ratio)
        grads.append([gr.flatten().tolist() for gr in step_grads])
        after.append([p.flatten().tolist() for p in params])
    return dict(optimizer="Muon", torch=torch.__version__, hyper=dict(lr=lr, weight_decay=wd, momentum=momentum,
                nesterov=nesterov, adjust_lr_fn=adjust), shapes=[list(s) for s in shapes],
                initial=[p.flatten().tolist() for p in initial], grads=grads, after=after)


if __name__ == "__main__":
    import warnings
    warnings.filterwarnings("ignore")   # SequentialLR's deprecation chatter in 1.13
    main()
    with open(os.path.join(OUT, "schedules.json"), "w") as f:
        json.dump(schedules(), f)
    print("wrote schedules")
    for name, adjust, nesterov, seed in [("muon_original_nesterov", "original", True, 200),
                                         ("muon_match_rms_plain", "match_rms_adamw", False, 201)]:
        with open(os.path.join(OUT, name + ".json"), "w") as f:
            json.dump(muon_reference(adjust, nesterov, seed), f)
        print("wrote", name)
