import CertmaxIO
import CertmaxNumerics
import Foundation
import Testing
import TestSupport

/// The VNN-LIB reader and its normal form: the three forms VNN-COMP writes, the
/// numbers, and every error with its exact message.
@Suite("VNN-LIB parser")
struct VNNLibParserTests {
    func spec(_ text: String) throws(InputError) -> VNNLibSpecification {
        try VNNLibSpecification(text: text, source: "p.vnnlib")
    }

    func message(_ text: String) -> String {
        do { _ = try spec(text); return "(no error)" } catch { return error.description }
    }

    func declare(x: Int, y: Int) -> String {
        (0..<x).map { "(declare-const X_\($0) Real)\n" }.joined() + (0..<y).map { "(declare-const Y_\($0) Real)\n" }.joined()
    }

    func term(_ i: Int, _ c: Double) -> VNNLibTerm { VNNLibTerm(index: i, coefficient: c) }

    /// Form 1 (ViT and most benchmarks): top-level X bounds, one or-of-and over Y.
    @Test func topLevelBoxAndOutputDisjunction() throws {
        let s = try spec("""
            ; Property with label: 1.
            \(declare(x: 2, y: 3))
            (assert (<= X_0 0.5))   ; trailing comment
            (assert (>= X_0 -0.5))
            (assert (<= X_1 1e0))
            (assert (>= X_1 0))
            (assert (or
                (and (>= Y_0 Y_1))
                (and (>= Y_2 Y_1) (<= (+ Y_0 (* 2 Y_2)) -1.5))
            ))
            """)
        #expect(s.inputCount == 2 && s.outputCount == 3 && s.disjuncts.count == 2)
        for d in s.disjuncts {
            #expect(d.input == VNNLibInputBox(lower: [-0.5, 0], upper: [0.5, 1]))
        }
        // (>= Y_0 Y_1): Y_1 - Y_0 <= 0.
        #expect(s.disjuncts[0].constraints.map(\.terms) == [[term(0, -1), term(1, 1)]])
        #expect(s.disjuncts[0].constraints[0].bound == 0 && !s.disjuncts[0].constraints[0].strict)
        #expect(s.disjuncts[1].constraints.map(\.terms) == [[term(1, 1), term(2, -1)], [term(0, 1), term(2, 2)]])
        #expect(s.disjuncts[1].constraints.map(\.bound) == [0, -1.5])
        #expect(s.disjuncts[1].constraints.map(\.line) == [14, 14])
        #expect(s.disjuncts.allSatisfy { $0.constraints.allSatisfy(\.isExact) })
    }

    /// Form 2: several top-level Y asserts are one conjunction (one disjunct); strictness kept.
    @Test func topLevelOutputAssertsAreOneConjunction() throws {
        let s = try spec(declare(x: 1, y: 2) + """
            (assert (<= X_0 1))
            (assert (>= X_0 1))
            (assert (< Y_0 Y_1))
            (assert (> (- Y_0 (* 0.25 Y_1)) 3))
            (assert (<= (- Y_1) 2))
            """)
        #expect(s.disjuncts.count == 1)
        let c = s.disjuncts[0].constraints
        #expect(c.map(\.terms) == [[term(0, 1), term(1, -1)], [term(0, -1), term(1, 0.25)], [term(1, -1)]])
        #expect(c.map(\.bound) == [0, -3, 2])
        #expect(c.map(\.strict) == [true, true, false])
        #expect(s.disjuncts[0].input.lower == [1] && s.disjuncts[0].input.upper == [1])
    }

    /// Form 3 (acasxu and others): each disjunct has its own box and output constraints.
    @Test func disjunctsWithTheirOwnBoxes() throws {
        let s = try spec(declare(x: 2, y: 1) + """
            (assert (or
                (and (>= X_0 0) (<= X_0 1) (>= X_1 0) (<= X_1 1) (<= Y_0 -1))
                (and (>= X_0 2) (<= X_0 3) (>= X_1 -1) (<= X_1 0) (>= Y_0 5))
            ))
            """)
        #expect(s.disjuncts.count == 2)
        #expect(s.disjuncts[0].input == VNNLibInputBox(lower: [0, 0], upper: [1, 1]))
        #expect(s.disjuncts[1].input == VNNLibInputBox(lower: [2, -1], upper: [3, 0]))
        #expect(s.disjuncts[0].constraints.map(\.terms) == [[term(0, 1)]] && s.disjuncts[0].constraints[0].bound == -1)
        #expect(s.disjuncts[1].constraints.map(\.terms) == [[term(0, -1)]] && s.disjuncts[1].constraints[0].bound == -5)
    }

