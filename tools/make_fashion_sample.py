#!/usr/bin/env python3
"""Makes the Fashion-MNIST sample embedded in convlab (data-sample/src/main/resources/convlab/data/fashion-mnist-sample/).

Source: the full Fashion-MNIST IDX files of Debian's dataset-fashion-mnist package
(/usr/share/datasets/fashion-mnist/*.gz), or another directory given as the first argument.

Selection (deterministic, no randomness): the first TRAIN_PER_CLASS training images of each class and the
first TEST_PER_CLASS test images of each class, kept in their original file order. Output files are gzip IDX
with a fixed gzip timestamp, so rerunning the script reproduces the committed files byte for byte.

Usage: python3 tools/make_fashion_sample.py [SOURCE_DIR]
"""
import gzip
import os
import struct
import sys

TRAIN_PER_CLASS = 600   # 6000 training images
TEST_PER_CLASS = 100    # 1000 test images
CLASSES = 10

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
OUT = os.path.join(ROOT, "data-sample/src/main/resources/convlab/data/fashion-mnist-sample")


def read_idx(path):
    with gzip.open(path, "rb") as f:
        data = f.read()
    zero, dtype, rank = struct.unpack(">HBB", data[:4])
    if zero != 0 or dtype != 0x08:
        raise SystemExit(f"{path}: not an unsigned-byte IDX file")
    dims = struct.unpack(">" + "I" * rank, data[4:4 + 4 * rank])
    body = data[4 + 4 * rank:]
    size = 1
    for d in dims:
        size *= d
    if len(body) != size:
        raise SystemExit(f"{path}: header declares {size} values, file has {len(body)}")
    return dims, body


def write_idx(path, dims, body):
    header = struct.pack(">HBB", 0, 0x08, len(dims)) + struct.pack(">" + "I" * len(dims), *dims)
    with open(path, "wb") as raw:
        # mtime=0 and no file name in the gzip header: reproducible bytes.
        with gzip.GzipFile(filename="", mode="wb", fileobj=raw, mtime=0, compresslevel=9) as f:
            f.write(header + body)


def sample(src, prefix, per_class):
    (n, rows, cols), images = read_idx(os.path.join(src, f"{prefix}-images-idx3-ubyte.gz"))
    (n_labels,), labels = read_idx(os.path.join(src, f"{prefix}-labels-idx1-ubyte.gz"))
    if n != n_labels:
        raise SystemExit(f"{prefix}: {n} images but {n_labels} labels")
    taken = [0] * CLASSES
    chosen = []
    for i, y in enumerate(labels):
        if taken[y] < per_class:
            taken[y] += 1
            chosen.append(i)
    if min(taken) < per_class:
        raise SystemExit(f"{prefix}: not enough images per class: {taken}")
    pixels = rows * cols
    out_images = b"".join(images[i * pixels:(i + 1) * pixels] for i in chosen)
    out_labels = bytes(labels[i] for i in chosen)
    write_idx(os.path.join(OUT, f"{prefix}-images-idx3-ubyte.gz"), (len(chosen), rows, cols), out_images)
    write_idx(os.path.join(OUT, f"{prefix}-labels-idx1-ubyte.gz"), (len(chosen),), out_labels)
    print(f"{prefix}: {len(chosen)} of {n} images ({per_class} per class), last source index {chosen[-1]}")


def main():
    src = sys.argv[1] if len(sys.argv) > 1 else "/usr/share/datasets/fashion-mnist"
    os.makedirs(OUT, exist_ok=True)
    sample(src, "train", TRAIN_PER_CLASS)
    sample(src, "t10k", TEST_PER_CLASS)


if __name__ == "__main__":
    main()
