#!/usr/bin/python3
"""PyTorch parity fixtures for convlab's skip connections (spec labels, CONCAT, ADD; docs/SPEC.md).

Writes core/src/test/resources/fixtures/graph/graph.json (committed; the Java test GraphParityTest reads
it, so the normal test run never needs PyTorch):
  - op cases: torch.cat along the channel axis and elementwise add, forward and backward;
  - a model case: a branched network written by hand in PyTorch with the module numbering convlab's
    ModelBuilder gives the same spec (nn.ModuleList, so the state_dict names are "0.weight", ...),
    its state, an input, the upstream gradient, the output and the gradients of the input and of every
    parameter (train mode: batch norm uses batch statistics).
Values are float32-representable; references are computed in float64.

Run: /usr/bin/python3 tools/pytorch/graph_fixtures.py
"""
import json
import os

import torch
import torch.nn as nn
import torch.nn.functional as F

OUT = os.path.join(os.path.dirname(__file__), "..", "..", "core", "src", "test", "resources", "fixtures", "graph")
torch.manual_seed(20261206)


def t(x):
    return {"shape": list(x.shape), "data": [float(v) for v in x.detach().double().reshape(-1).tolist()]}


def rand(*shape):
    return torch.randn(*shape).float().double()


def op_cases():
    cases = []
    for shapes in [[(2, 3, 4, 4), (2, 2, 4, 4)], [(1, 1, 3, 5), (1, 4, 3, 5), (1, 2, 3, 5)], [(3, 2, 7), (3, 5, 7)], [(4, 3), (4, 2)]]:
        xs = [rand(*s).requires_grad_(True) for s in shapes]
        y = torch.cat(xs, dim=1)
        g = rand(*y.shape)
        (y * g).sum().backward()
        cases.append({"op": "cat", "inputs": [t(x) for x in xs], "grad_output": t(g), "output": t(y),
                      "grad_inputs": [t(x.grad) for x in xs]})
    for shape in [(2, 3, 4, 4), (3, 5)]:
        a, b = rand(*shape).requires_grad_(True), rand(*shape).requires_grad_(True)
        y = a + b
        g = rand(*y.shape)
        (y * g).sum().backward()
        cases.append({"op": "add", "inputs": [t(a), t(b)], "grad_output": t(g), "output": t(y),
                      "grad_inputs": [t(a.grad), t(b.grad)]})
    return cases


SPEC = "CONV3-4 RELU @a CONV3-4(circular) RELU CONV3-4 ADD(a) @b POOL2 CONV3-6 RELU TCONV2-3(s2) CONCAT(b, a) BN CONV1-2 GAP FC-3"


class Net(nn.Module):
    """SPEC on 8x8x2, numbered as convlab numbers its modules (a ReLU after a conv is fused into it)."""

    def __init__(self):
        super().__init__()
        self.m = nn.ModuleList([
            nn.Conv2d(2, 4, 3, padding=1),                              # 0 CONV3-4 (+RELU)
            nn.Conv2d(4, 4, 3, padding=1, padding_mode="circular"),     # 1 CONV3-4(circular) (+RELU)
            nn.Conv2d(4, 4, 3, padding=1),                              # 2 CONV3-4
            nn.MaxPool2d(2),                                            # 3 POOL2
            nn.Conv2d(4, 6, 3, padding=1),                              # 4 CONV3-6 (+RELU)
            nn.ConvTranspose2d(6, 3, 2, stride=2),                      # 5 TCONV2-3(s2)
            nn.BatchNorm2d(11),                                         # 6 BN
            nn.Conv2d(11, 2, 1),                                        # 7 CONV1-2
            nn.AdaptiveAvgPool2d(1),                                    # 8 GAP
            nn.Linear(2, 3),                                            # 9 FC-3
        ])

    def forward(self, x):
        m = self.m
        x = F.relu(m[0](x)); a = x
        x = F.relu(m[1](x)); x = m[2](x); x = x + a; b = x
        x = m[3](x); x = F.relu(m[4](x)); x = m[5](x)
        x = torch.cat([x, b, a], dim=1)
        x = m[6](x); x = m[7](x); x = m[8](x).flatten(1)
        return m[9](x)


def model_case():
    net = Net().double()
    with torch.no_grad():
        for p in net.parameters():
            p.copy_(p.float().double())
        net.m[6].weight.copy_(rand(11).abs() + 0.5)
        net.m[6].bias.copy_(rand(11))
    state = {k: t(v) for k, v in net.m.state_dict().items() if not k.endswith("num_batches_tracked")}
    x = rand(2, 2, 8, 8).requires_grad_(True)
    net.train()
    y = net(x)
    g = rand(*y.shape)
    (y * g).sum().backward()
    grads = {k: t(p.grad) for k, p in net.m.named_parameters()}
    after = {k: t(v) for k, v in net.m.state_dict().items() if "running" in k}
    return {"spec": SPEC, "input_shape": "8x8x2", "state": state, "input": t(x), "grad_output": t(g), "output": t(y),
            "grad_input": t(x.grad), "grads": grads, "running_after": after}


def main():
    os.makedirs(OUT, exist_ok=True)
    with open(os.path.join(OUT, "graph.json"), "w") as f:
        json.dump({"generator": "tools/pytorch/graph_fixtures.py", "torch": torch.__version__,
                   "ops": op_cases(), "model": model_case()}, f)


if __name__ == "__main__":
    main()
