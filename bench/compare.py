#!/usr/bin/env python3
"""Side-by-side benchmark: convlab against PyTorch on identical work, on this machine.

    /usr/bin/python3 bench/compare.py                          # all workloads, 3 rounds, their full epochs
    /usr/bin/python3 bench/compare.py --epochs 1 --rounds 5    # throughput needs only 1 epoch
    /usr/bin/python3 bench/compare.py --epochs 1 mlp           # one workload

Each round runs every workload once on each side, interleaved: `./convlab train --json` (--threads, default
2), then bench/torch_train.py with 1 and with 2 threads (PyTorch counted at its best of the two, per round and
per column). A machine shared with other jobs makes single runs vary by 2x, so the table gives the median of
the rounds with the spread (min-max), and a ratio is the median of the per-round ratios (not a ratio of
medians). Then the single-image latency (batch 1 inference, `convlab bench latency` and
`torch_train.py --latency`, also interleaved), median and p99.

Every row also gives the achieved GFLOP/s (multiply-adds from `convlab summary --json`, x2 FLOPs; a training step's
count in training_macs) and that as a fraction of the measured FMA peak of the cores used (`convlab bench machine`),
so the distance to the limit is visible, not only the distance to PyTorch. PyTorch's cores are the larger of its
thread count and its BLAS's: torch.set_num_threads(1) leaves OpenBLAS on its own threads, one per CPU, so "1t"
PyTorch computes its products on every core; its column says so ("1t, BLAS 2t") with the cores its process kept busy
in the timed section.

--isa avx2 on an AVX-512 machine limits both sides to AVX2, so the AVX2 code paths get a side-by-side figure
where no AVX2 machine is at hand: convlab with -Dconvlab.vector.bits=256 and -XX:UseAVX=2 (CONVLAB_JAVA_OPTS; without
the latter the JIT compiles 256-bit vector code with AVX-512VL's instructions and 32 registers), PyTorch with
OPENBLAS_CORETYPE=Haswell and ONEDNN_MAX_CPU_ISA=AVX2. Same instructions as an AVX2 machine, not the same cores.

After a build, the launcher trains its start-up cache in the background (./convlab: about 17 CPU-seconds, niced);
compare.py waits for that to finish before the first round, which would otherwise share the cores with it.

PyTorch's BLAS: on Debian libblas.so.3 may be the unoptimised reference BLAS; the table names the library
PyTorch loaded. With OpenBLAS, compare.py sets OPENBLAS_CORETYPE for the PyTorch runs only, to the fastest
kernels for this CPU (SkylakeX with AVX-512, Haswell with AVX2) unless --openblas-coretype says otherwise,
and says which. --torch-lib DIR puts DIR first on PyTorch's LD_LIBRARY_PATH (e.g. an unpacked
libopenblas0-pthread). The Markdown table goes to bench/results.md (and --json FILE writes the raw runs).
"""
import argparse, datetime, json, os, statistics, subprocess, sys, time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

# name -> (convlab --model value, epochs, lr); the same hyperparameters go to both sides.
WORKLOADS = {
    "mlp": ("mlp", 3, 0.01),
    "course-cnn": ("course-cnn", 5, 0.05),
    "wide-bn": ("wide-bn", 3, 0.05),
}
LATENCY_MODELS = ["course-cnn", "wide-bn"]


# The launcher's lock folder while it trains its ahead-of-time cache in the background (./convlab, after a build).
AOT_TRAINING = os.path.join(ROOT, "cli", "target", "convlab.aot.training")


def wait_for_launcher_cache(limit_s=600):
    """Waits (at most limit_s) until the launcher's background cache training is over; returns the seconds waited."""
    start = time.time()
    while os.path.isdir(AOT_TRAINING) and time.time() - start < limit_s:
        time.sleep(1)
    return time.time() - start


def run_json(cmd, env=None):
    out = subprocess.run(cmd, cwd=ROOT, check=True, stdout=subprocess.PIPE, text=True, env=env).stdout
    return json.loads(out[out.index("{"):])


