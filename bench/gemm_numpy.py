#!/usr/bin/env python3
"""Times float32 matrix products with a BLAS on the shapes of `./convlab bench gemm`, for 1 and 2 BLAS
threads, and reports GFLOP/s the same way: median and best of --reps timed runs, each run repeating the
product for at least 200 ms (wall clock). GF/CPU-s divides the work by the process's CPU time instead: on a
machine shared with other jobs it shows the speed per core that wall-clock rates hide (OpenBLAS threads that
spin while waiting count against it).

--lib numpy uses numpy.matmul (Debian's numpy calls the system BLAS, OpenBLAS via libopenblas0-pthread);
--lib torch uses torch.mm (Debian's python3-torch; CPU float32 matmul also goes to the system BLAS).
Operand layouts (--ops nn,tn,nt,tt) are passed as transposed views, as a framework passes them to BLAS.

The BLAS thread count is fixed when the library loads, so each thread count runs in a child process with
OPENBLAS_NUM_THREADS, OMP_NUM_THREADS and MKL_NUM_THREADS set. With --json the parent prints one JSON
object that `./convlab bench gemm --blas FILE` reads to print the ratio convlab/BLAS:

    /usr/bin/python3 bench/gemm_numpy.py --json > /tmp/blas.json
    ./convlab bench gemm --blas /tmp/blas.json
"""
import argparse
import json
import os
import subprocess
import sys
import time

DEFAULT_SIZES = "256,1024,2048,32x50176x288,64x12544x576,64x256x784,64x10x784,10x784x90,1x256x784"


def parse_shape(s):
    parts = s.lower().replace("×", "x").split("x")
    if len(parts) == 1:
        d = int(parts[0])
        return d, d, d
    if len(parts) == 3:
        return tuple(int(p) for p in parts)
    raise SystemExit(f"--sizes: '{s}' is not a shape (expected MxNxK or N)")


def make_product(lib, m, n, k, op):
    """Returns a function computing C = op(A)·op(B) into a preallocated C, operands stored as `op` says."""
    ta, tb = op[0] == "t", op[1] == "t"
    if lib == "torch":
        import torch
        g = torch.Generator().manual_seed(1)
        a = torch.rand((k, m) if ta else (m, k), generator=g) * 2 - 1
        b = torch.rand((n, k) if tb else (k, n), generator=g) * 2 - 1
        a, b = (a.t() if ta else a), (b.t() if tb else b)
        c = torch.empty((m, n))
        return lambda: torch.mm(a, b, out=c)
    import numpy as np
    rng = np.random.default_rng(1)
    a = rng.uniform(-1, 1, (k, m) if ta else (m, k)).astype(np.float32)
    b = rng.uniform(-1, 1, (n, k) if tb else (k, n)).astype(np.float32)
    a, b = (a.T if ta else a), (b.T if tb else b)
    c = np.empty((m, n), dtype=np.float32)
    return lambda: np.matmul(a, b, out=c)


def measure(lib, sizes, ops, reps, threads):
    """Child process: one thread count. Prints one JSON result per line."""
    if lib == "torch":
        import torch
        torch.set_num_threads(threads)
    warm = make_product(lib, 256, 256, 256, "nn")
    t_end = time.perf_counter() + 0.5
    while time.perf_counter() < t_end:
        warm()
    for s in sizes:
        m, n, k = parse_shape(s)
        for op in ops:
            product = make_product(lib, m, n, k, op)
            t0 = time.perf_counter()
            product()
            once = time.perf_counter() - t0
            calls = max(1, min(10_000_000, int(0.2 / max(once, 1e-7))))
            product()
            g, per_cpu = [], []
            for _ in range(reps):
                t0, c0 = time.perf_counter(), time.process_time()
                for _ in range(calls):
                    product()
                g.append(2.0 * m * n * k * calls / (time.perf_counter() - t0) / 1e9)
                cpu = time.process_time() - c0
                per_cpu.append(2.0 * m * n * k * calls / cpu / 1e9 if cpu > 0 else float("nan"))
            g.sort()
            per_cpu.sort()
            print(json.dumps({"shape": f"{m}x{n}x{k}", "m": m, "n": n, "k": k, "op": op, "threads": threads,
                              "median_gflops": round(g[len(g) // 2], 1), "best_gflops": round(g[-1], 1),
                              "median_gflops_per_cpu_s": round(per_cpu[len(per_cpu) // 2], 1)}),
                  flush=True)


def blas_name(lib):
    """The BLAS library actually loaded (Debian's alternatives decide it), read from the process maps."""
    make_product(lib, 2, 2, 2, "nn")()
    try:
        with open("/proc/self/maps") as f:
            libs = sorted({line.split()[-1] for line in f if "blas" in line.lower() and ".so" in line})
        return ", ".join(sorted({os.path.realpath(l) for l in libs})) or "unknown"
    except OSError:
        return "unknown"


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--lib", choices=["numpy", "torch"], default="numpy")
    p.add_argument("--threads", default="1,2")
    p.add_argument("--sizes", default=DEFAULT_SIZES)
    p.add_argument("--ops", default="nn", help="operand layouts: nn, tn, nt, tt (comma-separated)")
    p.add_argument("--reps", type=int, default=5)
    p.add_argument("--json", action="store_true", help="print one JSON object instead of the table")
    p.add_argument("--child", type=int, help=argparse.SUPPRESS)
    args = p.parse_args()
    sizes = [s.strip() for s in args.sizes.split(",") if s.strip()]
    for s in sizes:
        parse_shape(s)
    ops = [o.strip() for o in args.ops.split(",") if o.strip()]
    for o in ops:
        if o not in ("nn", "tn", "nt", "tt"):
            raise SystemExit(f"--ops: '{o}' is not one of nn, tn, nt, tt")
    if args.child is not None:
        measure(args.lib, sizes, ops, args.reps, args.child)
        return
    if args.lib == "torch":
        import torch
        version = f"torch {torch.__version__}"
    else:
        import numpy as np
        version = f"numpy {np.__version__}"
    blas = blas_name(args.lib)
    if not args.json:
        print(f"{version}; BLAS: {blas}")
        print(f"{'shape m×n×k':<16} {'op':>3} {'threads':>7} {'median GF/s':>12} {'best GF/s':>10} {'GF/CPU-s':>9}",
              flush=True)
    results = []
    for t in args.threads.split(","):
        t = t.strip()
        env = dict(os.environ, OPENBLAS_NUM_THREADS=t, OMP_NUM_THREADS=t, MKL_NUM_THREADS=t)
        out = subprocess.run([sys.executable, __file__, "--child", t, "--lib", args.lib, "--sizes", ",".join(sizes),
                              "--ops", ",".join(ops), "--reps", str(args.reps)],
                             env=env, check=True, stdout=subprocess.PIPE, text=True).stdout
        for line in out.splitlines():
            r = json.loads(line)
            results.append(r)
            if not args.json:
                print(f"{r['shape']:<16} {r['op']:>3} {r['threads']:>7} {r['median_gflops']:12.1f} {r['best_gflops']:10.1f}"
                      f" {r['median_gflops_per_cpu_s']:9.1f}", flush=True)
    if args.json:
        print(json.dumps({"library": version, "blas": blas, "results": results}, indent=2))


if __name__ == "__main__":
    main()
