import CertmaxBounds
import CertmaxGraph
import CertmaxIO
import CertmaxModels
import CertmaxNumerics
import Foundation

/// The verifier behind `certmax vnncomp` and `certmax batch`: one ONNX model and one
/// VNN-LIB property to a VNN-COMP verdict.
///
/// The model is imported into a `Graph` (`ONNXImporter`), the property read as a
/// disjunction of (input box, linear output constraints); disjuncts that share an input
/// box are decided together by `GraphPropertyVerifier` (bounds and branch and bound over
/// the box's outer Doubles, counterexamples searched in its inner Doubles), boxes in turn,
/// each with an equal share of the remaining time.
///
/// Soundness contract: `.unsat` only when every disjunct of every box is excluded by sound
/// bounds; `.sat` only for an input inside some disjunct's box whose outward-rounded
/// forward pass proves that disjunct's constraints, re-checked against the whole
/// property by `CounterexampleCheck`. Anything else is `.unknown`.
public enum VNNCompInstanceVerifier {
    public struct Options: Sendable {
        public var search = GraphPropertyVerifier.Options()
        public init() {}
    }

    /// Errors: `InputError` for an unreadable or invalid ONNX or VNN-LIB file, or a
    /// property whose variable counts do not match the model's input and output sizes.
    public static func verify(onnxPath: String, vnnlibPath: String, deadline: Deadline,
                              options: Options = Options()) throws -> VNNCompVerdict {
        let graph = try ONNXImporter.load(path: onnxPath)
        let spec = try VNNLibSpecification(path: vnnlibPath)
        var options = options
        if let sink = options.search.search.progress {
            // Name the instance: batch jobs interleave their lines.
            let name = URL(fileURLWithPath: vnnlibPath).lastPathComponent
            options.search.search.progress = { line in sink("\(name): \(line)") }
        }
        return try verify(graph: graph, graphSource: onnxPath, spec: spec, deadline: deadline, options: options)
    }

    /// The same for a graph already built and a parsed property.
    public static func verify(graph: Graph, graphSource: String, spec: VNNLibSpecification, deadline: Deadline,
                              options: Options = Options()) throws(InputError) -> VNNCompVerdict {
        guard graph.inputs.count == 1, graph.outputs.count >= 1 else {
            throw InputError(source: graphSource, problem: "the model must have one input and at least one output (has \(graph.inputs.count) and \(graph.outputs.count))")
        }
        let nIn = graph.values[graph.inputs[0]].shape.reduce(1, *), nOut = graph.values[graph.outputs[0]].shape.reduce(1, *)
        guard spec.inputCount == nIn else {
            throw InputError(source: spec.source, problem: "declares \(spec.inputCount) X variables, the model input has \(nIn) elements")
        }
        guard spec.outputCount == nOut else {
            throw InputError(source: spec.source, problem: "declares \(spec.outputCount) Y variables, the model output has \(nOut) elements")
        }
        let groups = propertyGroups(spec, outputCount: nOut)
        var allProved = true
        for (g, group) in groups.enumerated() {
            let share = max(deadline.remainingSeconds, 0) / Double(groups.count - g)
            // A search that runs to its deadline still has to return and write its answer
            // before the runner's watchdog: keep 5% of the share (at most 1 s) for that.
            let remaining = share - min(1, 0.05 * share)
            let end = ContinuousClock.now + .nanoseconds(Int64(remaining * 1e9))
            let unsafe = group.unsafe
            let report = GraphPropertyVerifier.uncheckedRun(graph, lower: group.box.lower, upper: group.box.upper,
                                                   searchLower: group.box.innerLower, searchUpper: group.box.innerUpper,
                                                   unsafe: unsafe, deadline: end, options: options.search)
            switch report.outcome {
            case .proved: continue
            case .violated(let x, let y):
                let enclosure = report.counterexampleEnclosure
                    ?? graph.uncheckedInterval([Tensor(uncheckedShape: graph.values[graph.inputs[0]].shape, data: x).asIntervals])[0].data
                if CounterexampleCheck.check(spec, input: x, outputEnclosure: enclosure).isProved {
                    return .sat(input: x, output: y, outputEnclosure: enclosure)
                }
                allProved = false
            case .undecided:
                allProved = false
            }
        }
        return allProved ? .unsat : .unknown
    }

    /// A closure for `VNNCompRunner` and `BatchRunner`.
    public static func closure(options: Options = Options()) -> VNNCompVerifier {
        { onnx, vnnlib, deadline in try verify(onnxPath: onnx, vnnlibPath: vnnlib, deadline: deadline, options: options) }
    }

    /// Dense coefficient enclosures of `sum terms <= bound` over n outputs.
    /// The property's disjuncts grouped by input box (most properties have one box), each
    /// group's output constraints as dense rows over the `outputCount` outputs (coefficient
    /// and bound enclosures as parsed: the disjunction is the property's, exactly).
    public static func propertyGroups(_ spec: VNNLibSpecification, outputCount: Int) -> [(box: VNNLibInputBox, unsafe: LinearDisjunction)] {
        var groups: [(box: VNNLibInputBox, constraints: [[VNNLibConstraint]])] = []
        for d in spec.disjuncts {
            if let i = groups.firstIndex(where: { $0.box == d.input }) { groups[i].constraints.append(d.constraints) }
            else { groups.append((d.input, [d.constraints])) }
        }
        return groups.map { ($0.box, LinearDisjunction(disjuncts: $0.constraints.map { $0.map { dense($0, outputCount) } })) }
    }

    static func dense(_ c: VNNLibConstraint, _ n: Int) -> LinearDisjunction.Constraint {
        var coefficients = [Interval](repeating: .zero, count: n)
        for t in c.terms { coefficients[t.index] = coefficients[t.index] + t.coefficientEnclosure }
        return LinearDisjunction.Constraint(c: coefficients, bound: c.boundEnclosure, strict: c.strict)
    }
}
