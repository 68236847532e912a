import CertmaxIO
import CertmaxNumerics
import CertmaxSoftmax

/// The zone-LP enclosure of min and max of c · softmax(s/T) over one box cut by bounds
/// on score differences: `certmax objective --method zone` (`ZoneLP.objective`).
enum ZoneObjectiveC {
    static let function = "certmax_zone_objective"
}

/// `certmax_zone_objective`: enclosures of min and max of F(s) = c · softmax(s/T) over
/// `Z = {lower <= s <= upper, s_i - s_j <= diff_upper[i*k + j] (i != j)}` (zone LP over
/// GLPK with Neumaier-Shcherbina safe bounds; never looser than Vertex-Softmax).
/// `diff_upper` (k x k row-major, diagonal ignored, +inf = no bound) may be NULL (then the
/// result is the Vertex-Softmax one). `min_out`/`max_out` are [outer, inner] pairs as in
/// `certmax_vertex_objective`. Witness score vectors are written to `minimizer_out` /
/// `maximizer_out` (k each, may be NULL) when the LP certified one: bit 0 (minimizer) and
/// bit 1 (maximizer) of `*witness_flags` (may be NULL) say which were written.
@c(certmax_zone_objective)
public func certmax_zone_objective(
    _ c: UnsafePointer<Double>?, _ lower: UnsafePointer<Double>?, _ upper: UnsafePointer<Double>?, _ k: Int,
    _ diffUpper: UnsafePointer<Double>?, _ temperature: Double,
    _ minOut: UnsafeMutablePointer<Double>?, _ maxOut: UnsafeMutablePointer<Double>?,
    _ minimizerOut: UnsafeMutablePointer<Double>?, _ maximizerOut: UnsafeMutablePointer<Double>?,
    _ witnessFlags: UnsafeMutablePointer<Int32>?
) -> Int32 {
    let f = ZoneObjectiveC.function
    return cCall(f) {
        let cp = try ArgumentChecks.pointer(c, "c", f)
        let lp = try ArgumentChecks.pointer(lower, "lower", f)
        let up = try ArgumentChecks.pointer(upper, "upper", f)
        let mn = try ArgumentChecks.output(minOut, "min_out", f)
        let mx = try ArgumentChecks.output(maxOut, "max_out", f)
        try ArgumentChecks.shape(rows: 1, k: k, f)
        if k.multipliedReportingOverflow(by: k).overflow { throw CallError.invalid(f, "k x k overflows (k = \(k))") }
        let cr = RowReader(storage: .double(cp), stride: k, k: k)
        let lr = RowReader(storage: .double(lp), stride: k, k: k)
        let ur = RowReader(storage: .double(up), stride: k, k: k)
        try BoxValidation.check(lower: lr, upper: ur, c: cr, rows: 1, temperature: temperature, f)
        let cv = cr.array(0), lv = lr.array(0), uv = ur.array(0)
        var d: [[Double]]? = nil
        if let diffUpper { d = (0..<k).map { Array(UnsafeBufferPointer(start: diffUpper + $0 * k, count: k)) } }
        let e: ObjectiveEnclosure
        do throws(SoftmaxLPInputError) {
            // ZoneLP.validate runs first inside (NaN or -inf in diff_upper is an input error).
            e = try ZoneLP.objective(c: cv, lower: lv, upper: uv, diffUpper: d, temperature: temperature)
        } catch {
            throw CallError.invalid(f, error.description)
        }
        mn[0] = e.minimum.lower; mn[1] = e.minimum.upper
        mx[0] = e.maximum.lower; mx[1] = e.maximum.upper
        var flags: Int32 = 0
        if let v = e.minimizer, let w = minimizerOut { for i in 0..<k { w[i] = v[i] }; flags |= 1 }
        if let v = e.maximizer, let w = maximizerOut { for i in 0..<k { w[i] = v[i] }; flags |= 2 }
        witnessFlags?.pointee = flags
    }
}
