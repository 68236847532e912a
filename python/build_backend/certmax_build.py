"""PEP 517 build backend of the certmax Python package.

`pip install ./python` calls `build_wheel`, which

1. runs `swift build -c release --product CertmaxC -Xswiftc -static-stdlib` in the
   repository that holds this `python/` folder (or in $CERTMAX_SOURCE_ROOT), so the
   library carries the Swift runtime and needs only libc/libstdc++ (plus the MPFR, GMP,
   GLPK and zlib shared libraries Certmax links; scripts/setup.sh installs them);
2. writes a wheel with the `certmax` Python sources, `certmax/_lib/libCertmaxC.so` and
   `certmax/_lib/certmax.h`, tagged for this platform (the library is native code; the
   Python side is plain ctypes, so any Python 3 works: tag py3-none-<platform>).

No Python build dependencies (no setuptools): the wheel format is a zip with a RECORD.
Set CERTMAX_SWIFT_BUILD_ARGS to add arguments to the swift build (e.g. a scratch path).
"""

from __future__ import annotations

import base64
import hashlib
import os
import shlex
import subprocess
import sys
import sysconfig
import zipfile
from pathlib import Path

NAME = "certmax"
VERSION = "0.1.0"
PYTHON_DIR = Path(__file__).resolve().parent.parent


def _source_root() -> Path:
    root = Path(os.environ.get("CERTMAX_SOURCE_ROOT", PYTHON_DIR.parent)).resolve()
    if not (root / "Package.swift").is_file() or not (root / "Sources" / "CertmaxC").is_dir():
        raise RuntimeError(
            f"certmax build: no Certmax Swift package at {root} (build from the repository's python/ "
            "folder, or set CERTMAX_SOURCE_ROOT to the repository)")
    return root


def _build_library() -> tuple[Path, Path]:
    """Runs the release build of libCertmaxC.so; returns (library, header)."""
    root = _source_root()
    # -static-stdlib (not SwiftPM's --static-swift-stdlib, which does not apply to dynamic
    # libraries) links the Swift runtime and Foundation into the .so.
    args = ["swift", "build", "-c", "release", "--product", "CertmaxC", "-Xswiftc", "-static-stdlib",
            "--package-path", str(root)] + shlex.split(os.environ.get("CERTMAX_SWIFT_BUILD_ARGS", ""))
    print("certmax build: " + " ".join(args), file=sys.stderr, flush=True)
    subprocess.run(args, check=True, stdout=sys.stderr)
    bin_path = subprocess.run(args + ["--show-bin-path"], check=True, capture_output=True, text=True).stdout.strip()
    lib = Path(bin_path) / "libCertmaxC.so"
    if not lib.is_file():
        raise RuntimeError(f"certmax build: {lib} was not produced")
    return lib, root / "Sources" / "CertmaxC" / "include" / "certmax.h"


def _platform_tag() -> str:
    return sysconfig.get_platform().replace("-", "_").replace(".", "_")


def _metadata() -> str:
    readme = (PYTHON_DIR / "README.md").read_text(encoding="utf-8")
    return (f"Metadata-Version: 2.1\nName: {NAME}\nVersion: {VERSION}\n"
            "Summary: Certified (rigorously sound, outward-rounded) bounds for softmax and attention\n"
            "Requires-Python: >=3.9\nRequires-Dist: numpy\nProvides-Extra: test\n"
            "Requires-Dist: pytest; extra == \"test\"\n"
            "Description-Content-Type: text/markdown\n\n" + readme)


def _wheel_file(tag: str) -> str:
    return f"Wheel-Version: 1.0\nGenerator: certmax_build {VERSION}\nRoot-Is-Purelib: false\nTag: {tag}\n"


def _record_line(name: str, data: bytes) -> str:
    digest = base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode()
    return f"{name},sha256={digest},{len(data)}"


def _write_wheel(wheel_directory: str, files: dict[str, bytes]) -> str:
    tag = f"py3-none-{_platform_tag()}"
    dist_info = f"{NAME}-{VERSION}.dist-info"
    files = dict(files)
    files[f"{dist_info}/METADATA"] = _metadata().encode()
    files[f"{dist_info}/WHEEL"] = _wheel_file(tag).encode()
    record = [_record_line(n, d) for n, d in files.items()] + [f"{dist_info}/RECORD,,"]
    files[f"{dist_info}/RECORD"] = ("\n".join(record) + "\n").encode()
    name = f"{NAME}-{VERSION}-{tag}.whl"
    with zipfile.ZipFile(Path(wheel_directory) / name, "w", compression=zipfile.ZIP_DEFLATED) as z:
        for n, d in files.items():
            info = zipfile.ZipInfo(n, date_time=(2026, 1, 1, 0, 0, 0))
            info.external_attr = (0o755 if n.endswith(".so") else 0o644) << 16
            info.compress_type = zipfile.ZIP_DEFLATED
            z.writestr(info, d)
    return name


def _python_sources() -> dict[str, bytes]:
    out = {}
    for p in sorted((PYTHON_DIR / NAME).rglob("*.py")):
        out[p.relative_to(PYTHON_DIR).as_posix()] = p.read_bytes()
    return out


# ---- PEP 517 hooks --------------------------------------------------------------------

def get_requires_for_build_wheel(config_settings=None):
    return []


def get_requires_for_build_sdist(config_settings=None):
    return []


def prepare_metadata_for_build_wheel(metadata_directory, config_settings=None):
    dist_info = Path(metadata_directory) / f"{NAME}-{VERSION}.dist-info"
    dist_info.mkdir(parents=True, exist_ok=True)
    (dist_info / "METADATA").write_text(_metadata(), encoding="utf-8")
    return dist_info.name


def build_wheel(wheel_directory, config_settings=None, metadata_directory=None):
    lib, header = _build_library()
    files = _python_sources()
    files[f"{NAME}/_lib/libCertmaxC.so"] = lib.read_bytes()
    files[f"{NAME}/_lib/certmax.h"] = header.read_bytes()
    return _write_wheel(wheel_directory, files)


def build_sdist(sdist_directory, config_settings=None):
    raise RuntimeError("certmax: no sdist; the package is built from the repository (pip install ./python)")
