import CertmaxIO
import CertmaxNumerics
import Foundation
import Testing
import TestSupport
@testable import CertmaxRadius

@Suite struct RadiusAnalysisTests {
    @Test func batchMinimumBottlenecksAndStep() throws {
        // Sample 0: binary-like, sample 1: wide directions (smallest rho_a), sample 2: a=(0,1,2).
        let z: [Double] = [0, 0, 0, 1, 0, -1, 0.2, 0.1, 0.0]
        let a: [Double] = [0, 0.5, 0.5, -3, 0, 3, 0, 1, 2]
        let batch = try RadiusBatch(rows: 3, columns: 3, logits: z, directions: a, step: 0.4)
        let rep = analyzeTaylorRadius(batch, options: RadiusOptions(exact: true, theta: 0.5))
        #expect(rep.bottleneckRhoA == [1])
        #expect(rep.batchRhoA == Double.divDown(.pi, 6))
        #expect(rep.allExactCertified)
        let lows = rep.samples.map { $0.exact!.lower }
        #expect(rep.batchExactLower == lows.min())
        #expect(rep.batchExactUpper == rep.samples.map { $0.exact!.upper! }.min())
        #expect(rep.bottleneckExact.first == rep.samples.indices.min { rep.samples[$0].exact!.upper! < rep.samples[$1].exact!.upper! })
        for s in rep.samples { #expect(s.rhoA <= s.refined && s.refined <= s.exact!.lower) }
        let st = try #require(rep.step)
        #expect(st.r == Double.divUp(0.4, rep.batchLower))
        #expect(st.safe == (st.r < 1))
        #expect(st.largestSafeStep == Swift.min(0.4, Double.mulDown(0.5, rep.batchLower)))
        #expect(st.rEnclosure!.lower <= st.r)
    }

    @Test func jsonInputAndErrors() throws {
        let good = #"{"logits": [[1, 2, 3], [0, 0, 0]], "directions": [[0.1, 0.2, 0.3], [1, -1, 0]], "step": 0.5, "temperature": 2}"#
        let b = try RadiusBatch(document: JSONDocument(data: Data(good.utf8), source: "in.json"))
        #expect(b.rows == 2 && b.columns == 3 && b.temperature == 2 && b.step == 0.5)
        let single = #"{"logits": [1, 2], "directions": [0, 1]}"#
        #expect(try RadiusBatch(document: JSONDocument(data: Data(single.utf8), source: "s.json")).rows == 1)
        func err(_ text: String) -> InputError? {
            do { _ = try RadiusBatch(document: JSONDocument(data: Data(text.utf8), source: "x.json")); return nil }
            catch let e as InputError { return e } catch { return nil }
        }
        let mismatch = err(#"{"logits": [[1, 2, 3]], "directions": [[0.1, 0.2]]}"#)
        #expect(mismatch?.description.contains("shape mismatch") == true && mismatch?.exitCode == .badInput)
        #expect(err(#"{"logits": [], "directions": []}"#)?.description.contains("empty") == true)
        let huge = err(#"{"logits": [[1, 1e999]], "directions": [[0, 1]]}"#)
        #expect(huge?.exitCode == .badInput, "\(String(describing: huge))")
        #expect(err(#"{"logits": [[1, 2]], "directions": [[0, 1]], "temperature": 0}"#)?.description.contains("temperature") == true)
        #expect(err(#"{"logits": [[1, 2]], "directions": [[0, 1]], "stepp": 1}"#)?.description.contains("unknown field") == true)
        // NaN from a binary source.
        #expect(throws: InputError.self) { try RadiusBatch(rows: 1, columns: 2, logits: [1, .nan], directions: [0, 1]) }
    }
}

@Suite struct RadiusBottleneckScopeTests {
    /// The bottleneck scope gives the same batch enclosure as computing every sample, while
    /// skipping samples whose refined bound is above the batch upper bound.
    @Test func bottleneckScopeMatchesAll() throws {
        var rng = SeededGenerator(seed: 0x5eed_0014)
        let b = 12, k = 5
        var z = [Double](), a = [Double]()
        for i in 0..<b {
            let spread = i == 3 ? 0.2 : 2.0  // sample 3: small radius (wide a below)
            for _ in 0..<k {
                z.append(Double.random(in: -2...2, using: &rng))
                a.append(Double.random(in: -spread...spread, using: &rng) * (i == 3 ? 10 : 1))
            }
        }
        let batch = try RadiusBatch(rows: b, columns: k, logits: z, directions: a, step: 0.1)
        let all = analyzeTaylorRadius(batch, options: RadiusOptions(exact: true))
        let bn = analyzeTaylorRadius(batch, options: RadiusOptions(exact: true, exactScope: .bottleneck))
        let computed = bn.samples.filter { $0.exact != nil }.count
        #expect(computed < b, "bottleneck scope computed all \(b) samples")
        #expect(bn.batchExactUpper == all.batchExactUpper)
        #expect(bn.batchExactLower! <= bn.batchExactUpper! && all.batchExactLower! <= bn.batchExactUpper!)
        #expect(bn.bottleneckExact.first == all.bottleneckExact.first)
        // Both enclosures contain the true batch radius: they must overlap.
        #expect(bn.batchExactLower! <= all.batchExactUpper! && all.batchExactLower! <= bn.batchExactUpper!)
        let text = bn.text(temperature: 1)
        #expect(text.contains("skipped"))
    }
}

@Suite struct RadiusExceedsTests {
    @Test func exceedsAgreesWithKnownZero() {
        // a = (0,1,2), z = 0: nearest zeros at modulus 2 pi / 3 = 2.0943951...; with T = 2
        // the radius doubles.
        #expect(uncheckedTaylorRadiusExceeds(logits: [0, 0, 0], directions: [0, 1, 2], radius: 2.09) == true)
        #expect(uncheckedTaylorRadiusExceeds(logits: [0, 0, 0], directions: [0, 1, 2], radius: 2.1) == false)
        #expect(uncheckedTaylorRadiusExceeds(logits: [0, 0, 0], directions: [0, 1, 2], temperature: 2, radius: 4.18) == true)
        #expect(uncheckedTaylorRadiusExceeds(logits: [0, 0, 0], directions: [0, 1, 2], temperature: 2, radius: 4.2) == false)
        #expect(uncheckedTaylorRadiusExceeds(logits: [1, 2], directions: [3, 3], radius: 1e6) == true)
    }
}
