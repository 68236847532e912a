#!/usr/bin/env python3
"""Reference outputs of the two VNN-COMP 2023 ViT models at the centre of every shipped
instance's input box, computed by onnxruntime (float32, the runtime VNN-COMP checks
counterexamples with). Writes Tests/Fixtures/vit/centre_outputs.json; the Swift tests
read that file and never need Python.

Usage: pip install onnx onnxruntime numpy; scripts/reference/vit_reference.py [SHARED]
(SHARED defaults to ../shared next to the repository).

The centre is (lower + upper) / 2 of each X_i in float64, as the Swift test computes it;
onnxruntime receives it rounded to float32 (the model's input type).
"""
import gzip, json, os, re, sys
import numpy as np
import onnxruntime as ort

root = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
shared = sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(root), "shared")
bench = os.path.join(shared, "benchmarks", "vnncomp2023-vit")
bound = re.compile(rb"\(assert \((<=|>=) X_(\d+) ([-+0-9.eE]+)\)\)")

sessions = {}
rows = []
with open(os.path.join(bench, "instances.csv")) as f:
    for line in f:
        if not line.strip():
            continue
        onnx, vnnlib, _ = line.strip().split(",")
        if onnx not in sessions:
            with gzip.open(os.path.join(bench, onnx + ".gz")) as m:
                sessions[onnx] = ort.InferenceSession(m.read(), providers=["CPUExecutionProvider"])
        with gzip.open(os.path.join(bench, vnnlib + ".gz")) as v:
            text = v.read()
        lo = np.full(3072, np.nan)
        hi = np.full(3072, np.nan)
        for op, i, val in bound.findall(text):
            (hi if op == b"<=" else lo)[int(i)] = float(val)
        assert not np.isnan(lo).any() and not np.isnan(hi).any(), vnnlib
        centre = (lo + hi) / 2
        y = sessions[onnx].run(None, {"input": centre.reshape(1, 3, 32, 32).astype(np.float32)})[0][0]
        label = int(re.search(rb"label: (\d+)", text).group(1))
        rows.append({"onnx": onnx, "vnnlib": vnnlib, "label": label,
                     "output": [float(t) for t in y], "argmax": int(np.argmax(y))})

out = os.path.join(root, "Tests", "Fixtures", "vit", "centre_outputs.json")
with open(out, "w") as f:
    json.dump({"generator": "scripts/reference/vit_reference.py",
               "runtime": "onnxruntime " + ort.__version__ + " (float32, CPU)",
               "instances": rows}, f, indent=1)
print(f"wrote {len(rows)} instances to {out}")