def fail(message):
    """Ends the run with one line on stderr and exit status 2, as convlab's own commands do."""
    print(f"compare.py: {message}", file=sys.stderr)
    sys.exit(2)


def missing_dataset_files(folder):
    """The Fashion-MNIST files both sides read that are not in folder (Debian's dataset-fashion-mnist puts them there).

    >>> missing_dataset_files("/nonexistent")[:2]
    ['train-images-idx3-ubyte.gz', 'train-labels-idx1-ubyte.gz']
    """
    names = [f"{part}-{kind}-idx{dims}-ubyte.gz" for part in ("train", "t10k") for kind, dims in (("images", 3), ("labels", 1))]
    return [n for n in names if not os.path.isfile(os.path.join(folder, n))]


def preflight(torch_env):
    """Checks what every round needs before the first one runs: a missing piece would otherwise end the run with a
    traceback minutes in, after convlab's first round."""
    data = "/usr/share/datasets/fashion-mnist"  # bench/torch_train.py's DATA
    missing = missing_dataset_files(data)
    if missing:
        fail(f"{data} lacks {', '.join(missing)}: install Debian's dataset-fashion-mnist (scripts/install-deps.sh does)")
    probe = subprocess.run(["/usr/bin/python3", "-c", "import torch, numpy"], env=torch_env, stdout=subprocess.DEVNULL,
                           stderr=subprocess.PIPE, text=True)
    if probe.returncode != 0:
        last = (probe.stderr.strip().splitlines() or ["no message"])[-1]
        fail(f"/usr/bin/python3 cannot import PyTorch ({last}): install Debian's python3-torch")


def cpu_flags():
    try:
        for line in open("/proc/cpuinfo"):
            if line.startswith("flags"):
                return set(line.split(":", 1)[1].split())
    except OSError:
        pass
    return set()


def best_coretype(flags):
    if "avx512f" in flags:
        return "SkylakeX"
    if "avx2" in flags:
        return "Haswell"
    return None


def loadavg():
    try:
        return open("/proc/loadavg").read().split()[0]
    except OSError:
        return "?"


def model_macs(spec):
    """Multiply-adds per image of a spec (convlab train's JSON names it) from `convlab summary --json`: (inference,
    training step). A training step is the forward, each weighted layer's weight gradient (as many multiply-adds as
    its forward) and the input gradients, which start after the first weighted layer: neither program computes the
    gradient of the data batch, so the first weighted layer and everything before it count twice, not three times."""
    summary = run_json(["./convlab", "summary", "--json", "--input", "28x28x1", spec])
    return training_macs(summary["layers"])


def training_macs(layers):
    """(forward, training-step) multiply-adds of `convlab summary --json`'s layers; see model_macs. The MLP: its
    FC-256 has no input gradient to compute, its FC-10 has all three products.

    >>> training_macs([{"params": 0, "macs": 0}, {"params": 200960, "macs": 200704}, {"params": 0, "macs": 0},
    ...                {"params": 2570, "macs": 2560}])
    (203264, 409088)
    """
    forward = sum(layer.get("macs", 0) for layer in layers)
    train, seen_weights = 0, False
    for layer in layers:
        macs = layer.get("macs", 0)
        weighted = layer.get("params", 0) > 0
        train += macs * (1 + (1 if weighted else 0) + (1 if seen_weights else 0))
        seen_weights = seen_weights or weighted
    return forward, train


def torch_cores(best_runs, busy_key, cpus):
    """PyTorch's cores for the peak fraction, and the table's label for its best runs. torch.set_num_threads does not
    bound OpenBLAS, whose own threads (one per CPU by default) run every BLAS call: a "1 thread" PyTorch computes its
    products on all cores. So the cores it computes on are the larger of the two thread counts (at most the CPUs);
    the label also gives the cores its process kept busy (CPU seconds per wall second, median)."""
    threads = statistics.mode([b["threads"] for b in best_runs])
    blas = statistics.mode([b.get("blas_threads") or 0 for b in best_runs])
    cores = min(cpus, max(threads, blas)) if cpus else max(threads, blas)
    label = f"{threads}t" + (f", BLAS {blas}t" if blas > threads else "")
    busy = [b[busy_key] for b in best_runs if busy_key in b]
    if busy:
        label += f", {med(busy):.1f} cores busy"
    return cores, label


