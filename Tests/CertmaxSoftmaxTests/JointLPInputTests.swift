import CertmaxIO
import CertmaxNumerics
@testable import CertmaxSoftmax
import Foundation
import TestSupport
import Testing

@Suite struct JointLPInputTests {
    static func doc(_ text: String) throws -> JSONDocument {
        try JSONDocument(data: Data(text.utf8), source: "in.json")
    }

    @Test func parsesAndSolves() throws {
        let d = try Self.doc(#"{"A":[[1,0],[0,1],[1,1]],"b":[0,0.5,-0.2],"x_lower":[-0.1,-0.1],"x_upper":[0.1,0.1],"c":[1,-1,0.5]}"#)
        #expect(JointLPInput.describesAffineScores(d))
        let input = try JointLPInput(document: d)
        let r = try input.objective()
        #expect(r.minimum.lower <= r.minimum.upper && r.maximum.lower <= r.maximum.upper)
        // The value at x = 0 lies inside [min.lower, max.upper].
        let f = exactObjective(c: input.c, s: [0, 0.5, -0.2])
        #expect(BigFloat(r.minimum.lower) <= f && f <= BigFloat(r.maximum.upper))
    }

    @Test func badInputNamesFileAndField() throws {
        let cases: [(String, String)] = [
            (#"{"A":[[1],[2]],"b":[0],"x_lower":[0],"x_upper":[1],"c":[1,2]}"#, #"in.json: field "b": has 1 entries, A has 2 rows"#),
            (#"{"A":[[1],[2]],"b":[0,0],"x_lower":[1],"x_upper":[0],"c":[1,2]}"#, #"in.json: field "x_lower"[0]: lower bound 1.0 > upper bound 0.0"#),
            (#"{"A":[[1],[2]],"b":[0,0],"x_lower":[0],"x_upper":[1],"c":[1]}"#, #"in.json: field "c": has 1 entries but "A" has 2 rows"#),
            (#"{"A":[[1],[2]],"b":[0,0],"x_lower":[0],"x_upper":[1,2],"c":[1,2]}"#, #"in.json: field "x_upper": has 2 entries, x_lower has 1"#),
            (#"{"A":[[1,3],[2,1]],"b":[0,0],"x_lower":[0],"x_upper":[1],"c":[1,2]}"#, #"in.json: field "A"[0]: row has 2 entries, x_lower has 1"#),
            // Issue 15: scores overflowing Double trapped the vertex bound; huge c trapped it too.
            (#"{"A":[[1e200,1],[1,-1e200]],"b":[0,0],"x_lower":[-1e200,-1],"x_upper":[1e200,1],"c":[1,-1]}"#,
             #"in.json: field "A"[0]: the score A x + b of this row overflows Double over the input box (|A| |x| too large)"#),
            (#"{"A":[[1],[2]],"b":[0,0],"x_lower":[0],"x_upper":[1],"c":[1e308,2]}"#, #"in.json: field "c"[0]: magnitude above 1e300 is not supported"#),
        ]
        for (text, message) in cases {
            do {
                _ = try JointLPInput(document: try Self.doc(text))
                Issue.record("accepted bad input \(text)")
            } catch let error as InputError {
                #expect(error.description == message)
                #expect(error.exitCode == .badInput)
            } catch {
                Issue.record("unexpected error \(error)")
            }
        }
        // The library entry point throws for the same inputs (it used to trap).
        #expect(throws: SoftmaxLPInputError.self) {
            _ = try JointLP.objective(c: [1, -1], A: [[1e200, 1], [1, -1e200]], b: [0, 0], xLower: [-1e200, -1], xUpper: [1e200, 1])
        }
        #expect(throws: SoftmaxLPInputError.self) {
            _ = try JointLP.objective(c: [1e308, 2], A: [[1], [2]], b: [0, 0], xLower: [0], xUpper: [1])
        }
        do {
            _ = try JointLPInput(document: try Self.doc(#"{"A":[[1]],"b":[0],"x_lower":[0],"x_upper":[1],"c":[1],"lower":[0]}"#))
            Issue.record("unknown field accepted")
        } catch let error as InputError {
            #expect(error.exitCode == .badInput)
            #expect(error.description.contains("lower"))
        } catch {
            Issue.record("unexpected error \(error)")
        }
    }

    /// Issue 15: scores A x + b finite but s/T overflowing (T = 1e-300) trapped in the
    /// attained-value evaluation. Now finite ends that enclose the value at the box centre.
    @Test func tinyTemperatureWithHugeScores() throws {
        let c = [1.0, -1, 0.5]
        let A = [[1e150, 1e-150, 3], [1e-150, -1e150, 2], [1, 1, 1e150]], b = [0, 1e150, 0]
        let r = try JointLP.objective(c: c, A: A, b: b, xLower: [-1e100, -1, -1e-100], xUpper: [1e100, 1, 1e-100], temperature: 1e-300)
        let ends = [r.minimum.lower, r.minimum.upper, r.maximum.lower, r.maximum.upper]
        #expect(ends.allSatisfy { $0.isFinite } && r.minimum.lower <= r.minimum.upper && r.maximum.lower <= r.maximum.upper, "\(r)")
        // At x = 0 the scores are (0, 1e150, 0)/T: p = e_1 exactly up to e^{-1e450}, value -1.
        #expect(r.minimum.lower <= -1 && r.maximum.upper >= -1, "\(r)")
        #expect(r.minimum.lower >= -1 - 1e-12 && r.maximum.upper <= 1 + 1e-12, "\(r)")
    }
}
