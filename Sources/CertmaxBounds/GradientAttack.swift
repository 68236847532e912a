import CertmaxGraph
import CertmaxIO
import CertmaxNumerics

/// Falsification by projected signed-gradient descent (PGD) on the plain forward pass:
/// searches the input box for a point where a scalar objective of the output is
/// negative (e.g. a VNN-COMP property's margin, negative when an unsafe disjunct holds).
///
/// Nothing it returns is a verdict: the point is a *candidate*, computed in plain Double;
/// the caller must re-check it with the sound forward pass before reporting it.
///
/// Search: restart 0 starts at the box centre, restart 1 at the vertex the centre's
/// gradient points away from (x_i = lower_i where d objective / d x_i > 0, upper_i where
/// < 0, the centre where 0: the best vertex of the objective's linearisation), the others
/// at seeded uniform points (every third at a random vertex); each runs `steps` steps x <- clip(x - a_t w sign(grad)),
/// w the box's per-coordinate width and a_t decaying from `initialStep` to a tenth of it;
/// it stops early when the objective goes below `target` or `shouldStop()` says so.
public enum GradientAttack {
    public struct Options: Sendable {
        public var seed: UInt64 = 0x5EED
        public var restarts: Int = 20
        public var steps: Int = 60
        /// First step as a fraction of each coordinate's width.
        public var initialStep: Double = 0.25
        /// Stop once the objective is below this (0: any violation).
        public var target: Double = 0
        public init() {}
    }

    public struct Result: Sendable {
        /// The best point found and its plain objective value.
        public var point: Tensor<Double>
        public var value: Double
        /// Gradient evaluations spent.
        public var evaluations: Int
    }

    /// Minimises `objective(output)` over the box [lower, upper] of the graph's single
    /// input. `objective` returns the value and its gradient with respect to the output
    /// (graph output 0). Returns the best point seen (nil only for an empty search).
    ///
    /// Checked: throws `InputError` (source "GradientAttack.minimize") unless the graph has
    /// one input and an output, `lower` and `upper` have the input's shape (data filling
    /// it) with no NaN and lower <= upper, and every gradient `objective` returns has the
    /// output's element count (the search stops at the first that does not);
    /// `uncheckedMinimize` skips the checks (and traps on such arguments).
    public static func minimize(_ graph: Graph, lower: Tensor<Double>, upper: Tensor<Double>,
                                options: Options = Options(),
                                objective: (Tensor<Double>) -> (value: Double, gradient: Tensor<Double>),
                                shouldStop: () -> Bool = { false }) throws(InputError) -> Result? {
        let f = "GradientAttack.minimize"
        if graph.inputs.count != 1 { throw InputError(source: f, location: "graph", problem: "needs exactly one input, has \(graph.inputs.count)") }
        guard let out = graph.outputs.first, graph.values.indices.contains(out) else {
            throw InputError(source: f, location: "graph", problem: "has no output")
        }
        let shape = graph.values[graph.inputs[0]].shape
        for (name, t) in [("lower", lower), ("upper", upper)] where t.shape != shape || t.data.count != shape.reduce(1, *) {
            throw InputError(source: f, location: name, problem: "has shape \(t.shape) (\(t.data.count) elements), the input has \(shape)")
        }
        for i in 0..<lower.count where lower.data[i].isNaN || upper.data[i].isNaN || lower.data[i] > upper.data[i] {
            throw InputError(source: f, location: "[\(i)]", problem: "needs lower <= upper without NaN, got \(lower.data[i]), \(upper.data[i])")
        }
        var bad: InputError? = nil
        let r = uncheckedMinimize(graph, lower: lower, upper: upper, options: options, objective: { y in
            let (v, g) = objective(y)
            if g.data.count != y.count {
                bad = InputError(source: f, location: "objective", problem: "returned a gradient of \(g.data.count) elements, the output has \(y.count)")
                return (v, Tensor(uncheckedShape: y.shape, repeating: 0))
            }
            return (v, g)
        }, shouldStop: { bad != nil || shouldStop() })
        if let bad { throw bad }
        return r
    }

    /// Unchecked `minimize`: for a graph, box and objective validated already.
    public static func uncheckedMinimize(_ graph: Graph, lower: Tensor<Double>, upper: Tensor<Double>,
                                         options: Options = Options(),
                                         objective: (Tensor<Double>) -> (value: Double, gradient: Tensor<Double>),
                                         shouldStop: () -> Bool = { false }) -> Result? {
        precondition(graph.inputs.count == 1, "GradientAttack: one graph input")
        var rng = SplitMix64(seed: options.seed)
        let n = lower.count
        var best: Result? = nil
        var evaluations = 0
        let width = (0..<n).map { upper.data[$0] - lower.data[$0] }
        func clip(_ v: Double, _ i: Int) -> Double { min(max(v, lower.data[i]), upper.data[i]) }
        var centreGradient: Tensor<Double>? = nil
        for restart in 0..<max(options.restarts, 1) {
            var x = lower
            for i in 0..<n {
                if restart == 0 { x.data[i] = lower.data[i] + 0.5 * width[i] }
                else if restart == 1, let cg = centreGradient {
                    x.data[i] = cg.data[i] > 0 ? lower.data[i] : cg.data[i] < 0 ? upper.data[i] : lower.data[i] + 0.5 * width[i]
                }
                else if restart % 3 == 0 { x.data[i] = rng.next() & 1 == 0 ? lower.data[i] : upper.data[i] }
                else { x.data[i] = clip(rng.uniform(lower.data[i], upper.data[i]), i) }
            }
            for step in 0...options.steps {
                if shouldStop() { return best }
                let (value, _, grads) = graph.uncheckedValueAndGradient(at: [x], objective: objective)
                let g = grads[0]
                evaluations += 1
                if restart == 0 && step == 0 { centreGradient = g }
                if value.isFinite, best == nil || value < best!.value {
                    best = Result(point: x, value: value, evaluations: evaluations)
                }
                if value < options.target || step == options.steps { break }
                let t = Double(step) / Double(max(options.steps, 1))
                let a = options.initialStep * (1 - 0.9 * t)
                for i in 0..<n where g.data[i] != 0 {
                    x.data[i] = clip(x.data[i] - a * width[i] * (g.data[i] > 0 ? 1 : -1), i)
                }
            }
            if let b = best, b.value < options.target { break }
        }
        best?.evaluations = evaluations
        return best
    }
}
