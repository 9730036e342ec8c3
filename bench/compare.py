#!/usr/bin/env python3
"""Side-by-side training benchmark: convlab against PyTorch on identical work, on this machine.

    /usr/bin/python3 bench/compare.py                 # all workloads, their full epochs
    /usr/bin/python3 bench/compare.py --epochs 1 mlp  # one workload, shorter

For each workload it runs `./convlab train --json` (2 threads) and bench/torch_train.py with 1 and 2
threads (PyTorch reported at its best), one after another in this one run, and prints a table of
throughputs, accuracies, peak memory and the ratios convlab/PyTorch. The same table is written as
Markdown to bench/results.md for the README.
"""
import argparse, datetime, json, os, platform, subprocess, sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

# name -> (convlab --model value, epochs, lr); the same hyperparameters go to both sides.
WORKLOADS = {
    "mlp": ("mlp", 3, 0.01),
    "course-cnn": ("course-cnn", 5, 0.05),
    "wide-bn": ("wide-bn", 3, 0.05),
}


def run_json(cmd):
    out = subprocess.run(cmd, cwd=ROOT, check=True, stdout=subprocess.PIPE, text=True).stdout
    return json.loads(out)


def cpu_name():
    try:
        for line in open("/proc/cpuinfo"):
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor()


def main():
    p = argparse.ArgumentParser()
    p.add_argument("workloads", nargs="*", default=list(WORKLOADS))
    p.add_argument("--epochs", type=int, help="override every workload's epochs (throughput needs only 1)")
    p.add_argument("--batch", type=int, default=64)
    p.add_argument("--threads", type=int, default=2, help="convlab's threads (PyTorch tries 1 and 2)")
    a = p.parse_args()
    rows = []
    for name in a.workloads:
        model, epochs, lr = WORKLOADS[name]
        epochs = a.epochs or epochs
        common = ["--epochs", str(epochs), "--batch", str(a.batch), "--lr", str(lr), "--momentum", "0.9", "--seed", "1"]
        print(f"== {name}: convlab, {a.threads} threads", file=sys.stderr)
        c = run_json(["./convlab", "train", "--model", model, "--threads", str(a.threads), "--json"] + common)
        torch_runs = []
        for t in (1, 2):
            print(f"== {name}: PyTorch, {t} thread(s)", file=sys.stderr)
            torch_runs.append(run_json(["/usr/bin/python3", "bench/torch_train.py", "--model", model, "--threads", str(t)] + common))
        best_train = max(torch_runs, key=lambda r: r["train_images_per_s"])
        best_infer = max(torch_runs, key=lambda r: r["infer_images_per_s"])
        rows.append((name, epochs, c, best_train, best_infer))
    lines = [
        f"Measured {datetime.date.today()} on {cpu_name()} ({os.cpu_count()} cores), "
        f"convlab with {a.threads} threads, PyTorch {rows[0][3]['torch'] if rows else '?'} at its best of 1 and 2 threads; "
        f"batch {a.batch}, SGD momentum 0.9, seed 1. Command: `/usr/bin/python3 bench/compare.py"
        + (f" --epochs {a.epochs}" if a.epochs else "") + "`.",
        "",
        "| workload | epochs | train img/s convlab | PyTorch | ratio | inference img/s convlab | PyTorch | ratio | test acc convlab | PyTorch | peak RSS MB convlab | PyTorch |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for name, epochs, c, bt, bi in rows:
        lines.append(
            f"| {name} | {epochs} | {c['train_images_per_s']:,.0f} | {bt['train_images_per_s']:,.0f} ({bt['threads']}t) | "
            f"**{c['train_images_per_s'] / bt['train_images_per_s']:.2f}×** | {c['infer_images_per_s']:,.0f} | "
            f"{bi['infer_images_per_s']:,.0f} ({bi['threads']}t) | **{c['infer_images_per_s'] / bi['infer_images_per_s']:.2f}×** | "
            f"{c['test_acc']:.4f} | {bt['test_acc']:.4f} | {c['peak_rss_mb']:.0f} | {bt['peak_rss_mb']:.0f} |")
    table = "\n".join(lines)
    print(table)
    with open(os.path.join(ROOT, "bench", "results.md"), "w") as f:
        f.write(table + "\n")


if __name__ == "__main__":
    main()
