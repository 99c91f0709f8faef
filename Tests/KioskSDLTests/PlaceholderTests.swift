import XCTest
@testable import KioskSDL
final class KioskSDLPlaceholderTests: XCTestCase { func testLinks() {} }
