import CertmaxIO
import Foundation
import Testing

/// Issue 15: /dev/null was reported as "cannot be read (permissions?)"; it is empty content.
@Suite struct DeviceInputTests {
    @Test func devNullIsEmptyContentNotAPermissionProblem() throws {
        let (data, source) = try readInputFile("/dev/null")
        #expect(data.isEmpty && source == "/dev/null")
        do {
            _ = try JSONDocument(path: "/dev/null")
            Issue.record("empty input accepted")
        } catch {
            #expect(error.exitCode == .badInput)
            #expect(error.description == "/dev/null: malformed JSON: expected a JSON value, found end of input (line 1, column 1)")
        }
    }
}
