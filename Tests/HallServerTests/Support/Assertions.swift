import XCTest

/// `XCTAssertEqual` for values computed with `await` (XCTest's autoclosures cannot await).
func assertEq<T: Equatable>(_ a: T, _ b: T, _ message: String = "", file: StaticString = #filePath, line: UInt = #line) {
    XCTAssertEqual(a, b, message, file: file, line: line)
}

/// `XCTAssertNil` for values computed with `await`.
func assertNone<T>(_ a: T?, _ message: String = "", file: StaticString = #filePath, line: UInt = #line) {
    XCTAssertNil(a, message, file: file, line: line)
}
