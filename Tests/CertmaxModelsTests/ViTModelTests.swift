import XCTest
import Foundation
import Certmax
import TestSupport

/// The two VNN-COMP 2023 ViTs (../shared/benchmarks/vnncomp2023-vit): import, forward
/// agreement with onnxruntime at every shipped instance's centre
/// (Tests/Fixtures/vit/centre_outputs.json, scripts/reference/vit_reference.py), the
/// sound forward pass, and box propagation against sampled and attacked points.
final class ViTModelTests: XCTestCase {
    static let bench = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("shared/benchmarks/vnncomp2023-vit")

    struct Reference: Decodable {
        struct Row: Decodable { var onnx: String; var vnnlib: String; var label: Int; var output: [Double] }
        var instances: [Row]
    }

    func benchmark() throws -> URL {
        let url = Self.bench
        guard FileManager.default.fileExists(atPath: url.path) else { throw XCTSkip("\(url.path) is absent (../shared not beside the repository)") }
        return url
    }

    func reference() throws -> Reference {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Fixtures/vit/centre_outputs.json")
        return try JSONDecoder().decode(Reference.self, from: Data(contentsOf: url))
    }

    func testImportShapesAndOps() throws {
        let dir = try benchmark()
        for (name, blocks, tokens) in [("pgd_2_3_16", 2, 5), ("ibp_3_3_8", 3, 17)] {
            let g = try ONNXImporter.load(path: dir.appendingPathComponent("onnx/\(name).onnx.gz").path)
            XCTAssertEqual(g.values[g.inputs[0]].shape, [1, 3, 32, 32])
            XCTAssertEqual(g.values[g.outputs[0]].shape, [1, 10])
            XCTAssertEqual(g.nodes.filter { $0.op is Softmax }.count, blocks, name)
            // Shape plumbing folded away: no Shape/Gather/Unsqueeze/ConstantOfShape nodes remain.
            XCTAssertFalse(g.nodes.contains { $0.op is ShapeOf || $0.op is Gather || $0.op is Unsqueeze }, name)
            let scores = g.nodes.first { $0.op is Softmax }!
            XCTAssertEqual(g.values[scores.output].shape, [1, 3, tokens, tokens], name)
        }
    }

    /// Both ViTs agree with onnxruntime to 1e-5 at the centre of all 100 instances, and
    /// the outward-rounded forward pass encloses the plain one there.
    func testForwardAgreesWithONNXRuntimeAtEveryInstanceCentre() throws {
        let dir = try benchmark()
        let ref = try reference()
        XCTAssertEqual(ref.instances.count, 100)
        var graphs: [String: Graph] = [:]
        var worst = 0.0, checked = 0
        for row in ref.instances {
            if graphs[row.onnx] == nil { graphs[row.onnx] = try ONNXImporter.load(path: dir.appendingPathComponent(row.onnx + ".gz").path) }
            let g = graphs[row.onnx]!
            let spec = try VNNLibSpecification(path: dir.appendingPathComponent(row.vnnlib + ".gz").path)
            let box = spec.disjuncts[0].input
            let x = Tensor(uncheckedShape: [1, 3, 32, 32], data: zip(box.lower, box.upper).map { ($0 + $1) / 2 })
            let y = g.uncheckedForward([x])[0]
            for k in 0..<10 {
                worst = max(worst, abs(y.data[k] - row.output[k]))
                XCTAssertEqual(y.data[k], row.output[k], accuracy: 1e-5, "\(row.vnnlib) output \(k)")
            }
            if checked % 10 == 0 {
                let enclosure = g.uncheckedInterval([x.asIntervals])[0]
                for k in 0..<10 { XCTAssertTrue(enclosure.data[k].contains(y.data[k]), "\(row.vnnlib) output \(k): \(enclosure.data[k]) vs \(y.data[k])") }
            }
            checked += 1
        }
        XCTAssertEqual(checked, 100)
        print("ViT forward vs onnxruntime: max |difference| \(worst) over 100 instances x 10 outputs")
    }

    /// Box propagation over an instance's region contains the plain forward at sampled
    /// and attacked points, for every value of the graph.
    func testBoxPropagationContainsSampledAndAttackedPoints() throws {
        let dir = try benchmark()
        let ref = try reference()
        var rng = SeededGenerator(seed: 11)
        var checks = 0
        for name in ["pgd_2_3_16", "ibp_3_3_8"] {
            let g = try ONNXImporter.load(path: dir.appendingPathComponent("onnx/\(name).onnx.gz").path)
            let row = ref.instances.first { $0.onnx.contains(name) }!
            let spec = try VNNLibSpecification(path: dir.appendingPathComponent(row.vnnlib + ".gz").path)
            let box = spec.disjuncts[0].input
            let lo = Tensor(uncheckedShape: [1, 3, 32, 32], data: box.lower), hi = Tensor(uncheckedShape: [1, 3, 32, 32], data: box.upper)
            let boxes = BoxEngine.uncheckedPropagateAll(g, inputBoxes: [Tensor(uncheckedLower: lo, upper: hi)])
            var points: [Tensor<Double>] = []
            for s in 0..<24 {
                var x = lo
                for i in 0..<x.count { x.data[i] = s % 2 == 0 ? Double.random(in: lo.data[i]...hi.data[i], using: &rng) : (Bool.random(using: &rng) ? lo.data[i] : hi.data[i]) }
                points.append(x)
            }
            for k in [0, 3, 9] {  // attacks pushing logits up and down
                for sign in [1.0, -1.0] {
                    var o = GradientAttack.Options(); o.restarts = 1; o.steps = 15; o.target = -.infinity
                    var w = [Double](repeating: 0, count: 10); w[k] = sign
                    if let a = GradientAttack.uncheckedMinimize(g, lower: lo, upper: hi, options: o, objective: { y in
                        (sign * y.data[k], Tensor(uncheckedShape: y.shape, data: w)) }) { points.append(a.point) }
                }
            }
            for x in points {
                let all = g.uncheckedForwardAll([x])
                for n in g.nodes {
                    let v = all[n.output], b = boxes[n.output]
                    for e in 0..<v.count where !b.data[e].contains(v.data[e]) {
                        XCTFail("\(name) node \(n.name): value \(v.data[e]) outside \(b.data[e])"); return
                    }
                    checks += v.count
                }
            }
        }
        XCTAssertGreaterThan(checks, 100_000)
    }
}
