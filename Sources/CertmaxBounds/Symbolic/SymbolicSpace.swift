import CertmaxNumerics

/// The input box of a symbolic propagation, written as centre + delta with one noise
/// symbol delta_j in [-r_j, r_j] per perturbed input element.
///
/// The box [l, u] of the input is enclosed as c = fl((l + u) / 2) and
/// r = max(c - l, u - c) rounded up, so [l, u] is a subset of [c - r, c + r] (the
/// engine's bounds hold on the larger box, hence on the input box). Elements with
/// l == u have no symbol: they are the constant c = l.
///
/// The rounding helpers below are the single source of the engine's floating-point
/// error rules; every kernel states which one it uses.
public struct SymbolicSpace: Sendable {
    /// Centre of every input element.
    public let centre: [Double]
    /// The symbol of every input element, or -1 for a fixed element.
    public let symbolOf: [Int32]
    /// Radius of every symbol (> 0): the input's, then the fresh ones in order of
    /// introduction (`introduce`).
    public private(set) var radius: [Double]
    /// An upper bound of sum_j r_j.
    public private(set) var radiusSum: Double
    /// Number of symbols of the input (the first `inputSymbols` symbols).
    public let inputSymbols: Int

    /// Precondition: equal counts, lower <= upper, all finite (the engine checks first).
    public init(lower: [Double], upper: [Double]) {
        var c = [Double](), sym = [Int32](), r = [Double]()
        c.reserveCapacity(lower.count); sym.reserveCapacity(lower.count)
        var sum = 0.0
        for i in 0..<lower.count {
            let l = lower[i], u = upper[i]
            if l == u { c.append(l); sym.append(-1); continue }
            let m = l / 2 + u / 2  // no overflow; any double in [l, u] would do
            let mid = min(max(m, l), u)
            let rad = max(Double.subUp(mid, l), Double.subUp(u, mid))
            c.append(mid); sym.append(Int32(r.count)); r.append(rad)
            sum = Double.addUp(sum, rad)
        }
        inputSymbols = r.count
        centre = c; symbolOf = sym; radius = r; radiusSum = sum
    }

    /// A fresh symbol (a new variable in [-r, r]); returns its index. Existing symbols and
    /// their radii never change, so every form built so far (narrower than the new
    /// symbol count: its missing columns are zero) keeps its meaning and its masses.
    public mutating func introduce(radius r: Double) -> Int {
        radius.append(r)
        radiusSum = Double.addUp(radiusSum, r)
        return radius.count - 1
    }

    /// Number of symbols.
    public var symbols: Int { radius.count }

    /// Unit roundoff and the smallest subnormal.
    public static let unitRoundoff = 0x1p-53
    public static let eta = Double.leastNonzeroMagnitude

    /// gamma_k = k u / (1 - k u), rounded up (Higham 3.4); +inf when k u >= 1.
    public static func gamma(_ k: Int) -> Double {
        let ku = Double.mulUp(Double(max(k, 1)), unitRoundoff)
        guard ku < 0.5 else { return .infinity }
        return Double.divUp(ku, Double.subDown(1, ku))
    }

    /// Error rule shared by every kernel that forms new coefficients as a floating-point
    /// linear combination of K rows (any summation order, FMA or not):
    /// |fl(sum_k w_k a_k) - sum_k w_k a_k| <= gamma_K sum_k |w_k| |a_k| + K eta / 2 per
    /// coefficient, so the value error over the symbol box is at most
    /// gamma_K * weightedMass + K * eta * radiusSum, where weightedMass >= sum_k |w_k| mass_k.
    /// Returned rounded up.
    public func combinationSlack(weightedMass: Double, terms: Int) -> Double {
        let a = Double.mulUp(SymbolicSpace.gamma(terms), weightedMass)
        return Double.addUp(a, Double.mulUp(Double.mulUp(Double(terms), SymbolicSpace.eta), radiusSum))
    }

    /// An upper bound of sum_j |a_j| r_j over the `width` coefficients starting at `base`
    /// (error rule: the plain sum of n non-negative products is within gamma_n of the
    /// exact one, plus n eta / 2 for underflowing products).
    @inlinable
    public func mass(_ a: UnsafeBufferPointer<Double>, _ base: Int, width n: Int) -> Double {
        // Four partial sums (vectorisable); the error rule holds for any order.
        var s0 = 0.0, s1 = 0.0, s2 = 0.0, s3 = 0.0
        radius.withUnsafeBufferPointer { r in
            var j = 0
            while j + 4 <= n {
                s0 += abs(a[base + j]) * r[j]; s1 += abs(a[base + j + 1]) * r[j + 1]
                s2 += abs(a[base + j + 2]) * r[j + 2]; s3 += abs(a[base + j + 3]) * r[j + 3]
                j += 4
            }
            while j < n { s0 += abs(a[base + j]) * r[j]; j += 1 }
        }
        let s = (s0 + s1) + (s2 + s3)
        if !s.isFinite { return s.isNaN ? .infinity : s }
        return SymbolicSpace.inflate(s, terms: n)
    }

    /// Upper bound of an exact sum of `terms` non-negative products whose floating-point
    /// evaluation (any order) gave `s`: (s + n eta) / (1 - gamma_n), rounded up.
    @inlinable
    public static func inflate(_ s: Double, terms: Int) -> Double {
        let g = gamma(terms)
        guard g < 0.5 else { return .infinity }
        return Double.divUp(Double.addUp(s, Double.mulUp(Double(terms), eta)), Double.subDown(1, g))
    }
}