    /// Top-level bounds apply to every disjunct; per-disjunct bounds tighten them; and/or
    /// nest arbitrarily and multiply out.
    @Test func commonBoundsAndNestedFormulasMultiplyOut() throws {
        let s = try spec(declare(x: 1, y: 2) + """
            (assert (>= X_0 -1))
            (assert (<= X_0 1))
            (assert (and (or (<= Y_0 0) (<= Y_1 0)) (or (and (<= X_0 0.5) (>= Y_0 -7)) (<= Y_1 9))))
            """)
        #expect(s.disjuncts.count == 4)
        #expect(s.disjuncts.map { $0.input.upper } == [[0.5], [1], [0.5], [1]])
        #expect(s.disjuncts.map { $0.constraints.map(\.bound) } == [[0, 7], [0, 9], [0, 7], [0, 9]])
    }

    @Test func numbers() throws {
        func value(_ literal: String) throws -> VNNLibConstraint {
            try spec(declare(x: 1, y: 1) + "(assert (<= X_0 1))\n(assert (>= X_0 0))\n(assert (<= Y_0 \(literal)))").disjuncts[0].constraints[0]
        }
        for (text, v) in [("0.5", 0.5), ("+1.5", 1.5), (".5", 0.5), ("5.", 5.0), ("-2.5e-1", -0.25), ("1E3", 1000.0),
                          ("1e22", 1e22), ("0.000", 0.0), ("-0", 0.0), ("123456789012345678", 123456789012345678.0)] {
            let c = try value(text)
            #expect(c.bound == v, "\(text)")
            if text != "123456789012345678" { #expect(c.isExact, "\(text) is a Double") }
        }
        // Not Doubles: enclosed, one ulp each side of the nearest Double.
        for (text, v) in [("0.1", 0.1), ("1e23", 1e23), ("-0.250853568315506", -0.250853568315506),
                          ("3.00000000000000000000001", 3.0), ("123456789012345678", 123456789012345678.0)] {
            let c = try value(text)
            #expect(c.bound == v && !c.isExact, "\(text)")
            #expect(c.boundEnclosure == Interval(uncheckedLower: v.nextDown, upper: v.nextUp), "\(text)")
        }
        // Arithmetic keeps an enclosure: 0.1 + 0.2 (inexact) vs 0.25 + 0.5 (exact).
        let sum = try value("(+ 0.1 0.2)")
        #expect(sum.boundEnclosure.contains(0.30000000000000004) && sum.boundEnclosure.contains(0.3) && !sum.isExact)
        #expect(try value("(+ 0.25 (* 2 0.5))").isExact)
        for bad in ["0x1p3", "inf", "-inf", "nan", "1/3", "#x1F", "1e", "--1", "1.2.3", "+", "."] {
            let m = message(declare(x: 1, y: 1) + "(assert (<= X_0 1))\n(assert (>= X_0 0))\n(assert (<= Y_0 \(bad)))")
            #expect(m.hasPrefix("p.vnnlib: line 5: "), "\(bad): \(m)")
            #expect(m.contains("not a decimal number") || m.contains("unknown variable"), "\(bad): \(m)")
        }
        #expect(message(declare(x: 1, y: 1) + "(assert (<= X_0 1))\n(assert (>= X_0 0))\n(assert (<= Y_0 1e999))")
                == "p.vnnlib: line 5: 1e999 is not a finite number")
    }

