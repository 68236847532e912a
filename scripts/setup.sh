#!/usr/bin/env bash
# Installs the system libraries Certmax links against (MPFR, GLPK, zlib, OpenBLAS) when missing.
# Safe to run repeatedly; a no-op on a machine that has them.
set -euo pipefail
need=()
for pkg in libmpfr-dev libglpk-dev libgmp-dev zlib1g-dev libopenblas-dev; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || need+=("$pkg")
done
if ((${#need[@]})); then
  echo "certmax setup: installing ${need[*]}" >&2
  SUDO=""
  [ "$(id -u)" = 0 ] || SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
fi
