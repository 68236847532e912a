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
  scripts/mutation/mutate.py --only A,B        # these mutants
  scripts/mutation/mutate.py --check           # every mutant applies (no build)
Options: --fast skips `certmax regress` for a mutant the tests already killed.
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
    def __init__(self, name, path, edits, filter_, what, env=None):
        self.name = name
        self.path = path          # file relative to the repository root
        self.edits = edits        # [(old, new)], each old exactly once in the file
        self.filter = filter_     # swift test --filter regex
        self.what = what          # one line: the soundness bug
        self.env = env or {}      # extra environment for the test run (smaller sample counts)


MUTANTS = [
    # --- LP (CertmaxLP)
    Mutant("lp-safebound-1ulp", "Sources/CertmaxLP/SafeBound.swift",
           [("        return total.isNaN ? -.infinity : total\n",
             "        return total.isNaN ? -.infinity : total.nextUp\n")],
           "SafeBoundFormulaTests|CertmaxLPTests|ZoneLPExactOracleTests",
           "LP safe bound 1 ulp too tight (issue 17 bug 1)"),
    Mutant("lp-safebound-rowterm-up", "Sources/CertmaxLP/SafeBound.swift",
           [("total = Double.addDown(total, yi > 0 ? Double.mulDown(yi, lp.rowLower[i]) : Double.mulDown(yi, lp.rowUpper[i]))",
             "total = Double.addDown(total, yi > 0 ? Double.mulUp(yi, lp.rowLower[i]) : Double.mulUp(yi, lp.rowUpper[i]))")],
           "SafeBoundFormulaTests|SafeBoundTests",
           "LP safe bound: the row terms y_i b_i rounded up instead of down"),
    Mutant("lp-safebound-reduced-cost-nearest", "Sources/CertmaxLP/SafeBound.swift",
           [("                d[j] = d[j] - yInterval * Interval(a)\n",
             "                d[j] = d[j] - Interval(yi * a)\n")],
           "SafeBoundFormulaTests|SafeBoundTests",
           "LP safe bound: reduced costs c - A^T y with round-to-nearest products (no enclosure)"),
    # --- softmax (CertmaxSoftmax)
    Mutant("percoord-sum-rounded-down", "Sources/CertmaxSoftmax/SoftmaxBounds.swift",
           [("    let tu = _sumUp(euC, 0, K)    // >= \u03a3 e^{u_i - m1}",
             "    let tu = _sumDown(euC, 0, K)  // >= \u03a3 e^{u_i - m1}")],
           "CertmaxSoftmaxTests.SoundnessTests|PerCoordinateTests",
           "per-coordinate softmax: a sum rounded down instead of up (issue 17 bug 3)",
           env={"CERTMAX_SOFTMAX_BOXES": "16000"}),
    Mutant("percoord-lower-quotient-up", "Sources/CertmaxSoftmax/SoftmaxBounds.swift",
           [("        return Double.divDown(1, Double.addUp(1, Double.mulUp(s, Double.expUp(w))))",
             "        return Double.divUp(1, Double.addUp(1, Double.mulUp(s, Double.expUp(w))))")],
           "CertmaxSoftmaxTests.SoundnessTests|PerCoordinateTests",
           "per-coordinate softmax: the lower bound's final quotient rounded up",
           env={"CERTMAX_SOFTMAX_BOXES": "16000"}),
    Mutant("logp-softplus-down", "Sources/CertmaxSoftmax/SoftmaxBounds.swift",
           [("            let a = -_softplusUp(tUp)\n", "            let a = -_softplusDown(tUp)\n")],
           "PerCoordinateTests|CertmaxSoftmaxTests.SoundnessTests",
           "log-softmax: lower bound -softplus(t) with softplus rounded down",
           env={"CERTMAX_SOFTMAX_BOXES": "16000"}),
    Mutant("vertex-compensation-dropped", "Sources/CertmaxSoftmax/CompensatedAccumulator.swift",
           [("        add(p)\n        lo = up ? Double.addUp(lo, pe) : Double.addDown(lo, pe)\n",
             "        add(p)\n")],
           "CompensatedSumTests|VertexSoftmaxTests",
           "Vertex-Softmax: the compensated sum skips the product's error term (contract violation; masked end to end by the 2-ulp exp widening)",
           env={"CERTMAX_SOFTMAX_BOXES": "16000"}),
    Mutant("vertex-rescale-up-down", "Sources/CertmaxSoftmax/VertexSoftmax.swift",
           [("let rD = Double.expDown(argDown(shift, xu)), rU = Double.expUp(argUp(shift, xu))",
             "let rD = Double.expDown(argDown(shift, xu)), rU = Double.expDown(argDown(shift, xu))")],
           "VertexSoftmaxTests|CertmaxSoftmaxTests.SoundnessTests",
           "Vertex-Softmax: the upper sums rescaled by a factor rounded down",
           env={"CERTMAX_SOFTMAX_BOXES": "16000"}),
    Mutant("zone-upper-factors-down", "Sources/CertmaxSoftmax/ZoneLP.swift",
           [("            upperFactors = hiOut.map { Double.expUp(Double.subUp($0, m)) }",
             "            upperFactors = hiOut.map { Double.expDown(Double.subUp($0, m)) }")],
           "ZoneLPRelaxationOracleTests|ZoneLPExactOracleTests",
           "zone LP: the box factors U_i rounded down (relaxation no longer contains P)"),
    Mutant("zone-lower-factors-up", "Sources/CertmaxSoftmax/ZoneLP.swift",
           [("            lowerFactors = loOut.map { Double.expDown(Double.subDown($0, m)) }",
             "            lowerFactors = loOut.map { Double.expUp(Double.subDown($0, m)) }")],
           "ZoneLPRelaxationOracleTests|ZoneLPExactOracleTests",
           "zone LP: the box factors L_j rounded up (relaxation no longer contains P)"),
    Mutant("zone-pair-caps-down", "Sources/CertmaxSoftmax/ZoneLP.swift",
           [("                            outerCaps[i][j] = Double.expUp(dOut)",
             "                            outerCaps[i][j] = Double.expDown(dOut)")],
           "ZoneLPRelaxationOracleTests|ZoneLPExactOracleTests",
           "cutting-zone LP: the pair caps E_ij >= e^{D_ij} rounded down"),
    Mutant("joint-yhi-down", "Sources/CertmaxSoftmax/JointLP.swift",
           [("        let yHi = hi.map { Double.expUp(Double.subUp($0, m)) }",
             "        let yHi = hi.map { Double.expDown(Double.subUp($0, m)) }")],
           "JointLPExactOracleTests",
           "joint LP: the upper exponentials e^{u_i - m} rounded down"),
    # --- radius (CertmaxRadius)
    Mutant("radius-rhoa-divup", "Sources/CertmaxRadius/RadiusLowerBounds.swift",
           [("    return Double.divDown(piT, deltaUp)", "    return Double.divUp(piT, deltaUp)")],
           "RadiusMPFROracleTests|RadiusLowerBoundsTests",
           "Taylor radius: rho_a = pi T / Delta rounded up"),
    Mutant("radius-refined-sqrtup", "Sources/CertmaxRadius/RadiusLowerBounds.swift",
           [("    let rs = Double.sqrtDown(sq)", "    let rs = Double.sqrtUp(sq)")],
           "RadiusMPFROracleTests|RadiusLowerBoundsTests",
           "Taylor radius: the refined bound's square root rounded up"),
    Mutant("radius-temperature-units", "Sources/CertmaxRadius/RadiusLowerBounds.swift",
           [("    let refinedT = temperature == 1 ? rs : Double.mulDown(rs, temperature)",
             "    let refinedT = temperature == 1 ? rs : Double.divDown(rs, temperature)")],
           "RadiusMPFROracleTests|RadiusLowerBoundsTests",
           "Taylor radius: the refined bound converted from s-units to tau-units by dividing by T"),
    Mutant("radius-dominance-deviation-min", "Sources/CertmaxRadius/RadiusLowerBounds.swift",
           [("    let dUp = Swift.max(Double.subUp(amax, ak), Double.subUp(ak, amin))",
             "    let dUp = Swift.min(Double.subUp(amax, ak), Double.subUp(ak, amin))")],
           "RadiusMPFROracleTests|RadiusLowerBoundsTests",
           "Taylor radius: the dominant class's deviation max |a_j - a_k| taken as a min"),
    # --- attention (CertmaxAttention)
    Mutant("attn-kernel-exp-unwidened", "Sources/CertmaxAttention/SoftmaxBoxKernel.swift",
           [("import CertmaxNumerics\n", "import CertmaxNumerics\nimport Foundation\n"),
            ("        expUpper = upper.map { Interval(uncheckedLower: Double.expDown(Double.subDown($0, m)), upper: Double.expUp(Double.subUp($0, m))) }",
             "        expUpper = upper.map { Interval(uncheckedLower: Double.expDown(Double.subDown($0, m)), upper: Foundation.exp(Double.subUp($0, m))) }")],
           "SoftmaxBoxKernelTests|SoftmaxBoxKernelVertexWitnessTests",
           "attention softmax kernel: libm exp without outward widening (issue 17 bug 2)"),
    Mutant("attn-kernel-upper-divdown", "Sources/CertmaxAttention/SoftmaxBoxKernel.swift",
           [("            var hi: Double = den > 0 ? Double.divUp(b, den) : 1",
             "            var hi: Double = den > 0 ? Double.divDown(b, den) : 1")],
           "SoftmaxBoxKernelTests|SoftmaxBoxKernelVertexWitnessTests",
           "attention kernel: per-coordinate upper quotient rounded down"),
    Mutant("attn-kernel-sweep-offbyone", "Sources/CertmaxAttention/SoftmaxBoxKernel.swift",
           [("                    let d = Double.addUp(preD[k], sufD[k])",
             "                    let d = Double.addUp(preD[k], sufD[Swift.min(k + 1, K)])")],
           "SoftmaxBoxKernelTests|SoftmaxBoxKernelVertexWitnessTests",
           "attention kernel: threshold sweep's denominator off by one (drops key k)"),
    Mutant("attn-dot-error-dropped", "Sources/CertmaxAttention/RoundingBounds.swift",
           [("    return (s, dotErrorBound(terms: x.count + 1, absSum: a))", "    return (s, 0)")],
           "AttentionMPFRIntervalTests|AttentionBoundSoundnessTests",
           "attention propagation: a plain dot product's rounding-error bound dropped"),
    Mutant("attn-affine-error-dropped", "Sources/CertmaxAttention/AttentionBoundPropagation.swift",
           [("        rad = Double.addUp(Double.addUp(rad, e), g0Err)", "        rad = Double.addUp(rad, g0Err)")],
           "AttentionMPFRIntervalTests|AttentionBoundSoundnessTests",
           "attention values: the affine enclosure drops its centre's rounding error"),
    Mutant("attn-direct-prob-down", "Sources/CertmaxAttention/AttentionBoundPropagation.swift",
           [("                up = Double.addUp(up, Double.expUp(D[j * T + k]))",
             "                up = Double.addUp(up, Double.expDown(D[j * T + k]))")],
           "AttentionMPFRIntervalTests|AttentionBoundSoundnessTests",
           "attention: direct probability lower bound 1/sum e^{D_jk} with e^{D} rounded down"),
    Mutant("layernorm-spread-not-divided", "Sources/CertmaxAttention/LayerNormBounds.swift",
           [("        let spread = minimumSpread(y) / nI\n", "        let spread = minimumSpread(y)\n")],
           "LayerNormBoundsTests|AttentionMPFRIntervalTests",
           "LayerNorm bounds: the variance floor from the minimum spread not divided by n"),
    # --- numerics (CertmaxNumerics; every module rebuilds)
    Mutant("numerics-expup-unwidened", "Sources/CertmaxNumerics/SoundElementary.swift",
           [("        let r = Foundation.exp(x)\n        if r == .infinity { return .infinity }\n        let u = _up2(r)\n",
             "        let r = Foundation.exp(x)\n        if r == .infinity { return .infinity }\n        let u = r\n")],
           "ElementaryContainmentTests|SoundExpTests",
           "Double.expUp returns libm's exp unwidened"),
    Mutant("numerics-adddown-unrounded", "Sources/CertmaxNumerics/DirectedRounding.swift",
           [("        return err < 0 ? s.nextDown : s\n", "        return s\n")],
           "DirectedRoundingTests|IntervalContainmentTests",
           "Double.addDown returns the round-to-nearest sum"),
    Mutant("numerics-interval-mul-mixed", "Sources/CertmaxNumerics/IntervalArithmetic.swift",
           [("        let lo = Swift.min(_mulEndDown(a, d), _mulEndDown(b, c), _mulEndDown(a, c), _mulEndDown(b, d))",
             "        let lo = Swift.min(_mulEndDown(a, d), _mulEndDown(a, c), _mulEndDown(b, d))")],
           "IntervalContainmentTests|IntervalBasicsTests|ITF1788Tests",
           "Interval *: the mixed-sign case forgets the product b*c for the lower end"),
    Mutant("numerics-logup-unwidened", "Sources/CertmaxNumerics/SoundElementary.swift",
           [("        let u = _up2(Foundation.log(x))\n", "        let u = Foundation.log(x)\n")],
           "ElementaryContainmentTests|SoundExpTests",
           "Double.logUp returns libm's log unwidened"),
    # --- model graph (CertmaxGraph ops' interval functions)
    Mutant("graph-relu-upper", "Sources/CertmaxGraph/Ops/ElementwiseUnaryOp.swift",
           [("Interval(uncheckedLower: Swift.max(x.lower, 0), upper: Swift.max(x.upper, 0))",
             "Interval(uncheckedLower: Swift.max(x.lower, 0), upper: x.upper)")],
           "OpBoxSoundnessTests|OpPointSoundnessTests",
           "Relu interval: upper end not clamped at 0 (empty/negative box for negative inputs)"),
    Mutant("graph-matmul-point-up-down", "Sources/CertmaxGraph/Ops/MatrixKernels.swift",
           [("                        if s > 0 { l = Double.mulDown(s, y.lower); u = Double.mulUp(s, y.upper) }",
             "                        if s > 0 { l = Double.mulDown(s, y.lower); u = Double.mulDown(s, y.upper) }")],
           "OpPointSoundnessTests|OpBoxSoundnessTests",
           "MatMul interval kernel: upper product of a point row rounded down"),
    Mutant("graph-reduce-sum-down", "Sources/CertmaxGraph/Ops/Reduce.swift",
           [("            hi[t.map[k]] = Double.addUp(hi[t.map[k]], x[0].data[k].upper)",
             "            hi[t.map[k]] = Double.addDown(hi[t.map[k]], x[0].data[k].upper)")],
           "OpPointSoundnessTests|OpBoxSoundnessTests",
           "ReduceSum/Mean interval: upper sum rounded down"),
    Mutant("graph-layernorm-eps-dropped", "Sources/CertmaxGraph/Ops/LayerNormalization.swift",
           [("            let denom = (varSum / nI + Interval(epsilon)).squareRoot()",
             "            let denom = (varSum / nI).squareRoot()")],
           "OpPointSoundnessTests|OpBoxSoundnessTests",
           "LayerNormalization interval: epsilon left out of the denominator"),
    # --- bound engines (CertmaxBounds)
    Mutant("box-engine-vertex-wrong-values", "Sources/CertmaxBounds/BoxEngine.swift",
           [("                    let low = box.bounds(cl).minimum.lower",
             "                    let low = box.bounds(cu).minimum.lower")],
           "refinementIsTheExactRangeWhenScoresAreInputs|vertexRefinementNeverLooser|BertBoxEngineMPFRTests",
           "BoxEngine attention refinement: lower bound from the values' upper ends"),
    Mutant("box-engine-vertex-inner-end", "Sources/CertmaxBounds/BoxEngine.swift",
           [("                    let high = box.bounds(cu).maximum.upper",
             "                    let high = box.bounds(cu).maximum.lower")],
           "refinementIsTheExactRangeWhenScoresAreInputs|vertexRefinementNeverLooser|BertBoxEngineMPFRTests",
           "BoxEngine attention refinement: upper bound from the maximum's inner (attained) end"),
    Mutant("linobj-relu-intercept-dropped", "Sources/CertmaxBounds/LinearObjectiveBound.swift",
           [("                    bias = bias + lam * s * (-x.lower)\n", "")],
           "LinearObjectiveBoundTests",
           "LinearObjectiveBound: the ReLU upper plane u (x - l) / (u - l) loses its intercept"),
    Mutant("linobj-sub-sign", "Sources/CertmaxBounds/LinearObjectiveBound.swift",
           [("            let sign = node.op is Sub ? -1.0 : 1.0\n", "            let sign = 1.0\n")],
           "LinearObjectiveBoundTests",
           "LinearObjectiveBound: Sub back-substituted as Add"),
    # --- the symbolic engine (CertmaxBounds/Symbolic, issue 12)
    Mutant("symbolic-constprod-slack-dropped", "Sources/CertmaxBounds/Symbolic/ConstantProduct.swift",
           [("                if !isZero && wm != 0 {", "                if isZero && wm != 0 {")],
           "SymbolicExactOracleTests|SymbolicEngineTests",
           "ConstantProduct: dgemm's coefficients trusted without their rounding error term"),
    Mutant("symbolic-lincomb-slack-dropped", "Sources/CertmaxBounds/Symbolic/LinearCombination.swift",
           [("            if wm != 0 && !allZero {", "            if wm != 0 && allZero {")],
           "SymbolicExactOracleTests|SymbolicEngineTests",
           "LinearCombination: summed coefficients trusted without their rounding error term"),
    Mutant("symbolic-concretize-low-mass", "Sources/CertmaxBounds/Symbolic/AffineForms.swift",
           [("            var lo = Double.subDown(low[i], m[i]), hi = Double.addUp(high[i], m[i])",
             "            var lo = Double.subDown(low[i], m[i] / 2), hi = Double.addUp(high[i], m[i])")],
           "SymbolicExactOracleTests|SymbolicEngineTests",
           "AffineForms.concretize: lower end subtracts half the slope part's mass"),
    Mutant("symbolic-bilinear-remainder-halved", "Sources/CertmaxBounds/Symbolic/Ops/Bilinear.swift",
           [("    let e = Double.mulUp(x.r, y.r)\n", "    let e = Double.mulUp(x.r, y.r) / 2\n")],
           "SymbolicEngineTests",
           "midpoint McCormick: the product of deviations bounded by rx ry / 2"),
    Mutant("symbolic-softmax-jacobian-remainder-dropped", "Sources/CertmaxBounds/Symbolic/Ops/Symbolic+Softmax.swift",
           [("                    rem = rem - Interval(g[b]) * Interval(c[b]) + (J - Interval(g[b])) * Interval(uncheckedLower: -r[b], upper: r[b])",
             "                    rem = rem - Interval(g[b]) * Interval(c[b])")],
           "SymbolicEngineTests",
           "softmax mean-value relaxation: the Jacobian's spread over the box left out of the remainder"),
    Mutant("symbolic-relu-top-at-upper", "Sources/CertmaxBounds/Symbolic/Ops/UnaryRelaxation.swift",
           [("            let top = max(Double.mulUp(-a, x.lower), Double.mulUp(Double.subUp(1, a), x.upper))",
             "            let top = Double.mulUp(Double.subUp(1, a), x.upper) / 2")],
           "SymbolicEngineTests",
           "ReLU relaxation: the remainder's top from a wrong vertex (half the triangle's height)"),
    Mutant("symbolic-unary-hull-only-first-piece", "Sources/CertmaxBounds/Symbolic/Ops/UnaryRelaxation.swift",
           [("            hull = hull.map { $0.hull(g) } ?? g", "            hull = hull ?? g")],
           "SymbolicEngineTests",
           "unary relaxation: the remainder is the hull of the first of 8 pieces only"),
]


