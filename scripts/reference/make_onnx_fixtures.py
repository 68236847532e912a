#!/usr/bin/env python3
"""Writes the ONNX decoder's test fixtures and their expected decoded values.

Usage: python3 scripts/reference/make_onnx_fixtures.py [VIT_ONNX_DIR]
(needs the `onnx` and `numpy` packages; the Swift tests never run Python).

Outputs, under Tests/Fixtures/onnx/:
- typed.onnx: tensors in every typed field (float_data, double_data, int64_data,
  int32_data for INT8/BOOL/FLOAT16, uint64_data, string_data) and in raw_data, an empty
  and a scalar tensor, a dim_param input, and a node for every attribute kind.
- external.onnx + external.bin: three initializers whose data live in external.bin
  (at offsets 0, 48 and 72).
- expected.json: the decoded values of both, computed with onnx.numpy_helper.
- vit_reference.json: structure and sampled weights of the two shipped VNN-COMP ViT
  models (read from VIT_ONNX_DIR, default ../shared/benchmarks/vnncomp2023-vit/onnx beside the repository).
Floating values are written with float.hex() so they compare exactly.
"""
import collections
import gzip
import json
import os
import sys

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
OUT = os.path.join(ROOT, "Tests", "Fixtures", "onnx")


def hexes(a):
    return [float(x).hex() for x in np.asarray(a, dtype=np.float64).ravel()]


def tensor_json(t, base_dir=None):
    arr = numpy_helper.to_array(t, base_dir=base_dir) if base_dir else numpy_helper.to_array(t)
    entry = {"name": t.name, "data_type": t.data_type, "dims": list(t.dims)}
    if t.data_type in (TensorProto.FLOAT, TensorProto.DOUBLE, TensorProto.FLOAT16, TensorProto.BFLOAT16):
        entry["floating"] = hexes(arr.astype(np.float64))
    elif t.data_type == TensorProto.STRING:
        entry["strings"] = [s.decode() if isinstance(s, bytes) else str(s) for s in arr.ravel()]
    else:
        entry["integer"] = [int(x) for x in arr.ravel()]
    return entry


def attribute_json(a):
    kind = helper.get_attribute_value  # noqa: F841 (documentation)
    names = {v: k for k, v in onnx.AttributeProto.AttributeType.items()}
    out = {"name": a.name, "kind": names[a.type]}
    if a.type == onnx.AttributeProto.FLOAT:
        out["value"] = float(np.float32(a.f)).hex()
    elif a.type == onnx.AttributeProto.INT:
        out["value"] = a.i
    elif a.type == onnx.AttributeProto.STRING:
        out["value"] = a.s.decode()
    elif a.type == onnx.AttributeProto.TENSOR:
        out["value"] = tensor_json(a.t)
    elif a.type == onnx.AttributeProto.FLOATS:
        out["value"] = [float(np.float32(x)).hex() for x in a.floats]
    elif a.type == onnx.AttributeProto.INTS:
        out["value"] = list(a.ints)
    elif a.type == onnx.AttributeProto.STRINGS:
        out["value"] = [s.decode() for s in a.strings]
    elif a.type == onnx.AttributeProto.TENSORS:
        out["value"] = [tensor_json(t) for t in a.tensors]
    return out


def value_info_json(v):
    tt = v.type.tensor_type
    dims = []
    for d in tt.shape.dim:
        if d.HasField("dim_value"):
            dims.append({"value": d.dim_value})
        elif d.HasField("dim_param"):
            dims.append({"param": d.dim_param})
        else:
            dims.append({})
    return {"name": v.name, "elem_type": tt.elem_type, "dims": dims}