def med(xs):
    return statistics.median(xs)


def spread(xs, fmt="{:,.0f}"):
    return f"{fmt.format(med(xs))} ({fmt.format(min(xs))}–{fmt.format(max(xs))})"


def main():
    p = argparse.ArgumentParser()
    p.add_argument("workloads", nargs="*", default=list(WORKLOADS))
    p.add_argument("--epochs", type=int, help="override every workload's epochs (throughput needs only 1)")
    p.add_argument("--batch", type=int, default=64)
    p.add_argument("--threads", type=int, default=2, help="convlab's threads (PyTorch tries 1 and 2)")
    p.add_argument("--rounds", type=int, default=3, help="interleaved rounds per workload (default 3)")
    p.add_argument("--latency-iters", type=int, default=2000, help="timed batch-1 calls per latency run (0: no latency rows)")
    p.add_argument("--openblas-coretype", help="OPENBLAS_CORETYPE for PyTorch (default: the fastest for this CPU)")
    p.add_argument("--torch-lib", help="directory put first on PyTorch's LD_LIBRARY_PATH (e.g. an OpenBLAS)")
    p.add_argument("--isa", choices=["native", "avx2"], default="native",
                   help="avx2 on an AVX-512 machine: both sides limited to AVX2 (convlab's 256-bit kernels, OpenBLAS's "
                        "Haswell kernels, oneDNN capped at AVX2): the AVX2 code paths measured where no AVX2 machine is at hand")
    p.add_argument("--json", dest="json_out", help="also write every run's JSON to this file (after each round)")
    a = p.parse_args()
    for w in a.workloads:
        if w not in WORKLOADS:
            fail(f"unknown workload '{w}' (known: {', '.join(WORKLOADS)})")
    if a.rounds < 1:
        fail("--rounds must be at least 1")

    flags = cpu_flags()
    emulated = a.isa == "avx2" and "avx512f" in flags
    if a.isa == "avx2" and "avx2" not in flags:
        fail("--isa avx2 needs a CPU with AVX2")
    coretype = a.openblas_coretype or best_coretype(flags - {"avx512f"} if a.isa == "avx2" else flags)
    env_coretype = os.environ.get("OPENBLAS_CORETYPE", "unset")
    torch_env, convlab_env = dict(os.environ), dict(os.environ)
    if coretype:
        torch_env["OPENBLAS_CORETYPE"] = coretype
    if emulated:
        torch_env["ONEDNN_MAX_CPU_ISA"] = "AVX2"
        convlab_env["CONVLAB_JAVA_OPTS"] = (os.environ.get("CONVLAB_JAVA_OPTS", "") + " -XX:UseAVX=2 -Dconvlab.vector.bits=256").strip()
    if a.torch_lib:
        torch_env["LD_LIBRARY_PATH"] = a.torch_lib + (":" + torch_env["LD_LIBRARY_PATH"] if torch_env.get("LD_LIBRARY_PATH") else "")
    preflight(torch_env)
    machine = run_json(["./convlab", "bench", "machine", "--json"], convlab_env)
    peak = machine["fma_peak_gflops_per_core"]
    print(f"== machine: {machine}", file=sys.stderr)
    waited = wait_for_launcher_cache()
    if waited >= 1:
        print(f"== waited {waited:.0f} s for the launcher's background start-up cache training to finish", file=sys.stderr)

    raw = {"machine": machine, "runs": []}
    rows, torch_info, loads = [], {}, [loadavg()]
    for name in a.workloads:
        model, epochs, lr = WORKLOADS[name]
        epochs = a.epochs or epochs
        common = ["--epochs", str(epochs), "--batch", str(a.batch), "--lr", str(lr), "--momentum", "0.9", "--seed", "1"]
        rounds = []
        for r in range(a.rounds):
            print(f"== {name} round {r + 1}/{a.rounds}: convlab, {a.threads} threads (load {loadavg()})", file=sys.stderr)
            c = run_json(["./convlab", "train", "--model", model, "--threads", str(a.threads), "--json"] + common, convlab_env)
            ts = []
            for t in (1, 2):
                print(f"== {name} round {r + 1}/{a.rounds}: PyTorch, {t} thread(s) (load {loadavg()})", file=sys.stderr)
                ts.append(run_json(["/usr/bin/python3", "bench/torch_train.py", "--model", model, "--threads", str(t)] + common, torch_env))
            torch_info = {k: ts[0][k] for k in ("torch", "blas", "openblas_coretype")}
            loads.append(loadavg())
            rounds.append((c, ts))
            raw["runs"].append({"workload": name, "round": r + 1, "convlab": c, "torch": ts, "load": loads[-1]})
            save(a.json_out, raw)
        rows.append((name, epochs, rounds))

    lat_rows = []
    if a.latency_iters > 0:
        for model in LATENCY_MODELS:
            rs = []
            for r in range(a.rounds):
                print(f"== latency {model} round {r + 1}/{a.rounds} (load {loadavg()})", file=sys.stderr)
                c = run_json(["./convlab", "bench", "latency", "--model", model, "--iters", str(a.latency_iters), "--json"], convlab_env)
                ts = [run_json(["/usr/bin/python3", "bench/torch_train.py", "--model", model, "--threads", str(t),
                                "--latency", str(a.latency_iters)], torch_env) for t in (1, 2)]
                rs.append((c, ts))
                loads.append(loadavg())
                raw["runs"].append({"latency": model, "round": r + 1, "convlab": c, "torch": ts, "load": loads[-1]})
                save(a.json_out, raw)
            lat_rows.append((model, rs))

    blas = torch_info.get("blas", "?")
    blas_note = ("" if "openblas" in blas.lower() else
                 " **PyTorch did not load OpenBLAS** (reference BLAS: its Linear layers are far slower than a user's"
                 " PyTorch; install libopenblas0-pthread or pass --torch-lib).")
    lines = [
        f"Measured {datetime.datetime.now(datetime.timezone.utc):%Y-%m-%d %H:%M} UTC on **{machine['cpu']}** "
        f"({machine['cpus']} CPUs, {machine['vector_flags']}, convlab kernels with {machine['vector_bits_used']}-bit vectors, "
        f"{machine['caches']}), measured FMA peak {peak:.0f} GFLOP/s per core; load average during the run "
        f"{min(loads, key=float)}–{max(loads, key=float)}.",
        *([f"**AVX2 emulated on this AVX-512 CPU** (`--isa avx2`): convlab's kernels forced to 256-bit vectors "
           f"and its JIT to AVX2 instructions (-Dconvlab.vector.bits=256 -XX:UseAVX=2), PyTorch with OpenBLAS's {coretype} kernels and oneDNN capped at AVX2 "
           f"(ONEDNN_MAX_CPU_ISA=AVX2); the FMA peak is that of 256-bit vectors. The instruction sets of an AVX2 "
           f"machine, not its cores, caches or clock."] if emulated else []),
        f"convlab with {a.threads} threads; PyTorch {torch_info.get('torch', '?')} at its best of 1 and 2 threads, BLAS "
        f"`{os.path.basename(blas.split(',')[-1].strip()) if blas else '?'}` with OPENBLAS_CORETYPE={coretype or 'unset'} "
        f"(set by compare.py for PyTorch only; the environment had {env_coretype}).{blas_note}",
        f"Batch {a.batch}, SGD momentum 0.9, seed 1; {a.rounds} interleaved rounds: median (min–max); a ratio is the "
        f"median of the per-round ratios. Command: `/usr/bin/python3 bench/compare.py"
        + (f" --epochs {a.epochs}" if a.epochs else "") + (f" --rounds {a.rounds}" if a.rounds != 3 else "")
        + (" --isa avx2" if a.isa == "avx2" else "") + "`.",
        "",
        "| workload | epochs | train img/s convlab | PyTorch | ratio | GFLOP/s (of peak) convlab / PyTorch | inference img/s convlab | PyTorch | ratio | GFLOP/s (of peak) convlab / PyTorch | test acc convlab / PyTorch | peak RSS MB convlab / PyTorch |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for name, epochs, rounds in rows:
        infer_macs, train_macs = model_macs(rounds[0][0]["model"])
        ct = [c["train_images_per_s"] for c, _ in rounds]
        ci = [c["infer_images_per_s"] for c, _ in rounds]
        bt = [max(ts, key=lambda x: x["train_images_per_s"]) for _, ts in rounds]
        bi = [max(ts, key=lambda x: x["infer_images_per_s"]) for _, ts in rounds]
        pt, pi = [b["train_images_per_s"] for b in bt], [b["infer_images_per_s"] for b in bi]
        rt = med([x / y for x, y in zip(ct, pt)])
        ri = med([x / y for x, y in zip(ci, pi)])
        tcores, tlabel = torch_cores(bt, "train_cpu_cores", machine["cpus"])
        icores, ilabel = torch_cores(bi, "infer_cpu_cores", machine["cpus"])

        def gf(rate, cores, macs):
            g = rate * macs * 2 / 1e9
            return f"{g:.1f} ({g / (peak * cores):.1%})"
        lines.append(
            f"| {name} | {epochs} | {spread(ct)} | {spread(pt)} ({tlabel}) | **{rt:.2f}×** | "
            f"{gf(med(ct), a.threads, train_macs)} / {gf(med(pt), tcores, train_macs)} | {spread(ci)} | {spread(pi)} ({ilabel}) | **{ri:.2f}×** | "
            f"{gf(med(ci), a.threads, infer_macs)} / {gf(med(pi), icores, infer_macs)} | "
            f"{med([c['test_acc'] for c, _ in rounds]):.4f} / {med([b['test_acc'] for b in bt]):.4f} | "
            f"{med([c['peak_rss_mb'] for c, _ in rounds]):.0f} / {med([max(t['peak_rss_mb'] for t in ts) for _, ts in rounds]):.0f} |")
    if lat_rows:
        lines += ["", f"Single-image latency (batch 1 inference, {a.latency_iters} timed calls after untimed ones for at least 2 s and 2,000 calls (the same rule on both sides: steady state, as a server sees it), per round; "
                      "convlab 1 thread, PyTorch best of 1 and 2 threads by median): median of the rounds' medians and of their p99s.", "",
                  "| model | convlab median µs | PyTorch | ratio | convlab p99 µs | PyTorch | ratio |",
                  "|---|---:|---:|---:|---:|---:|---:|"]
        for model, rs in lat_rows:
            cm = [c["median_us"] for c, _ in rs]
            cp = [c["p99_us"] for c, _ in rs]
            best = [min(ts, key=lambda x: x["median_us"]) for _, ts in rs]
            tm, tp = [b["median_us"] for b in best], [b["p99_us"] for b in best]
            lines.append(f"| {model} | {spread(cm, '{:,.1f}')} | {spread(tm, '{:,.1f}')} | **{med([x / y for x, y in zip(cm, tm)]):.2f}×** | "
                         f"{spread(cp, '{:,.0f}')} | {spread(tp, '{:,.0f}')} | **{med([x / y for x, y in zip(cp, tp)]):.2f}×** |")
        lines.append("")
        lines.append("(Latency ratios are convlab / PyTorch time: below 1 is faster; throughput ratios above 1 are faster.)")
    table = "\n".join(lines)
    print(table)
    with open(os.path.join(ROOT, "bench", "results.md"), "w") as f:
        f.write(table + "\n")
    save(a.json_out, raw)


def save(path, raw):
    """The raw runs so far (after every round: an interrupted run keeps what it measured)."""
    if path:
        with open(path, "w") as f:
            json.dump(raw, f, indent=1)


if __name__ == "__main__":
    main()
