import CertmaxLP
import CertmaxNumerics

extension JointLP {
    /// Enclosures of min and max of `F(x) = c.softmax((A x + b)/T)` over the input box
    /// `xLower <= x <= xUpper`.
    ///
    /// Soundness contract:
    /// - `minimum.lower <= min F` and `maximum.upper >= max F`, rigorously: the best of
    ///   Vertex-Softmax over the score box, the zone LP with
    ///   ``ScoreDifferenceBounds/fromAffine(A:b:xLower:xUpper:)`` and the joint LP
    ///   (each a relaxation of the input box's image; LP ends are Neumaier-Shcherbina
    ///   bounds). Never looser than vertex or zone.
    /// - `minimum.upper` is attained: >= F(x) at an input x in the box (the joint LP's
    ///   solutions mapped back, points a local search finds from them, and the box
    ///   centre), with F(x) enclosed in interval
    ///   arithmetic; likewise `maximum.lower`. So both intervals enclose the exact optima.
    /// - `minimizer` / `maximizer` are nil (the attaining points are inputs, not score
    ///   vectors; ``lpBounds(c:A:b:xLower:xUpper:temperature:options:)`` returns them).
    ///
    /// Fallbacks (sound): K > `options.maximumDimension` or a GLPK internal error give
    /// the vertex (and, if it solved, zone) bounds and the box-centre value.
    ///
    /// - Throws: ``SoftmaxLPInputError`` for invalid input (shapes, NaN/inf,
    ///   `x_lower > x_upper`, `c` length, temperature).
    public static func objective(
        c: [Double], A: [[Double]], b: [Double], xLower: [Double], xUpper: [Double],
        temperature: Double = 1, options: Options = Options()
    ) throws(SoftmaxLPInputError) -> ObjectiveEnclosure {
        try ScoreDifferenceBounds.validate(A: A, b: b, xLower: xLower, xUpper: xUpper)
        if c.count != A.count { throw SoftmaxLPInputError(field: "c", problem: "has \(c.count) entries, A has \(A.count) rows") }
        for (i, v) in c.enumerated() where !v.isFinite { throw SoftmaxLPInputError(field: "c", index: [i], problem: "\(v) is not a finite number") }
        for (i, v) in c.enumerated() where v.magnitude > 1e300 {
            throw SoftmaxLPInputError(field: "c", index: [i], problem: "magnitude above 1e300 is not supported")
        }
        if !(temperature.isFinite && temperature > 0) {
            throw SoftmaxLPInputError(field: "temperature", problem: "must be a finite number > 0, got \(temperature)")
        }
        let K = A.count
        let box = ScoreDifferenceBounds.scoreBox(A: A, b: b, xLower: xLower, xUpper: xUpper)
        let vertex = VertexSoftmax.uncheckedObjective(c: c, lower: box.lower, upper: box.upper, temperature: temperature)
        var minLower = vertex.minimum.lower, maxUpper = vertex.maximum.upper
        // The box centre: an attained value even if no LP solves.
        let centre = xLower.indices.map { xLower[$0] + (xUpper[$0] - xLower[$0]) / 2 }
        let centreValue = valueAt(centre, c: c, A: A, b: b, xLower: xLower, xUpper: xUpper, temperature: temperature).1
        var minUpper = centreValue.upper, maxLower = centreValue.lower

        if K <= options.maximumDimension {
            let D = ScoreDifferenceBounds.fromAffine(A: A, b: b, xLower: xLower, xUpper: xUpper)
            var zoneOptions = ZoneLP.Options()
            zoneOptions.lp = options.lp
            if let zone = try? ZoneLP.lpBounds(c: c, lower: box.lower, upper: box.upper, diffUpper: D,
                                               temperature: temperature, options: zoneOptions),
               !zone.statuses.contains(.infeasible) {
                minLower = Swift.max(minLower, zone.minimum.lower)
                maxUpper = Swift.min(maxUpper, zone.maximum.upper)
            }
            if let joint = try? lpBounds(c: c, A: A, b: b, xLower: xLower, xUpper: xUpper,
                                         temperature: temperature, options: options),
               !joint.statuses.contains(.infeasible) {
                minLower = Swift.max(minLower, joint.minimum.lower)
                maxUpper = Swift.min(maxUpper, joint.maximum.upper)
                for x in [joint.minimizerInput, joint.maximizerInput].compactMap({ $0 }) {
                    let v = valueAt(x, c: c, A: A, b: b, xLower: xLower, xUpper: xUpper, temperature: temperature).1
                    minUpper = Swift.min(minUpper, v.upper)
                    maxLower = Swift.max(maxLower, v.lower)
                }
                // Local search from the LP's points improves the attained ends (the
                // searched points are evaluated rigorously like any other).
                if let x = joint.minimizerInput {
                    let y = localSearch(from: x, sign: 1, c: c, A: A, b: b, xLower: xLower, xUpper: xUpper, temperature: temperature)
                    minUpper = Swift.min(minUpper, valueAt(y, c: c, A: A, b: b, xLower: xLower, xUpper: xUpper, temperature: temperature).1.upper)
                }
                if let x = joint.maximizerInput {
                    let y = localSearch(from: x, sign: -1, c: c, A: A, b: b, xLower: xLower, xUpper: xUpper, temperature: temperature)
                    maxLower = Swift.max(maxLower, valueAt(y, c: c, A: A, b: b, xLower: xLower, xUpper: xUpper, temperature: temperature).1.lower)
                }
            }
        }
        return ObjectiveEnclosure(
            minimum: Interval(uncheckedLower: minLower, upper: minUpper),
            maximum: Interval(uncheckedLower: maxLower, upper: maxUpper))
    }

    /// Coordinate search (plain Double evaluation, a heuristic) for a smaller value of
    /// `sign * F` from `x0`; returns a point in the box. Only used to pick points whose
    /// values are then enclosed rigorously. O(rounds * n * 4 * K n).
    static func localSearch(from x0: [Double], sign: Double, c: [Double], A: [[Double]], b: [Double],
                            xLower: [Double], xUpper: [Double], temperature T: Double, rounds: Int = 30) -> [Double] {
        let n = xLower.count
        func f(_ x: [Double]) -> Double {
            var s = [Double](repeating: 0, count: A.count)
            for i in A.indices {
                var v = b[i]
                for k in 0..<n { v += A[i][k] * x[k] }
                s[i] = v / T
            }
            let m = s.max()!
            var num = 0.0, den = 0.0
            for i in s.indices {
                let e = Double.expDown(s[i] - m)
                num += c[i] * e
                den += e
            }
            return sign * num / den
        }
        var x = (0..<n).map { Swift.min(Swift.max(x0[$0].isNaN ? xLower[$0] : x0[$0], xLower[$0]), xUpper[$0]) }
        var fx = f(x)
        var h = (0..<n).map { (xUpper[$0] - xLower[$0]) / 4 }
        for _ in 0..<rounds {
            var improved = false
            for k in 0..<n {
                for candidate in [x[k] - h[k], x[k] + h[k], xLower[k], xUpper[k]] {
                    var y = x
                    y[k] = Swift.min(Swift.max(candidate, xLower[k]), xUpper[k])
                    let fy = f(y)
                    if fy < fx { x = y; fx = fy; improved = true }
                }
            }
            if !improved {
                h = h.map { $0 / 2 }
                if h.allSatisfy({ $0 == 0 }) { break }
            }
        }
        return x
    }
}
