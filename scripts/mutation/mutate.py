#!/usr/bin/env python3
"""Soundness mutation testing for Certmax (issue 17, item 4).

Each mutant is one deliberate soundness bug: an exact text replacement in one source file
(the replaced text must occur exactly once, so a mutant that no longer applies fails
loudly instead of silently testing nothing). For each mutant the script

  1. syncs the repository into a scratch copy (default /tmp/certmax-mutation-tree; only
     changed files are copied, so the copy's .build stays incremental),
  2. applies the mutant there, rebuilds (`swift build --build-tests`),
  3. runs the mutant's focused tests (`swift test --skip-build --filter ...`) and
     `.build/debug/certmax regress specs/regression`,
  4. reports KILLED when at least one test failed or regress exited non-zero (and prints
     both results), SURVIVED otherwise, BROKEN when the mutant does not apply or compile,
  5. restores the file in the copy.

The working tree is never modified. Not run in CI (it rebuilds per mutant).

Usage:
  scripts/mutation/mutate.py --list            # the mutants
  scripts/mutation/mutate.py --one NAME        # one mutant
  scripts/mutation/mutate.py --all             # every mutant; exit 1 if any survived
Options: --tree DIR (scratch copy), --timeout SECONDS (per test run, default 1800).
"""
import argparse
import filecmp
import os
import shutil
import subprocess
import sys
import time

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
EXCLUDE = {".build", ".git", ".cache", ".swiftpm"}


class Mutant:
    def __init__(self, name, path, edits, filter_, what):
        self.name = name
        self.path = path          # file relative to the repository root
        self.edits = edits        # [(old, new)], each old exactly once in the file
        self.filter = filter_     # swift test --filter regex
        self.what = what          # one line: the soundness bug


MUTANTS = [
    Mutant("lp-safebound-1ulp", "Sources/CertmaxLP/SafeBound.swift",
           [("        return total.isNaN ? -.infinity : total\n",
             "        return total.isNaN ? -.infinity : total.nextUp\n")],
           "CertmaxLPTests|ZoneLPExactOracleTests|RegressTests",
           "LP safe bound 1 ulp too tight (issue 17 bug 1)"),
    Mutant("attn-kernel-exp-unwidened", "Sources/CertmaxAttention/SoftmaxBoxKernel.swift",
           [("import CertmaxNumerics\n", "import CertmaxNumerics\nimport Foundation\n"),
            ("        expUpper = upper.map { Interval(uncheckedLower: Double.expDown(Double.subDown($0, m)), upper: Double.expUp(Double.subUp($0, m))) }",
             "        expUpper = upper.map { Interval(uncheckedLower: Double.expDown(Double.subDown($0, m)), upper: Foundation.exp(Double.subUp($0, m))) }")],
           "SoftmaxBoxKernelTests|RegressTests",
           "attention softmax kernel: libm exp without outward widening (issue 17 bug 2)"),
    Mutant("percoord-sum-rounded-down", "Sources/CertmaxSoftmax/SoftmaxBounds.swift",
           [("    let tu = _sumUp(euC, 0, K)    // >= Σ e^{u_i - m1}",
             "    let tu = _sumDown(euC, 0, K)  // >= Σ e^{u_i - m1}")],
           "SoundnessTests|RegressTests",
           "per-coordinate softmax: a sum rounded down instead of up (issue 17 bug 3)"),
    Mutant("numerics-expup-unwidened", "Sources/CertmaxNumerics/SoundElementary.swift",
           [("        let r = Foundation.exp(x)\n        if r == .infinity { return .infinity }\n        let u = _up2(r)\n",
             "        let r = Foundation.exp(x)\n        if r == .infinity { return .infinity }\n        let u = r\n")],
           "CertmaxNumericsTests|SoftmaxBoxKernelTests|RegressTests",
           "Double.expUp returns libm's exp unwidened"),
    Mutant("attn-kernel-upper-divdown", "Sources/CertmaxAttention/SoftmaxBoxKernel.swift",
           [("            var hi: Double = den > 0 ? Double.divUp(b, den) : 1",
             "            var hi: Double = den > 0 ? Double.divDown(b, den) : 1")],
           "SoftmaxBoxKernelTests|RegressTests",
           "attention kernel: per-coordinate upper quotient rounded down"),
    Mutant("zone-upper-factors-down", "Sources/CertmaxSoftmax/ZoneLP.swift",
           [("            upperFactors = hiOut.map { Double.expUp(Double.subUp($0, m)) }",
             "            upperFactors = hiOut.map { Double.expDown(Double.subUp($0, m)) }")],
           "ZoneLPExactOracleTests|ZoneLPTests|RegressTests",
           "zone LP: the box factors U_i rounded down (relaxation no longer contains P)"),
]


