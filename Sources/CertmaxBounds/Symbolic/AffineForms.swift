import CertmaxIO
import CertmaxNumerics

/// Linear bounds that remember the input: for each element i of a tensor, an affine form
/// in the input symbols with an interval remainder,
///
///     y_i  in  sum_j A_ij delta_j + [low_i, high_i]      for every delta in the symbol box,
///
/// where the sum is exact real arithmetic over the stored doubles (`SymbolicSpace`).
/// Lower and upper planes are parallel (one coefficient row per element): a zonotope whose
/// nonlinearity errors are kept as an interval instead of fresh symbols. DESIGN.md
/// section 12 gives the reasons for this choice.
///
/// Soundness contract (the engine's invariant): for every input x in the input box, the
/// exact real value of every element lies in its form's set above. Every op that builds
/// a new `AffineForms` states how it keeps this (its relaxation and its rounding slack).
public struct AffineForms: Sendable {
    /// How the coefficients are stored.
    public enum Slopes: Sendable {
        /// Every coefficient is zero: the forms are the intervals [low, high].
        case zero
        /// Row i has coefficient exactly 1 at symbol unit[i] (none when -1) and 0 elsewhere
        /// (the input itself and data movement of it: no storage of rows x symbols).
        case unit([Int32])
        /// rows x symbols coefficients, row-major.
        case dense([Double])
    }

    public let rows: Int
    /// Coefficient columns stored per row (`.dense`) or the symbol count of the input
    /// (`.unit`): symbols introduced after these forms were built have coefficient 0.
    public let symbols: Int
    public var slopes: Slopes { didSet { cachedMasses = nil } }
    public var low: [Double]
    public var high: [Double]
    /// `masses(space)` as last computed by the engine for these exact coefficients and
    /// radii (cleared by every mutation of the coefficients); nil when unknown.
    var cachedMasses: [Double]? = nil

    /// Forms from their parts. Checked: throws `InputError` (source "AffineForms") unless
    /// `low` and `high` have `rows` entries, dense slopes `rows * symbols`, unit slopes
    /// `rows` (each -1 or a symbol below `symbols`), and rows, symbols >= 0;
    /// `init(uncheckedRows:...)` (the engine's) traps instead.
    public init(rows: Int, symbols: Int, slopes: Slopes, low: [Double], high: [Double]) throws(InputError) {
        func fail(_ p: String) -> InputError { InputError(source: "AffineForms", problem: p) }
        guard rows >= 0, symbols >= 0 else { throw fail("negative rows (\(rows)) or symbols (\(symbols))") }
        guard low.count == rows && high.count == rows else {
            throw fail("\(low.count) low and \(high.count) high remainders for \(rows) rows")
        }
        switch slopes {
        case .zero: break
        case .dense(let a):
            let (n, overflow) = rows.multipliedReportingOverflow(by: symbols)
            guard !overflow, a.count == n else { throw fail("\(a.count) coefficients for \(rows) x \(symbols)") }
        case .unit(let u):
            guard u.count == rows else { throw fail("\(u.count) unit symbols for \(rows) rows") }
            guard u.allSatisfy({ $0 >= -1 && Int($0) < symbols }) else { throw fail("a unit symbol outside -1..<\(symbols)") }
        }
        self.init(uncheckedRows: rows, symbols: symbols, slopes: slopes, low: low, high: high)
    }

    /// Unchecked `init(rows:...)`: traps on inconsistent counts.
    public init(uncheckedRows rows: Int, symbols: Int, slopes: Slopes, low: [Double], high: [Double]) {
        precondition(low.count == rows && high.count == rows, "AffineForms: remainder count")
        if case .dense(let a) = slopes { precondition(a.count == rows * symbols, "AffineForms: coefficient count") }
        if case .unit(let u) = slopes { precondition(u.count == rows, "AffineForms: unit count") }
        self.rows = rows; self.symbols = symbols; self.slopes = slopes; self.low = low; self.high = high
    }

    /// Forms with no input dependence: the box itself (sound by definition).
    public init(box: [Interval], symbols: Int) {
        self.init(uncheckedRows: box.count, symbols: symbols, slopes: .zero,
                  low: box.map { $0.lower.isNaN ? -.infinity : $0.lower },
                  high: box.map { $0.upper.isNaN ? .infinity : $0.upper })
    }

    /// The input's own forms: x_i = c_i + delta_{s(i)} exactly.
    public init(input space: SymbolicSpace) {
        self.init(uncheckedRows: space.centre.count, symbols: space.symbols, slopes: .unit(space.symbolOf),
                  low: space.centre, high: space.centre)
    }

    public var isZero: Bool { if case .zero = slopes { return true }; return false }

    /// Dense coefficients (materialised for `.zero` and `.unit`).
    public func denseCoefficients() -> [Double] {
        switch slopes {
        case .dense(let a): return a
        case .zero: return [Double](repeating: 0, count: rows * symbols)
        case .unit(let u):
            var a = [Double](repeating: 0, count: rows * symbols)
            for i in 0..<rows where u[i] >= 0 { a[i * symbols + Int(u[i])] = 1 }
            return a
        }
    }

