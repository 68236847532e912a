import CertmaxNumerics
import Foundation

/// Settings of the counterexample search.
public struct FalsifierOptions: Sendable {
    /// Random points drawn in the region (half uniform, half at random vertices).
    public var samples: Int = 64
    /// Projected sign-gradient steps per start.
    public var attackSteps: Int = 40
    /// Starting points for the attack (the best samples).
    public var restarts: Int = 3
    public var seed: UInt64 = 0x5EED
    /// Wall-clock budget in seconds; the search stops (keeping what it found) when spent.
    public var timeBudget: Double = 20
    public init(samples: Int = 64, attackSteps: Int = 40, restarts: Int = 3, seed: UInt64 = 0x5EED, timeBudget: Double = 20) {
        self.timeBudget = timeBudget
        self.samples = samples
        self.attackSteps = attackSteps
        self.restarts = restarts
        self.seed = seed
    }
}

/// Searches the region for inputs that violate a property, with random sampling and a
/// projected gradient attack on the plain floating-point forward pass (gradient by
/// central finite differences: coordinate-wise when at most 48 entries are perturbed,
/// otherwise simultaneous random perturbation (SPSA) along +-1 directions).
///
/// The search is heuristic: its candidates are *not* verdicts. The verifier re-checks
/// each candidate with a sound interval forward pass at the point before it reports a
/// violation.
public enum Falsifier {
    /// Candidate points in the region, best (lowest approximate margin) first.
    public static func candidates(layer: AttentionLayer, region: InputRegion, property: PropertyFormula,
                                  options: FalsifierOptions) -> [(point: Matrix, margin: Double)] {
        var rng = SplitMix64(seed: options.seed)
        let deadline = Date().addingTimeInterval(options.timeBudget)
        func outOfTime() -> Bool { Date() > deadline }
        let free = (0..<region.center.data.count).filter { region.radius.data[$0] > 0 }
        func margin(_ x: Matrix) -> Double {
            let m = property.approximateMargin(output: layer.uncheckedForward(x), weights: layer.uncheckedAttentionWeights(x))
            return m.isNaN ? .infinity : m
        }
        var pool: [(Matrix, Double)] = [(region.center, margin(region.center))]
        if free.isEmpty { return pool }
        for s in 0..<options.samples {
            if outOfTime() { break }
            var x = region.center
            for n in free {
                let r = region.radius.data[n]
                let t: Double = s % 2 == 0 ? Double.random(in: -1...1, using: &rng) : (Bool.random(using: &rng) ? 1 : -1)
                x.data[n] += t * r
            }
            x = region.project(x)
            pool.append((x, margin(x)))
        }
        pool.sort { $0.1 < $1.1 }
        var results = pool
        for start in pool.prefix(options.restarts) {
            var x = start.0, fx = start.1
            var step = 0.5
            for _ in 0..<options.attackSteps {
                if fx < 0 || outOfTime() { break }
                var g = [Double](repeating: 0, count: free.count)
                if free.count <= 48 {
                    for (a, n) in free.enumerated() {
                        let h = region.radius.data[n] * 1e-3
                        var xp = x, xm = x
                        xp.data[n] += h; xm.data[n] -= h
                        g[a] = (margin(xp) - margin(xm)) / (2 * h)
                    }
                } else {
                    let delta = free.map { _ in Bool.random(using: &rng) ? 1.0 : -1.0 }
                    var xp = x, xm = x
                    for (a, n) in free.enumerated() {
                        let h = region.radius.data[n] * 1e-3 * delta[a]
                        xp.data[n] += h; xm.data[n] -= h
                    }
                    let d = margin(xp) - margin(xm)
                    for a in 0..<free.count { g[a] = d * delta[a] }
                }
                var y = x
                for (a, n) in free.enumerated() where g[a] != 0 {
                    y.data[n] -= step * region.radius.data[n] * (g[a] > 0 ? 1 : -1)
                }
                y = region.project(y)
                let fy = margin(y)
                if fy < fx { x = y; fx = fy } else { step *= 0.5 }
                if step < 1e-4 { break }
            }
            results.append((x, fx))
        }
        results.sort { $0.1 < $1.1 }
        return results.map { (point: $0.0, margin: $0.1) }
    }
}
