#!/usr/bin/env python3
"""Independent numpy reference for all-MiniLM-L6-v2: the BERT embeddings and the layer-0
self-attention block (Q/K/V, 12-head scaled dot-product softmax, output dense, residual,
LayerNorm) for one fixed sentence, computed in float64 from the stored float32 weights.

It shares no code with Certmax: it parses the safetensors file itself (struct + json +
numpy.frombuffer) and uses the token ids that the official HuggingFace `tokenizers`
library produced for the sentence (see hf_tokenize.py and Tests/Fixtures/minilm/).

Writes Tests/Fixtures/minilm/layer0_reference.json (committed; the Swift test
MiniLMReferenceTests compares its own forward pass with it). Also computes the same
pipeline in float32 (as PyTorch would) and records how far that is from float64.

Usage: scripts/reference/minilm_layer0.py [--model-dir DIR] [--output FILE]
(DIR defaults to $CERTMAX_CACHE/minilm or <repo>/.cache/minilm; run
scripts/fetch-minilm.sh first).
"""
import argparse, json, os, struct
import numpy as np

SENTENCE = "The quick brown fox jumps over the lazy dog."
# tokenizers 0.23.3 with the model's tokenizer.json (Tests/Fixtures/minilm/wordpiece_hf.json, case 0).
TOKEN_IDS = [101, 1996, 4248, 2829, 4419, 14523, 2058, 1996, 13971, 3899, 1012, 102]
HEADS = 12

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


def forward(t, ids, eps, dtype):
    g = lambda name: t[name].astype(dtype)
    T = len(ids)
    emb = g("embeddings.word_embeddings.weight")[ids] + g("embeddings.token_type_embeddings.weight")[np.zeros(T, dtype=int)]
    emb = emb + g("embeddings.position_embeddings.weight")[:T]
    x = layer_norm(emb, g("embeddings.LayerNorm.weight"), g("embeddings.LayerNorm.bias"), dtype(eps))
    p = "encoder.layer.0.attention."
    lin = lambda v, name: v @ g(name + ".weight").T + g(name + ".bias")
    q, k, v = lin(x, p + "self.query"), lin(x, p + "self.key"), lin(x, p + "self.value")
    d = q.shape[1]
    dh = d // HEADS
    probs = []
    ctx = np.zeros_like(q)
    for h in range(HEADS):
        sl = slice(h * dh, (h + 1) * dh)
        s = q[:, sl] @ k[:, sl].T / np.sqrt(dtype(dh))
        s = s - s.max(axis=1, keepdims=True)
        e = np.exp(s)
        pr = e / e.sum(axis=1, keepdims=True)
        probs.append(pr)
        ctx[:, sl] = pr @ v[:, sl]
    y = lin(ctx, p + "output.dense") + x
    out = layer_norm(y, g(p + "output.LayerNorm.weight"), g(p + "output.LayerNorm.bias"), dtype(eps))
    return x, np.stack(probs), out


def main():
    ap = argparse.ArgumentParser()
    cache = os.environ.get("CERTMAX_CACHE", os.path.join(ROOT, ".cache"))
    ap.add_argument("--model-dir", default=os.path.join(cache, "minilm"))
    ap.add_argument("--output", default=os.path.join(ROOT, "Tests", "Fixtures", "minilm", "layer0_reference.json"))
    args = ap.parse_args()
    with open(os.path.join(args.model_dir, "config.json")) as f:
        config = json.load(f)
    assert config["num_attention_heads"] == HEADS
    eps = float(config["layer_norm_eps"])
    t = load_safetensors(os.path.join(args.model_dir, "model.safetensors"))
    ids = np.array(TOKEN_IDS)
    x64, p64, y64 = forward(t, ids, eps, np.float64)
    x32, p32, y32 = forward(t, ids, eps, np.float32)
    result = {
        "sentence": SENTENCE,
        "token_ids": TOKEN_IDS,
        "heads": HEADS,
        "layer_norm_eps": eps,
        "arithmetic": "numpy float64 from the float32 weights",
        "float32_pipeline_max_abs_diff": {
            "embeddings": float(np.abs(x32 - x64).max()),
            "attention_probs": float(np.abs(p32 - p64).max()),
            "layer0_output": float(np.abs(y32 - y64).max()),
        },
        "embeddings": x64.tolist(),
        "attention_probs": p64.tolist(),
        "layer0_output": y64.tolist(),
    }
    with open(args.output, "w") as f:
        json.dump(result, f, separators=(",", ":"))
        f.write("\n")
    print(args.output)
    print("float32 vs float64 pipeline, max abs diff:", result["float32_pipeline_max_abs_diff"])


if __name__ == "__main__":
    main()
