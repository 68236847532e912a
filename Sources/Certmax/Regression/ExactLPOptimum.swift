import CertmaxLP
import CertmaxNumerics

/// Oracle (regression suite and tests): the exact optimum of a small `LinearProgram` (exactly its stored Double
/// data), certified in exact dyadic arithmetic (issue 17, item 2b).
///
/// Method (a rational simplex's certificate, without the pivoting): a Double vertex
/// enumeration proposes active sets whose vertices are feasible and optimal up to a
/// tolerance; each proposal is then *certified* exactly: the vertex x* = N / p solves the
/// active system exactly (fraction-free Gauss-Jordan elimination), every constraint holds
/// at x* exactly (primal feasibility), and multipliers y with M^T y = c exist with the
/// signs KKT needs (dual feasibility). Primal plus dual feasibility prove optimality by
/// weak duality, whatever the Double enumeration did, so nothing here trusts floating
/// point: the Double pass only chooses what to certify.
///
/// Error rule: exact. Every MPFR operation is done at `bits` bits in both rounding
/// directions and must agree (so it was exact); when one does not, or no proposal can be
/// certified, the oracle returns nil and the caller must fail (never a vacuous pass).
/// The optimum is returned as the exact rational `numerator / denominator` (denominator > 0).
public struct ExactLPOptimum: Sendable {
    struct Inexact: Error {}

    /// Enumeration budget: `minimum` gives up (nil) when more active sets than this would
    /// have to be proposed.
    public static let maximumSubsets = 300_000

    /// One constraint a . x <= rhs (or == rhs when `equality`).
    struct Constraint: Sendable {
        var a: [Double]
        var rhs: Double
        var equality: Bool
    }

    public let n: Int
    let constraints: [Constraint]
    static let bits = 4096

    public init(_ lp: LinearProgram) {
        n = lp.columnCount
        var cs: [Constraint] = []
        for i in 0..<lp.rowCount {
            var a = [Double](repeating: 0, count: n)
            for (j, v) in zip(lp.rowColumns[i], lp.rowValues[i]) { a[j] += v }
            let (lo, hi) = (lp.rowLower[i], lp.rowUpper[i])
            if lo == hi { cs.append(Constraint(a: a, rhs: hi, equality: true)); continue }
            if hi.isFinite { cs.append(Constraint(a: a, rhs: hi, equality: false)) }
            if lo.isFinite { cs.append(Constraint(a: a.map { -$0 }, rhs: -lo, equality: false)) }
        }
        for j in 0..<n {
            var e = [Double](repeating: 0, count: n)
            e[j] = 1
            let (lo, hi) = (lp.columnLower[j], lp.columnUpper[j])
            if lo == hi { cs.append(Constraint(a: e, rhs: hi, equality: true)); continue }
            if hi.isFinite { cs.append(Constraint(a: e, rhs: hi, equality: false)) }
            if lo.isFinite { cs.append(Constraint(a: e.map { -$0 }, rhs: -lo, equality: false)) }
        }
        constraints = cs
    }

    // MARK: Exact arithmetic (checked)

    static func big(_ x: Double) -> BigFloat { BigFloat(x, precision: bits) }
    static func exact(_ f: (RoundingDirection) -> BigFloat) throws -> BigFloat {
        let d = f(.down), u = f(.up)
        guard d == u else { throw Inexact() }
        return d
    }
    static func mul(_ a: BigFloat, _ b: BigFloat) throws -> BigFloat { try exact { a.multiplied(by: b, rounding: $0, precision: bits) } }
    static func sub(_ a: BigFloat, _ b: BigFloat) throws -> BigFloat { try exact { a.subtracting(b, rounding: $0, precision: bits) } }
    static func add(_ a: BigFloat, _ b: BigFloat) throws -> BigFloat { try exact { a.adding(b, rounding: $0, precision: bits) } }
    static func div(_ a: BigFloat, _ b: BigFloat) throws -> BigFloat { try exact { a.divided(by: b, rounding: $0, precision: bits) } }

    /// Fraction-free Gauss-Jordan on the augmented system [M | r] (n x (n+1)), exact.
    /// Returns (N, p) with M (N / p) = r and p != 0, or nil when M is singular.
    static func solveExact(_ M: [[BigFloat]], _ r: [BigFloat]) throws -> (N: [BigFloat], p: BigFloat)? {
        let n = M.count
        var a = (0..<n).map { M[$0] + [r[$0]] }
        var prev = big(1)
        for k in 0..<n {
            guard let piv = (k..<n).first(where: { !a[$0][k].isZero }) else { return nil }
            if piv != k { a.swapAt(piv, k) }
            for i in 0..<n where i != k {
                let aik = a[i][k]
                for j in 0...n where j != k {
                    a[i][j] = try div(try sub(try mul(a[k][k], a[i][j]), try mul(aik, a[k][j])), prev)
                }
                a[i][k] = big(0)
            }
            prev = a[k][k]
        }
        // Every diagonal entry is now the last pivot p, and column n holds p x.
        return ((0..<n).map { a[$0][n] }, prev)
    }

    // MARK: Double proposals

