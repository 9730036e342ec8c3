#!/usr/bin/python3
"""PyTorch side of ConvLayerBench (and of bench-jmh's ConvBench): forward + backward (conv, bias, ReLU; best of the
repetitions) of the workloads' conv layers, batch 64.
Run: /usr/bin/python3 tools/pytorch/conv_layer_bench.py [threads] [reps] [--relu all|models] [--json]
--relu all (default): ReLU after every layer, as ConvLayerBench; models: only where the model builder fuses it
(the course CNN's convolutions; wide-bn's ReLU follows its batch norm), as bench-jmh's ConvBench.
--json: one JSON object (bench/kernels.sh reads it) instead of the table."""
import argparse
import json
import time

import torch

parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
parser.add_argument("threads", nargs="?", type=int, default=1)
parser.add_argument("reps", nargs="?", type=int, default=20)
parser.add_argument("--relu", choices=["all", "models"], default="all")
parser.add_argument("--json", action="store_true")
args = parser.parse_args()
torch.set_num_threads(args.threads)
# name, in, out, size, needs input gradient, ReLU fused in the model
LAYERS = [("course conv1 1->10 28x28", 1, 10, 28, False, True), ("course conv2 10->10 14x14", 10, 10, 14, True, True),
          ("wide conv1 1->32 28x28", 1, 32, 28, False, False), ("wide conv2 32->32 28x28", 32, 32, 28, True, False),
          ("wide conv3 32->64 14x14", 32, 64, 14, True, False), ("wide conv4 64->64 14x14", 64, 64, 14, True, False)]
if not args.json:
    print(f"torch {torch.__version__}, threads {args.threads}, batch 64, best of {args.reps} (ms): forward / backward / total; "
          "total in CPU time of this thread (meaningful with 1 thread)")
results = {}
for name, cin, cout, size, input_grad, model_relu in LAYERS:
    relu = args.relu == "all" or model_relu
    conv = torch.nn.Conv2d(cin, cout, 3, padding=1)
    x = torch.randn(64, cin, size, size, requires_grad=input_grad)
    gy = torch.randn(64, cout, size, size)
    fwd, bwd, cpu = [], [], []
    for r in range(args.reps + 5):
        c0, t0 = time.thread_time(), time.perf_counter()
        y = torch.relu(conv(x)) if relu else conv(x)
        t1 = time.perf_counter()
        y.backward(gy)
        t2, c2 = time.perf_counter(), time.thread_time()
        conv.zero_grad()
        x.grad = None
        if r >= 5:
            fwd.append((t1 - t0) * 1e3)
            bwd.append((t2 - t1) * 1e3)
            cpu.append((c2 - c0) * 1e3)
    f, b = min(fwd), min(bwd)
    results[name] = {"forward_ms": f, "backward_ms": b, "cpu_ms": min(cpu), "relu": relu}
    if not args.json:
        print(f"{name:28s} {f:7.2f} / {b:7.2f} / {f + b:7.2f}   cpu {min(cpu):7.2f}{'' if relu else '   (no ReLU)'}")
if args.json:
    print(json.dumps({"torch": torch.__version__, "threads": args.threads, "reps": args.reps, "relu": args.relu, "layers": results}, indent=1))