    /// Every error: one line naming the file and (where there is one) the line.
    @Test func errorMessages() {
        let box = "(assert (<= X_0 1))\n(assert (>= X_0 0))\n"
        let cases: [(String, String)] = [
            ("(declare-const X_0 Real)\n(declare-const X_0 Real)", "p.vnnlib: line 2: X_0 is declared twice (first on line 1)"),
            ("(declare-const X_0 Real)\n(declare-const X_2 Real)\n(declare-const Y_0 Real)\n(assert (<= Y_0 0))",
             "p.vnnlib: X variables must be declared as X_0..X_1 without gaps (X_1 is missing)"),
            (declare(x: 1, y: 1) + box + "(assert (<= Y_1 0))", "p.vnnlib: line 5: Y_1 is used but not declared"),
            ("(declare-const X_0 Int)", "p.vnnlib: line 1: expected (declare-const X_i Real) or (declare-const Y_j Real)"),
            ("(declare-const Z_0 Real)", "p.vnnlib: line 1: unknown variable Z_0 (expected X_i or Y_j)"),
            ("(declare-const X_01 Real)", "p.vnnlib: line 1: unknown variable X_01 (expected X_i or Y_j)"),
            (declare(x: 1, y: 1) + box + "(assert (<= Y_0 (* Y_0 Y_0)))", "p.vnnlib: line 5: product of two variables is not linear"),
            (declare(x: 1, y: 1) + box + "(assert (<= X_0 Y_0))", "p.vnnlib: line 5: an atom mixes X and Y variables"),
            (declare(x: 1, y: 1) + box + "(assert (<= 1 2))", "p.vnnlib: line 5: an atom without variables"),
            (declare(x: 1, y: 1) + box + "(assert (<= Y_0 (/ 1 3)))", "p.vnnlib: line 5: unsupported expression (/ ...) (only +, - and * by a number)"),
            (declare(x: 1, y: 1) + box + "(assert (=> (<= Y_0 0) (<= Y_0 1)))", "p.vnnlib: line 5: unsupported formula (=> ...)"),
            (declare(x: 1, y: 1) + box + "(assert (or))", "p.vnnlib: line 5: (or) needs operands"),
            (declare(x: 1, y: 1) + box + "(assert (<= Y_0 0)", "p.vnnlib: line 5: unbalanced parenthesis"),
            (declare(x: 1, y: 1) + box + "(assert (<= Y_0 0 1))", "p.vnnlib: line 5: (<= a b) takes two operands"),
            (declare(x: 1, y: 1) + box + "(check-sat)", "p.vnnlib: line 5: unsupported command check-sat (only declare-const and assert)"),
            (declare(x: 1, y: 1) + box + ")", "p.vnnlib: line 5: expected a (command ...)"),
            (declare(x: 1, y: 1) + "(assert (<= X_0 1))\n(assert (> X_0 0))\n(assert (<= Y_0 0))",
             "p.vnnlib: line 4: strict bound on X_0 is not supported (a counterexample on the boundary would lie outside the region); use <= or >="),
            (declare(x: 1, y: 1) + box + "(assert (<= (* 2 X_0) 1))\n(assert (<= Y_0 0))",
             "p.vnnlib: line 5: constraints on X must bound one X variable by a number, e.g. (<= X_0 0.5)"),
            (declare(x: 2, y: 1) + box + "(assert (<= Y_0 0))", "p.vnnlib: X_1 needs both a lower and an upper bound"),
            (declare(x: 1, y: 1) + "(assert (<= X_0 0))\n(assert (>= X_0 1))\n(assert (<= Y_0 0))", "p.vnnlib: X_0 has lower bound 1.0 > upper bound 0.0"),
            (declare(x: 1, y: 1) + "(assert (or (and (<= X_0 1) (>= X_0 0) (<= Y_0 0)) (and (<= X_0 1) (<= Y_0 1))))",
             "p.vnnlib: X_0 needs both a lower and an upper bound in disjunct 1"),
            (declare(x: 1, y: 1) + box, "p.vnnlib: no assert over Y (nothing to verify)"),
            (declare(x: 0, y: 1) + "(assert (<= Y_0 0))", "p.vnnlib: no X variables declared"),
            ("", "p.vnnlib: no X variables declared"),
            (declare(x: 1, y: 1) + box + "(assert " + String(repeating: "(and ", count: 70) + "(<= Y_0 0)" + String(repeating: ")", count: 71),
             "p.vnnlib: line 5: formulas nested deeper than 64 levels"),
        ]
        for (text, expected) in cases {
            #expect(message(text) == expected, "\(text.suffix(60))")
        }
        // A gzip file read without decompression.
        do {
            _ = try VNNLibSpecification(data: Data([0x1f, 0x8b, 8, 0, 0]), source: "a.vnnlib.gz")
            Issue.record("gzip bytes must be refused")
        } catch {
            #expect(error.description == "a.vnnlib.gz: is gzip-compressed; decompress it first (gzip -dk)")
        }
        // Hostile bytes never crash: every prefix of a valid file is an error or a spec.
        let valid = declare(x: 1, y: 2) + box + "(assert (or (and (>= Y_0 Y_1)) (and (<= (+ Y_0 (* -2 Y_1)) 1e-3))))"
        for n in 0...valid.utf8.count { _ = message(String(valid.utf8.prefix(n))!) }
    }

