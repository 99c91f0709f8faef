import XCTest
@testable import KioskCore
final class KioskCorePlaceholderTests: XCTestCase { func testVersion() { XCTAssertFalse(KioskCoreVersion.current.isEmpty) } }
