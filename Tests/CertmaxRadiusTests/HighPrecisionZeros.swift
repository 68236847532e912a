import CertmaxNumerics
import Foundation

// Independent high-precision reference for the zeros of F(t) = sum_k exp((z_k + t a_k)/T):
// plain Double Newton from many starting points (code separate from the library's), then
// polishing in MPFR complex arithmetic at 256 bits. Used only by the tests.

struct BigComplex {
    var re: BigFloat
    var im: BigFloat
    static func + (a: BigComplex, b: BigComplex) -> BigComplex { BigComplex(re: a.re + b.re, im: a.im + b.im) }
    static func - (a: BigComplex, b: BigComplex) -> BigComplex { BigComplex(re: a.re - b.re, im: a.im - b.im) }
    static func * (a: BigComplex, b: BigComplex) -> BigComplex {
        BigComplex(re: a.re * b.re - a.im * b.im, im: a.re * b.im + a.im * b.re)
    }
    static func / (a: BigComplex, b: BigComplex) -> BigComplex {
        let d = b.re * b.re + b.im * b.im
        return BigComplex(re: (a.re * b.re + a.im * b.im) / d, im: (a.im * b.re - a.re * b.im) / d)
    }
    var abs: BigFloat { (re * re + im * im).squareRoot() }
}

let referencePrecision = 256

/// F and F' at t in MPFR (exact coefficients z_k / T and a_k / T).
func bigF(_ z: [Double], _ a: [Double], _ temperature: Double, _ t: BigComplex) -> (BigComplex, BigComplex, BigFloat) {
    let p = referencePrecision
    let tt = BigFloat(temperature, precision: p)
    var f = BigComplex(re: BigFloat(0, precision: p), im: BigFloat(0, precision: p))
    var d = f
    var scale = BigFloat(0, precision: p)
    for k in 0..<z.count {
        let ak = BigFloat(a[k], precision: p) / tt
        let x = BigFloat(z[k], precision: p) / tt + ak * t.re
        let y = ak * t.im
        let m = x.exp()
        let e = BigComplex(re: m * y.cos(), im: m * y.sin())
        f = f + e
        d = d + BigComplex(re: ak * e.re, im: ak * e.im)
        scale = scale + m
    }
    return (f, d, scale)
}

/// Polishes a zero guess in MPFR; returns it when |F| <= 1e-60 * sum |terms| after polishing.
func polishZero(_ z: [Double], _ a: [Double], _ temperature: Double, _ x: Double, _ y: Double) -> BigComplex? {
    let p = referencePrecision
    var t = BigComplex(re: BigFloat(x, precision: p), im: BigFloat(y, precision: p))
    for _ in 0..<12 {
        let (f, d, _) = bigF(z, a, temperature, t)
        if d.abs.isZero { return nil }
        t = t - f / d
    }
    let (f, _, scale) = bigF(z, a, temperature, t)
    guard f.abs <= scale * BigFloat(1e-60, precision: p) else { return nil }
    return t
}

/// Zeros of F found by Double Newton from a polar grid of starts, polished in MPFR,
/// sorted by modulus (duplicates removed). `scale` is a typical radius (e.g. rho_a).
func referenceZeros(_ z: [Double], _ a: [Double], temperature: Double, scale: Double,
                    radii: [Double] = [0.8, 1, 1.3, 1.7, 2.2, 3, 4], angles: Int = 24) -> [(BigComplex, Double)] {
    func f(_ x: Double, _ y: Double) -> (Double, Double, Double, Double) {
        let zmax = z.max()!
        var fr = 0.0, fi = 0.0, dr = 0.0, di = 0.0
        for k in 0..<z.count {
            let ak = a[k] / temperature
            let m = Foundation.exp((z[k] - zmax) / temperature + ak * x)
            let er = m * Foundation.cos(ak * y), ei = m * Foundation.sin(ak * y)
            fr += er; fi += ei; dr += ak * er; di += ak * ei
        }
        return (fr, fi, dr, di)
    }
    var found: [(BigComplex, Double)] = []
    for rf in radii {
        for j in 0..<angles {
            let th = Double.pi * (Double(j) + 0.5) / Double(angles)
            var x = rf * scale * Foundation.cos(th), y = rf * scale * Foundation.sin(th)
            var ok = false
            for _ in 0..<100 {
                let (fr, fi, dr, di) = f(x, y)
                let den = dr * dr + di * di
                if !(den > 0) || !den.isFinite { break }
                let sr = (fr * dr + fi * di) / den, si = (fi * dr - fr * di) / den
                x -= sr; y -= si
                if !x.isFinite || !y.isFinite || (x * x + y * y) > 1e4 * scale * scale { break }
                if (sr * sr + si * si).squareRoot() < 1e-13 * Swift.max(1e-300, (x * x + y * y).squareRoot()) { ok = true; break }
            }
            guard ok, let t = polishZero(z, a, temperature, x, y) else { continue }
            let m = t.abs.double(.nearest)
            if !found.contains(where: { Swift.abs($0.1 - m) <= 1e-9 * m && Swift.abs($0.0.re.double() - t.re.double()) <= 1e-9 * m }) {
                found.append((t, m))
            }
        }
    }
    return found.sorted { $0.1 < $1.1 }
}
