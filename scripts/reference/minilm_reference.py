#!/usr/bin/env python3
"""Independent numpy reference for all-MiniLM-L6-v2 as a whole model: the BERT embeddings,
the six encoder layers (self-attention block with residual + LayerNorm, then the exact-erf
GELU feed-forward with residual + LayerNorm) and the pooler (dense + tanh on [CLS]), in
float64 from the stored float32 weights, for the 11-token sentence
"The quick brown fox jumps over the lazy dog" ([CLS] ... [SEP], the sentence of
specs/minilm-layer0.json).

It shares no code with Certmax: it parses the safetensors header itself (struct + json +
numpy.frombuffer), uses the token ids of the official HuggingFace tokenizer (the ids of
Tests/Fixtures/minilm/layer0_reference.json without the final "."), math.erf for GELU.

Writes Tests/Fixtures/minilm/model_reference.json (committed; kept small): for every stage
(embeddings, encoder.layer.0 ... encoder.layer.5, pooler) the values of all tokens at the
selected dimensions (every 16th, plus the last), the full pooler output, and whole-tensor
checksums (sum, sum of squares, max |x|) that catch a mistake in any entry. Also records
how far a float32 pipeline (as PyTorch runs by default) is from float64 after every stage.

Usage: scripts/reference/minilm_reference.py [--model-dir DIR] [--output FILE]
(DIR defaults to $CERTMAX_CACHE/minilm or <repo>/.cache/minilm; run
scripts/fetch-minilm.sh first). Needs only numpy.
"""
import argparse, json, math, os, struct
import numpy as np

SENTENCE = "The quick brown fox jumps over the lazy dog"
# tokenizers 0.23.3 ids (Tests/Fixtures/minilm/layer0_reference.json minus the "." = 1012).
TOKEN_IDS = [101, 1996, 4248, 2829, 4419, 14523, 2058, 1996, 13971, 3899, 102]
HEADS = 12
LAYERS = 6

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))


def load_safetensors(path):
    with open(path, "rb") as f:
        raw = f.read()
    (n,) = struct.unpack("<Q", raw[:8])
    header = json.loads(raw[8:8 + n].decode("utf-8"))
    base = 8 + n
    tensors = {}
    for name, e in header.items():
        if name == "__metadata__" or e["dtype"] != "F32":
            continue
        b, end = e["data_offsets"]
        a = np.frombuffer(raw, dtype="<f4", count=(end - b) // 4, offset=base + b)
        tensors[name] = a.reshape(e["shape"])
    return tensors


def layer_norm(x, gamma, beta, eps):
    mean = x.mean(axis=-1, keepdims=True)
    var = ((x - mean) ** 2).mean(axis=-1, keepdims=True)  # biased, as PyTorch
    return (x - mean) / np.sqrt(var + eps) * gamma + beta


_erf = np.vectorize(math.erf, otypes=[np.float64])


def gelu(x, dtype):
    # exact form x * Phi(x) (HuggingFace "gelu"); erf evaluated in float64
    return (x * dtype(0.5) * (dtype(1) + _erf(x.astype(np.float64) / math.sqrt(2.0)).astype(dtype))).astype(dtype)


def forward(t, ids, eps, dtype):
    g = lambda name: t[name].astype(dtype)
    T = len(ids)
    emb = g("embeddings.word_embeddings.weight")[ids] + g("embeddings.token_type_embeddings.weight")[np.zeros(T, dtype=int)]
    emb = emb + g("embeddings.position_embeddings.weight")[:T]
    x = layer_norm(emb, g("embeddings.LayerNorm.weight"), g("embeddings.LayerNorm.bias"), dtype(eps))
    lin = lambda v, name: v @ g(name + ".weight").T + g(name + ".bias")
    stages = [("embeddings", x)]
    for n in range(LAYERS):
        p = "encoder.layer.%d." % n
        q, k, v = lin(x, p + "attention.self.query"), lin(x, p + "attention.self.key"), lin(x, p + "attention.self.value")
        d = q.shape[1]
        dh = d // HEADS
        ctx = np.zeros_like(q)
        for h in range(HEADS):
            sl = slice(h * dh, (h + 1) * dh)
            s = q[:, sl] @ k[:, sl].T / np.sqrt(dtype(dh))
            s = s - s.max(axis=1, keepdims=True)
            e = np.exp(s)
            ctx[:, sl] = (e / e.sum(axis=1, keepdims=True)) @ v[:, sl]
        a = layer_norm(lin(ctx, p + "attention.output.dense") + x,
                       g(p + "attention.output.LayerNorm.weight"), g(p + "attention.output.LayerNorm.bias"), dtype(eps))
        f = lin(gelu(lin(a, p + "intermediate.dense"), dtype), p + "output.dense")
        x = layer_norm(f + a, g(p + "output.LayerNorm.weight"), g(p + "output.LayerNorm.bias"), dtype(eps))
        stages.append(("encoder.layer.%d" % n, x))
    pooled = np.tanh(lin(x[0:1], "pooler.dense"))
    stages.append(("pooler", pooled))
    return stages


def main():
    ap = argparse.ArgumentParser()
    cache = os.environ.get("CERTMAX_CACHE", os.path.join(ROOT, ".cache"))
    ap.add_argument("--model-dir", default=os.path.join(cache, "minilm"))
    ap.add_argument("--output", default=os.path.join(ROOT, "Tests", "Fixtures", "minilm", "model_reference.json"))
    args = ap.parse_args()
    with open(os.path.join(args.model_dir, "config.json")) as f:
        config = json.load(f)
    assert config["num_attention_heads"] == HEADS and config["num_hidden_layers"] == LAYERS
    assert config["hidden_act"] == "gelu"
    eps = float(config["layer_norm_eps"])
    t = load_safetensors(os.path.join(args.model_dir, "model.safetensors"))
    ids = np.array(TOKEN_IDS)
    s64 = forward(t, ids, eps, np.float64)
    s32 = forward(t, ids, eps, np.float32)
    width = s64[0][1].shape[1]
    dims = list(range(0, width, 16)) + [width - 1]
    out = []
    for (name, a), (_, b) in zip(s64, s32):
        entry = {
            "name": name,
            "shape": list(a.shape),
            "sum": float(a.sum()),
            "sum_squares": float((a * a).sum()),
            "max_abs": float(np.abs(a).max()),
            "float32_pipeline_max_abs_diff": float(np.abs(b.astype(np.float64) - a).max()),
        }
        if name == "pooler":
            entry["values"] = a.tolist()
            entry["dims"] = list(range(width))
        else:
            entry["values"] = a[:, dims].tolist()
            entry["dims"] = dims
        out.append(entry)
    result = {
        "sentence": SENTENCE,
        "token_ids": TOKEN_IDS,
        "heads": HEADS,
        "layer_norm_eps": eps,
        "arithmetic": "numpy float64 from the float32 weights; GELU exact (math.erf)",
        "stages": out,
    }
    with open(args.output, "w") as f:
        json.dump(result, f, separators=(",", ":"))
        f.write("\n")
    print(args.output, os.path.getsize(args.output), "bytes")
    for e in out:
        print("%-18s max|x| %.4g  float32 vs float64 max abs diff %.3g" % (e["name"], e["max_abs"], e["float32_pipeline_max_abs_diff"]))


if __name__ == "__main__":
    main()
