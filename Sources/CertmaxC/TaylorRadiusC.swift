import CertmaxIO
import CertmaxNumerics
import CertmaxRadius
import Dispatch

/// Certified Taylor-radius bounds of the cross-entropy loss along a step, per row of a
/// batch of logits z and directional derivatives a = J v: the per-sample numbers of
/// `certmax radius` (`analyzeTaylorRadius`): rho_a and the dominance-refined bound
/// (`taylorRadiusLowerBounds`), and with the exact variant an enclosure of the exact radius
/// (`exactTaylorRadius`, the `--exact` default scope `all`).
enum TaylorRadiusC {
    /// Pointer, shape, stride and value checks shared by both variants; value messages are
    /// `RadiusBatch`'s (the CLI's validator for the same numbers).
    static func check(_ function: String, _ logits: RowReader.Storage?, _ logitsStride: Int,
                      _ directions: RowReader.Storage?, _ directionsStride: Int,
                      _ rows: Int, _ k: Int, _ temperature: Double) throws -> (RowReader, RowReader) {
        guard let logits else { throw CallError.invalid(function, "argument \"logits\" is NULL") }
        guard let directions else { throw CallError.invalid(function, "argument \"directions\" is NULL") }
        try ArgumentChecks.shape(rows: rows, k: k, function)
        try ArgumentChecks.stride(logitsStride, "logits_stride", rows: rows, k: k, function)
        try ArgumentChecks.stride(directionsStride, "directions_stride", rows: rows, k: k, function)
        let z = RowReader(storage: logits, stride: logitsStride, k: k)
        let a = RowReader(storage: directions, stride: directionsStride, k: k)
        var ok = temperature.isFinite && temperature > 0
        if ok {
            scan: for r in 0..<rows {
                if case .double(let zp) = logits, case .double(let ap) = directions {
                    if !(BoxValidation.allFinite(zp + r * logitsStride, k) && BoxValidation.allFinite(ap + r * directionsStride, k)) {
                        ok = false; break scan
                    }
                } else {
                    for i in 0..<k where !(z[r, i].isFinite && a[r, i].isFinite) { ok = false; break scan }
                }
            }
        }
        if !ok {
            // The library validator names the row and column, as the CLI does.
            _ = try RadiusBatch(rows: rows, columns: k, logits: (0..<rows).flatMap { z.array($0) },
                                directions: (0..<rows).flatMap { a.array($0) }, temperature: temperature,
                                source: function)
            throw CallError.invalid(function, "invalid logits, directions or temperature")
        }
        return (z, a)
    }

    /// rho_a and refined for every row (the batch kernel when the rows are contiguous
    /// doubles, else the same per-row function).
    static func lowerBounds(z: RowReader, a: RowReader, rows: Int, temperature: Double,
                            rhoA: UnsafeMutablePointer<Double>, refined: UnsafeMutablePointer<Double>) {
        let k = z.k
        if z.isContiguousDouble && a.isContiguousDouble, case .double(let zp) = z.storage, case .double(let ap) = a.storage {
            uncheckedTaylorRadiusLowerBoundsBatch(logits: UnsafeBufferPointer(start: zp, count: rows * k),
                                         directions: UnsafeBufferPointer(start: ap, count: rows * k),
                                         columns: k, temperature: temperature,
                                         rhoA: UnsafeMutableBufferPointer(start: rhoA, count: rows),
                                         refined: UnsafeMutableBufferPointer(start: refined, count: rows))
            return
        }
        RowChunks.run(rows: rows, work: rows * k) { range in
            withScratch(2 * k) { s in
                let zs = UnsafeMutableBufferPointer(rebasing: s[0..<k]), as_ = UnsafeMutableBufferPointer(rebasing: s[k..<(2 * k)])
                for r in range {
                    let b = uncheckedTaylorRadiusLowerBounds(logits: z.row(r, scratch: zs), directions: a.row(r, scratch: as_),
                                                    temperature: temperature)
                    rhoA[r] = b.rhoA
                    refined[r] = b.refined
                }
            }
        }
    }

    static func call(_ function: String, _ logits: RowReader.Storage?, _ logitsStride: Int,
                     _ directions: RowReader.Storage?, _ directionsStride: Int, _ rows: Int, _ k: Int,
                     _ temperature: Double, _ rhoAOut: UnsafeMutablePointer<Double>?,
                     _ refinedOut: UnsafeMutablePointer<Double>?) -> Int32 {
        cCall(function) {
            let ro = try ArgumentChecks.output(rhoAOut, "rho_a_out", function)
            let fo = try ArgumentChecks.output(refinedOut, "refined_out", function)
            let (z, a) = try check(function, logits, logitsStride, directions, directionsStride, rows, k, temperature)
            lowerBounds(z: z, a: a, rows: rows, temperature: temperature, rhoA: ro, refined: fo)
        }
    }
}

