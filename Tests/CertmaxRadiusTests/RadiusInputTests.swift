import CertmaxIO
import Foundation
import Testing
import TestSupport
@testable import CertmaxRadius

let radiusFixtures = packageRoot.appendingPathComponent("Tests/CertmaxRadiusTests/Fixtures")
func radiusFixture(_ name: String) -> String { radiusFixtures.appendingPathComponent(name).path }

@Suite struct RadiusInputTests {
    @Test func allFormatsGiveTheSameBatch() throws {
        let exp = try JSONDecoder().decode([String: [[Double]]].self,
                                           from: Data(contentsOf: radiusFixtures.appendingPathComponent("expected.json")))
        let npz = try RadiusBatch.load(input: radiusFixture("radius_small.npz"), logitsPath: nil, directionsPath: nil)
        let npy = try RadiusBatch.load(input: nil, logitsPath: radiusFixture("logits_f64.npy"),
                                       directionsPath: radiusFixture("directions_f64.npy"), step: 0.1)
        let json = #"{"logits": \#(exp["logits"]!), "directions": \#(exp["directions"]!)}"#
        let jsonBatch = try RadiusBatch.load(input: temporaryFile(json), logitsPath: nil, directionsPath: nil)
        #expect(npz.logits == npy.logits && npz.directions == npy.directions && npy.step == 0.1)
        #expect(jsonBatch.logits == npz.logits && jsonBatch.directions == npz.directions)
        let f32 = try RadiusBatch.load(input: radiusFixture("radius_small_compressed_f32.npz"), logitsPath: nil, directionsPath: nil)
        #expect(f32.logits == exp["logits_f32"]!.flatMap { $0 })
        let f32b = try RadiusBatch.load(input: nil, logitsPath: radiusFixture("logits_f32.npy"), directionsPath: radiusFixture("directions_f32.npy"))
        #expect(f32b.directions == f32.directions)
        // The radius analysis is the same whatever the format.
        #expect(analyzeTaylorRadius(npz) == analyzeTaylorRadius(jsonBatch))
    }

    @Test func badInputsNameFileAndProblem() {
        func err(_ input: String?, _ l: String? = nil, _ d: String? = nil) -> InputError? {
            do { _ = try RadiusBatch.load(input: input, logitsPath: l, directionsPath: d); return nil } catch { return error }
        }
        let nan = err(nil, radiusFixture("logits_nan.npy"), radiusFixture("directions_f64.npy"))
        #expect(nan?.description.contains("logits_nan.npy: logits[1][2]: NaN") == true, "\(String(describing: nan))")
        let inf = err(nil, radiusFixture("logits_inf.npy"), radiusFixture("directions_f64.npy"))
        #expect(inf?.description.contains("logits[2][0]: infinite") == true)
        let mismatch = err(nil, radiusFixture("logits_f64.npy"), radiusFixture("directions_3x5.npy"))
        #expect(mismatch?.description.contains("shape mismatch") == true && mismatch?.exitCode == .badInput)
        #expect(err(nil, radiusFixture("logits_empty.npy"), radiusFixture("logits_empty.npy"))?.description.contains("empty batch") == true)
        #expect(err(nil, radiusFixture("logits_3d.npy"), radiusFixture("logits_3d.npy"))?.description.contains("1-d or 2-d") == true)
        #expect(err(radiusFixture("radius_missing_directions.npz"))?.description.contains("array \"directions\": missing") == true)
        #expect(err(radiusFixture("logits_f64.npy"))?.description.contains("--logits") == true)
        #expect(err(nil, radiusFixture("logits_f64.npy"), nil) != nil)
        #expect(err("/nonexistent/x.json")?.exitCode == .unreadableInput)
    }
}

@Suite struct RadiusSafetensorsTests {
    @Test func safetensorsTwoNamedTensors() throws {
        let exp = try JSONDecoder().decode([String: [[Double]]].self,
                                           from: Data(contentsOf: radiusFixtures.appendingPathComponent("expected.json")))
        var w = SafetensorsWriter()
        w.add("logits", dtype: .f64, shape: [3, 4], values: exp["logits"]!.flatMap { $0 })
        w.add("dirs", dtype: .f32, shape: [3, 4], values: exp["directions_f32"]!.flatMap { $0 })
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("radius-\(UUID().uuidString).safetensors")
        try Data(w.encoded()).write(to: url)
        let b = try RadiusBatch.load(input: url.path, logitsPath: nil, directionsPath: nil, directionsTensor: "dirs")
        #expect(b.logits == exp["logits"]!.flatMap { $0 } && b.directions == exp["directions_f32"]!.flatMap { $0 })
        do {
            _ = try RadiusBatch.load(input: url.path, logitsPath: nil, directionsPath: nil)
            Issue.record("missing tensor accepted")
        } catch {
            #expect(error.description.contains("tensor \"directions\""), "\(error)")
        }
        var w2 = SafetensorsWriter()
        w2.add("logits", dtype: .f64, shape: [3, 4], values: exp["logits"]!.flatMap { $0 })
        w2.add("directions", dtype: .f64, shape: [4, 3], values: exp["directions"]!.flatMap { $0 })
        let url2 = FileManager.default.temporaryDirectory.appendingPathComponent("radius-\(UUID().uuidString).safetensors")
        try Data(w2.encoded()).write(to: url2)
        do {
            _ = try RadiusBatch.load(input: url2.path, logitsPath: nil, directionsPath: nil)
            Issue.record("shape mismatch accepted")
        } catch {
            #expect(error.description.contains("shape mismatch") && error.exitCode == .badInput)
        }
    }
}