def sync(src, dst):
    """Copies every file of src that is missing or different in dst (keeps mtimes of
    unchanged files, so the copy's incremental build stays valid), and deletes files of
    dst that src no longer has (a moved file would otherwise be compiled twice)."""
    for dirpath, dirnames, filenames in os.walk(dst):
        dirnames[:] = [d for d in dirnames if d not in EXCLUDE]
        rel = os.path.relpath(dirpath, dst)
        for f in filenames:
            if not os.path.lexists(os.path.join(src, rel, f)):
                os.remove(os.path.join(dirpath, f))
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


def run(cmd, cwd, timeout, env=None):
    start = time.time()
    try:
        p = subprocess.run(cmd, cwd=cwd, capture_output=True, text=True, timeout=timeout,
                           env=dict(os.environ, **(env or {})))
        return p.returncode, p.stdout + p.stderr, time.time() - start
    except subprocess.TimeoutExpired:
        return None, "timeout", time.time() - start


def failing_tests(output):
    """Failed Swift Testing tests ("✘ Test name() failed after ...") and XCTest cases
    ("Test Case 'Class.testName' failed (...)")."""
    names = set()
    for line in output.splitlines():
        if line.startswith("✘ Test ") and " after " in line and "Test run" not in line:
            names.add(line.split("Test ")[1].split("(")[0])
        elif line.startswith("Test Case '") and "' failed" in line:
            names.add(line.split("'")[1].split(".")[-1])
    return sorted(names)


