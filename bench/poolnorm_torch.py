#!/usr/bin/python3
"""PyTorch side of bench-jmh/src/main/java/convlab/bench/PoolNormBench.java: forward + backward time of the
wide network's batch-norm, max-pool and dropout layers at batch 64, median of timed repetitions.

    /usr/bin/python3 bench/poolnorm_torch.py [threads] [reps]
"""
import statistics
import sys
import time

import torch

threads = int(sys.argv[1]) if len(sys.argv) > 1 else 2
reps = int(sys.argv[2]) if len(sys.argv) > 2 else 30
torch.set_num_threads(threads)
torch.manual_seed(1)
LAYERS = [
    ("BatchNorm2d(32) 64x32x28x28", torch.nn.BatchNorm2d(32), (64, 32, 28, 28)),
    ("BatchNorm2d(64) 64x64x14x14", torch.nn.BatchNorm2d(64), (64, 64, 14, 14)),
    ("BN(32), ReLU 64x32x28x28", torch.nn.Sequential(torch.nn.BatchNorm2d(32), torch.nn.ReLU()), (64, 32, 28, 28)),
    ("MaxPool2d(2) 64x32x28x28", torch.nn.MaxPool2d(2), (64, 32, 28, 28)),
    ("MaxPool2d(2) 64x64x14x14", torch.nn.MaxPool2d(2), (64, 64, 14, 14)),
    ("Dropout(0.5) 64x128", torch.nn.Dropout(0.5), (64, 128)),
]
print(f"torch {torch.__version__}, threads {threads}, batch 64, {reps} repetitions (ms): forward / backward / total median, [total minimum]")
for name, layer, shape in LAYERS:
    x = torch.randn(*shape, requires_grad=True)
    gy = torch.randn_like(layer(x))
    fwd, bwd = [], []
    for r in range(-10, reps):
        t0 = time.perf_counter()
        y = layer(x)
        t1 = time.perf_counter()
        y.backward(gy)
        t2 = time.perf_counter()
        x.grad = None
        layer.zero_grad()
        if r >= 0:
            fwd.append((t1 - t0) * 1e3)
            bwd.append((t2 - t1) * 1e3)
    f, b = statistics.median(fwd), statistics.median(bwd)
    best = min(a + b for a, b in zip(fwd, bwd))
    print(f"{name:30s} {f:7.3f} / {b:7.3f} / {f + b:7.3f}  [{best:7.3f}]")
