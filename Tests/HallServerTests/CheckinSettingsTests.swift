import Foundation
import HallAPI
@testable import HallServer
import XCTest

/// `[identity]`, `[appointments]` and the services' per-person keys: defaults, every key taken, and refusals that name
/// the key and the fix.
final class CheckinSettingsTests: XCTestCase {
    private func load(_ text: String) throws -> Hall {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("checkin-cfg-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let path = folder + "/hall.toml"
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        return try HallConfig.load(from: path).1
    }

    private func refusal(_ text: String) -> String {
        do { _ = try load(text); return "accepted" } catch { return "\(error)" }
    }

    func testDefaults() throws {
        let hall = try load(TestHallConfig.toml())
        XCTAssertNil(hall.identityKeyFile, "no key file: card and appointment features are off")
        XCTAssertEqual(hall.appointments, AppointmentRules())
        let rules = hall.appointments
        XCTAssertEqual([Int(rules.checkinOpensSecondsBefore), Int(rules.checkinClosesSecondsAfter)], [3600, 900])
        XCTAssertEqual(rules.lateArrival, .normalQueue)
        XCTAssertEqual([rules.slotMinutes, rules.horizonWorkingDays, rules.perPersonPerDay, rules.noShowLimit, rules.noShowWindowDays,
                        rules.banDays, rules.appointmentsInARow], [30, 5, 1, 2, 30, 30, 2])
        XCTAssertTrue(hall.services.allSatisfy { $0.personRules == PersonRules() })
    }

    func testEveryKeyIsTaken() throws {
        let text = TestHallConfig.toml().replacingOccurrences(of: "dailyQuota = 3", with: """
            dailyQuota = 3
            requiresIdCard = true
            dailyLimitPerPerson = 2
            appointmentCapacity = 4
            """) + """

            [identity]
            keyFile = "keys/identity.keys"

            [appointments]
            checkinOpensMinutesBefore = 30
            checkinClosesMinutesAfter = 10
            lateArrival = "refuse"
            integrationToken = "platform-token-0123456789"
            slotMinutes = 20
            horizonWorkingDays = 10
            perPersonPerDay = 2
            cancelBeforeMinutes = 60
            noShowLimit = 3
            noShowWindowDays = 60
            banDays = 90
            appointmentsInARow = 3
            """
        let hall = try load(text)
        XCTAssertTrue(hall.identityKeyFile?.hasSuffix("/keys/identity.keys") == true, "\(hall.identityKeyFile ?? "nil")")
        XCTAssertTrue(hall.identityKeyFile?.hasPrefix("/") == true, "resolved against the config folder")
        let rules = hall.appointments
        XCTAssertEqual([Int(rules.checkinOpensSecondsBefore), Int(rules.checkinClosesSecondsAfter), Int(rules.cancelBeforeSeconds)],
                       [1800, 600, 3600])
        XCTAssertEqual(rules.lateArrival, .refuse)
        XCTAssertEqual(rules.integrationTokenDigest?.count, 32)
        XCTAssertEqual([rules.slotMinutes, rules.horizonWorkingDays, rules.perPersonPerDay, rules.noShowLimit, rules.noShowWindowDays,
                        rules.banDays, rules.appointmentsInARow], [20, 10, 2, 3, 60, 90, 3])
        let limited = try XCTUnwrap(hall.services.first { $0.personRules != PersonRules() })
        XCTAssertEqual(limited.personRules, PersonRules(requiresIdCard: true, dailyLimitPerPerson: 2, appointmentCapacity: 4))
        let slot = Date(timeIntervalSince1970: 1_790_000_000)
        XCTAssertEqual(rules.checkinWindow(slotStart: slot).opens, slot.addingTimeInterval(-1800))
        XCTAssertEqual(rules.checkinWindow(slotStart: slot).closes, slot.addingTimeInterval(600))
    }

    func testRefusalsNameTheKeyAndTheFix() {
        let base = TestHallConfig.toml()
        let cases: [(String, String)] = [
            (base + "\n[appointments]\nlateArrival = \"later\"\n", "appointments.lateArrival: 'later' must be \"normalQueue\""),
            (base + "\n[appointments]\ncheckinOpensMinutesBefore = 999\n", "appointments.checkinOpensMinutesBefore: 999 is out of range 0…240"),
            (base + "\n[appointments]\nintegrationToken = \"short\"\n", "appointments.integrationToken: tokens must be at least 16 characters"),
            (base + "\n[appointments]\nbanDays = 0\n", "appointments.banDays: 0 is out of range 1…366"),
            (base + "\n[appointments]\nslotsMinutes = 10\n", "slotsMinutes"),
            (base + "\n[identity]\nkeyFile = \" \"\n", "identity.keyFile: empty"),
            (base.replacingOccurrences(of: "dailyQuota = 3", with: "dailyQuota = 3\ndailyLimitPerPerson = 0"),
             ".dailyLimitPerPerson: 0 is out of range 1…50"),
            (base.replacingOccurrences(of: "dailyQuota = 3", with: "dailyQuota = 3\nappointmentCapacity = -1"),
             ".appointmentCapacity: -1 is out of range 0…500"),
        ]
        for (text, expected) in cases {
            let answer = refusal(text)
            XCTAssertTrue(answer.contains(expected), "expected “\(expected)”, got “\(answer)”")
        }
    }
}