    /// Solves the square system in Double (partial pivoting); nil when nearly singular.
    static func solveDouble(_ M: [[Double]], _ r: [Double]) -> [Double]? {
        let n = M.count
        var a = (0..<n).map { M[$0] + [r[$0]] }
        for k in 0..<n {
            var best = k
            for i in k..<n where abs(a[i][k]) > abs(a[best][k]) { best = i }
            guard abs(a[best][k]) > 1e-12 else { return nil }
            a.swapAt(best, k)
            for i in (k + 1)..<max(n, k + 1) {
                let f = a[i][k] / a[k][k]
                if f == 0 { continue }
                for j in k...n { a[i][j] -= f * a[k][j] }
            }
        }
        var x = [Double](repeating: 0, count: n)
        for k in stride(from: n - 1, through: 0, by: -1) {
            var s = a[k][n]
            for j in (k + 1)..<max(n, k + 1) { s -= a[k][j] * x[j] }
            x[k] = s / a[k][k]
        }
        return x
    }

    /// C(m, k), saturating at Int.max.
    static func binomial(_ m: Int, _ k: Int) -> Int {
        if k < 0 || k > m { return 0 }
        var r = 1
        for i in 0..<min(k, m - k) {
            let (p, o) = r.multipliedReportingOverflow(by: m - i)
            if o { return Int.max }
            r = p / (i + 1)
        }
        return r
    }

    /// All k-subsets of 0..<m (lexicographic).
    static func forEachSubset(_ m: Int, _ k: Int, _ body: ([Int]) -> Void) {
        if k == 0 { body([]); return }
        if k > m { return }
        var idx = Array(0..<k)
        while true {
            body(idx)
            var i = k - 1
            while i >= 0 && idx[i] == m - k + i { i -= 1 }
            if i < 0 { return }
            idx[i] += 1
            for j in (i + 1)..<k { idx[j] = idx[j - 1] + 1 }
        }
    }

    /// The exact minimum of c . x (for a maximum pass -c and negate the result) as
    /// numerator / denominator, denominator > 0; nil when it could not be certified.
    public func minimum(_ c: [Double]) -> (numerator: BigFloat, denominator: BigFloat)? {
        guard c.count == n else { return nil }
        let eqs = constraints.indices.filter { constraints[$0].equality }
        let ineqs = constraints.indices.filter { !constraints[$0].equality }
        let free = n - eqs.count
        guard free >= 0, Self.binomial(ineqs.count, free) <= Self.maximumSubsets else { return nil }
        let scale = constraints.map { c in max(1, c.a.map(abs).max()!, abs(c.rhs)) }
        var proposals: [(value: Double, active: [Int])] = []
        var best = Double.infinity
        Self.forEachSubset(ineqs.count, free) { pick in
            let active = eqs + pick.map { ineqs[$0] }
            guard let x = Self.solveDouble(active.map { constraints[$0].a }, active.map { constraints[$0].rhs }) else { return }
            for (k, con) in constraints.enumerated() {
                var s = 0.0
                for j in 0..<n { s += con.a[j] * x[j] }
                let slack = s - con.rhs
                if con.equality ? abs(slack) > 1e-7 * scale[k] : slack > 1e-7 * scale[k] { return }
            }
            var v = 0.0
            for j in 0..<n { v += c[j] * x[j] }
            proposals.append((v, active))
            best = min(best, v)
        }
        let tol = 1e-6 * max(1, abs(best))
        let candidates = proposals.filter { $0.value <= best + tol }.sorted { $0.value < $1.value }.prefix(400)
        for cand in candidates {
            if let r = try? certify(c, active: cand.active) { return r }
        }
        return nil
    }

    /// Exact certificate for one active set: primal vertex feasible and KKT multipliers
    /// with the right signs. Returns the exact optimum, nil if not certified.
    func certify(_ c: [Double], active: [Int]) throws -> (numerator: BigFloat, denominator: BigFloat)? {
        let B = Self.big
        let M = active.map { constraints[$0].a.map(B) }
        guard var (N, p) = try Self.solveExact(M, active.map { B(constraints[$0].rhs) }) else { return nil }
        if p.signum < 0 { N = N.map { $0.negated() }; p = p.negated() }
        // Primal feasibility: a . N <= rhs p (== for equalities).
        for con in constraints {
            var s = B(0)
            for j in 0..<n where con.a[j] != 0 { s = try Self.add(s, try Self.mul(B(con.a[j]), N[j])) }
            let r = try Self.mul(B(con.rhs), p)
            if con.equality ? !(s == r) : !(s <= r) { return nil }
        }
        // Dual feasibility: c = sum_k y_k a_k with y_k <= 0 for inequalities a x <= b
        // (min c.x: c + sum mu_k a_k = 0, mu >= 0).
        let Mt = (0..<n).map { j in active.map { B(constraints[$0].a[j]) } }
        guard var (Y, q) = try Self.solveExact(Mt, c.map(B)) else { return nil }
        if q.signum < 0 { Y = Y.map { $0.negated() }; q = q.negated() }
        for (k, idx) in active.enumerated() where !constraints[idx].equality && Y[k].signum > 0 { return nil }
        var num = B(0)
        for j in 0..<n where c[j] != 0 { num = try Self.add(num, try Self.mul(B(c[j]), N[j])) }
        return (num, p)
    }

    /// Whether `bound` <= numerator / denominator (denominator > 0), exactly.
    public static func isBelowOrEqual(_ bound: Double, _ v: (numerator: BigFloat, denominator: BigFloat)) -> Bool {
        guard bound.isFinite else { return bound == -.infinity }
        guard let lhs = try? mul(big(bound), v.denominator) else { return false }
        return lhs <= v.numerator
    }

    /// A Double-precision view of an exact optimum, for messages.
    public static func approximate(_ v: (numerator: BigFloat, denominator: BigFloat)) -> Double {
        v.numerator.divided(by: v.denominator, rounding: .nearest, precision: 256).double()
    }
}
