import Foundation
import HallAPI
@testable import HallServer
import XCTest

/// Given a config file, When it is loaded, Then it is accepted or refused with the key and the fix.
final class ConfigTests: XCTestCase {
    func load(_ text: String) throws -> Hall {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("cfg-\(UUID().uuidString).toml").path
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        return try HallConfig.load(from: path).1
    }

    func refusal(_ text: String) -> String {
        do {
            _ = try load(text)
            return "accepted"
        } catch {
            return "\(error)"
        }
    }

    func testDemoHallLoads() throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let (_, hall) = try HallConfig.load(from: root.appendingPathComponent("kiosk/demo/hall.toml").path)
        XCTAssertEqual(hall.id, "demo-hall")
        XCTAssertGreaterThanOrEqual(hall.services.count, 8)
        XCTAssertLessThanOrEqual(hall.services.count, 12)
        // One rating device per window, each with its config in kiosk/demo/rating-<window>.toml.
        let ratingDevices = hall.devices.filter { $0.role == .ratingDevice }
        XCTAssertEqual(Set(ratingDevices.compactMap(\.windowId)), Set(hall.windows.map(\.id)))
        for device in ratingDevices {
            let config = root.appendingPathComponent("kiosk/demo/rating-\(device.windowId ?? "").toml").path
            let text = try String(contentsOfFile: config, encoding: .utf8)
            XCTAssertTrue(text.contains("id = \"\(device.id)\""), config)
        }
        XCTAssertTrue(hall.staff.allSatisfy { $0.pinHash.matches("123456") }, "every demo PIN is 123456")
        XCTAssertEqual(Set(hall.services.compactMap { $0.group?.zh }).count >= 3, true, "a few departments")
    }

    func testTestHallLoads() throws {
        let hall = try load(TestHallConfig.toml())
        XCTAssertEqual(hall.services.map(\.prefix), ["A", "D", "X"])
        XCTAssertEqual(hall.service("hukou")?.number(forSequence: 23), "A023")
        XCTAssertEqual(hall.service("bulk")?.number(forSequence: 7), "X00007")
    }

    func testRefusalsNameTheKeyAndTheFix() {
        let base = TestHallConfig.toml()
        let cases: [(String, String)] = [
            (base.replacingOccurrences(of: "Asia/Shanghai", with: "Mars/Olympus"), "hall.timezone: 'Mars/Olympus' is not an IANA time zone"),
            (base.replacingOccurrences(of: "prefix = \"D\"", with: "prefix = \"A\""), "services[1].prefix: 'A' is already the prefix of service 'hukou'"),
            (base.replacingOccurrences(of: "services = [\"bulk\"]", with: "services = [\"nope\"]"), "windows[2].services[0]: no service has id 'nope'"),
            (base.replacingOccurrences(of: "\"08:30-12:00\", \"13:30-17:00\"], tuesday", with: "\"08:30-12:00\", \"11:30-17:00\"], tuesday"),
             "hall.hours.monday: sessions 08:30-12:00 and 11:30-17:00 overlap"),
            (base.replacingOccurrences(of: "monday = [\"08:30-12:00\"", with: "monday = [\"8h30\""), "hall.hours.monday[0]: '8h30' is not a session like \"08:30-12:00\""),
            (base.replacingOccurrences(of: "publicBaseUrl = \"http://hall.test\"", with: "publicBaseUrl = \"hall.test\""), "hall.publicBaseUrl: 'hall.test' is not an http(s) URL"),
            (base.replacingOccurrences(of: "dailyQuota = 3", with: "dailyQuota = 5000"), "services[1].dailyQuota: 5000 tickets from 1 need more than 3 digits"),
            (base.replacingOccurrences(of: "window = \"w1\"", with: "window = \"w9\""), "devices[2].window: no window has id 'w9'"),
            (base.replacingOccurrences(of: "token = \"\(TestHallConfig.kiosk2Token)\"", with: "token = \"\(TestHallConfig.kioskToken)\""), "devices[1].token: two devices share one token"),
            (base.replacingOccurrences(of: "role = \"ticketKiosk\"", with: "role = \"printer\""), "devices[0].role"),
            (base.replacingOccurrences(of: "id = \"test-hall\"\n", with: ""), "hall.id: missing; this key is required"),
            (base.replacingOccurrences(of: "averageServiceMinutes = 6", with: "averageServiceMinutes = \"six\""), "services[0].averageServiceMinutes: expected a number"),
            (base.replacingOccurrences(of: "[[windows]]\nid = \"w1\"", with: "[[windows]\nid = \"w1\""), "line "),
            (base.replacingOccurrences(of: "pinHash = \"\(TestHallConfig.pinHash)\"", with: "pinHash = \"123456\""), "staff[0].pinHash: not a hash made by `hallserver hash-secret`"),
            (base.replacingOccurrences(of: "averageServiceMinutes = 6", with: "averageServiceMinute = 6"),
             "services[0].averageServiceMinute: unknown key; did you mean 'averageServiceMinutes'? (known in [services]:"),
            (base + "\n[limit]\nperClientPerMinute = 10\n", "limit: unknown table; did you mean 'limits'?"),
            (base + "\n[limits]\nidleSecond = 10\n", "limits.idleSecond: unknown key; did you mean 'idleSeconds'?"),
            (base.replacingOccurrences(of: "role = \"ticketKiosk\"", with: "role = \"kiosk\""),
             "devices[0].role: 'kiosk' is not a device role; use \"ticketKiosk\" or \"ratingDevice\""),
            (base + "\n[console]\nnoShowAfterRecalls = 30\n", "console.noShowAfterRecalls: 30 is out of range 0…20"),
            (base + "\n[console]\nnoShowAfterMinutes = 500\n", "console.noShowAfterMinutes: 500.0 is out of range 0…120"),
            (base + "\n[console]\nnoShowUndoMinutes = -1\n", "console.noShowUndoMinutes: -1.0 is out of range 0…60"),
            (base + "\n[console]\nrequeueBehind = 99\n", "console.requeueBehind: 99 is out of range 0…50"),
            (base + "\n[console]\nbreakReasons = [\"\"]\n", "console.breakReasons[0]: '' must be 1…40 characters"),
            (base + "\n[console]\nnoShowAfterRecall = 2\n", "console.noShowAfterRecall: unknown key; did you mean 'noShowAfterRecalls'?"),
        ]
        for (text, expected) in cases {
            let message = refusal(text)
            XCTAssertTrue(message.contains(expected), "expected '\(expected)' in: \(message)")
            XCTAssertTrue(message.contains(".toml"), "the message names the file: \(message)")
        }
    }

    func testConsoleRulesHaveDefaultsAndTakeTheirKeys() throws {
        let defaults = try load(TestHallConfig.toml()).console
        XCTAssertEqual(defaults, ConsoleRules())
        XCTAssertEqual([defaults.noShowAfterRecalls, Int(defaults.noShowAfterSeconds), Int(defaults.noShowUndoSeconds), defaults.requeueBehind],
                       [2, 300, 180, 2])
        let set = try load(TestHallConfig.toml() + """

            [console]
            noShowAfterRecalls = 1
            noShowAfterMinutes = 2.5
            noShowUndoMinutes = 10
            requeueBehind = 0
            breakReasons = ["午休", "培训"]
            """).console
        XCTAssertEqual([set.noShowAfterRecalls, Int(set.noShowAfterSeconds), Int(set.noShowUndoSeconds), set.requeueBehind], [1, 150, 600, 0])
        XCTAssertEqual(set.breakReasons, ["午休", "培训"])
    }

    func testMissingFileSaysWhereToStart() {
        XCTAssertTrue(refusalOfMissing().contains("kiosk/demo/hall.toml"))
    }

    private func refusalOfMissing() -> String {
        do { _ = try HallConfig.load(from: "/nonexistent/hall.toml"); return "accepted" } catch { return "\(error)" }
    }
}
