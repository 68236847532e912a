/// Read access to row r of a caller's `rows x k` matrix of doubles or floats with a row
/// stride in elements (0: every row is row 0).
///
/// Doubles are read in place (zero copy); floats are widened into a scratch row (exact:
/// every float is a double), which saves the caller a whole-matrix conversion.
struct RowReader {
    enum Storage {
        case double(UnsafePointer<Double>)
        case float(UnsafePointer<Float>)
    }

    let storage: Storage
    let stride: Int
    let k: Int

    /// Row `r` as doubles; `scratch` (k elements) is used only for float input.
    @inline(__always)
    func row(_ r: Int, scratch: UnsafeMutableBufferPointer<Double>) -> UnsafeBufferPointer<Double> {
        switch storage {
        case .double(let p):
            return UnsafeBufferPointer(start: p + r * stride, count: k)
        case .float(let p):
            let src = p + r * stride
            for i in 0..<k { scratch[i] = Double(src[i]) }
            return UnsafeBufferPointer(start: scratch.baseAddress, count: k)
        }
    }

    /// Entry `i` of row `r`, as a double.
    @inline(__always)
    subscript(r: Int, i: Int) -> Double {
        switch storage {
        case .double(let p): return p[r * stride + i]
        case .float(let p): return Double(p[r * stride + i])
        }
    }

    /// Whether the rows lie back to back as doubles (a `rows x k` row-major block).
    var isContiguousDouble: Bool {
        if case .double = storage { return stride == k }
        return false
    }

    /// Row `r` copied into a new array.
    func array(_ r: Int) -> [Double] {
        switch storage {
        case .double(let p): return Array(UnsafeBufferPointer(start: p + r * stride, count: k))
        case .float(let p): return UnsafeBufferPointer(start: p + r * stride, count: k).map { Double($0) }
        }
    }
}
