/// Index arithmetic on row-major shapes: strides, axis normalisation, numpy-style
/// broadcasting. Pure integer code; every function validates what it is given.
public enum ShapeMath {
    /// Row-major strides of `shape` (the last axis has stride 1).
    public static func strides(_ shape: [Int]) -> [Int] {
        var s = [Int](repeating: 1, count: shape.count)
        var acc = 1
        for i in stride(from: shape.count - 1, through: 0, by: -1) { s[i] = acc; acc *= shape[i] }
        return s
    }

    /// Element count, or nil if it overflows `Int` or a dimension is negative.
    public static func count(_ shape: [Int]) -> Int? {
        var n = 1
        for d in shape {
            guard d >= 0 else { return nil }
            let (p, o) = n.multipliedReportingOverflow(by: d)
            if o { return nil }
            n = p
        }
        return n
    }

    /// `axis` in `-rank..<rank` as a non-negative axis, or nil when out of range.
    public static func normalize(axis: Int, rank: Int) -> Int? {
        let a = axis < 0 ? axis + rank : axis
        return (0..<max(rank, 0)).contains(a) ? a : nil
    }

    /// The numpy broadcast of two shapes, or nil when they are incompatible.
    public static func broadcast(_ a: [Int], _ b: [Int]) -> [Int]? {
        let r = max(a.count, b.count)
        var out = [Int](repeating: 1, count: r)
        for i in 0..<r {
            let da = i < r - a.count ? 1 : a[i - (r - a.count)]
            let db = i < r - b.count ? 1 : b[i - (r - b.count)]
            if da == db || db == 1 { out[i] = da } else if da == 1 { out[i] = db } else { return nil }
        }
        return out
    }

    /// For each element of `outShape` (row-major), the flat index of the element of an
    /// operand of shape `inShape` that broadcasts onto it. Precondition: `inShape`
    /// broadcasts to `outShape`.
    public static func broadcastIndices(from inShape: [Int], to outShape: [Int]) -> [Int] {
        if inShape == outShape { return Array(0..<outShape.reduce(1, *)) }
        let r = outShape.count
        let padded = [Int](repeating: 1, count: r - inShape.count) + inShape
        let inStrides = strides(padded)
        var eff = [Int](repeating: 0, count: r)
        for i in 0..<r { eff[i] = padded[i] == 1 ? 0 : inStrides[i] }
        return gatherIndices(outShape: outShape, strides: eff, offset: 0)
    }

    /// For each element of the permuted tensor (row-major), the flat index of its source
    /// element: out[i_0..] = in[i at perm positions]. `perm` is a permutation of 0..<rank.
    public static func transposeIndices(shape: [Int], perm: [Int]) -> [Int] {
        let inStrides = strides(shape)
        let outShape = perm.map { shape[$0] }
        let permStrides = perm.map { inStrides[$0] }
        return gatherIndices(outShape: outShape, strides: permStrides, offset: 0)
    }

    /// Flat indices offset + sum_d i_d * strides[d] over all multi-indices i of
    /// `outShape`, row-major.
    public static func gatherIndices(outShape: [Int], strides st: [Int], offset: Int) -> [Int] {
        let n = outShape.reduce(1, *)
        var result = [Int](repeating: 0, count: n)
        if n == 0 { return result }
        let r = outShape.count
        var idx = [Int](repeating: 0, count: r)
        var off = offset
        for k in 0..<n {
            result[k] = off
            var d = r - 1
            while d >= 0 {
                idx[d] += 1; off += st[d]
                if idx[d] < outShape[d] { break }
                off -= st[d] * idx[d]; idx[d] = 0; d -= 1
            }
        }
        return result
    }
}
