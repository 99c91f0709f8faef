import Foundation
import HallAPI
@testable import HallServer
import XCTest

/// An exported hall.toml is for people: Chinese stays Chinese, escapes that matter stay escapes, secrets are hashes,
/// and the file still loads as the same hall.
final class TOMLReadableTextTests: XCTestCase {
    func testPrintableEscapesBecomeCharactersAndTheRestStays() {
        let cases: [(String, String)] = [
            (#"name = "\u6237\u7C4D""#, #"name = "户籍""#),
            (#"emoji = "\U0001F600""#, #"emoji = "😀""#),
            (#"tab = "a\u0009b""#, #"tab = "a\u0009b""#),              // a control character stays escaped
            (#"nbsp = "\u00A0""#, "nbsp = \"\u{00A0}\""),
            (#"path = "C:\\u6237""#, #"path = "C:\\u6237""#),           // an escaped backslash, then text
            (#"quote = "say \"\u4F60\"""#, #"quote = "say \"你\"""#),
            (#"literal = 'raw \u6237'"#, #"literal = 'raw \u6237'"#),   // literal strings have no escapes
            ("# comment \\u6237\nx = \"\\u6237\"", "# comment \\u6237\nx = \"户\""),
            (#"broken = "\u12""#, #"broken = "\u12""#),
        ]
        for (input, expected) in cases {
            XCTAssertEqual(TOMLReadableText.unescapingPrintableUnicode(input), expected, input)
        }
    }

    func testAnExportedHallIsReadableAndLoadsAsTheSameHall() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("toml-export-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let source = folder + "/hall.toml"
        let token = "platform-token-0123456789"
        try (TestHallConfig.toml() + "\n[appointments]\nintegrationToken = \"\(token)\"\n").write(toFile: source, atomically: true, encoding: .utf8)
        let (config, hall) = try HallConfig.load(from: source)
        let text = try config.exportTOML(version: 3, exportedAt: "2026-12-06 09:00")
        XCTAssertFalse(text.contains("\\u"), "no \\u escapes left for people to decode:\n\(text.prefix(600))")
        for service in hall.services { XCTAssertTrue(text.contains(service.name.zh), "\(service.name.zh) as written") }
        XCTAssertFalse(text.contains(token), "the platform's token only as a hash")
        XCTAssertTrue(text.contains("integrationTokenSha256"))
        let exported = folder + "/exported.toml"
        try text.write(toFile: exported, atomically: true, encoding: .utf8)
        let (_, again) = try HallConfig.load(from: exported)
        XCTAssertEqual(again.services.map(\.name), hall.services.map(\.name))
        XCTAssertEqual(again.name, hall.name)
        XCTAssertEqual(again.appointments.integrationTokenDigest, hall.appointments.integrationTokenDigest)
    }
}
