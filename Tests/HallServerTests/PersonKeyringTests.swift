import Foundation
import HallSecrets
import XCTest

/// The identity keyring: keyed person keys that survive rotation, sealed phones, and a key file that refuses to be
/// loose or malformed.
final class PersonKeyringTests: XCTestCase {
    private let number = "11010519491231002X"
    private let now = Date(timeIntervalSince1970: 1_790_000_000)

    func testPersonKeysAreKeyedStableAndCaseBlind() {
        let ring = PersonKeyring.fresh(at: now)
        let key = ring.personKey(number)
        XCTAssertTrue(key.hasPrefix("k1:"))
        XCTAssertEqual(key, ring.personKey("11010519491231002x"), "a lower-case check character is the same person")
        XCTAssertEqual(key, ring.personKey(" \(number) "))
        XCTAssertNotEqual(key, ring.personKey("110105194912310037"))
        XCTAssertNotEqual(key, PersonKeyring.fresh(at: now).personKey(number), "another hall's key gives another value")
        XCTAssertFalse(key.contains("1949"), "nothing of the number shows through")
    }

    func testRotationKeepsOldKeysForLookups() throws {
        let ring = PersonKeyring.fresh(at: now)
        let before = ring.personKey(number)
        let rotated = ring.rotated(at: now.addingTimeInterval(86_400))
        XCTAssertEqual(rotated.current.id, "k2")
        XCTAssertTrue(rotated.personKey(number).hasPrefix("k2:"))
        XCTAssertEqual(rotated.allPersonKeys(number), [rotated.personKey(number), before], "current first, then older")
        let retired = try XCTUnwrap(rotated.retiring("k1"))
        XCTAssertEqual(retired.allPersonKeys(number), [rotated.personKey(number)])
        XCTAssertNil(rotated.retiring("k2"), "the current key cannot be retired")
        XCTAssertNil(rotated.retiring("k9"))
    }

    func testSealedTextOpensOnlyWithItsRing() throws {
        let ring = PersonKeyring.fresh(at: now)
        let sealed = ring.seal("13800138000")
        XCTAssertFalse(sealed.contains("13800138000"))
        XCTAssertNotEqual(sealed, ring.seal("13800138000"), "a fresh nonce each time")
        XCTAssertEqual(ring.open(sealed), "13800138000")
        let rotated = ring.rotated(at: now)
        XCTAssertEqual(rotated.open(sealed), "13800138000", "older keys still open older values")
        XCTAssertNil(PersonKeyring.fresh(at: now).open(sealed), "another key cannot")
        var tampered = Array(sealed)
        tampered[tampered.count - 3] = tampered[tampered.count - 3] == "A" ? "B" : "A"
        XCTAssertNil(ring.open(String(tampered)), "an altered value is refused, not misread")
        XCTAssertNil(rotated.retiring("k1")!.open(sealed), "a retired key's values no longer open")
    }

    func testTheFileRoundTripsWithModeSixHundred() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("keyring-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let path = folder + "/identity.keys"
        XCTAssertThrowsError(try PersonKeyring.load(path: path)) { error in
            XCTAssertTrue("\(error)".contains("hallserver identity new-key --file \(path)"), "\(error)")
        }
        let ring = PersonKeyring.fresh(at: now).rotated(at: now.addingTimeInterval(60))
        try ring.write(to: path)
        let attributes = try FileManager.default.attributesOfItem(atPath: path)
        XCTAssertEqual((attributes[.posixPermissions] as? NSNumber)?.intValue, 0o600)
        let loaded = try PersonKeyring.load(path: path)
        XCTAssertEqual(loaded.keys.map(\.id), ["k1", "k2"])
        XCTAssertEqual(loaded.personKey(number), ring.personKey(number))
        XCTAssertEqual(loaded.open(ring.seal("x")), "x")

        chmod(path, 0o644)
        XCTAssertThrowsError(try PersonKeyring.load(path: path)) { error in
            XCTAssertTrue("\(error)".contains("chmod 600 \(path)"), "\(error)")
        }
    }

    func testMalformedFilesNameTheLine() {
        let cases: [(String, String)] = [
            ("k1 2026-01-01T00:00:00Z\n", "line 1: three fields"),
            ("# c\nx1 2026-01-01T00:00:00Z AAAA\n", "line 2: key id `x1`"),
            ("k1 yesterday \(Data(count: 32).base64EncodedString())\n", "not an RFC 3339 time"),
            ("k1 2026-01-01T00:00:00Z AAAA\n", "not 32 bytes"),
            ("# only a comment\n", "holds no key"),
        ]
        for (text, expected) in cases {
            XCTAssertThrowsError(try PersonKeyring.parse(text, path: "/etc/k")) { error in
                XCTAssertTrue("\(error)".contains(expected), "\(text): \(error)")
            }
        }
    }
}
