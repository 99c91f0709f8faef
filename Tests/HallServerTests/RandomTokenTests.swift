@testable import HallServer
import XCTest

/// Tokens in links and cookies: base64url without padding, the same bytes always giving the same token.
final class RandomTokenTests: XCTestCase {
    struct FixedBytes: RandomSource {
        var value: [UInt8]
        func bytes(_ count: Int) -> [UInt8] { Array(value.prefix(count)) }
    }

    func testTokensAreBase64URLWithoutPadding() {
        // 0xFB 0xFF 0xBF encodes to "+/+/" in base64: every character that base64url replaces.
        let token = FixedBytes(value: [0xFB, 0xFF, 0xBF, 0xFB, 0xFF, 0xBF, 0x00, 0x10]).urlSafeToken(byteCount: 8)
        XCTAssertEqual(token, "-_-_-_-_ABA")
        XCTAssertEqual(SystemRandom().urlSafeToken().count, 24, "18 bytes → 24 characters")
        for _ in 0..<200 {
            let random = SystemRandom().urlSafeToken(byteCount: 17)
            XCTAssertTrue(random.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-" || $0 == "_") }, random)
        }
    }
}
