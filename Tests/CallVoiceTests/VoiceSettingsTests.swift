@testable import CallVoice
import Foundation
import XCTest

/// `[voice]` as written → settings, and the messages for what cannot be used.
final class VoiceSettingsTests: XCTestCase {
    func testNoVoiceTableGivesTheDefaults() throws {
        let s = try VoiceSettings.make(nil)
        XCTAssertTrue(s.enabled)
        XCTAssertEqual(s.volume, 80)
        XCTAssertEqual(s.zhTemplate.source, "请 {number} 号 到 {window} 号窗口 办理")
        XCTAssertEqual(s.zhRepeats, 2)
        XCTAssertFalse(s.english)
        XCTAssertEqual(s.enTemplate.source, "Number {number}, please go to window {window}")
        XCTAssertEqual(s.readNumber, .digits)
        XCTAssertTrue(s.chime)
        XCTAssertNil(s.quietHours)
        XCTAssertEqual(s.repeatPauseMs, 800)
        XCTAssertNil(s.packPath)
        XCTAssertEqual(s.staleAfterSeconds, 60)
        XCTAssertEqual(try VoiceSettings.make(VoiceConfig()), s, "an empty [voice] table is the defaults too")
    }

    func testEveryKeyIsTaken() throws {
        let s = try VoiceSettings.make(VoiceConfig(
            enabled: false, volume: 55, zhTemplate: "请{number}号到第{window}窗口办理", zhRepeats: 3, english: true,
            enTemplate: "Ticket {number}, window {window}", readNumber: "number", chime: false, quietHours: "22:00-07:00",
            repeatPauseMs: 300, pack: "/srv/voice"))
        XCTAssertFalse(s.enabled)
        XCTAssertEqual(s.volume, 55)
        XCTAssertEqual(s.zhTemplate.pieces, [.text("请"), .number, .text("号到第"), .window, .text("窗口办理")])
        XCTAssertEqual(s.zhRepeats, 3)
        XCTAssertTrue(s.english)
        XCTAssertEqual(s.enTemplate.pieces, [.text("Ticket "), .number, .text(", window "), .window])
        XCTAssertEqual(s.readNumber, .number)
        XCTAssertFalse(s.chime)
        XCTAssertEqual(s.quietHours?.description, "22:00-07:00")
        XCTAssertEqual(s.repeatPauseMs, 300)
        XCTAssertEqual(s.packPath, "/srv/voice")
    }

    func testBadValuesNameTheKeyTheValueAndTheFix() {
        let cases: [(VoiceConfig, String, [String])] = [
            (VoiceConfig(volume: 0), "voice.volume", ["0", "1…100", "enabled = false"]),
            (VoiceConfig(volume: 150), "voice.volume", ["150"]),
            (VoiceConfig(zhTemplate: "请 {numbr} 号"), "voice.zhTemplate", ["{numbr}", "{number}"]),
            (VoiceConfig(zhTemplate: "请到 {window} 号窗口"), "voice.zhTemplate", ["never says the ticket number", "{number}"]),
            (VoiceConfig(zhTemplate: "请 {number 号"), "voice.zhTemplate", ["unmatched brace"]),
            (VoiceConfig(enTemplate: "Number } {number}"), "voice.enTemplate", ["unmatched brace"]),
            (VoiceConfig(zhRepeats: 0), "voice.zhRepeats", ["0", "1…5"]),
            (VoiceConfig(readNumber: "digit"), "voice.readNumber", ["'digit'", "\"digits\"", "\"number\""]),
            (VoiceConfig(quietHours: "22-7"), "voice.quietHours", ["'22-7'", "\"22:00-07:00\""]),
            (VoiceConfig(quietHours: "25:00-07:00"), "voice.quietHours", ["25:00"]),
            (VoiceConfig(quietHours: "08:00-08:00"), "voice.quietHours", ["two different times"]),
            (VoiceConfig(repeatPauseMs: -1), "voice.repeatPauseMs", ["-1", "0…5000"]),
            (VoiceConfig(pack: " "), "voice.pack", ["empty"]),
        ]
        for (config, key, words) in cases {
            do {
                _ = try VoiceSettings.make(config)
                XCTFail("\(config) was taken")
            } catch {
                let message = error.description
                XCTAssertTrue(message.hasPrefix(key + ": "), message)
                for word in words { XCTAssertTrue(message.contains(word), "\(message) should say \(word)") }
            }
        }
    }

    func testQuietHoursAcrossMidnightAndWithinADay() throws {
        let zone = try XCTUnwrap(TimeZone(identifier: "Asia/Shanghai"))
        func at(_ hour: Int, _ minute: Int) -> Date {
            var c = DateComponents(year: 2026, month: 12, day: 6, hour: hour, minute: minute)
            c.timeZone = zone
            return Calendar(identifier: .gregorian).date(from: c)!
        }
        let night = try XCTUnwrap(QuietHours("22:00 - 07:00"))
        XCTAssertTrue(night.contains(at(22, 0), timeZone: zone))
        XCTAssertTrue(night.contains(at(23, 59), timeZone: zone))
        XCTAssertTrue(night.contains(at(0, 0), timeZone: zone))
        XCTAssertTrue(night.contains(at(6, 59), timeZone: zone))
        XCTAssertFalse(night.contains(at(7, 0), timeZone: zone))
        XCTAssertFalse(night.contains(at(21, 59), timeZone: zone))
        XCTAssertFalse(night.contains(at(12, 0), timeZone: zone))
        let lunch = try XCTUnwrap(QuietHours("12:00-13:30"))
        XCTAssertTrue(lunch.contains(at(12, 0), timeZone: zone))
        XCTAssertTrue(lunch.contains(at(13, 29), timeZone: zone))
        XCTAssertFalse(lunch.contains(at(13, 30), timeZone: zone))
        XCTAssertFalse(lunch.contains(at(11, 59), timeZone: zone))
        XCTAssertFalse(lunch.contains(at(12, 0), timeZone: TimeZone(identifier: "UTC")!), "read in the hall's time zone")
        for bad in ["", "22:00", "22:00-", "7-8", "22:00-07:00-08:00", "aa:00-07:00", "22:60-07:00", "-1:00-07:00"] {
            XCTAssertNil(QuietHours(bad), bad)
        }
    }
}
