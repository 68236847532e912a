import XCTest
@testable import CertmaxBounds

/// Placeholder so the test target exists while the module is filled in.
final class CertmaxBoundsModuleTests: XCTestCase {
    func testModuleBuilds() { XCTAssertTrue(true) }
}
