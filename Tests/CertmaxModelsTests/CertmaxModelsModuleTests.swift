import XCTest
@testable import CertmaxModels

/// Placeholder so the test target exists while the module is filled in.
final class CertmaxModelsModuleTests: XCTestCase {
    func testModuleBuilds() { XCTAssertTrue(true) }
}
