import XCTest
@testable import KioskApp
final class KioskAppPlaceholderTests: XCTestCase { func testLinks() {} }
