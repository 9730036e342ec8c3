#!/usr/bin/python3
"""Proves the safetensors interchange between PyTorch and convlab, both ways, on a small network.

    /usr/bin/python3 tools/pytorch/safetensors_interchange.py

1. PyTorch -> convlab: builds nn.Sequential(Linear(4, 8), ReLU(), Linear(8, 3)) with a fixed seed and
   writes its state_dict as torch_model.safetensors, and an input batch with PyTorch's outputs as
   torch_io.safetensors. PyTorchInterchangeTest loads the model into convlab and reproduces the outputs.
2. convlab -> PyTorch: reads convlab_model.safetensors and convlab_io.safetensors (written by convlab;
   PyTorchInterchangeTest checks the committed bytes are exactly what convlab writes; regenerate with
   CONVLAB_REGEN_FIXTURES=1 mvn -o test -pl core -Dtest=PyTorchInterchangeTest), loads the weights into
   the same PyTorch network with load_state_dict, and checks its predictions match convlab's.
   Exits 1 when they do not.

The format is read and written by hand (struct + json), as the safetensors package is not installed
here; the layout is the reference one: 8-byte little-endian header length, JSON header padded with
spaces to a multiple of 8, tensors in header order.
"""
import json
import os
import struct
import sys

import numpy as np
import torch

HERE = os.path.dirname(os.path.abspath(__file__))
FIXTURES = os.path.join(HERE, "..", "..", "core", "src", "test", "resources", "fixtures", "io")
DTYPES = {torch.float32: ("F32", "<f4"), torch.float64: ("F64", "<f8")}
NUMPY = {"F32": "<f4", "F64": "<f8", "F16": "<f2"}


def save(path, tensors, metadata=None):
    header, chunks, offset = {}, [], 0
    if metadata:
        header["__metadata__"] = metadata
    for name, t in tensors.items():
        code, np_type = DTYPES[t.dtype]
        raw = t.detach().contiguous().numpy().astype(np_type).tobytes()
        header[name] = {"dtype": code, "shape": list(t.shape), "data_offsets": [offset, offset + len(raw)]}
        chunks.append(raw)
        offset += len(raw)
    text = json.dumps(header, separators=(",", ":")).encode()
    text += b" " * (-len(text) % 8)
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(text)) + text + b"".join(chunks))


def load(path):
    with open(path, "rb") as f:
        data = f.read()
    (n,) = struct.unpack("<Q", data[:8])
    header = json.loads(data[8:8 + n])
    metadata = header.pop("__metadata__", {})
    base = 8 + n
    tensors = {}
    for name, info in header.items():
        begin, end = info["data_offsets"]
        array = np.frombuffer(data[base + begin:base + end], dtype=NUMPY[info["dtype"]]).reshape(info["shape"])
        tensors[name] = torch.from_numpy(array.copy())
    return tensors, metadata


def network():
    return torch.nn.Sequential(torch.nn.Linear(4, 8), torch.nn.ReLU(), torch.nn.Linear(8, 3))


def torch_to_convlab():
    torch.manual_seed(1234)
    model = network()
    x = torch.randn(5, 4)
    with torch.no_grad():
        y = model(x)
    save(os.path.join(FIXTURES, "torch_model.safetensors"), model.state_dict(), {"format": "pt"})
    save(os.path.join(FIXTURES, "torch_io.safetensors"), {"input": x, "output": y})
    print("wrote torch_model.safetensors and torch_io.safetensors")


def convlab_to_torch():
    model_path = os.path.join(FIXTURES, "convlab_model.safetensors")
    if not os.path.exists(model_path):
        print("convlab_model.safetensors not there yet: run CONVLAB_REGEN_FIXTURES=1 mvn -o test -pl core -Dtest=PyTorchInterchangeTest")
        return False
    state, metadata = load(model_path)
    io, _ = load(os.path.join(FIXTURES, "convlab_io.safetensors"))
    model = network()
    model.load_state_dict(state)   # strict: every name and shape must match
    with torch.no_grad():
        y = model(io["input"])
    diff = (y - io["output"]).abs().max().item()
    same_class = bool((y.argmax(1) == io["output"].argmax(1)).all())
    print(f"convlab -> PyTorch: metadata {metadata}; max |torch - convlab| = {diff:.3g}; same predicted classes: {same_class}")
    return diff <= 1e-5 and same_class


if __name__ == "__main__":
    os.makedirs(FIXTURES, exist_ok=True)
    torch_to_convlab()
    sys.exit(0 if convlab_to_torch() else 1)
