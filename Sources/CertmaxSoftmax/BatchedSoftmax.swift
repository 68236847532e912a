import CertmaxIO
import CertmaxNumerics
import Dispatch

/// Coefficient vectors prepared once for many score boxes (attention: one row of scores
/// per query, the same objectives for every row): the threshold order of each objective is
/// sorted once and shared by all rows.
public struct ObjectivePlan: Sendable {
    /// Number of scores K per row.
    public let count: Int
    /// The objectives (objectives x K).
    public let coefficients: [[Double]]
    let orders: [[Int]]

    /// Prepares `coefficients` (objectives x K, all rows of length K >= 1, finite, |c| <= 2^1000);
    /// throws `InputError` otherwise.
    public init(coefficients: [[Double]]) throws(InputError) {
        let f = "ObjectivePlan"
        guard let first = coefficients.first else { throw InputError(source: f, location: "coefficients", problem: "needs at least one objective") }
        if first.isEmpty { throw InputError(source: f, location: "coefficients[0]", problem: "needs K >= 1 entries") }
        for (r, c) in coefficients.enumerated() {
            do throws(InputError) {
                try ArgumentCheck.coefficients(c, count: first.count, f)
            } catch {
                throw InputError(source: f, location: "coefficients[\(r)]: \(error.location ?? "")", problem: error.problem)
            }
        }
        self.init(uncheckedCoefficients: coefficients)
    }

    /// Unchecked: `init(coefficients:)` without validation (traps on what it rejects).
    public init(uncheckedCoefficients coefficients: [[Double]]) {
        precondition(!coefficients.isEmpty, "ObjectivePlan: need at least one objective")
        let K = coefficients[0].count
        precondition(K >= 1 && coefficients.allSatisfy { $0.count == K }, "ObjectivePlan: every objective needs K entries")
        for c in coefficients {
            for x in c { precondition(x.isFinite && x.magnitude <= 0x1p1000, "ObjectivePlan: |c_i| must be finite and <= 2^1000") }
        }
        count = K
        self.coefficients = coefficients
        orders = coefficients.map { VertexSoftmax.sortedOrder($0) }
    }
}

/// Batched forms of the softmax bounds: many rows of scores at once, rows processed in
/// parallel (DispatchQueue.concurrentPerform) when the batch is large enough.
public enum BatchedSoftmax {
    /// Runs `body` over row ranges: on all cores (8 chunks per core) when `work` reaches
    /// `threshold` and there is more than one row, else once over all rows.
    static func _forRowChunks(rows: Int, work: Int, threshold: Int, _ body: (Range<Int>) -> Void) {
        if work >= threshold && rows > 1 {
            let chunks = Swift.min(rows, 8 * Swift.max(1, _activeProcessorCount()))
            DispatchQueue.concurrentPerform(iterations: chunks) { ci in
                body((rows * ci / chunks)..<(rows * (ci + 1) / chunks))
            }
        } else {
            body(0..<rows)
        }
    }

    /// Default work (rows x K x objectives) from which rows are spread over all cores.
    public static let defaultParallelThreshold = 1 << 15

    /// Vertex-Softmax enclosures for every (row, objective): `result[r * objectives + o]`.
    ///
    /// `lower`, `upper` are row-major `rows x K`. Soundness exactly as
    /// `VertexSoftmax.objective` for each row and objective; the sort of each objective is
    /// shared by all rows, and (`usesPreparedBox`) each row's box is prepared once
    /// (`VertexSoftmax.PreparedBox`) and shared by all objectives.
    /// With `witnesses == false` the minimizer/maximizer are nil (no per-result arrays).
    /// `parallelThreshold`: work (rows x K x objectives) from which rows run on all cores.
    /// Throws `InputError` on invalid arguments (shape, non-finite entries, lower > upper, T).
    public static func objectives(_ plan: ObjectivePlan, lower: [Double], upper: [Double], rows: Int,
                                  temperature: Double = 1, witnesses: Bool = false,
                                  parallelThreshold: Int = defaultParallelThreshold) throws(InputError) -> [ObjectiveEnclosure] {
        try checkRows(lower: lower, upper: upper, rows: rows, count: plan.count, temperature: temperature, "BatchedSoftmax.objectives")
        return uncheckedObjectives(plan, lower: lower, upper: upper, rows: rows, temperature: temperature, witnesses: witnesses,
                                   parallelThreshold: parallelThreshold)
    }

