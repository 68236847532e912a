import CertmaxNumerics
import CertmaxSoftmax

/// Vertex-Softmax enclosures of min and max of c · softmax(s/T) for every row of a batch
/// of score boxes, with the witness vertices: `certmax objective --method vertex`
/// (`VertexSoftmax.objective`, the call `ObjectiveBounds.enclosure` makes), row by row.
enum VertexObjectiveC {
    static let function = "certmax_vertex_objective"

    static func run(c: RowReader, lower: RowReader, upper: RowReader, rows: Int, temperature: Double,
                    minOut: UnsafeMutablePointer<Double>, maxOut: UnsafeMutablePointer<Double>,
                    minimizerOut: UnsafeMutablePointer<Double>?, maximizerOut: UnsafeMutablePointer<Double>?) throws {
        try BoxValidation.check(lower: lower, upper: upper, c: c, rows: rows, temperature: temperature, function)
        let k = lower.k
        RowChunks.run(rows: rows, work: rows * k) { range in
            for r in range {
                let e = VertexSoftmax.uncheckedObjective(c: c.array(r), lower: lower.array(r), upper: upper.array(r),
                                                temperature: temperature)
                minOut[2 * r] = e.minimum.lower
                minOut[2 * r + 1] = e.minimum.upper
                maxOut[2 * r] = e.maximum.lower
                maxOut[2 * r + 1] = e.maximum.upper
                // Vertex-Softmax always returns both witnesses (an exact method).
                if let w = minimizerOut, let v = e.minimizer { for i in 0..<k { w[r * k + i] = v[i] } }
                if let w = maximizerOut, let v = e.maximizer { for i in 0..<k { w[r * k + i] = v[i] } }
            }
        }
    }
}

/// `certmax_vertex_objective`: for each row r, enclosures of the exact minimum and
/// maximum of F(s) = c_r · softmax(s/T) over the box `lower_r <= s <= upper_r`
/// (Vertex-Softmax; `certmax objective --method vertex`): `min_out[2r] <= min F <=
/// min_out[2r+1]`, `max_out[2r] <= max F <= max_out[2r+1]`; the outer ends are rigorous
/// bounds, the inner ones are attained at the box vertices written to `minimizer_out` /
/// `maximizer_out` (`rows x k`, each may be NULL). `c_stride` 0 uses one c for all rows.
@c(certmax_vertex_objective)
public func certmax_vertex_objective(
    _ c: UnsafePointer<Double>?, _ cStride: Int,
    _ lower: UnsafePointer<Double>?, _ lowerStride: Int, _ upper: UnsafePointer<Double>?, _ upperStride: Int,
    _ rows: Int, _ k: Int, _ temperature: Double,
    _ minOut: UnsafeMutablePointer<Double>?, _ maxOut: UnsafeMutablePointer<Double>?,
    _ minimizerOut: UnsafeMutablePointer<Double>?, _ maximizerOut: UnsafeMutablePointer<Double>?
) -> Int32 {
    let f = VertexObjectiveC.function
    return cCall(f) {
        let cp = try ArgumentChecks.pointer(c, "c", f)
        let lp = try ArgumentChecks.pointer(lower, "lower", f)
        let up = try ArgumentChecks.pointer(upper, "upper", f)
        let mn = try ArgumentChecks.output(minOut, "min_out", f)
        let mx = try ArgumentChecks.output(maxOut, "max_out", f)
        try ArgumentChecks.shape(rows: rows, k: k, f)
        try ArgumentChecks.stride(cStride, "c_stride", rows: rows, k: k, broadcastAllowed: true, f)
        try ArgumentChecks.stride(lowerStride, "lower_stride", rows: rows, k: k, f)
        try ArgumentChecks.stride(upperStride, "upper_stride", rows: rows, k: k, f)
        try VertexObjectiveC.run(c: RowReader(storage: .double(cp), stride: cStride, k: k),
                                 lower: RowReader(storage: .double(lp), stride: lowerStride, k: k),
                                 upper: RowReader(storage: .double(up), stride: upperStride, k: k),
                                 rows: rows, temperature: temperature, minOut: mn, maxOut: mx,
                                 minimizerOut: minimizerOut, maximizerOut: maximizerOut)
    }
}
