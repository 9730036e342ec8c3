#!/usr/bin/env python3
"""Writes the committed seed corpora of the Jazzer fuzz targets (no dependencies beyond Python 3).

    python3 tools/fuzz/make_seed_corpus.py

Seeds are small valid files (so the fuzzer starts from deep inside the parser) plus a few broken
ones near the interesting edges. The normal test run replays every seed; files Jazzer adds while
fuzzing (crashes turned into regression tests) live beside them and are kept.
"""
import gzip
import json
import os
import struct

ROOT = os.path.join(os.path.dirname(__file__), "..", "..", "core", "src", "test", "resources")


def write(folder, name, data):
    os.makedirs(folder, exist_ok=True)
    with open(os.path.join(folder, name), "wb") as f:
        f.write(data)


def safetensors(entries, metadata=None, pad=True):
    """entries: list of (name, dtype, shape, raw bytes). Returns file bytes laid out like the reference writer."""
    header, data, offset = {}, b"", 0
    if metadata:
        header["__metadata__"] = metadata
    for name, dtype, shape, raw in entries:
        header[name] = {"dtype": dtype, "shape": shape, "data_offsets": [offset, offset + len(raw)]}
        data += raw
        offset += len(raw)
    text = json.dumps(header, separators=(",", ":")).encode()
    if pad:
        text += b" " * (-len(text) % 8)
    return struct.pack("<Q", len(text)) + text + data


def raw_header(header, data_bytes):
    """A file with exactly this header (which may lie) and data_bytes zero bytes."""
    text = json.dumps(header, separators=(",", ":")).encode()
    return struct.pack("<Q", len(text)) + text + b"\0" * data_bytes


def safetensors_seeds():
    out = os.path.join(ROOT, "convlab", "io", "SafetensorsFuzzTestInputs", "read")
    f32 = struct.pack("<4f", 1.0, -2.5, 0.0, 3.25)
    f64 = struct.pack("<2d", 0.1, -1e300)
    seeds = {
        "empty-header": safetensors([]),
        "one-f32-matrix": safetensors([("w", "F32", [2, 2], f32)]),
        "f32-f64-metadata": safetensors([("0.weight", "F32", [2, 2], f32), ("0.bias", "F64", [2], f64)],
                                        {"convlab.spec": "FC-2", "format": "pt"}),
        "f16-bf16-scalar-empty": safetensors([("h", "F16", [2], struct.pack("<2H", 0x3C00, 0xFC00)),
                                              ("b", "BF16", [], struct.pack("<H", 0x4040)),
                                              ("e", "F32", [0, 5], b"")]),
        "unpadded": safetensors([("x", "F32", [1], struct.pack("<f", 7.0))], pad=False),
        "truncated": safetensors([("w", "F32", [2, 2], f32)])[:-3],
        "overlap": raw_header({"a": {"dtype": "F32", "shape": [1], "data_offsets": [0, 4]},
                               "b": {"dtype": "F32", "shape": [1], "data_offsets": [2, 6]}}, 6),
        "huge-header-length": struct.pack("<Q", 2**63 - 1) + b"{}",
        "huge-shape": safetensors([("w", "F32", [2**31 - 1, 2**31 - 1], f32)]),
    }
    for name, data in seeds.items():
        write(out, name, data)


def idx(dims, values):
    return bytes([0, 0, 8, len(dims)]) + b"".join(struct.pack(">I", d) for d in dims) + bytes(values)


def idx_seeds():
    out = os.path.join(ROOT, "convlab", "data", "IdxFuzzTestInputs", "read")
    labels = idx([5], [0, 1, 9, 3, 255])
    images = idx([2, 3, 2], list(range(0, 240, 20)))
    seeds = {
        "labels": labels,
        "images": images,
        "labels-gzip": gzip.compress(labels, mtime=0),
        "images-gzip": gzip.compress(images, mtime=0),
        "empty-images": idx([0, 28, 28], []),
        "truncated-images": images[:-4],
        "huge-dims": bytes([0, 0, 8, 3]) + struct.pack(">3I", 0xFFFFFFFF, 0xFFFFFFFF, 0xFFFFFFFF),
        "gzip-truncated": gzip.compress(images, mtime=0)[:-6],
    }
    for name, data in seeds.items():
        write(out, name, data)


if __name__ == "__main__":
    safetensors_seeds()
    idx_seeds()
