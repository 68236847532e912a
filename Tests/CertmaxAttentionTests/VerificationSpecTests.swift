import CertmaxAttention
import CertmaxIO
import CertmaxNumerics
import Foundation
import Testing
import TestSupport

@Suite("Verification specs and VNN-LIB")
struct VerificationSpecTests {
    func vnn(_ text: String) throws(InputError) -> VNNLibProperty { try VNNLibProperty(text: text, source: "p.vnnlib") }

    @Test func vnnlibBoxAndNegatedOutputAsserts() throws {
        let p = try vnn("""
            ; comment
            (declare-const X_0 Real)
            (declare-const X_1 Real)
            (declare-const Y_0 Real)
            (declare-const Y_1 Real)
            (assert (<= X_0 0.5))
            (assert (>= X_0 -0.5))
            (assert (<= X_1 1))
            (assert (>= X_1 0))
            (assert (or (and (>= Y_0 Y_1) (<= Y_0 3.0)) (and (<= (+ Y_0 (* 2 Y_1)) -1))))
            """)
        #expect(p.inputLower == [-0.5, 0] && p.inputUpper == [0.5, 1])
        #expect(p.inputCount == 2 && p.outputCount == 2)
        // Safe = not(unsafe): all of [ any of (Y_0 - Y_1 < 0, Y_0 > 3), any of (Y_0 + 2 Y_1 > -1) ].
        let expected: PropertyFormula = .any([.all([
            .any([.atom(.linear(terms: [LinearTerm(index: 0, coefficient: 1), LinearTerm(index: 1, coefficient: -1)], bound: 0, strict: true)),
                  .atom(.linear(terms: [LinearTerm(index: 0, coefficient: -1)], bound: -3, strict: true))]),
            .any([.atom(.linear(terms: [LinearTerm(index: 0, coefficient: -1), LinearTerm(index: 1, coefficient: -2)], bound: 1, strict: true))]),
        ])])
        #expect(p.property == expected, "\(p.property)")
    }

    /// A strict input bound is refused (a boundary counterexample would be outside the
    /// open region); the same bound written with <= is accepted.
    @Test func vnnlibStrictInputBoundsAreRejected() throws {
        let header = "(declare-const X_0 Real)\n(declare-const Y_0 Real)\n"
        let strict = header + "(assert (>= X_0 0.0))\n(assert (< X_0 0.5))\n(assert (<= Y_0 0.0))\n"
        do {
            _ = try vnn(strict)
            Issue.record("a strict bound on X_0 must be rejected")
        } catch {
            #expect(error.location == "line 4" && error.problem.contains("strict bound on X_0"), "\(error)")
        }
        let closed = header + "(assert (>= X_0 0.0))\n(assert (<= X_0 0.5))\n(assert (<= Y_0 0.0))\n"
        let p = try vnn(closed)
        #expect(p.inputUpper == [0.5] && p.inputLower == [0.0])
    }

    @Test func vnnlibErrorsNameTheLine() {
        func message(_ text: String) -> String {
            do { _ = try vnn(text); return "" } catch { return error.description }
        }
        #expect(message("(declare-const Y_0 Real)\n(assert (<= Y_0 (* Y_0 Y_0)))").contains("line 2: product of two variables"))
        #expect(message("(declare-const Y_0 Real)\n(assert (<= Y_0 1)").contains("line 2: unbalanced"))
        #expect(message("(declare-const Z_0 Real)").contains("line 1: unknown variable Z_0"))
        #expect(message("(declare-const X_0 Real)\n(declare-const Y_0 Real)\n(assert (<= X_0 Y_0))").contains("line 3: an atom mixes"))
        #expect(message("(declare-const Y_0 Real)\n(assert (<= Y_1 0))").contains("Y_1 is used but not declared"))
        #expect(message("(declare-const X_0 Real)\n(declare-const Y_0 Real)\n(assert (<= X_0 1))\n(assert (<= Y_0 0))").contains("X_0 needs both"))
        #expect(message("(declare-const Y_0 Real)\n(assert (or (and (or (<= Y_0 0)))))").contains("nesting deeper"))
        #expect(message("(declare-const Y_0 Real)").contains("no assert over Y"))
        #expect(message("(declare-const Y_0 Real)\n(assert (<= Y_0 nan))").contains("unknown variable nan") || message("(declare-const Y_0 Real)\n(assert (<= Y_0 nan))").contains("not a finite"))
    }

    @Test func loadsTheSmallModelSpec() throws {
        let spec = try VerificationSpec(path: packageRoot.appendingPathComponent("specs/small-verified.json").path)
        #expect(spec.layer.heads == 2 && spec.layer.modelDimension == 16 && spec.layer.layerNorm != nil)
        #expect(spec.region.tokens == 4)
        #expect(spec.property.atomCount == 4)
    }

    @Test func explicitBoxRegionContainsTheBoxExactly() throws {
        let region = try InputRegion(lower: Matrix(uncheckedRowArrays: [[-1, 0]]), upper: Matrix(uncheckedRowArrays: [[1, 0.1]]))
        #expect(region.contains(Matrix(uncheckedRowArrays: [[1, 0]])) && region.contains(Matrix(uncheckedRowArrays: [[-1, 0.1]])))
        #expect(!region.contains(Matrix(uncheckedRowArrays: [[1.0000001, 0]])))
        #expect(throws: InputError.self) { try InputRegion(lower: Matrix(uncheckedRowArrays: [[1, 0]]), upper: Matrix(uncheckedRowArrays: [[0, 0]])) }
        // The center/radius form covers the box (0.1 is not a Double sum of center and
        // radius), but membership and projection use the box itself.
        #expect(!region.contains(Matrix(uncheckedRowArrays: [[0, 0.1.nextUp]])))
        #expect(region.project(Matrix(uncheckedRowArrays: [[5, 5]])) == Matrix(uncheckedRowArrays: [[1, 0.1]]))
    }
}
