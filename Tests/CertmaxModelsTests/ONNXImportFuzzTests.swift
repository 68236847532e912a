import XCTest
import Foundation
import Certmax
import TestSupport

/// Structural mutations of the two ViT models after decoding (attributes, node inputs,
/// op types, initializer shapes, input dims): the importer must build a graph or throw a
/// one-line InputError naming the file, never trap; a graph it builds must evaluate
/// without trapping and its sound forward pass must enclose the plain one.
final class ONNXImportFuzzTests: XCTestCase {
    static let shared = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("shared/benchmarks/vnncomp2023-vit/onnx")

    static let ops = ["MatMul", "Add", "Sub", "Mul", "Div", "Relu", "Softmax", "Transpose", "Reshape", "Concat", "Gemm",
                      "Conv", "BatchNormalization", "ReduceMean", "ReduceSum", "Flatten", "Squeeze", "Unsqueeze", "Slice",
                      "Gather", "Identity", "Sqrt", "Tanh", "Sigmoid", "Erf", "Gelu", "LayerNormalization", "Pow", "Celu"]

    static func isInteger(_ a: ONNXAttribute) -> Bool {
        switch a {
        case .int, .ints: return true
        default: return false
        }
    }

    func mutate(_ m: inout ONNXModel, _ rng: inout SeededGenerator) -> String {
        var g = m.graph
        defer { m.graph = g }
        let names = g.nodes.flatMap { $0.outputs } + g.initializers.map(\.name) + g.inputs.map(\.name)
        switch Int.random(in: 0..<7, using: &rng) {
        case 0:  // an integer / integer-list attribute
            let withInts = g.nodes.indices.filter { i in g.nodes[i].attributes.values.contains(where: Self.isInteger) }
            guard let i = withInts.randomElement(using: &rng) else { return "none" }
            let key = g.nodes[i].attributes.filter { Self.isInteger($0.value) }.keys.sorted().randomElement(using: &rng)!
            switch g.nodes[i].attributes[key]! {
            case .int: g.nodes[i].attributes[key] = .int(Int64.random(in: -6...6, using: &rng))
            case .ints(let v): g.nodes[i].attributes[key] = .ints((0..<max(v.count + Int.random(in: -1...1, using: &rng), 0)).map { _ in Int64.random(in: -6...40, using: &rng) })
            default: break
            }
            return "node \(i) attribute \(key)"
        case 1:  // rewire an input
            let i = Int.random(in: 0..<g.nodes.count, using: &rng)
            guard !g.nodes[i].inputs.isEmpty else { return "none" }
            let k = Int.random(in: 0..<g.nodes[i].inputs.count, using: &rng)
            g.nodes[i].inputs[k] = names.randomElement(using: &rng)!
            return "node \(i) input \(k)"
        case 2:  // drop or duplicate an input
            let i = Int.random(in: 0..<g.nodes.count, using: &rng)
            if Bool.random(using: &rng), !g.nodes[i].inputs.isEmpty { g.nodes[i].inputs.removeLast() } else { g.nodes[i].inputs.append(names.randomElement(using: &rng)!) }
            return "node \(i) input count"
        case 3:  // change the op type
            let i = Int.random(in: 0..<g.nodes.count, using: &rng)
            g.nodes[i].opType = Self.ops.randomElement(using: &rng)!
            return "node \(i) op \(g.nodes[i].opType)"
        case 4:  // reshape an initializer (same values)
            let i = Int.random(in: 0..<g.initializers.count, using: &rng)
            let n = g.initializers[i].elementCount
            g.initializers[i].dims = Bool.random(using: &rng) ? [n] : [1, n].shuffled(using: &rng)
            return "initializer \(i) dims"
        case 5:  // change the values of an integer initializer (shape plumbing)
            let ints = g.initializers.indices.filter { g.initializers[$0].integers != nil }
            guard let i = ints.randomElement(using: &rng) else { return "none" }
            let v = g.initializers[i].integers!
            g.initializers[i].values = .integer(v.map { _ in Int64.random(in: -3...50, using: &rng) })
            return "initializer \(i) values"
        default:  // graph input dims
            if case .tensor(let t, let dims?)? = g.inputs.first?.type {
                g.inputs[0].type = .tensor(elementType: t, shape: dims.map { _ in .value(Int64.random(in: 0...40, using: &rng)) })
            }
            return "input dims"
        }
    }

    func testStructuralMutationsOfTheViTModels() throws {
        guard FileManager.default.fileExists(atPath: Self.shared.path) else { throw XCTSkip("\(Self.shared.path) is absent") }
        let bases = try ["pgd_2_3_16", "ibp_3_3_8"].map { try ONNXModel(path: Self.shared.appendingPathComponent("\($0).onnx.gz").path) }
        var rng = SeededGenerator(seed: 0xF0_22)
        var built = 0, rejected = 0, evaluated = 0
        let cases = 500
        for c in 0..<cases {
            var m = bases[c % 2]
            var what: [String] = []
            for _ in 0..<Int.random(in: 1...3, using: &rng) { what.append(mutate(&m, &rng)) }
            do {
                let g = try ONNXImporter.graph(from: m, source: "fuzz.onnx")
                built += 1
                guard evaluated < 12, g.inputs.count == 1 else { continue }
                evaluated += 1
                let shape = g.values[g.inputs[0]].shape
                let x = Tensor(uncheckedShape: shape, data: (0..<shape.reduce(1, *)).map { _ in Double.random(in: -1...1, using: &rng) })
                let y = g.uncheckedForward([x])
                let enclosure = g.uncheckedInterval([x.asIntervals])
                for (o, e) in zip(y, enclosure) {
                    for k in 0..<o.count where o.data[k].isFinite && !e.data[k].contains(o.data[k]) && !e.data[k].isEmpty {
                        XCTFail("case \(c) (\(what)): output \(k) = \(o.data[k]) outside \(e.data[k])"); break
                    }
                }
                _ = BoxEngine.uncheckedPropagate(g, inputBoxes: [Tensor(uncheckedLower: x.map { $0 - 0.01 }, upper: x.map { $0 + 0.01 })])
            } catch {
                rejected += 1
                let text = "\(error)"
                XCTAssertTrue(text.hasPrefix("fuzz.onnx") && !text.contains("\n"), "case \(c) (\(what)): \(text)")
            }
        }
        XCTAssertEqual(built + rejected, cases)
        XCTAssertGreaterThan(rejected, cases / 10)
        XCTAssertEqual(evaluated, 12)
        print("ONNX import fuzz: \(cases) structural mutants, \(built) built (\(evaluated) evaluated), \(rejected) rejected")
    }
}
