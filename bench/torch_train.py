#!/usr/bin/env python3
"""PyTorch side of the training benchmark: the same networks, data, batch size, optimizer, epochs and
thread count as `./convlab train`, with the same JSON keys (test_acc, train_images_per_s,
infer_images_per_s, peak_rss_mb, ...).

Run with Debian's python3-torch:  /usr/bin/python3 bench/torch_train.py --model course-cnn --threads 2
Training throughput counts only the training steps (forward, backward, update), as convlab does;
inference throughput is the test pass in batches of 1,000 under torch.no_grad().
With --latency N it instead times N single-image forward passes (batch 1, eval mode, no_grad) after
--warmup untimed ones (and untimed ones for at least --warmup-seconds) and prints median and p99 microseconds, as `convlab bench latency` does.
The JSON also names the BLAS library PyTorch loaded, its own thread count (blas_threads: OpenBLAS does not
follow --threads) and OPENBLAS_CORETYPE, so a run with Debian's unoptimised reference BLAS is never mistaken
for one with OpenBLAS; train_cpu_cores and infer_cpu_cores are the process's CPU seconds (all threads) per
wall-clock second of the timed sections.
"""
import argparse, ctypes, gzip, json, os, resource, sys, time

import numpy as np
import torch
import torch.nn as nn

DATA = "/usr/share/datasets/fashion-mnist"