    /// `rows x K` boxes: shapes, finite entries, lower <= upper, temperature finite and > 0.
    static func checkRows(lower: [Double], upper: [Double], rows: Int, count K: Int, temperature: Double,
                          _ f: String) throws(InputError) {
        try ArgumentCheck.temperature(temperature, f)
        let (n, overflow) = rows.multipliedReportingOverflow(by: K)
        if rows < 0 || K < 1 || overflow || lower.count != n || upper.count != n {
            throw InputError(source: f, location: "lower/upper",
                             problem: "must be rows x K = \(rows) x \(K), got \(lower.count) and \(upper.count) entries")
        }
        for i in lower.indices where !(lower[i].isFinite && upper[i].isFinite && lower[i] <= upper[i]) {
            throw InputError(source: f, location: "row \(i / K) entry \(i % K)",
                             problem: "needs finite lower <= upper, got [\(lower[i]), \(upper[i])]")
        }
    }

    /// Unchecked: the same without argument validation (traps on arguments the checked
    /// form rejects); for callers that validated already.
    public static func uncheckedObjectives(_ plan: ObjectivePlan, lower: [Double], upper: [Double], rows: Int,
                                           temperature: Double = 1, witnesses: Bool = false,
                                           parallelThreshold: Int = defaultParallelThreshold) -> [ObjectiveEnclosure] {
        let K = plan.count, nObj = plan.coefficients.count
        precondition(rows >= 0 && lower.count == rows * K && upper.count == rows * K, "BatchedSoftmax: lower/upper must be rows x K")
        var out = [ObjectiveEnclosure](repeating: ObjectiveEnclosure(minimum: .zero, maximum: .zero), count: rows * nObj)
        let work = rows * K * nObj
        let useTight = usesPreparedBox(K: K, objectives: nObj)
        out.withUnsafeMutableBufferPointer { outBuf in
            let o = outBuf  // captured for the concurrent workers; each writes its own rows
            func runRows(_ range: Range<Int>) {
                let ws = _WorkspacePool.shared.take()
                defer { _WorkspacePool.shared.give(ws, count: K) }
                for r in range {
                    let l = Array(lower[(r * K)..<((r + 1) * K)]), u = Array(upper[(r * K)..<((r + 1) * K)])
                    _checkBox(l, u, temperature, "BatchedSoftmax.objectives")
                    if useTight {
                        // One prepared box per row, shared by every objective (issue 16).
                        let box = VertexSoftmax.PreparedBox(checkedLower: l, upper: u, temperature: temperature)
                        for k in 0..<nObj {
                            if witnesses {
                                o[r * nObj + k] = box.objective(plan.coefficients[k], order: plan.orders[k]).enclosure
                            } else {
                                let b = box.bounds(plan.coefficients[k], order: plan.orders[k])
                                o[r * nObj + k] = ObjectiveEnclosure(minimum: b.minimum, maximum: b.maximum)
                            }
                        }
                        continue
                    }
                    let sc = ScaledScores(lower: l, upper: u, temperature: 1)  // the sweep applies T
                    for k in 0..<nObj {
                        var e = VertexSoftmax.objective(c: plan.coefficients[k], order: plan.orders[k], scores: sc,
                                                        temperature: temperature, lower: l, upper: u, workspace: ws)
                        if !witnesses { e.minimizer = nil; e.maximizer = nil }
                        o[r * nObj + k] = e
                    }
                }
            }
            _forRowChunks(rows: rows, work: work, threshold: parallelThreshold, runRows)
        }
        return out
    }

