import CertmaxNumerics

/// Dense matrix-product kernels shared by MatMul, Gemm and their gradients.
/// Row-major A [n, k] (at offset `ao`), B [k, m] (at `bo`), C [n, m] accumulated.
enum MatrixKernels {
    /// C += A B, plain Double.
    static func product(_ a: [Double], _ ao: Int, _ b: [Double], _ bo: Int, n: Int, k: Int, m: Int,
                        into c: inout [Double], _ co: Int) {
        for i in 0..<n {
            for p in 0..<k {
                let x = a[ao + i * k + p]
                if x == 0 { continue }
                let row = bo + p * m, out = co + i * m
                for j in 0..<m { c[out + j] += x * b[row + j] }
            }
        }
    }

    /// C = A B in outward-rounded interval arithmetic (C is overwritten).
    ///
    /// Soundness: every product is enclosed by `Interval.*` (directed ends) or, when one
    /// factor is a point, by `mulDown`/`mulUp` of the matching ends; every sum by
    /// `addDown`/`addUp`. (A zero factor contributes exactly 0, also against an unbounded
    /// box end: 0 * inf is taken as 0, the exact product being 0.) So for every real matrices inside the boxes the exact real
    /// product lies inside C.
    static func intervalProduct(_ a: [Interval], _ ao: Int, _ b: [Interval], _ bo: Int, n: Int, k: Int, m: Int,
                                into c: inout [Interval], _ co: Int) {
        var lo = [Double](repeating: 0, count: m), hi = [Double](repeating: 0, count: m)
        // A point right operand (weights): each term is a box end times a Double.
        var rightIsPoint = true
        for p in 0..<(k * m) where !b[bo + p].isPoint { rightIsPoint = false; break }
        for i in 0..<n {
            for j in 0..<m { lo[j] = 0; hi[j] = 0 }
            for p in 0..<k {
                let x = a[ao + i * k + p]
                let row = bo + p * m
                if x.isPoint {
                    let s = x.lower
                    if s == 0 { continue }
                    for j in 0..<m {
                        let y = b[row + j]
                        let (l, u): (Double, Double)
                        if s > 0 { l = Double.mulDown(s, y.lower); u = Double.mulUp(s, y.upper) }
                        else { l = Double.mulDown(s, y.upper); u = Double.mulUp(s, y.lower) }
                        lo[j] = Double.addDown(lo[j], l); hi[j] = Double.addUp(hi[j], u)
                    }
                } else if rightIsPoint {
                    for j in 0..<m {
                        let w = b[row + j].lower
                        if w == 0 { continue }
                        let (l, u): (Double, Double)
                        if w > 0 { l = Double.mulDown(x.lower, w); u = Double.mulUp(x.upper, w) }
                        else { l = Double.mulDown(x.upper, w); u = Double.mulUp(x.lower, w) }
                        lo[j] = Double.addDown(lo[j], l); hi[j] = Double.addUp(hi[j], u)
                    }
                } else {
                    for j in 0..<m {
                        let z = x * b[row + j]
                        lo[j] = Double.addDown(lo[j], z.lower); hi[j] = Double.addUp(hi[j], z.upper)
                    }
                }
            }
            for j in 0..<m {
                // NaN can only come from inf - inf in an unbounded box: widen to entire.
                let l = lo[j].isNaN ? -.infinity : lo[j], u = hi[j].isNaN ? .infinity : hi[j]
                c[co + i * m + j] = Interval(uncheckedLower: l, upper: u)
            }
        }
    }

    /// Transpose of a row-major [r, c] block.
    static func transposed<E>(_ a: [E], rows: Int, cols: Int) -> [E] {
        var t = [E](); t.reserveCapacity(a.count)
        for j in 0..<cols { for i in 0..<rows { t.append(a[i * cols + j]) } }
        return t
    }
}