# The same networks as convlab's named models (cli/.../Models.java). ReLU after each conv, as convlab's spec rule.
def build(name):
    if name == "mlp":
        return nn.Sequential(nn.Flatten(), nn.Linear(784, 256), nn.ReLU(), nn.Linear(256, 10))
    if name == "course-cnn":  # CONV3-10 POOL2 CONV3-10 POOL2 FLATTEN FC-10
        return nn.Sequential(nn.Conv2d(1, 10, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
                             nn.Conv2d(10, 10, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
                             nn.Flatten(), nn.Linear(490, 10))
    if name == "wide-bn":  # [CONV3-32 BN RELU]x2 POOL2 [CONV3-64 BN RELU]x2 POOL2 FLATTEN FC-128 RELU DROPOUT0.5 FC-10
        def block(cin, cout):
            return [nn.Conv2d(cin, cout, 3, padding=1), nn.BatchNorm2d(cout), nn.ReLU()]
        return nn.Sequential(*block(1, 32), *block(32, 32), nn.MaxPool2d(2),
                             *block(32, 64), *block(64, 64), nn.MaxPool2d(2),
                             nn.Flatten(), nn.Linear(64 * 7 * 7, 128), nn.ReLU(), nn.Dropout(0.5), nn.Linear(128, 10))
    raise SystemExit(f"unknown model {name}")


def idx(path):
    with gzip.open(path, "rb") as f:
        raw = f.read()
    ndim = raw[3]
    dims = [int.from_bytes(raw[4 + 4 * i: 8 + 4 * i], "big") for i in range(ndim)]
    return np.frombuffer(raw, dtype=np.uint8, offset=4 + 4 * ndim).reshape(dims)


def load(prefix):
    x = idx(f"{DATA}/{prefix}-images-idx3-ubyte.gz").astype(np.float32) / 255.0
    y = idx(f"{DATA}/{prefix}-labels-idx1-ubyte.gz").astype(np.int64)
    return torch.from_numpy(x).unsqueeze(1), torch.from_numpy(y)


def blas_library():
    """The BLAS shared library mapped into this process (libblas.so.3 is a Debian alternative)."""
    try:
        with open("/proc/self/maps") as f:
            paths = {line.split()[-1] for line in f if "blas" in line.lower() and "/" in line}
    except OSError:
        return "unknown"
    return ", ".join(sorted(os.path.realpath(p) for p in paths)) or "none"


def blas_threads():
    """OpenBLAS's own thread count (openblas_get_num_threads), or None for another BLAS. torch.set_num_threads
    does not set it: with Debian's libopenblas0-pthread a "1 thread" PyTorch still runs every BLAS call on
    OpenBLAS's threads (one per CPU unless OPENBLAS_NUM_THREADS says otherwise)."""
    for path in blas_library().split(", "):
        if "openblas" in path.lower():
            try:
                return int(ctypes.CDLL(path).openblas_get_num_threads())
            except (OSError, AttributeError):
                return None
    return None


def latency(net, iters, warmup, warmup_seconds):
    """Median and p99 microseconds; untimed calls first: at least `warmup` of them and for at least
    `warmup_seconds` (the same rule as `convlab bench latency`). Returns also how many were run."""
    net.eval()
    x = torch.rand(1, 1, 28, 28)
    times = []
    warmed = 0
    with torch.no_grad():
        end = time.perf_counter() + warmup_seconds
        while warmed < warmup or time.perf_counter() < end:
            net(x)
            warmed += 1
        for _ in range(iters):
            t0 = time.perf_counter()
            net(x)
            times.append((time.perf_counter() - t0) * 1e6)
    times.sort()
    return times[len(times) // 2], times[min(len(times) - 1, -(-len(times) * 99 // 100) - 1)], warmed


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--model", default="mlp")
    p.add_argument("--epochs", type=int, default=3)
    p.add_argument("--batch", type=int, default=64)
    p.add_argument("--lr", type=float, default=0.01)
    p.add_argument("--momentum", type=float, default=0.9)
    p.add_argument("--weight-decay", type=float, default=0.0)
    p.add_argument("--threads", type=int, default=2)
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--latency", type=int, default=0, help="time this many batch-1 inferences instead of training")
    p.add_argument("--warmup", type=int, default=2000, help="untimed batch-1 inferences before --latency")
    p.add_argument("--warmup-seconds", type=float, default=2.0, help="untimed inferences also go on for at least this long")
    a = p.parse_args()
    torch.set_num_threads(a.threads)
    torch.manual_seed(a.seed)
    if a.latency > 0:
        median, p99, warmed = latency(build(a.model), a.latency, a.warmup, a.warmup_seconds)
        print(json.dumps({"model": a.model, "threads": a.threads, "iters": a.latency, "warmup": warmed,
                          "median_us": median, "p99_us": p99, "torch": torch.__version__, "blas": blas_library(),
                          "blas_threads": blas_threads(),
                          "openblas_coretype": os.environ.get("OPENBLAS_CORETYPE", "unset"),
                          "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0}, indent=2))
        return
    xtr, ytr = load("train")
    xte, yte = load("t10k")
    net = build(a.model)
    opt = torch.optim.SGD(net.parameters(), lr=a.lr, momentum=a.momentum, weight_decay=a.weight_decay)
    loss_fn = nn.CrossEntropyLoss()
    # CPU seconds of the whole process (all threads) over the timed sections: cores busy = CPU / wall.
    train_seconds, train_cpu, infer_cpu, seen, history = 0.0, 0.0, 0.0, 0, []
    for epoch in range(a.epochs):
        net.train()
        perm = torch.randperm(len(xtr))
        c0, t0 = time.process_time(), time.perf_counter()
        for i in range(0, len(xtr), a.batch):
            idx_ = perm[i:i + a.batch]
            xb, yb = xtr[idx_], ytr[idx_]
            opt.zero_grad()
            loss = loss_fn(net(xb), yb)
            loss.backward()
            opt.step()
            seen += len(idx_)
        train_seconds += time.perf_counter() - t0
        train_cpu += time.process_time() - c0
        net.eval()
        correct, c0, t0 = 0, time.process_time(), time.perf_counter()
        with torch.no_grad():
            for i in range(0, len(xte), 1000):
                correct += (net(xte[i:i + 1000]).argmax(1) == yte[i:i + 1000]).sum().item()
        infer_seconds = time.perf_counter() - t0
        infer_cpu = time.process_time() - c0
        history.append({"epoch": epoch + 1, "test_acc": correct / len(xte)})
    out = {
        "test_acc": history[-1]["test_acc"],
        "train_images_per_s": seen / train_seconds,
        "infer_images_per_s": len(xte) / infer_seconds,
        "train_seconds": train_seconds,
        "train_cpu_cores": train_cpu / train_seconds,
        "infer_cpu_cores": infer_cpu / infer_seconds,
        "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0,
        "epochs": a.epochs, "seed": a.seed, "threads": a.threads, "batch": a.batch, "lr": a.lr,
        "model": a.model, "torch": torch.__version__, "history": history,
        "blas": blas_library(), "blas_threads": blas_threads(),
        "openblas_coretype": os.environ.get("OPENBLAS_CORETYPE", "unset"),
    }
    print(json.dumps(out, indent=2))


if __name__ == "__main__":
    main()