    /// Vertex-Softmax enclosures for every (row, objective) into caller buffers:
    /// `minimumOut[r * objectives + o]` encloses min F and `maximumOut[r * objectives + o]`
    /// max F of objective o over row r's box (`lower`, `upper` row-major `rows x K`).
    ///
    /// Soundness exactly as `objectives` (the same kernels and fallback). Rows that go through
    /// a prepared box (`usesPreparedBox`) allocate the box (its score copy and term columns,
    /// ~10 K doubles) once per row, shared by all objectives. A single objective of larger K
    /// is allocation-free in the steady state wherever the SIMD kernel applies (score spread
    /// within 600·T): workspaces are pooled (up to K = 16,384; larger rows allocate one
    /// workspace per worker and call) and the rows are read in place; rows that take the
    /// scalar sweep copy their scores. No witnesses (use `objectives` for them).
    ///
    /// Preconditions: buffer sizes as stated, every score finite with lower <= upper,
    /// `temperature` finite and > 0.
    public static func uncheckedObjectives(_ plan: ObjectivePlan, lower: UnsafeBufferPointer<Double>,
                                  upper: UnsafeBufferPointer<Double>, rows: Int, temperature: Double = 1,
                                  minimumOut: UnsafeMutableBufferPointer<Interval>,
                                  maximumOut: UnsafeMutableBufferPointer<Interval>,
                                  parallelThreshold: Int = defaultParallelThreshold) {
        let K = plan.count, nObj = plan.coefficients.count
        precondition(rows >= 0 && lower.count == rows * K && upper.count == rows * K, "BatchedSoftmax: lower/upper must be rows x K")
        precondition(minimumOut.count >= rows * nObj && maximumOut.count >= rows * nObj, "BatchedSoftmax: output buffers too small")
        precondition(temperature > 0 && temperature.isFinite, "BatchedSoftmax: temperature must be finite and > 0")
        for i in 0..<(rows * K) {
            precondition(lower[i].isFinite && upper[i].isFinite && lower[i] <= upper[i], "BatchedSoftmax: need finite lower <= upper")
        }
        let (mnOut, mxOut) = (minimumOut, maximumOut)
        let useTight = usesPreparedBox(K: K, objectives: nObj)
        _forRowChunks(rows: rows, work: rows * K * nObj, threshold: parallelThreshold) { range in
            let ws = _WorkspacePool.shared.take()
            defer { _WorkspacePool.shared.give(ws, count: K) }
            for r in range {
                let l = UnsafeBufferPointer(rebasing: lower[(r * K)..<((r + 1) * K)])
                let u = UnsafeBufferPointer(rebasing: upper[(r * K)..<((r + 1) * K)])
                if useTight {
                    // One prepared box per row, shared by every objective (issue 16).
                    let box = VertexSoftmax.PreparedBox(checkedLower: Array(l), upper: Array(u), temperature: temperature)
                    for o in 0..<nObj {
                        let b = box.bounds(plan.coefficients[o], order: plan.orders[o])
                        mnOut[r * nObj + o] = b.minimum
                        mxOut[r * nObj + o] = b.maximum
                    }
                    continue
                }
                for o in 0..<nObj {
                    let fast: (min: (lower: Double, upper: Double, k: Int), max: (lower: Double, upper: Double, k: Int))? =
                        K < VertexSoftmax.simdKernelMinimumK ? nil :
                        plan.coefficients[o].withUnsafeBufferPointer { c in
                            plan.orders[o].withUnsafeBufferPointer { ord in
                                ws.simdSweep(c: c, order: ord, lower: l, upper: u, temperature: temperature)
                            }
                        }
                    if let f = fast {
                        mnOut[r * nObj + o] = Interval(uncheckedLower: f.min.lower, upper: f.min.upper)
                        mxOut[r * nObj + o] = Interval(uncheckedLower: -f.max.upper, upper: -f.max.lower)
                    } else {
                        let la = Array(l), ua = Array(u)
                        let e = VertexSoftmax.objective(c: plan.coefficients[o], order: plan.orders[o],
                                                        scores: ScaledScores(lower: la, upper: ua, temperature: 1),
                                                        temperature: temperature, lower: la, upper: ua, workspace: ws)
                        mnOut[r * nObj + o] = e.minimum
                        mxOut[r * nObj + o] = e.maximum
                    }
                }
            }
        }
    }

