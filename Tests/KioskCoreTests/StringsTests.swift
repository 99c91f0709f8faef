import Foundation
import HallAPI
import HallTestSupport
import XCTest
@testable import KioskCore

final class StringsTests: XCTestCase {
    func testBothCataloguesHoldExactlyTheKeysTheCodeUses() throws {
        let strings = try Strings.bundled()
        let used = Set(StringKey.allCases.map(\.rawValue))
        for language in Language.allCases {
            let keys = Set(strings.catalogues[language]?.keys ?? [:].keys)
            XCTAssertEqual(keys.subtracting(used), [], "\(language): keys no code uses")
            XCTAssertEqual(used.subtracting(keys), [], "\(language): keys missing from the catalogue")
        }
        XCTAssertEqual(Set(strings.catalogues[.zh]?.keys ?? [:].keys), Set(strings.catalogues[.en]?.keys ?? [:].keys))
    }

    func testPlaceholdersMatchBetweenLanguages() throws {
        let strings = try Strings.bundled()
        for key in StringKey.allCases {
            XCTAssertEqual(placeholders(strings.text(key, .zh)), placeholders(strings.text(key, .en)), key.rawValue)
            XCTAssertFalse(strings.text(key, .zh).isEmpty, key.rawValue)
            XCTAssertFalse(strings.text(key, .en).isEmpty, key.rawValue)
        }
    }

    func testSubstitution() throws {
        let strings = try Strings.bundled()
        XCTAssertEqual(strings.text(.serviceWaiting, .zh, ["count": "5", "wait": "15 分钟"]), "等候 5 人 · 约 15 分钟")
        XCTAssertEqual(strings.text(.serviceWaiting, .en, ["count": "5", "wait": "15 min"]), "5 waiting · about 15 min")
        XCTAssertEqual(Strings.substitute("{a} and {b} {", ["a": "1"]), "1 and {b} {")
    }

    func testWordsForWaitsAndReasons() throws {
        let words = Wording(strings: try Strings.bundled(), language: .zh)
        XCTAssertEqual(words.waiting(count: 0, minutes: 0), "现在无需等候")
        XCTAssertEqual(words.waiting(count: 12, minutes: 75), "等候 12 人 · 约 1 小时 15 分钟")
        XCTAssertEqual(words.duration(minutes: 120), "2 小时")
        XCTAssertEqual(words.unavailableReason(DemoHall.services[5]), "暂停取号")
        // A clerk's reason and expected reopening (the hall's time zone).
        var paused = DemoHall.services[5]
        paused.pauseReason = "系统维护"
        XCTAssertEqual(words.unavailableReason(paused), "暂停取号：系统维护")
        paused.pausedUntil = DemoHall.morning.addingTimeInterval(3600)
        let shanghai = TimeZone(identifier: "Asia/Shanghai")!
        XCTAssertEqual(words.unavailableReason(paused, timeZone: shanghai),
                       "暂停取号：系统维护，约 \(Wording.clock(DemoHall.morning.addingTimeInterval(3600), in: shanghai)) 恢复")
        XCTAssertEqual(Wording(strings: try Strings.bundled(), language: .en).unavailableReason(paused, timeZone: shanghai),
                       "Paused: 系统维护; back about \(Wording.clock(DemoHall.morning.addingTimeInterval(3600), in: shanghai))")
        XCTAssertEqual(words.unavailableReason(DemoHall.services[6]), "13:30 开始取号")
        XCTAssertEqual(words.unavailableReason(DemoHall.services[8]), "今日号源已满")
        var stopped = DemoHall.services[0]
        stopped.state = .closed
        stopped.reason = .issuingStopped
        XCTAssertEqual(words.unavailableReason(stopped), "今日已停止取号")
        XCTAssertEqual(words.date(DemoHall.morning, in: TimeZone(identifier: "Asia/Shanghai") ?? .current),
                       "11月22日 星期日")
        let english = Wording(strings: try Strings.bundled(), language: .en)
        XCTAssertEqual(english.date(DemoHall.morning, in: TimeZone(identifier: "Asia/Shanghai") ?? .current),
                       "Sunday 22 November")
    }

    func testMissingCatalogueIsNamed() {
        XCTAssertThrowsError(try Strings.load(directory: URL(fileURLWithPath: "/nonexistent"))) { error in
            XCTAssertTrue("\(error)".contains("/nonexistent/zh-Hans.json"), "\(error)")
        }
    }

    private func placeholders(_ text: String) -> Set<String> {
        var names: Set<String> = []
        var rest = Substring(text)
        while let open = rest.firstIndex(of: "{"), let close = rest[open...].firstIndex(of: "}") {
            names.insert(String(rest[rest.index(after: open)..<close]))
            rest = rest[rest.index(after: close)...]
        }
        return names
    }
}