def sync(src, dst):
    """Copies every file of src that is missing or different in dst (keeps mtimes of
    unchanged files, so the copy's incremental build stays valid)."""
    for dirpath, dirnames, filenames in os.walk(src):
        dirnames[:] = [d for d in dirnames if d not in EXCLUDE]
        rel = os.path.relpath(dirpath, src)
        os.makedirs(os.path.join(dst, rel), exist_ok=True)
        for f in filenames:
            s, d = os.path.join(dirpath, f), os.path.join(dst, rel, f)
            if os.path.islink(s):
                continue
            if not os.path.exists(d) or not filecmp.cmp(s, d, shallow=False):
                shutil.copy2(s, d)


def run(cmd, cwd, timeout):
    start = time.time()
    try:
        p = subprocess.run(cmd, cwd=cwd, capture_output=True, text=True, timeout=timeout)
        return p.returncode, p.stdout + p.stderr, time.time() - start
    except subprocess.TimeoutExpired:
        return None, "timeout", time.time() - start


def failing_tests(output):
    return sorted({line.split("Test ")[1].split("(")[0] for line in output.splitlines()
                   if line.startswith("✘ Test ") and " after " in line and "Test run" not in line})


def one(m, tree, timeout):
    sync(ROOT, tree)
    path = os.path.join(tree, m.path)
    original = open(path, encoding="utf-8").read()
    text = original
    for old, new in m.edits:
        n = text.count(old)
        if n != 1:
            return "BROKEN", f"edit occurs {n} times in {m.path} (expected exactly once): {old[:80]!r}"
        text = text.replace(old, new)
    try:
        open(path, "w", encoding="utf-8").write(text)
        rc, out, secs = run(["swift", "build", "--build-tests"], tree, timeout)
        if rc != 0:
            return "BROKEN", f"build failed ({secs:.0f} s): {out[-600:]}"
        trc, tout, tsecs = run(["swift", "test", "--skip-build", "--filter", m.filter], tree, timeout)
        rrc, rout, rsecs = run([".build/debug/certmax", "regress", "specs/regression"], tree, timeout)
        failed = failing_tests(tout)
        killed = trc != 0 or rrc != 0
        detail = (f"tests ({m.filter}, {tsecs:.0f} s): exit {trc}, failed: {', '.join(failed) or '-'}; "
                  f"regress: exit {rrc} ({rsecs:.0f} s)")
        return ("KILLED" if killed else "SURVIVED"), detail
    finally:
        open(path, "w", encoding="utf-8").write(original)
        # Keep the restored file's content identical to the repository's.
        shutil.copy2(os.path.join(ROOT, m.path), path)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    g = ap.add_mutually_exclusive_group(required=True)
    g.add_argument("--list", action="store_true")
    g.add_argument("--one", metavar="NAME")
    g.add_argument("--all", action="store_true")
    ap.add_argument("--tree", default=os.environ.get("CERTMAX_MUTATION_DIR", "/tmp/certmax-mutation-tree"))
    ap.add_argument("--timeout", type=int, default=1800)
    a = ap.parse_args()
    if a.list:
        for m in MUTANTS:
            print(f"{m.name:28} {m.path}: {m.what}")
        return 0
    chosen = MUTANTS if a.all else [m for m in MUTANTS if m.name == a.one]
    if not chosen:
        print(f"mutate.py: no mutant named {a.one!r} (see --list)", file=sys.stderr)
        return 2
    survived = 0
    for m in chosen:
        status, detail = one(m, a.tree, a.timeout)
        print(f"{status:8} {m.name}: {detail}", flush=True)
        survived += status != "KILLED"
    return 1 if survived else 0


if __name__ == "__main__":
    sys.exit(main())
