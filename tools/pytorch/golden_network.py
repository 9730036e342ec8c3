#!/usr/bin/python3
"""Whole-network golden fixtures (in the manner of llm.c's test against PyTorch).

    /usr/bin/python3 tools/pytorch/golden_network.py

For the course CNN and the wide batch-norm CNN, builds the network in PyTorch with a fixed seed, writes
its initial weights and one fixed batch (16 images 1x28x28, labels), and then, computed in float64 from
those float32 weights (the reference), the step-0 logits, every parameter's step-0 gradient, the losses of
10 SGD-with-momentum steps on that batch and the batch-norm running statistics after them, each with
PyTorch's own float32 distance from that reference, to core/src/test/resources/fixtures/golden/<name>.safetensors. GoldenNetworkTest loads the weights into the
network convlab builds from the same spec, runs the same 10 steps and compares.

Conventions shared with the test: mean softmax cross-entropy; torch.optim.SGD(lr, momentum=0.9); batch
norm in training mode (batch statistics, running statistics updated with momentum 0.1 and the unbiased
variance); the wide network's dropout is put in eval mode on both sides (its masks come from different
generators), everything else trains. Parameter names are convlab's state-dict names (ModelFile: index of
the module in convlab's Sequential, where a ReLU after a conv or batch norm is fused and takes no index).
"""
import copy
import json
import os
import struct

import torch
import torch.nn as nn
import torch.nn.functional as F

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "..", "..", "core", "src", "test", "resources", "fixtures", "golden")
STEPS, BATCH = 10, 16


def save(path, tensors, metadata):
    header, chunks, offset = {"__metadata__": metadata}, [], 0
    for name, t in tensors.items():
        raw = t.detach().to(torch.float32).contiguous().numpy().tobytes()
        header[name] = {"dtype": "F32", "shape": list(t.shape), "data_offsets": [offset, offset + len(raw)]}
        chunks.append(raw)
        offset += len(raw)
    text = json.dumps(header, separators=(",", ":")).encode()
    text += b" " * (-len(text) % 8)
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(text)) + text + b"".join(chunks))


def course_cnn():
    # convlab: 0 conv(+relu) 1 pool 2 conv(+relu) 3 pool 4 flatten 5 linear
    layers = {"0": nn.Conv2d(1, 10, 3, padding=1), "2": nn.Conv2d(10, 10, 3, padding=1), "5": nn.Linear(490, 10)}

    def forward(x):
        x = F.max_pool2d(F.relu(layers["0"](x)), 2)
        x = F.max_pool2d(F.relu(layers["2"](x)), 2)
        return layers["5"](x.flatten(1))
    return layers, forward


def wide_bn():
    # convlab: 0 conv 1 bn(+relu) 2 conv 3 bn(+relu) 4 pool 5 conv 6 bn 7 conv 8 bn 9 pool 10 flatten
    #          11 linear 12 relu 13 dropout(eval) 14 linear
    layers = {"0": nn.Conv2d(1, 32, 3, padding=1), "1": nn.BatchNorm2d(32), "2": nn.Conv2d(32, 32, 3, padding=1),
              "3": nn.BatchNorm2d(32), "5": nn.Conv2d(32, 64, 3, padding=1), "6": nn.BatchNorm2d(64),
              "7": nn.Conv2d(64, 64, 3, padding=1), "8": nn.BatchNorm2d(64), "11": nn.Linear(3136, 128),
              "14": nn.Linear(128, 10)}

    def forward(x):
        x = F.relu(layers["1"](layers["0"](x)))
        x = F.max_pool2d(F.relu(layers["3"](layers["2"](x))), 2)
        x = F.relu(layers["6"](layers["5"](x)))
        x = F.max_pool2d(F.relu(layers["8"](layers["7"](x))), 2)
        x = F.relu(layers["11"](x.flatten(1)))
        return layers["14"](x)   # dropout in eval mode is the identity
    return layers, forward


def run(layers, forward, x, y, lr, dtype):
    """10 SGD steps in the given precision; returns step-0 logits, step-0 gradients, losses, final running stats."""
    for m in layers.values():
        m.to(dtype)
    params = {f"{k}.{n}": p for k, m in layers.items() for n, p in m.named_parameters()}
    opt = torch.optim.SGD(list(params.values()), lr=lr, momentum=0.9)
    out = {"losses": []}
    for step in range(STEPS):
        opt.zero_grad()
        logits = forward(x.to(dtype))
        loss = F.cross_entropy(logits, y)
        loss.backward()
        if step == 0:
            out["logits0"] = logits.detach().double().clone()
            for k, p in params.items():
                out[f"grad0.{k}"] = p.grad.detach().double().clone()
        out["losses"].append(loss.item())
        opt.step()
    out["losses"] = torch.tensor(out["losses"], dtype=torch.float64)
    for k, m in layers.items():
        if isinstance(m, nn.BatchNorm2d):
            out[f"final.{k}.running_mean"] = m.running_mean.double().clone()
            out[f"final.{k}.running_var"] = m.running_var.double().clone()
    return out


def generate(name, build, lr, seed):
    torch.manual_seed(seed)
    layers, forward = build()
    init = {k: copy.deepcopy(m.state_dict()) for k, m in layers.items()}
    tensors = {f"init.{k}.{n}": p.detach().clone() for k, m in layers.items() for n, p in m.named_parameters()}
    x = torch.rand(BATCH, 1, 28, 28)
    y = torch.randint(0, 10, (BATCH,))
    tensors["input"] = x
    tensors["labels"] = y.to(torch.float32)
    f32 = run(layers, forward, x, y, lr, torch.float32)
    for k, m in layers.items():
        m.load_state_dict(init[k])
    f64 = run(layers, forward, x, y, lr, torch.float64)
    for key, ref in f64.items():
        tensors[key] = ref
        # PyTorch's own float32 distance from the float64 reference: where the network is ill-conditioned (the
        # layers before the first batch norms, whose backward cancels heavily) any float32 program is this far off.
        tensors["torch32_error." + key] = (f32[key] - ref).abs().max().reshape(1)
    meta = {"torch": torch.__version__, "lr": str(lr), "momentum": "0.9", "steps": str(STEPS)}
    save(os.path.join(OUT, f"{name}.safetensors"), tensors, meta)
    print(name, "losses (float64)", " ".join(f"{v:.6f}" for v in f64["losses"].tolist()))


if __name__ == "__main__":
    torch.set_num_threads(1)
    os.makedirs(OUT, exist_ok=True)
    generate("course_cnn", course_cnn, 0.05, 1)
    generate("wide_bn", wide_bn, 0.01, 2)