def one(m, tree, timeout, fast=False):
    sync(ROOT, tree)
    # The suite's vnncomp cases name ../shared (beside the repository): give the copy one.
    shared, link = os.path.join(ROOT, "..", "shared"), os.path.join(os.path.dirname(os.path.abspath(tree)), "shared")
    if os.path.isdir(shared) and not os.path.lexists(link):
        os.symlink(os.path.abspath(shared), link)
    # ... and the model cache (.cache is not copied) for the MiniLM cases.
    cache, cache_link = os.path.join(ROOT, ".cache"), os.path.join(tree, ".cache")
    if os.path.isdir(cache) and not os.path.lexists(cache_link):
        os.symlink(os.path.realpath(cache), cache_link)
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
        trc, tout, tsecs = run(["swift", "test", "--skip-build", "--filter", m.filter], tree, timeout, m.env)
        failed = failing_tests(tout)
        if fast and trc != 0:
            rrc, rsecs, rtext = None, 0, "skipped (--fast: the tests killed it)"
        else:
            rrc, rout, rsecs = run([".build/debug/certmax", "regress", "specs/regression"], tree, timeout)
            rtext = f"exit {rrc} ({rsecs:.0f} s)"
        if rrc in (64, 65, 66):
            # A missing or unreadable input is the copy's problem, not a detection.
            return "BROKEN", (f"tests ({m.filter}): exit {trc}, failed: {', '.join(failed) or '-'}; "
                              f"regress could not run its suite (exit {rrc}): {rout[-400:]}")
        killed = trc != 0 or (rrc is not None and rrc != 0)
        detail = (f"tests ({m.filter}, {tsecs:.0f} s): exit {trc}, failed: {', '.join(failed) or '-'}; "
                  f"regress: {rtext}")
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
    g.add_argument("--only", metavar="NAME,NAME,...", help="these mutants, in this order")
    g.add_argument("--check", action="store_true",
                   help="only check that every mutant applies to the working tree (no build)")
    ap.add_argument("--tree", default=os.environ.get("CERTMAX_MUTATION_DIR", "/tmp/certmax-mutation-tree"))
    ap.add_argument("--timeout", type=int, default=1800)
    ap.add_argument("--fast", action="store_true",
                    help="skip certmax regress for a mutant the tests already killed")
    a = ap.parse_args()
    if a.list:
        for m in MUTANTS:
            print(f"{m.name:28} {m.path}: {m.what}")
        return 0
    if a.check:
        bad = 0
        for m in MUTANTS:
            text = open(os.path.join(ROOT, m.path), encoding="utf-8").read()
            for old, _ in m.edits:
                if text.count(old) != 1:
                    print(f"BROKEN   {m.name}: edit occurs {text.count(old)} times in {m.path}: {old[:80]!r}")
                    bad += 1
        names = [m.name for m in MUTANTS]
        if len(set(names)) != len(names):
            print("duplicate mutant names"); bad += 1
        print(f"{len(MUTANTS)} mutants, {bad} problems")
        return 1 if bad else 0
    by_name = {m.name: m for m in MUTANTS}
    if a.all:
        chosen = MUTANTS
    else:
        wanted = [a.one] if a.one else [n for n in a.only.split(",") if n]
        unknown = [n for n in wanted if n not in by_name]
        if unknown:
            print(f"mutate.py: no mutant named {', '.join(unknown)} (see --list)", file=sys.stderr)
            return 2
        chosen = [by_name[n] for n in wanted]
    survived = 0
    for m in chosen:
        status, detail = one(m, a.tree, a.timeout, a.fast)
        print(f"{status:8} {m.name}: {detail}", flush=True)
        survived += status != "KILLED"
    return 1 if survived else 0


if __name__ == "__main__":
    sys.exit(main())
