#!/usr/bin/env python3
"""Optional cross-check of the numpy reference (Tests/Fixtures/minilm/layer0_reference.json)
against HuggingFace transformers' own BertModel, run in float64 on CPU. Not used by the
tests (torch and transformers are large); run it by hand after changing the reference:

    pip install --target /tmp/hf-env torch transformers
    PYTHONPATH=/tmp/hf-env python3 scripts/reference/crosscheck_transformers.py [MODEL_DIR]

It prints the max abs differences of the embeddings, the layer-0 attention probabilities
and the layer-0 attention block output (BertAttention: self-attention, output dense,
residual, LayerNorm) and exits non-zero if any exceeds 1e-9.
"""
import json, os, sys

os.environ.setdefault("HF_HUB_OFFLINE", "1")
import numpy as np
import torch
from transformers import BertModel

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))


def main():
    cache = os.environ.get("CERTMAX_CACHE", os.path.join(ROOT, ".cache"))
    model_dir = sys.argv[1] if len(sys.argv) > 1 else os.path.join(cache, "minilm")
    with open(os.path.join(ROOT, "Tests", "Fixtures", "minilm", "layer0_reference.json")) as f:
        ref = json.load(f)
    model = BertModel.from_pretrained(model_dir, attn_implementation="eager").double().eval()
    ids = torch.tensor([ref["token_ids"]])
    with torch.no_grad():
        emb = model.embeddings(input_ids=ids)
        out = model.encoder.layer[0].attention(emb, output_attentions=True)
    y, probs = out[0], out[1]
    diffs = {
        "embeddings": float(np.abs(emb[0].numpy() - np.array(ref["embeddings"])).max()),
        "attention_probs": float(np.abs(probs[0].numpy() - np.array(ref["attention_probs"])).max()),
        "layer0_output": float(np.abs(y[0].numpy() - np.array(ref["layer0_output"])).max()),
    }
    print("transformers", __import__("transformers").__version__, "torch", torch.__version__,
          "float64 vs numpy reference, max abs diff:", diffs)
    sys.exit(0 if max(diffs.values()) <= 1e-9 else 1)


if __name__ == "__main__":
    main()
