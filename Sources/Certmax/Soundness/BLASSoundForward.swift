import CertmaxBounds
import CertmaxGraph
import CertmaxNumerics
import COpenBLAS

/// The graph's sound forward pass (`Graph.intervalAll`, outward-rounded interval ops) with
/// one substitution: every `MatMul` of a variable tensor A [..., k] by a constant matrix
/// W [k, m] is enclosed by two OpenBLAS dgemm calls in midpoint-radius form (Rump) instead
/// of the element-by-element directed-rounding kernel. ModelSoundness uses it to check
/// ~10-30x more points in the same time; every other op is the library's own interval op.
///
/// Soundness of one substituted product (exact real arithmetic on the right):
/// - each entry [l, u] of A is enclosed by [c - r, c + r], c = fl(l/2 + u/2),
///   r = max(u - c, c - l) rounded up; so the exact product lies in c W + [-r|W|, r|W|];
/// - P = fl(c W) by dgemm (any summation order, FMA or not): |P - c W| <= gamma_k |c||W|
///   + k eta (Higham 3.5; eta the smallest subnormal, for underflowing products);
/// - with v = gamma_k |c| + r rounded up, gamma_k |c||W| + r|W| <= v|W|, and the exact sum
///   v|W| of non-negative products is at most `SymbolicSpace.inflate(fl(v|W|), k)`
///   ((s + k eta) / (1 - gamma_k) rounded up);
/// - so every exact entry lies in [P - R, P + R], R = inflate(fl(v|W|), k) + k eta rounded
///   up, the ends rounded outward. Any non-finite value: the library's kernel instead.
/// This is the error rule the symbolic engine already applies to its own dgemm calls
/// (`ConstantProduct`, `SymbolicSpace.combinationSlack`).
public struct BLASSoundForward: Sendable {
    public let graph: Graph
    struct Product: Sendable {
        var w: [Double]
        var absW: [Double]
        var k: Int
        var m: Int
    }
    let products: [Int: Product]

    /// Number of MatMul nodes done by dgemm.
    public var substitutedProducts: Int { products.count }

    public init(_ graph: Graph) {
        self.graph = graph
        var p: [Int: Product] = [:]
        for (i, n) in graph.nodes.enumerated() where n.op is MatMul && n.inputs.count == 2 {
            let a = graph.values[n.inputs[0]], b = graph.values[n.inputs[1]]
            guard a.constant == nil, let w = b.constant, w.shape.count == 2, a.shape.count >= 1,
                  a.shape.last == w.shape[0], graph.values[n.output].shape == Array(a.shape.dropLast()) + [w.shape[1]],
                  w.shape[0] > 0, w.shape[1] > 0, w.data.allSatisfy({ $0.isFinite }) else { continue }
            p[i] = Product(w: w.data, absW: w.data.map { abs($0) }, k: w.shape[0], m: w.shape[1])
        }
        products = p
    }

    /// Sound enclosures of the graph outputs for every input inside the boxes (point
    /// boxes: the sound forward pass at a point). Call `SymbolicEngine.setThreads(1)` first
    /// when evaluating from several threads at once (one dgemm thread per caller).
    public func interval(_ inputBoxes: [Tensor<Interval>]) -> [Tensor<Interval>] {
        let all = graph.uncheckedIntervalAll(inputBoxes) { k, args, _ in
            guard let p = products[k] else { return nil }
            return Self.product(args[0], p)
        }
        return graph.outputs.map { all[$0] }
    }

    /// The midpoint-radius enclosure of A W (nil when anything is not finite).
    static func product(_ a: Tensor<Interval>, _ p: Product) -> Tensor<Interval>? {
        let k = p.k, m = p.m, n = a.count / k
        guard n > 0 else { return nil }
        let g = SymbolicSpace.gamma(k)
        guard g < 0.5 else { return nil }
        var c = [Double](repeating: 0, count: n * k), v = c
        for i in 0..<(n * k) {
            let l = a.data[i].lower, u = a.data[i].upper
            guard l.isFinite && u.isFinite else { return nil }
            let mid = 0.5 * l + 0.5 * u
            let r = Swift.max(Double.subUp(u, mid), Double.subUp(mid, l))
            c[i] = mid
            v[i] = Double.addUp(Double.mulUp(g, abs(mid)), r)
        }
        var prod = [Double](repeating: 0, count: n * m), mass = prod
        gemm(c, p.w, &prod, n: n, k: k, m: m)
        gemm(v, p.absW, &mass, n: n, k: k, m: m)
        let tail = Double.mulUp(Double(k), SymbolicSpace.eta)
        var out = [Interval](repeating: .zero, count: n * m)
        for j in 0..<(n * m) {
            let r = Double.addUp(SymbolicSpace.inflate(mass[j], terms: k), tail)
            let lo = Double.subDown(prod[j], r), hi = Double.addUp(prod[j], r)
            guard lo.isFinite && hi.isFinite && r >= 0 else { return nil }
            out[j] = Interval(uncheckedLower: lo, upper: hi)
        }
        var shape = a.shape
        shape[shape.count - 1] = m
        return Tensor(uncheckedShape: shape, data: out)
    }

    /// C = A B (row-major A [n, k], B [k, m]) by dgemm.
    static func gemm(_ a: [Double], _ b: [Double], _ c: inout [Double], n: Int, k: Int, m: Int) {
        a.withUnsafeBufferPointer { ap in
            b.withUnsafeBufferPointer { bp in
                c.withUnsafeMutableBufferPointer { cp in
                    cblas_dgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, Int32(n), Int32(m), Int32(k), 1,
                                ap.baseAddress!, Int32(k), bp.baseAddress!, Int32(m), 0, cp.baseAddress!, Int32(m))
                }
            }
        }
    }
}
