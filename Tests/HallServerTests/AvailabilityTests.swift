import Foundation
import HallAPI
@testable import HallServer
import XCTest

/// The pure opening-hours rules, minute by minute.
final class AvailabilityTests: XCTestCase {
    var hall: Hall!

    override func setUpWithError() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("avail-\(UUID().uuidString).toml").path
        try TestHallConfig.toml().write(toFile: path, atomically: true, encoding: .utf8)
        hall = try HallConfig.load(from: path).1
    }

    func decide(_ hour: Int, _ minute: Int = 0, service: String = "hukou", day: String = "2026-11-23", weekday: Int = 2,
                paused: Bool = false, issued: Int = 0) -> ServiceAvailability {
        ServiceAvailability.decide(service: hall.service(service)!, closedDates: hall.closedDates,
                                   at: HallMoment(day: day, weekday: weekday, minute: hour * 60 + minute), paused: paused, issuedToday: issued)
    }

    func testOpeningHoursLunchAndStopBeforeClosing() {
        XCTAssertEqual(decide(8, 29).reason, .beforeOpening)
        XCTAssertEqual(decide(8, 29).opensAt, "08:30")
        XCTAssertEqual(decide(8, 30).state, .open)
        XCTAssertEqual(decide(11, 44).state, .open)
        XCTAssertEqual(decide(11, 45).reason, .issuingStopped, "15 minutes before the morning session closes")
        XCTAssertEqual(decide(11, 45).opensAt, "13:30")
        XCTAssertEqual(decide(12, 30).reason, .betweenSessions)
        XCTAssertEqual(decide(12, 30).opensAt, "13:30")
        XCTAssertEqual(decide(13, 30).state, .open)
        XCTAssertEqual(decide(16, 50).reason, .issuingStopped)
        XCTAssertNil(decide(16, 50).opensAt)
        XCTAssertEqual(decide(17, 0).reason, .afterClosing)
        XCTAssertEqual(decide(9).todayHours, [OpeningSession(start: "08:30", end: "12:00"), OpeningSession(start: "13:30", end: "17:00")])
    }

    func testWeekendClosedDateQuotaAndPause() {
        XCTAssertEqual(decide(10, day: "2026-11-22", weekday: 1).reason, .noSessionToday)
        XCTAssertEqual(decide(10, day: "2026-10-01", weekday: 5).reason, .closedDate)
        XCTAssertEqual(decide(10, service: "social", issued: 3).state, .quotaReached)
        XCTAssertEqual(decide(10, service: "social", issued: 2).state, .open)
        XCTAssertEqual(decide(10, paused: true).state, .paused)
        XCTAssertEqual(decide(23, 59, service: "bulk", day: "2026-11-22", weekday: 1).state, .open, "own round-the-clock hours")
    }

    func testHallDayIsInTheHallsTimeZone() {
        let clock = HallClock(timeZone: TimeZone(identifier: "Asia/Shanghai")!)
        // 2026-11-22 16:30 UTC is 2026-11-23 00:30 in Beijing.
        let m = clock.moment(Date(timeIntervalSince1970: 1_795_365_000))
        XCTAssertEqual(m.day, "2026-11-23")
        XCTAssertEqual(m.minute, 30)
        XCTAssertEqual(m.weekday, 2)
    }

    func testRFC3339RoundTripsWithOffset() {
        let d = Date(timeIntervalSince1970: 1_795_365_000.25)
        let text = RFC3339.format(d, in: TimeZone(identifier: "Asia/Shanghai")!)
        XCTAssertEqual(text, "2026-11-23T00:30:00.250+08:00")
        XCTAssertEqual(RFC3339.parse(text)?.timeIntervalSince1970, d.timeIntervalSince1970)
        XCTAssertEqual(RFC3339.parse("2026-11-22T16:30:00Z")?.timeIntervalSince1970, 1_795_365_000)
        XCTAssertNil(RFC3339.parse("2026-11-22 16:30"))
        XCTAssertNil(RFC3339.parse("2026-13-22T16:30:00Z"))
    }
}
