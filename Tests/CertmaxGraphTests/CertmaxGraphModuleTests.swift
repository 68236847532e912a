import XCTest
@testable import CertmaxGraph

/// Placeholder so the test target exists while the module is filled in.
final class CertmaxGraphModuleTests: XCTestCase {
    func testModuleBuilds() { XCTAssertTrue(true) }
}