/// `certmax_taylor_radius`: for each row r, certified lower bounds of the Taylor radius
/// of the cross-entropy loss along a step with logits `z_r` and directions `a_r`
/// (`certmax radius`): `rho_a_out[r] = pi T / (max a - min a)` rounded down and
/// `refined_out[r]` the dominance-refined bound (>= rho_a); +inf when a_r is constant.
@c(certmax_taylor_radius)
public func certmax_taylor_radius(
    _ logits: UnsafePointer<Double>?, _ logitsStride: Int, _ directions: UnsafePointer<Double>?, _ directionsStride: Int,
    _ rows: Int, _ k: Int, _ temperature: Double,
    _ rhoAOut: UnsafeMutablePointer<Double>?, _ refinedOut: UnsafeMutablePointer<Double>?
) -> Int32 {
    TaylorRadiusC.call("certmax_taylor_radius", .init(logits), logitsStride, .init(directions), directionsStride,
                       rows, k, temperature, rhoAOut, refinedOut)
}

/// `certmax_taylor_radius_f32`: `certmax_taylor_radius` for float logits and directions
/// (widened exactly to double row by row).
@c(certmax_taylor_radius_f32)
public func certmax_taylor_radius_f32(
    _ logits: UnsafePointer<Float>?, _ logitsStride: Int, _ directions: UnsafePointer<Float>?, _ directionsStride: Int,
    _ rows: Int, _ k: Int, _ temperature: Double,
    _ rhoAOut: UnsafeMutablePointer<Double>?, _ refinedOut: UnsafeMutablePointer<Double>?
) -> Int32 {
    TaylorRadiusC.call("certmax_taylor_radius_f32", .init(logits), logitsStride, .init(directions), directionsStride,
                       rows, k, temperature, rhoAOut, refinedOut)
}

/// `certmax_taylor_radius_exact`: `certmax_taylor_radius` plus, per row, an enclosure
/// `exact_out[2r] <= rho* <= exact_out[2r+1]` of the exact radius (argument-principle zero
/// counting; `certmax radius --exact`). `certified_out[r]` is 1 when the enclosure reached
/// `relative_width` (or the radius is +inf), 0 when the budget of `max_arc_evaluations`
/// ran out first: the ends are then still certified bounds, and the upper end is +inf
/// when no upper bound was found. `relative_width` in (0, 1), `max_arc_evaluations` >= 1
/// (the CLI's defaults: 1e-6 and 200000). Rows run in parallel.
@c(certmax_taylor_radius_exact)
public func certmax_taylor_radius_exact(
    _ logits: UnsafePointer<Double>?, _ logitsStride: Int, _ directions: UnsafePointer<Double>?, _ directionsStride: Int,
    _ rows: Int, _ k: Int, _ temperature: Double, _ relativeWidth: Double, _ maxArcEvaluations: Int,
    _ rhoAOut: UnsafeMutablePointer<Double>?, _ refinedOut: UnsafeMutablePointer<Double>?,
    _ exactOut: UnsafeMutablePointer<Double>?, _ certifiedOut: UnsafeMutablePointer<Int32>?
) -> Int32 {
    let f = "certmax_taylor_radius_exact"
    return cCall(f) {
        let ro = try ArgumentChecks.output(rhoAOut, "rho_a_out", f)
        let fo = try ArgumentChecks.output(refinedOut, "refined_out", f)
        let eo = try ArgumentChecks.output(exactOut, "exact_out", f)
        let co = try ArgumentChecks.output(certifiedOut, "certified_out", f)
        if !(relativeWidth.isFinite && relativeWidth > 0 && relativeWidth < 1) {
            throw CallError.usage(f, "relative_width must be in (0, 1), got \(relativeWidth)")
        }
        if maxArcEvaluations < 1 { throw CallError.usage(f, "max_arc_evaluations must be >= 1, got \(maxArcEvaluations)") }
        let (z, a) = try TaylorRadiusC.check(f, .init(logits), logitsStride, .init(directions), directionsStride,
                                             rows, k, temperature)
        TaylorRadiusC.lowerBounds(z: z, a: a, rows: rows, temperature: temperature, rhoA: ro, refined: fo)
        let options = ExactRadiusOptions(relativeWidth: relativeWidth, maxArcEvaluations: maxArcEvaluations)
        let enclose = { (r: Int) in
            let e = uncheckedExactTaylorRadius(logits: z.array(r), directions: a.array(r), temperature: temperature, options: options)
            eo[2 * r] = e.lower
            eo[2 * r + 1] = e.upper ?? .infinity
            co[r] = e.status == .certified ? 1 : 0
        }
        // As analyzeTaylorRadius: one sample per work item on all cores.
        if rows > 1 { DispatchQueue.concurrentPerform(iterations: rows, execute: enclose) } else { enclose(0) }
    }
}