    /// The reader's line numbers survive CRLF and comments containing parentheses.
    @Test func linesAndComments() {
        let text = "; (not a command)\r\n(declare-const X_0 Real) ; ((\r\n(declare-const Y_0 Real)\r\n(assert (<= X_0 1))\r\n(assert (>= X_0 0))\r\n\r\n(assert (<= Y_0 Y_1))"
        #expect(message(text) == "p.vnnlib: line 7: Y_1 is used but not declared")
    }

    /// Random properties in disjunctive normal form, written in one of the VNN-COMP forms
    /// with random spellings (<= / >=, sides swapped, (* c Y), (- ...)), parse back to
    /// the same disjuncts.
    @Test func randomSpecificationsRoundTrip() throws {
        for seed in UInt64(1)...200 {
            var rng = SeededGenerator(seed: seed)
            let nx = Int.random(in: 1...4, using: &rng), ny = Int.random(in: 1...4, using: &rng)
            let nd = Int.random(in: 1...4, using: &rng)
            let perDisjunctBoxes = Bool.random(using: &rng)
            func dyadic() -> Double { Double(Int.random(in: -64...64, using: &rng)) / 8 }
            func box() -> VNNLibInputBox {
                var lo: [Double] = [], hi: [Double] = []
                for _ in 0..<nx { let a = dyadic(), b = dyadic(); lo.append(min(a, b)); hi.append(max(a, b)) }
                return VNNLibInputBox(lower: lo, upper: hi)
            }
            let shared = box()
            var expected: [VNNLibDisjunct] = []
            for _ in 0..<nd {
                var cs: [VNNLibConstraint] = []
                for _ in 0..<Int.random(in: 1...3, using: &rng) {
                    let idx = Array(0..<ny).shuffled(using: &rng).prefix(Int.random(in: 1...ny, using: &rng)).sorted()
                    var terms = idx.map { term($0, Double(Int.random(in: 1...4, using: &rng)) * (Bool.random(using: &rng) ? 1 : -1) / 2) }
                    terms.sort { $0.index < $1.index }
                    cs.append(VNNLibConstraint(terms: terms, bound: dyadic(), strict: Bool.random(using: &rng)))
                }
                expected.append(VNNLibDisjunct(input: perDisjunctBoxes ? box() : shared, constraints: cs))
            }
            func lhs(_ c: VNNLibConstraint, negate: Bool) -> String {
                let parts = c.terms.map { t -> String in
                    let k = negate ? -t.coefficient : t.coefficient
                    return k == 1 ? "Y_\(t.index)" : (Bool.random(using: &rng) ? "(* \(k) Y_\(t.index))" : "(* Y_\(t.index) \(k))")
                }
                return parts.count == 1 ? parts[0] : "(+ \(parts.joined(separator: " ")))"
            }
            func atom(_ c: VNNLibConstraint) -> String {
                let (le, ge) = c.strict ? ("<", ">") : ("<=", ">=")
                switch Int.random(in: 0..<3, using: &rng) {
                case 0: return "(\(le) \(lhs(c, negate: false)) \(c.bound))"
                case 1: return "(\(ge) \(c.bound) \(lhs(c, negate: false)))"
                default: return "(\(ge) \(lhs(c, negate: true)) (- \(c.bound)))"
                }
            }
            func bounds(_ b: VNNLibInputBox) -> [String] {
                (0..<nx).flatMap { ["(>= X_\($0) \(b.lower[$0]))", "(<= \(b.upper[$0] == 0 ? "X_\($0)" : "(* 1 X_\($0))") \(b.upper[$0]))"] }
            }
            var text = "; seed \(seed)\n" + declare(x: nx, y: ny)
            if !perDisjunctBoxes { text += bounds(shared).map { "(assert \($0))\n" }.joined() }
            if nd == 1 && !perDisjunctBoxes {
                text += expected[0].constraints.map { "(assert \(atom($0)))\n" }.joined()
            } else {
                text += "(assert (or\n" + expected.map { d in
                    "  (and " + ((perDisjunctBoxes ? bounds(d.input) : []) + d.constraints.map(atom)).joined(separator: " ") + ")\n"
                }.joined() + "))\n"
            }
            let s = try spec(text)
            #expect(s.inputCount == nx && s.outputCount == ny, "seed \(seed)")
            #expect(s.disjuncts.count == nd, "seed \(seed)\n\(text)")
            guard s.disjuncts.count == nd else { continue }
            for (got, want) in zip(s.disjuncts, expected) {
                #expect(got.input == want.input, "seed \(seed)\n\(text)")
                #expect(got.constraints.map(\.terms) == want.constraints.map(\.terms), "seed \(seed)\n\(text)")
                #expect(got.constraints.map(\.bound) == want.constraints.map(\.bound), "seed \(seed)\n\(text)")
                #expect(got.constraints.map(\.strict) == want.constraints.map(\.strict), "seed \(seed)\n\(text)")
            }
        }
    }

