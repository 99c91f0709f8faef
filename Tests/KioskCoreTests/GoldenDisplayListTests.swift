import Foundation
import HallAPI
import XCTest
@testable import KioskCore

/// Golden display lists: each main screen at 1080×1920, 1920×1080 and 1280×800 in zh and en.
/// Re-record with `RECORD_GOLDEN=1 swift test --filter KioskCoreTests.GoldenDisplayListTests`.
final class GoldenDisplayListTests: XCTestCase {
    static let sourceDirectory = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Golden")
    static var recording: Bool { ProcessInfo.processInfo.environment["RECORD_GOLDEN"] == "1" }

    func testMainScreensMatchTheirGoldenFiles() throws {
        var cases: [(String, KioskHarness)] = []
        for scenario in Scenario.golden {
            for size in Scenario.sizes {
                for language in Language.allCases {
                    let name = "\(scenario.rawValue)-\(Int(size.width))x\(Int(size.height))-\(language.rawValue)"
                    cases.append((name, scenario.harness(size: size, language: language)))
                }
            }
        }
        let portrait = Size(width: 1080, height: 1920)
        cases.append(("home-1080x1920-zh-large", Scenario.home.harness(size: portrait, language: .zh, largeText: true)))
        cases.append(("home-1080x1920-zh-contrast",
                      Scenario.home.harness(size: portrait, language: .zh, highContrast: true)))
        cases.append(("ratingCode-1080x1920-zh-large", Scenario.ratingCode.harness(size: portrait, language: .zh, largeText: true)))
        cases.append(("home-1280x800-en-large",
                      Scenario.home.harness(size: Size(width: 1280, height: 800), language: .en, largeText: true)))
        cases.append(("homeGroup-1280x800-en", Scenario.homeGroup.harness(size: Size(width: 1280, height: 800), language: .en)))
        cases.append(("ticketPrintFailed-1080x1920-zh", Scenario.ticketPrintFailed.harness(size: portrait, language: .zh)))
        for language in Language.allCases {
            cases.append(("homeNotice-1080x1920-\(language.rawValue)", Scenario.homeNotice.harness(size: portrait, language: language)))
            cases.append(("homeNotice-1080x1920-\(language.rawValue)-large",
                          Scenario.homeNotice.harness(size: portrait, language: language, largeText: true)))
            cases.append(("closedTomorrow-1080x1920-\(language.rawValue)", Scenario.closedTomorrow.harness(size: portrait, language: language)))
            cases.append(("ratingBreak-1280x800-\(language.rawValue)",
                          Scenario.ratingBreak.harness(size: Size(width: 1280, height: 800), language: language)))
        }
        cases.append(("issueFailed-1920x1080-en", Scenario.issueFailed.harness(size: Size(width: 1920, height: 1080),
                                                                                language: .en)))

        var mismatches: [String] = []
        for (name, kiosk) in cases {
            let dump = kiosk.display.textDump
            let file = Self.sourceDirectory.appendingPathComponent(name + ".txt")
            if Self.recording {
                try dump.write(to: file, atomically: true, encoding: .utf8)
                continue
            }
            let expected = try goldenText(name)
            if expected != dump {
                mismatches.append(name)
                let firstDifference = zip(expected.split(separator: "\n"), dump.split(separator: "\n"))
                    .first { $0 != $1 }
                XCTFail("\(name) differs from its golden file (re-record with RECORD_GOLDEN=1 if intended); first "
                    + "difference: expected [\(firstDifference?.0 ?? "")] got [\(firstDifference?.1 ?? "")]")
            }
        }
        XCTAssertEqual(mismatches, [])
    }

    private func goldenText(_ name: String) throws -> String {
        let bundled = Bundle.module.url(forResource: name, withExtension: "txt", subdirectory: "Golden")
        let url = bundled ?? Self.sourceDirectory.appendingPathComponent(name + ".txt")
        guard let data = FileManager.default.contents(atPath: url.path), let text = String(data: data, encoding: .utf8) else {
            throw GoldenFileMissing(description: "golden file \(name).txt is missing; record it with RECORD_GOLDEN=1")
        }
        return text
    }

    /// With `KIOSK_DUMP_DIR=/some/dir`, writes every scenario at every size, language and text
    /// mode there (for looking at layouts; not compared).
    func testDumpEveryScenarioWhenAsked() throws {
        guard let directory = ProcessInfo.processInfo.environment["KIOSK_DUMP_DIR"] else { return }
        for scenario in Scenario.allCases {
            for size in Scenario.sizes + Scenario.extraSizes {
                for language in Language.allCases {
                    for largeText in [false, true] {
                        let kiosk = scenario.harness(size: size, language: language, largeText: largeText)
                        let name = "\(scenario.rawValue)-\(Int(size.width))x\(Int(size.height))-\(language.rawValue)"
                            + (largeText ? "-large" : "") + ".txt"
                        try kiosk.display.textDump.write(to: URL(fileURLWithPath: directory).appendingPathComponent(name),
                                                         atomically: true, encoding: .utf8)
                    }
                }
            }
        }
    }
}

/// A golden display list that is not in the repository fails the test (it is not skipped).
struct GoldenFileMissing: Error, CustomStringConvertible {
    let description: String
}