    /// Upper bounds of sum_j |A_ij| r_j per row (`SymbolicSpace.mass`).
    public func masses(_ space: SymbolicSpace) -> [Double] {
        if let m = cachedMasses { return m }
        switch slopes {
        case .zero: return [Double](repeating: 0, count: rows)
        case .unit(let u): return u.map { $0 >= 0 ? space.radius[Int($0)] : 0 }
        case .dense(let a):
            var out = [Double](repeating: 0, count: rows)
            let n = symbols
            a.withUnsafeBufferPointer { ap in
                out.withUnsafeMutableBufferPointer { o in
                    parallelChunks(rows, minimum: 64) { range in
                        for i in range { o[i] = space.mass(ap, i * n, width: n) }
                    }
                }
            }
            return out
        }
    }

    /// The box the forms imply: [low - mass, high + mass], rounded outward. NaN never
    /// appears (an undefined end becomes infinite).
    public func concretize(_ space: SymbolicSpace, masses m: [Double]? = nil) -> [Interval] {
        let m = m ?? masses(space)
        return (0..<rows).map { i in
            var lo = Double.subDown(low[i], m[i]), hi = Double.addUp(high[i], m[i])
            if lo.isNaN { lo = -.infinity }
            if hi.isNaN { hi = .infinity }
            return Interval(uncheckedLower: lo, upper: hi)
        }
    }

    /// The forms of the elements `index` (data movement: exact, no arithmetic).
    public func gathered(_ index: [Int]) -> AffineForms {
        let lo = index.map { low[$0] }, hi = index.map { high[$0] }
        switch slopes {
        case .zero: return AffineForms(uncheckedRows: index.count, symbols: symbols, slopes: .zero, low: lo, high: hi)
        case .unit(let u): return AffineForms(uncheckedRows: index.count, symbols: symbols, slopes: .unit(index.map { u[$0] }), low: lo, high: hi)
        case .dense(let a):
            let n = symbols
            var out = [Double](repeating: 0, count: index.count * n)
            a.withUnsafeBufferPointer { ap in
                out.withUnsafeMutableBufferPointer { op in
                    parallelChunks(index.count, minimum: 64) { range in
                        for k in range {
                            let src = index[k] * n, dst = k * n
                            for j in 0..<n { op[dst + j] = ap[src + j] }
                        }
                    }
                }
            }
            return AffineForms(uncheckedRows: index.count, symbols: symbols, slopes: .dense(out), low: lo, high: hi)
        }
    }

    /// Replaces the rows in `rowsToBox` by their box (slope 0, remainder = the box): sound,
    /// since the box contains the element. Used where the box is tighter than the form.
    public mutating func replaceRows(_ rowsToBox: [Int], with box: [Interval]) {
        guard !rowsToBox.isEmpty else { return }
        cachedMasses = nil
        for i in rowsToBox { low[i] = box[i].lower; high[i] = box[i].upper }
        switch slopes {
        case .zero: return
        case .unit(var u):
            for i in rowsToBox { u[i] = -1 }
            slopes = .unit(u)
        case .dense(var a):
            slopes = .zero  // release the reference so `a` is uniquely owned
            for i in rowsToBox { for j in 0..<symbols { a[i * symbols + j] = 0 } }
            slopes = .dense(a)
        }
    }

    /// Moves each row's remainder into a fresh symbol (DeepT-style noise
    /// symbols, so that later ops combine these errors coherently instead of as
    /// independent intervals): with mid = fl((low + high) / 2) and r >= the distance to
    /// both ends (rounded up), y_i - A_i delta lies in mid + [-r, r]; the new symbol stands
    /// for that difference, so y_i = A_i delta + 1 * eps_s + mid exactly. Sound because
    /// concretisation minimises over every eps in [-r, r] independently, a superset of the
    /// values eps takes. Rows with an infinite remainder keep it.
    public func introducingSymbols(_ space: inout SymbolicSpace) -> AffineForms {
        var ignored: [(row: Int, symbol: Int)]? = nil
        return introducingSymbols(&space, recording: &ignored)
    }

    /// `introducingSymbols`, appending (row, new symbol) to `recording` when it is non-nil.
    public func introducingSymbols(_ space: inout SymbolicSpace, recording: inout [(row: Int, symbol: Int)]?) -> AffineForms {
        var fresh: [(row: Int, mid: Double, r: Double)] = []
        for i in 0..<rows {
            let lo = low[i], hi = high[i]
            guard lo.isFinite, hi.isFinite, lo < hi else { continue }
            let mid = min(max(lo / 2 + hi / 2, lo), hi)
            fresh.append((i, mid, max(Double.subUp(mid, lo), Double.subUp(hi, mid))))
        }
        let old = denseCoefficients()
        let w = space.symbols + fresh.count
        var a = [Double](repeating: 0, count: rows * w)
        let n = symbols
        if n > 0 { for i in 0..<rows { for j in 0..<n { a[i * w + j] = old[i * n + j] } } }
        var lo = low, hi = high
        for f in fresh {
            let s = space.introduce(radius: f.r)
            recording?.append((f.row, s))
            a[f.row * w + s] = 1
            lo[f.row] = f.mid; hi[f.row] = f.mid
        }
        return AffineForms(uncheckedRows: rows, symbols: w, slopes: .dense(a), low: lo, high: hi)
    }

    /// Bytes held by the coefficients.
    public var coefficientBytes: Int {
        switch slopes {
        case .zero: return 0
        case .unit: return rows * 4
        case .dense: return rows * symbols * 8
        }
    }
}