def model_json(m, base_dir=None):
    g = m.graph
    return {
        "ir_version": m.ir_version,
        "opsets": [{"domain": o.domain, "version": o.version} for o in m.opset_import],
        "producer_name": m.producer_name,
        "graph_name": g.name,
        "inputs": [value_info_json(v) for v in g.input],
        "outputs": [value_info_json(v) for v in g.output],
        "nodes": [{"name": n.name, "op_type": n.op_type, "domain": n.domain, "inputs": list(n.input),
                   "outputs": list(n.output), "attributes": [attribute_json(a) for a in n.attribute]}
                  for n in g.node],
        "initializers": [tensor_json(t, base_dir) for t in g.initializer],
    }


def typed_model():
    f32 = np.array([1.5, -2.25, 3.0e-8, 1.0 / 3.0], dtype=np.float32)
    inits = [
        helper.make_tensor("f_float_data", TensorProto.FLOAT, [2, 2], f32.tolist()),
        helper.make_tensor("f_raw", TensorProto.FLOAT, [4], f32.tobytes(), raw=True),
        helper.make_tensor("d_double_data", TensorProto.DOUBLE, [3], [0.1, -1e300, 5e-324]),
        helper.make_tensor("i64_int64_data", TensorProto.INT64, [3], [-9223372036854775808, 7, 9223372036854775807]),
        helper.make_tensor("i64_raw", TensorProto.INT64, [2], np.array([-1, 2**40], dtype=np.int64).tobytes(), raw=True),
        helper.make_tensor("i32_int32_data", TensorProto.INT32, [2], [-2147483648, 2147483647]),
        helper.make_tensor("i8_int32_data", TensorProto.INT8, [3], [-128, 0, 127]),
        helper.make_tensor("u8_raw", TensorProto.UINT8, [3], bytes([0, 200, 255]), raw=True),
        helper.make_tensor("bool_int32_data", TensorProto.BOOL, [3], [True, False, True]),
        helper.make_tensor("h_int32_data", TensorProto.FLOAT16, [3], np.array([1.0, -0.5, 65504.0], dtype=np.float16)),
        helper.make_tensor("h_raw", TensorProto.FLOAT16, [2], np.array([6.1e-5, -3.0], dtype=np.float16).tobytes(), raw=True),
        helper.make_tensor("u32_uint64_data", TensorProto.UINT32, [2], [0, 4294967295]),
        helper.make_tensor("s_string_data", TensorProto.STRING, [2], [b"alpha", b"beta"]),
        helper.make_tensor("empty", TensorProto.FLOAT, [0, 3], []),
        helper.make_tensor("scalar", TensorProto.DOUBLE, [], [2.5]),
    ]
    x = helper.make_tensor_value_info("x", TensorProto.FLOAT, ["batch", 4])
    y = helper.make_tensor_value_info("y", TensorProto.FLOAT, ["batch", 4])
    then_graph = helper.make_graph([helper.make_node("Identity", ["x"], ["t_out"])], "then",
                                   [], [helper.make_tensor_value_info("t_out", TensorProto.FLOAT, None)])
    nodes = [
        helper.make_node("Add", ["x", "f_raw"], ["a"], name="add0"),
        helper.make_node("Custom", ["a"], ["b"], name="every_kind", domain="certmax.test",
                         alpha=0.1, count=-3, mode="edge",
                         value=helper.make_tensor("v", TensorProto.INT64, [2], [4, 5]),
                         scales=[1.0, 0.5, -2.0], axes=[0, -1, 2**40], labels=["a", "bc"],
                         pair=[helper.make_tensor("p0", TensorProto.FLOAT, [1], [1.0]),
                               helper.make_tensor("p1", TensorProto.DOUBLE, [1], [2.0])]),
        helper.make_node("If", ["cond"], ["c"], name="branch", then_branch=then_graph, else_branch=then_graph),
        helper.make_node("Identity", ["b"], ["y"]),
    ]
    cond = helper.make_tensor_value_info("cond", TensorProto.BOOL, [])
    graph = helper.make_graph(nodes, "typed_graph", [x, cond], [y], inits,
                              value_info=[helper.make_tensor_value_info("a", TensorProto.FLOAT, ["batch", None])])
    return helper.make_model(graph, producer_name="certmax-fixtures",
                             opset_imports=[helper.make_opsetid("", 17), helper.make_opsetid("certmax.test", 1)])


