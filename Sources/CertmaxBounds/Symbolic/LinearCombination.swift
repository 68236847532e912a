import CertmaxNumerics
import Dispatch

/// Runs body over [0, count) split into chunks on all cores (serially when small).
func parallelChunks(_ count: Int, minimum: Int = 256, _ body: (Range<Int>) -> Void) {
    let cores = SymbolicEngine.threads
    guard count >= 2 * minimum, cores > 1 else { if count > 0 { body(0..<count) }; return }
    let chunks = min(cores * 4, (count + minimum - 1) / minimum)
    let size = (count + chunks - 1) / chunks
    withoutActuallyEscaping(body) { f in
        DispatchQueue.concurrentPerform(iterations: chunks) { c in
            let lo = c * size, hi = min(count, lo + size)
            if lo < hi { f(lo..<hi) }
        }
    }
}

/// Output forms built as linear combinations of rows of source forms:
///
///     out_o = sum_t w_t * source[s_t].row[r_t]  +  extra_o
///
/// with real weights w_t given as doubles and `extra_o` an interval added to the
/// remainder (a relaxation's error, a constant operand).
///
/// Error rule: coefficients are summed in floating point (`SymbolicSpace.combinationSlack`
/// over the row's terms, widening the remainder both ways); remainders are combined in
/// outward-rounded interval arithmetic. So if every source row satisfies the forms'
/// contract, every output row does, for the exact real combination.
struct LinearCombination {
    var sources: [AffineForms]
    /// Row starts into the term arrays (rows + 1 entries).
    var start: [Int] = [0]
    var source: [Int32] = []
    var row: [Int32] = []
    var weight: [Double] = []
    var extra: [Interval] = []

    init(sources: [AffineForms]) { self.sources = sources }

    var rows: Int { start.count - 1 }

    mutating func add(source s: Int, row r: Int, weight w: Double) {
        source.append(Int32(s)); row.append(Int32(r)); weight.append(w)
    }

    /// Closes the current output row with the remainder term `e`.
    mutating func endRow(extra e: Interval = .zero) {
        start.append(source.count); extra.append(e)
    }

    func build(_ space: SymbolicSpace) -> AffineForms {
        let m = rows
        // Output width: the widest non-zero source (narrower sources have zeros beyond).
        let n = sources.filter { !$0.isZero }.map(\.symbols).max() ?? 0
        let masses = sources.map { $0.masses(space) }
        var low = [Double](repeating: 0, count: m), high = low
        var allZero = true, unitOK = true
        for s in sources {
            switch s.slopes {
            case .zero: break
            case .unit: allZero = false
            case .dense: allZero = false; unitOK = false
            }
        }
        var units = unitOK && !allZero ? [Int32](repeating: -1, count: m) : []
        for o in 0..<m {
            var rem = extra[o]
            var wm = 0.0
            var unitTerms = 0
            for t in start[o]..<start[o + 1] {
                let s = Int(source[t]), r = Int(row[t]), w = weight[t]
                rem = rem + Interval(uncheckedLower: sources[s].low[r], upper: sources[s].high[r]) * w
                let mass = masses[s][r]
                if mass != 0 { wm = Double.addUp(wm, Double.mulUp(abs(w), mass)) }
                if !units.isEmpty, case .unit(let u) = sources[s].slopes, u[r] >= 0 {
                    if w == 1 && unitTerms == 0 { units[o] = u[r]; unitTerms = 1 } else { unitOK = false }
                }
            }
            var lo = rem.lower, hi = rem.upper
            if wm != 0 && !allZero {
                let k = start[o + 1] - start[o]
                // Exact coefficient copies (one term of weight +-1 from a unit row) need no
                // slack; the generic rule covers every other case.
                let slack = space.combinationSlack(weightedMass: wm, terms: k)
                lo = Double.subDown(lo, slack); hi = Double.addUp(hi, slack)
            }
            low[o] = lo.isNaN ? -.infinity : lo
            high[o] = hi.isNaN ? .infinity : hi
        }
        if allZero { return AffineForms(uncheckedRows: m, symbols: n, slopes: .zero, low: low, high: high) }
        if unitOK { return AffineForms(uncheckedRows: m, symbols: n, slopes: .unit(units), low: low, high: high) }
        var a = [Double](repeating: 0, count: m * n)
        let dense: [[Double]?] = sources.map { if case .dense(let d) = $0.slopes { return d } else { return nil } }
        let unitRows: [[Int32]?] = sources.map { if case .unit(let u) = $0.slopes { return u } else { return nil } }
        let widths = sources.map(\.symbols)
        a.withUnsafeMutableBufferPointer { ap in
            parallelChunks(m, minimum: 16) { range in
                for o in range {
                    let dst = o * n
                    for t in start[o]..<start[o + 1] {
                        let s = Int(source[t]), r = Int(row[t]), w = weight[t]
                        if w == 0 { continue }
                        if let d = dense[s] {
                            let ns = widths[s]
                            d.withUnsafeBufferPointer { dp in
                                let src = r * ns
                                for j in 0..<ns { ap[dst + j] += w * dp[src + j] }
                            }
                        } else if let u = unitRows[s], u[r] >= 0 {
                            ap[dst + Int(u[r])] += w
                        }
                    }
                }
            }
        }
        return AffineForms(uncheckedRows: m, symbols: n, slopes: .dense(a), low: low, high: high)
    }
}
