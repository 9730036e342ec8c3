#!/usr/bin/python3
"""PyTorch side of ConvLayerBench: forward + backward (conv, bias, ReLU; best of the repetitions) of the workloads' conv layers, batch 64.
Run: /usr/bin/python3 tools/pytorch/conv_layer_bench.py [threads] [reps]"""
import sys
import time

import torch

threads = int(sys.argv[1]) if len(sys.argv) > 1 else 1
reps = int(sys.argv[2]) if len(sys.argv) > 2 else 20
torch.set_num_threads(threads)
LAYERS = [("course conv1 1->10 28x28", 1, 10, 28, False), ("course conv2 10->10 14x14", 10, 10, 14, True),
          ("wide conv1 1->32 28x28", 1, 32, 28, False), ("wide conv2 32->32 28x28", 32, 32, 28, True),
          ("wide conv3 32->64 14x14", 32, 64, 14, True), ("wide conv4 64->64 14x14", 64, 64, 14, True)]
print(f"torch {torch.__version__}, threads {threads}, batch 64, best of {reps} (ms): forward / backward / total; "
      "total in CPU time of this thread (meaningful with 1 thread)")
for name, cin, cout, size, input_grad in LAYERS:
    conv = torch.nn.Conv2d(cin, cout, 3, padding=1)
    x = torch.randn(64, cin, size, size, requires_grad=input_grad)
    gy = torch.randn(64, cout, size, size)
    fwd, bwd, cpu = [], [], []
    for r in range(reps + 5):
        c0, t0 = time.thread_time(), time.perf_counter()
        y = torch.relu(conv(x))
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
    print(f"{name:28s} {f:7.2f} / {b:7.2f} / {f + b:7.2f}   cpu {min(cpu):7.2f}")