    /// A literal is classified exact (a point enclosure) only if its value is a Double:
    /// checked against glibc's exact decimal expansion of the parsed Double. Seeded.
    @Test func exactnessMatchesTheExactDecimalExpansion() throws {
        /// (digits without leading/trailing zeros, exponent of the last digit); zero -> ("", 0).
        func normalized(_ text: String) -> (String, Int) {
            var t = Substring(text)
            if t.first == "-" || t.first == "+" { t = t.dropFirst() }
            let parts = t.split(maxSplits: 1, whereSeparator: { $0 == "e" || $0 == "E" })
            var exponent = parts.count == 2 ? Int(parts[1])! : 0
            let mantissa = parts[0].split(separator: ".", maxSplits: 1, omittingEmptySubsequences: false)
            let frac = mantissa.count == 2 ? String(mantissa[1]) : ""
            var digits = String(mantissa[0]) + frac
            exponent -= frac.count
            while digits.first == "0" { digits.removeFirst() }
            while digits.last == "0" { digits.removeLast(); exponent += 1 }
            return digits.isEmpty ? ("", 0) : (digits, exponent)
        }
        var rng = SeededGenerator(seed: 7)
        var exactSeen = 0, inexactSeen = 0
        for n in 0..<3000 {
            let literal: String
            switch n % 4 {
            case 0: literal = String(format: "%.17g", Double.random(in: -1e6...1e6, using: &rng))
            case 1: literal = String(format: "%.1100g", Double(Int.random(in: -100_000...100_000, using: &rng)) / Double(1 << Int.random(in: 0...40, using: &rng)))
            case 2: literal = "\(Int.random(in: -9999...9999, using: &rng))e\(Int.random(in: -30...30, using: &rng))"
            default: literal = String(format: "%.\(Int.random(in: 1...19, using: &rng))g", rng.anyFiniteDouble())
            }
            let c = try spec(declare(x: 1, y: 1) + "(assert (<= X_0 1))\n(assert (>= X_0 0))\n(assert (<= Y_0 \(literal)))").disjuncts[0].constraints[0]
            let d = c.bound
            let oracleExact = normalized(literal) == normalized(String(format: "%.1100g", d))
            let significant = normalized(literal).0.count
            if c.isExact { #expect(oracleExact && c.boundEnclosure == Interval(d), "\(literal) claimed exact") }
            if significant <= 19 { #expect(c.isExact == oracleExact, "\(literal): exact \(oracleExact)") }
            if !c.isExact { #expect(c.boundEnclosure == Interval(uncheckedLower: d.nextDown, upper: d.nextUp), "\(literal)") }
            if oracleExact { exactSeen += 1 } else { inexactSeen += 1 }
        }
        #expect(exactSeen > 500 && inexactSeen > 500, "\(exactSeen) exact, \(inexactSeen) inexact")
    }

    /// Seeded mutations of a valid file (byte flips, insertions of syntax characters,
    /// deletions, duplications) never crash: each parses or gives a one-line error.
    @Test func mutatedFilesNeverCrash() {
        let valid = Array((declare(x: 2, y: 2) + """
            (assert (>= X_0 -0.25)) (assert (<= X_0 1e-1)) (assert (>= X_1 0)) (assert (<= X_1 .5))
            (assert (or (and (>= Y_0 Y_1) (<= (+ Y_0 (* -2.5 Y_1)) 3)) (and (< (- Y_1 Y_0) 1E2))))
            """).utf8)
        let alphabet = Array("()XY_0123456789.eE+-* ;\n\r\tabdorn<>=x".utf8) + [0, 0xff, 0x1f, 0x8b]
        var rng = SeededGenerator(seed: 2024)
        var parsed = 0, rejected = 0
        for _ in 0..<4000 {
            var b = valid
            for _ in 0..<Int.random(in: 1...4, using: &rng) {
                let i = Int.random(in: 0..<max(b.count, 1), using: &rng)
                switch Int.random(in: 0..<4, using: &rng) {
                case 0: if !b.isEmpty { b[i] = alphabet.randomElement(using: &rng)! }
                case 1: b.insert(alphabet.randomElement(using: &rng)!, at: min(i, b.count))
                case 2: if !b.isEmpty { b.remove(at: i) }
                default: if !b.isEmpty { let j = min(b.count, i + Int.random(in: 1...20, using: &rng)); b.insert(contentsOf: b[i..<j], at: j) }
                }
            }
            do {
                _ = try VNNLibSpecification(data: Data(b), source: "m.vnnlib")
                parsed += 1
            } catch {
                #expect(!error.description.contains("\n") && error.description.hasPrefix("m.vnnlib: "), "\(error)")
                rejected += 1
            }
        }
        #expect((try? VNNLibSpecification(data: Data(valid), source: "m.vnnlib"))?.disjuncts.count == 2)
        #expect(parsed > 20 && rejected > 1000, "\(parsed) parsed, \(rejected) rejected")
    }

    /// Grouping by box and refuting disjuncts with output bounds.
    @Test func boxesGroupAndDisjunctsAreRefutedByOutputBounds() throws {
        let s = try spec(declare(x: 1, y: 2) + """
            (assert (or (and (>= X_0 0) (<= X_0 1) (>= Y_0 Y_1))
                        (and (>= X_0 2) (<= X_0 3) (<= Y_0 -1))
                        (and (>= X_0 0) (<= X_0 1) (<= Y_1 -1) (<= Y_0 5))))
            """)
        let groups = s.disjunctsByInputBox()
        #expect(groups.map(\.disjuncts) == [[0, 2], [1]])
        #expect(groups[0].input == VNNLibInputBox(lower: [0], upper: [1]))
        // Y_0 in [0, 1], Y_1 in [2, 3]: Y_0 >= Y_1 fails everywhere; Y_0 <= -1 fails; Y_1 <= -1 fails.
        let y = [Interval(uncheckedLower: 0, upper: 1), Interval(uncheckedLower: 2, upper: 3)]
        #expect(s.disjuncts.allSatisfy { $0.isRefuted(byOutputBounds: y) })
        // Overlapping bounds refute nothing about disjunct 0.
        let overlap = [Interval(uncheckedLower: 0, upper: 2.5), Interval(uncheckedLower: 2, upper: 3)]
        #expect(!s.disjuncts[0].isRefuted(byOutputBounds: overlap) && s.disjuncts[1].isRefuted(byOutputBounds: overlap))
        #expect(!VNNLibDisjunct(input: groups[0].input, constraints: []).isRefuted(byOutputBounds: y))
    }

    /// Margins and decisions use enclosures: Y_0 <= 0.1 is not proved by Y_0 = 0.1 (the
    /// Double 0.1 is above the real 0.1), but is by the Double just below.
    @Test func constraintDecisionsUseTheEnclosures() throws {
        let c = try spec(declare(x: 1, y: 2) + "(assert (<= X_0 1))\n(assert (>= X_0 0))\n(assert (<= Y_0 0.1))").disjuncts[0].constraints[0]
        #expect(!c.certainlyHolds(over: [Interval(0.1), .zero]))
        #expect(c.certainlyHolds(over: [Interval(Double(0.1).nextDown.nextDown), .zero]))
        #expect(!c.certainlyFails(over: [Interval(Double(0.1).nextUp), .zero]))
        #expect(c.certainlyFails(over: [Interval(Double(0.1).nextUp.nextUp), .zero]))
        // Straddling: neither.
        let straddle = [Interval(uncheckedLower: 0, upper: 0.2), Interval.zero]
        #expect(!c.certainlyHolds(over: straddle) && !c.certainlyFails(over: straddle))
        // Unbounded or too-short value lists never decide.
        #expect(!c.certainlyHolds(over: [.entire, .zero]) && !c.certainlyFails(over: []))
    }
}

/// The 100 shipped ViT properties (gzipped; decompressed here with /usr/bin/gzip so the
/// test does not depend on `readInputFile` decompressing).
@Suite("VNN-LIB: shipped ViT properties")
struct VNNLibViTTests {
    static let folder = packageRoot.deletingLastPathComponent().appendingPathComponent("shared/benchmarks/vnncomp2023-vit/vnnlib")

    static func gunzip(_ path: String) throws -> Data {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/gzip")
        p.arguments = ["-dc", path]
        let pipe = Pipe()
        p.standardOutput = pipe
        try p.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        return data
    }

    @Test func allHundredParse() throws {
        let files = try FileManager.default.contentsOfDirectory(atPath: Self.folder.path).filter { $0.hasSuffix(".vnnlib.gz") }.sorted()
        #expect(files.count == 100)
        let std = [0.2023, 0.1994, 0.2010]
        var total = 0, atRadius = 0
        for name in files {
            let data = try Self.gunzip(Self.folder.appendingPathComponent(name).path)
            let s = try VNNLibSpecification(data: data, source: name)
            let text = String(decoding: data.prefix(100), as: UTF8.self)
            let label = Int(text.split(separator: ":")[1].split(separator: ".")[0].trimmingCharacters(in: .whitespaces))!
            #expect(s.inputCount == 3072 && s.outputCount == 10 && s.disjuncts.count == 9, "\(name)")
            // One disjunct per wrong class k: Y_label - Y_k <= 0.
            let wrong = s.disjuncts.map { d -> Int in
                #expect(d.constraints.count == 1 && d.constraints[0].bound == 0 && !d.constraints[0].strict, "\(name)")
                let t = d.constraints[0].terms
                #expect(t.count == 2 && t.contains(term(label, 1)) && t.contains { $0.coefficient == -1 }, "\(name)")
                return t.first { $0.coefficient == -1 }!.index
            }
            #expect(Set(wrong) == Set(0..<10).subtracting([label]), "\(name)")
            // Half-widths 1/255/std_c (less where the pixel range clips the box).
            let box = s.disjuncts[0].input
            #expect(s.disjuncts.allSatisfy { $0.input == box })
            var tooWide: [Int] = [], badInner: [Int] = []
            for i in 0..<3072 {
                let half = (box.upper[i] - box.lower[i]) / 2, eps = 1 / 255 / std[i / 1024]
                if !(half <= eps + 1e-6) { tooWide.append(i) }
                total += 1
                if abs(half - eps) <= 1e-6 { atRadius += 1 }
                if !(box.lower[i] <= box.innerLower[i] && box.innerLower[i] <= box.innerUpper[i] && box.innerUpper[i] <= box.upper[i]) { badInner.append(i) }
            }
            #expect(tooWide.isEmpty && badInner.isEmpty, "\(name): too wide \(tooWide.prefix(5)), inner box \(badInner.prefix(5))")
        }
        #expect(Double(atRadius) >= 0.98 * Double(total), "\(atRadius)/\(total) at the full radius")
    }

    func term(_ i: Int, _ c: Double) -> VNNLibTerm { VNNLibTerm(index: i, coefficient: c) }
}
