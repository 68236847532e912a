import CertmaxNumerics
import CertmaxSoftmax

/// Per-coordinate bounds of softmax(s/T) (or log-softmax) for every row of a batch of
/// score boxes: the computation of `certmax softmax [--log]` (`SoftmaxReport`), row by row.
///
/// Softmax rows run `SoftmaxBounds.perCoordinate` into the caller's buffers (the
/// buffer form of the array call `SoftmaxReport` makes: same kernel, same bits); log rows
/// run `SoftmaxBounds.logPerCoordinate`. Outputs are `rows x k` row-major and must not
/// overlap the inputs.
enum SoftmaxBoundsC {
    static func run(_ function: String, lower: RowReader, upper: RowReader, rows: Int, temperature: Double, log: Bool,
                    lowerOut: UnsafeMutablePointer<Double>, upperOut: UnsafeMutablePointer<Double>) throws {
        try BoxValidation.check(lower: lower, upper: upper, rows: rows, temperature: temperature, function)
        let k = lower.k
        RowChunks.run(rows: rows, work: rows * k) { range in
            withScratch(6 * k) { s in
                let scratch = UnsafeMutableBufferPointer(rebasing: s[0..<(4 * k)])
                let ls = UnsafeMutableBufferPointer(rebasing: s[(4 * k)..<(5 * k)])
                let us = UnsafeMutableBufferPointer(rebasing: s[(5 * k)..<(6 * k)])
                for r in range {
                    let lo = UnsafeMutableBufferPointer(start: lowerOut + r * k, count: k)
                    let hi = UnsafeMutableBufferPointer(start: upperOut + r * k, count: k)
                    let l = lower.row(r, scratch: ls), u = upper.row(r, scratch: us)
                    if log {
                        let b = SoftmaxBounds.uncheckedLogPerCoordinate(lower: Array(l), upper: Array(u), temperature: temperature)
                        for j in 0..<k { lo[j] = b[j].lower; hi[j] = b[j].upper }
                    } else {
                        SoftmaxBounds.uncheckedPerCoordinate(lower: l, upper: u, temperature: temperature,
                                                    lowerOut: lo, upperOut: hi, scratch: scratch)
                    }
                }
            }
        }
    }

    /// Pointer, shape and stride checks, then `run`.
    static func call(_ function: String, _ lower: RowReader.Storage?, _ lowerStride: Int, _ upper: RowReader.Storage?,
                     _ upperStride: Int, _ rows: Int, _ k: Int, _ temperature: Double, log: Bool,
                     _ lowerOut: UnsafeMutablePointer<Double>?, _ upperOut: UnsafeMutablePointer<Double>?) -> Int32 {
        cCall(function) {
            guard let lower else { throw CallError.invalid(function, "argument \"lower\" is NULL") }
            guard let upper else { throw CallError.invalid(function, "argument \"upper\" is NULL") }
            let lo = try ArgumentChecks.output(lowerOut, "lower_out", function)
            let hi = try ArgumentChecks.output(upperOut, "upper_out", function)
            try ArgumentChecks.shape(rows: rows, k: k, function)
            try ArgumentChecks.stride(lowerStride, "lower_stride", rows: rows, k: k, function)
            try ArgumentChecks.stride(upperStride, "upper_stride", rows: rows, k: k, function)
            try run(function, lower: RowReader(storage: lower, stride: lowerStride, k: k),
                    upper: RowReader(storage: upper, stride: upperStride, k: k),
                    rows: rows, temperature: temperature, log: log, lowerOut: lo, upperOut: hi)
        }
    }
}

extension RowReader.Storage {
    init?(_ p: UnsafePointer<Double>?) { guard let p else { return nil }; self = .double(p) }
    init?(_ p: UnsafePointer<Float>?) { guard let p else { return nil }; self = .float(p) }
}

/// `certmax_softmax_bounds`: for each row r of the `rows x k` score boxes
/// `lower[r*lower_stride + i] <= s_i <= upper[r*upper_stride + i]`, writes
/// `lower_out[r*k + j] <= min p_j` and `upper_out[r*k + j] >= max p_j`, p = softmax(s/T)
/// (exact up to rounding; `certmax softmax`). Returns 0, or a status (see certmax.h).
@c(certmax_softmax_bounds)
public func certmax_softmax_bounds(
    _ lower: UnsafePointer<Double>?, _ lowerStride: Int, _ upper: UnsafePointer<Double>?, _ upperStride: Int,
    _ rows: Int, _ k: Int, _ temperature: Double,
    _ lowerOut: UnsafeMutablePointer<Double>?, _ upperOut: UnsafeMutablePointer<Double>?
) -> Int32 {
    SoftmaxBoundsC.call("certmax_softmax_bounds", .init(lower), lowerStride, .init(upper), upperStride, rows, k,
                        temperature, log: false, lowerOut, upperOut)
}

/// `certmax_softmax_bounds_f32`: `certmax_softmax_bounds` for float scores (widened
/// exactly to double row by row; the bounds are doubles).
@c(certmax_softmax_bounds_f32)
public func certmax_softmax_bounds_f32(
    _ lower: UnsafePointer<Float>?, _ lowerStride: Int, _ upper: UnsafePointer<Float>?, _ upperStride: Int,
    _ rows: Int, _ k: Int, _ temperature: Double,
    _ lowerOut: UnsafeMutablePointer<Double>?, _ upperOut: UnsafeMutablePointer<Double>?
) -> Int32 {
    SoftmaxBoundsC.call("certmax_softmax_bounds_f32", .init(lower), lowerStride, .init(upper), upperStride, rows, k,
                        temperature, log: false, lowerOut, upperOut)
}

/// `certmax_log_softmax_bounds`: as `certmax_softmax_bounds` for log softmax(s/T)
/// (`certmax softmax --log`).
@c(certmax_log_softmax_bounds)
public func certmax_log_softmax_bounds(
    _ lower: UnsafePointer<Double>?, _ lowerStride: Int, _ upper: UnsafePointer<Double>?, _ upperStride: Int,
    _ rows: Int, _ k: Int, _ temperature: Double,
    _ lowerOut: UnsafeMutablePointer<Double>?, _ upperOut: UnsafeMutablePointer<Double>?
) -> Int32 {
    SoftmaxBoundsC.call("certmax_log_softmax_bounds", .init(lower), lowerStride, .init(upper), upperStride, rows, k,
                        temperature, log: true, lowerOut, upperOut)
}

/// `certmax_log_softmax_bounds_f32`: `certmax_log_softmax_bounds` for float scores.
@c(certmax_log_softmax_bounds_f32)
public func certmax_log_softmax_bounds_f32(
    _ lower: UnsafePointer<Float>?, _ lowerStride: Int, _ upper: UnsafePointer<Float>?, _ upperStride: Int,
    _ rows: Int, _ k: Int, _ temperature: Double,
    _ lowerOut: UnsafeMutablePointer<Double>?, _ upperOut: UnsafeMutablePointer<Double>?
) -> Int32 {
    SoftmaxBoundsC.call("certmax_log_softmax_bounds_f32", .init(lower), lowerStride, .init(upper), upperStride, rows, k,
                        temperature, log: true, lowerOut, upperOut)
}