    /// Whether rows go through `VertexSoftmax.PreparedBox` (the tight kernel, exponentials
    /// shared by the row's objectives): for K <= `tightKernelMaximumK`, or whenever two or
    /// more objectives share each row; a single objective of larger K takes the SIMD kernel.
    static func usesPreparedBox(K: Int, objectives: Int) -> Bool {
        K <= VertexSoftmax.tightKernelMaximumK || objectives >= 2
    }

    /// Per-coordinate softmax bounds for every row, into caller-provided buffers (row-major
    /// rows x K): `lowerOut[r*K + j] <= min p_j` and `upperOut[r*K + j] >= max p_j` for row r.
    /// Soundness as `SoftmaxBounds.perCoordinate`. Allocation-free apart from one scratch
    /// buffer per worker.
    /// Throws `InputError` on invalid arguments (output arrays are resized to rows x K).
    public static func perCoordinate(lower: [Double], upper: [Double], rows: Int, count K: Int, temperature: Double = 1,
                                     lowerOut: inout [Double], upperOut: inout [Double],
                                     parallelThreshold: Int = defaultParallelThreshold) throws(InputError) {
        try checkRows(lower: lower, upper: upper, rows: rows, count: K, temperature: temperature, "BatchedSoftmax.perCoordinate")
        if lowerOut.count < rows * K { lowerOut = [Double](repeating: 0, count: rows * K) }
        if upperOut.count < rows * K { upperOut = [Double](repeating: 0, count: rows * K) }
        uncheckedPerCoordinate(lower: lower, upper: upper, rows: rows, count: K, temperature: temperature,
                               lowerOut: &lowerOut, upperOut: &upperOut, parallelThreshold: parallelThreshold)
    }

    /// Unchecked: the same without argument validation (traps on arguments the checked
    /// form rejects); for callers that validated already.
    public static func uncheckedPerCoordinate(lower: [Double], upper: [Double], rows: Int, count K: Int, temperature: Double = 1,
                                              lowerOut: inout [Double], upperOut: inout [Double],
                                              parallelThreshold: Int = defaultParallelThreshold) {
        precondition(K >= 1 && lower.count == rows * K && upper.count == rows * K, "BatchedSoftmax: lower/upper must be rows x K")
        precondition(lowerOut.count >= rows * K && upperOut.count >= rows * K, "BatchedSoftmax: output buffers too small")
        for i in lower.indices {
            precondition(lower[i].isFinite && upper[i].isFinite && lower[i] <= upper[i], "BatchedSoftmax: need finite lower <= upper")
        }
        lower.withUnsafeBufferPointer { lb in
            upper.withUnsafeBufferPointer { ub in
                lowerOut.withUnsafeMutableBufferPointer { lo in
                    upperOut.withUnsafeMutableBufferPointer { hi in
                        let (lo, hi) = (lo, hi)
                        func runRows(_ range: Range<Int>) {
                            let scratch = UnsafeMutableBufferPointer<Double>.allocate(capacity: 4 * K)
                            defer { scratch.deallocate() }
                            for r in range {
                                let s = r * K, e = s + K
                                SoftmaxBounds.uncheckedPerCoordinate(
                                    lower: UnsafeBufferPointer(rebasing: lb[s..<e]), upper: UnsafeBufferPointer(rebasing: ub[s..<e]),
                                    temperature: temperature,
                                    lowerOut: UnsafeMutableBufferPointer(rebasing: lo[s..<e]),
                                    upperOut: UnsafeMutableBufferPointer(rebasing: hi[s..<e]), scratch: scratch)
                            }
                        }
                        _forRowChunks(rows: rows, work: rows * K, threshold: parallelThreshold, runRows)
                    }
                }
            }
        }
    }
}

#if canImport(Glibc)
import Glibc
#endif

/// Number of online processors (at least 1).
func _activeProcessorCount() -> Int {
    #if canImport(Glibc)
    return Swift.max(1, Int(sysconf(Int32(_SC_NPROCESSORS_ONLN))))
    #else
    return 1
    #endif
}