def external_model():
    from onnx.external_data_helper import convert_model_to_external_data
    w = np.arange(12, dtype=np.float32).reshape(3, 4) / 8.0
    b = np.array([-1.0, 0.5, 2.0e10], dtype=np.float64)
    inits = [numpy_helper.from_array(w, "w"), numpy_helper.from_array(b, "b"),
             numpy_helper.from_array(np.array([3], dtype=np.int64), "small")]
    x = helper.make_tensor_value_info("x", TensorProto.FLOAT, [1, 3])
    y = helper.make_tensor_value_info("y", TensorProto.FLOAT, [1, 4])
    graph = helper.make_graph([helper.make_node("MatMul", ["x", "w"], ["y"])], "external_graph", [x], [y], inits)
    m = helper.make_model(graph, producer_name="certmax-fixtures", opset_imports=[helper.make_opsetid("", 13)])
    # All three go to external.bin, one after the other.
    convert_model_to_external_data(m, all_tensors_to_one_file=True, location="external.bin", size_threshold=16)
    return m


def vit_json(path):
    m = onnx.load_from_string(gzip.open(path).read())
    g = m.graph
    inits = []
    for t in g.initializer:
        arr = numpy_helper.to_array(t).astype(np.float64).ravel()
        n = arr.size
        idx = sorted({0, 1, n // 2, n - 1}) if n else []
        inits.append({"name": t.name, "data_type": t.data_type, "dims": list(t.dims),
                      "samples": [[i, float(arr[i]).hex()] for i in idx]})
    return {
        "file": os.path.basename(path),
        "ir_version": m.ir_version,
        "opsets": [{"domain": o.domain, "version": o.version} for o in m.opset_import],
        "producer_name": m.producer_name,
        "inputs": [value_info_json(v) for v in g.input],
        "outputs": [value_info_json(v) for v in g.output],
        "node_count": len(g.node),
        "op_counts": dict(sorted(collections.Counter(n.op_type for n in g.node).items())),
        "op_types": [n.op_type for n in g.node],
        # Attributes of the non-Constant nodes (Constant values are checked via their count).
        "attributes": {n.output[0]: [attribute_json(a) for a in n.attribute]
                       for n in g.node if n.op_type != "Constant" and n.attribute},
        "initializers": inits,
    }


def main():
    os.makedirs(OUT, exist_ok=True)
    typed = typed_model()
    onnx.checker.check_model(typed)
    onnx.save(typed, os.path.join(OUT, "typed.onnx"))
    ext = external_model()
    if os.path.exists(os.path.join(OUT, "external.bin")):
        os.remove(os.path.join(OUT, "external.bin"))  # onnx.save appends to an existing file
    onnx.save(ext, os.path.join(OUT, "external.onnx"))
    # Decode from the files written, as the Swift side will.
    expected = {
        "typed": model_json(onnx.load(os.path.join(OUT, "typed.onnx"))),
        "external": model_json(onnx.load(os.path.join(OUT, "external.onnx"), load_external_data=True)),
    }
    with open(os.path.join(OUT, "expected.json"), "w") as f:
        json.dump(expected, f, indent=1, sort_keys=True)
    vit_dir = sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))), "shared", "benchmarks", "vnncomp2023-vit", "onnx")
    vits = [vit_json(os.path.join(vit_dir, n)) for n in ("pgd_2_3_16.onnx.gz", "ibp_3_3_8.onnx.gz")]
    with open(os.path.join(OUT, "vit_reference.json"), "w") as f:
        json.dump(vits, f, sort_keys=True, separators=(",", ":"))
    os.chmod(os.path.join(OUT, "external.bin"), 0o644)
    print("wrote", sorted(os.listdir(OUT)), "onnx", onnx.__version__)


if __name__ == "__main__":
    main()
