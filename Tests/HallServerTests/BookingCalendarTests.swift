import Foundation
import HallAPI
@testable import HallServer
import XCTest

/// The booking calendar and rules (issue 21): bookable days from the hall's hours, closed dates and make-up workdays in
/// the hall's time zone; slots; capacity, one booking per person per day, the cancel deadline, the no-show ban.
/// The hall: Asia/Shanghai, weekdays 08:30-12:00 and 13:30-17:00, National Day 2026-10-01…07 closed, 2026-10-10 (a
/// Saturday) a make-up workday.
final class BookingCalendarTests: XCTestCase {
    private static let shanghai = TimeZone(identifier: "Asia/Shanghai")!

    private func hall(slotMinutes: Int = 30, extra: String = "") throws -> Hall {
        let toml = TestHallConfig.toml(extraServices: """
            [[services]]
            id = "permit"
            name = { zh = "出入境", en = "Travel permits" }
            prefix = "P"
            appointmentCapacity = 4
            """)
            .replacingOccurrences(of: "closedDates = [\"2026-10-01\"]", with: """
                closedDates = ["2026-10-01", "2026-10-02", "2026-10-03", "2026-10-04", "2026-10-05", "2026-10-06", "2026-10-07"]
                workDates = ["2026-09-20", "2026-10-10"]
                """)
            + "\n\n[appointments]\nslotMinutes = \(slotMinutes)\n\(extra)\n"
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("booking-cal-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        try toml.write(toFile: folder + "/hall.toml", atomically: true, encoding: .utf8)
        return try HallConfig.load(from: folder + "/hall.toml").1
    }

    /// `day` at `hh:mm` in Beijing time.
    private static func beijing(_ day: String, _ hour: Int, _ minute: Int = 0) -> Date {
        let p = day.split(separator: "-").map { Int($0)! }
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = shanghai
        return calendar.date(from: DateComponents(year: p[0], month: p[1], day: p[2], hour: hour, minute: minute))!
    }

    func testTheHorizonSkipsClosedDatesAndCountsTheMakeUpSaturday() throws {
        let calendar = BookingCalendar(hall: try hall())
        XCTAssertEqual(calendar.bookableDays(now: Self.beijing("2026-09-30", 10)),
                       ["2026-10-08", "2026-10-09", "2026-10-10", "2026-10-12", "2026-10-13"],
                       "five working days from tomorrow: the holiday week and Sunday skipped, the make-up Saturday counted")
        XCTAssertFalse(calendar.isWorkingDay("2026-10-01"), "a closed date")
        XCTAssertFalse(calendar.isWorkingDay("2026-10-17"), "an ordinary Saturday")
        XCTAssertTrue(calendar.isWorkingDay("2026-09-20"), "a make-up Sunday")
        XCTAssertFalse(calendar.isWorkingDay("2026-02-30"), "not a date")
    }

    func testTomorrowIsTheHallsTomorrowNotUTCs() throws {
        let calendar = BookingCalendar(hall: try hall())
        // 23:59 Friday in Beijing is 15:59 UTC; one minute after midnight in Beijing is still Friday in UTC.
        XCTAssertEqual(calendar.bookableDays(now: Self.beijing("2026-10-09", 23, 59)).first, "2026-10-10")
        let afterMidnight = Self.beijing("2026-10-10", 0, 1)
        XCTAssertEqual(ISO8601DateFormatter().string(from: afterMidnight), "2026-10-09T16:01:00Z")
        XCTAssertEqual(calendar.bookableDays(now: afterMidnight).first, "2026-10-12", "today (the make-up Saturday) is not bookable")
    }

    func testSlotsFollowTheServiceHoursAndTheMakeUpDayHasMondayHours() throws {
        let h = try hall()
        let calendar = BookingCalendar(hall: h)
        let permit = h.service("permit")!
        let saturday = calendar.slots(of: permit, on: "2026-10-10")
        XCTAssertEqual(saturday.map(\.label), ["08:30-09:00", "09:00-09:30", "09:30-10:00", "10:00-10:30", "10:30-11:00", "11:00-11:30",
                                               "11:30-12:00", "13:30-14:00", "14:00-14:30", "14:30-15:00", "15:00-15:30", "15:30-16:00",
                                               "16:00-16:30", "16:30-17:00"])
        XCTAssertEqual(saturday.first?.start, ISO8601DateFormatter().date(from: "2026-10-10T00:30:00Z"), "08:30 in Beijing")
        XCTAssertEqual(saturday.last?.end, ISO8601DateFormatter().date(from: "2026-10-10T09:00:00Z"))
        XCTAssertTrue(saturday.allSatisfy { $0.capacity == 4 && $0.day == "2026-10-10" })
        XCTAssertEqual(calendar.slots(of: permit, on: "2026-10-01"), [], "closed date")
        XCTAssertEqual(calendar.slots(of: permit, on: "2026-10-17"), [], "ordinary Saturday")
        XCTAssertEqual(calendar.slots(of: h.service("hukou")!, on: "2026-10-12"), [], "appointmentCapacity 0: not bookable on the page")
        XCTAssertEqual(calendar.slot(of: permit, startingAt: Self.beijing("2026-10-12", 14))?.label, "14:00-14:30")
        XCTAssertNil(calendar.slot(of: permit, startingAt: Self.beijing("2026-10-12", 14, 10)), "not a slot start")
    }

    func testATailShorterThanASlotIsNotOffered() throws {
        let h = try hall(slotMinutes: 45)
        let labels = BookingCalendar(hall: h).slots(of: h.service("permit")!, on: "2026-10-12").map(\.label)
        XCTAssertEqual(labels, ["08:30-09:15", "09:15-10:00", "10:00-10:45", "10:45-11:30", "13:30-14:15", "14:15-15:00", "15:00-15:45",
                                "15:45-16:30"])
    }

    func testTheSlotAskedForIsRefusedWithItsReason() throws {
        let rules = BookingRules(hall: try hall())
        let now = Self.beijing("2026-09-30", 10)
        func refusal(_ service: String, _ start: Date) -> APIErrorKind? {
            do { _ = try rules.slot(serviceId: service, start: start, now: now); return nil } catch { return error.kind }
        }
        XCTAssertNil(refusal("permit", Self.beijing("2026-10-10", 9)))
        XCTAssertNil(refusal("permit", Self.beijing("2026-10-13", 16, 30)), "the last slot of the fifth working day")
        XCTAssertEqual(refusal("permit", Self.beijing("2026-10-14", 9)), .bookingOutOfRange, "the sixth working day")
        XCTAssertEqual(refusal("permit", Self.beijing("2026-09-30", 16)), .bookingOutOfRange, "today")
        XCTAssertEqual(refusal("permit", Self.beijing("2026-10-02", 9)), .bookingOutOfRange, "closed date")
        XCTAssertEqual(refusal("permit", Self.beijing("2026-10-12", 9, 10)), .bookingOutOfRange, "not a slot start")
        XCTAssertEqual(refusal("permit", Self.beijing("2026-10-12", 12, 30)), .bookingOutOfRange, "lunch break")
        XCTAssertEqual(refusal("hukou", Self.beijing("2026-10-12", 9)), .bookingOutOfRange, "not bookable on the page")
        XCTAssertEqual(refusal("nope", Self.beijing("2026-10-12", 9)), .unknownService)
        do {
            _ = try rules.slot(serviceId: "permit", start: Self.beijing("2026-10-14", 9), now: now)
        } catch {
            XCTAssertTrue(error.message.contains("2026-10-08…2026-10-13"), "the refusal names the horizon: \(error.message)")
        }
    }

    func testCapacityOneBookingPerDayAndTheBan() throws {
        let rules = BookingRules(hall: try hall())
        let now = Self.beijing("2026-09-30", 10)
        let slot = try rules.slot(serviceId: "permit", start: Self.beijing("2026-10-12", 9), now: now)
        func refusal(taken: Int, mine: Int) -> APIErrorKind? {
            do { try rules.checkPlace(slot, slotTaken: taken, personThatDay: mine); return nil } catch { return error.kind }
        }
        XCTAssertNil(refusal(taken: 3, mine: 0), "the fourth place of four")
        XCTAssertEqual(refusal(taken: 4, mine: 0), .slotFull)
        XCTAssertEqual(refusal(taken: 0, mine: 1), .bookingLimitReached)
        XCTAssertNoThrow(try rules.checkBan(noShows: [Self.beijing("2026-09-01", 9)], now: now))
        XCTAssertThrowsError(try rules.checkBan(noShows: [Self.beijing("2026-09-01", 9), Self.beijing("2026-09-20", 9)], now: now)) { error in
            XCTAssertEqual((error as? BookingRefusal)?.kind, .bookingBanned)
            XCTAssertEqual((error as? BookingRefusal)?.at, Self.beijing("2026-10-20", 9), "30 days from the last no-show")
        }
        let two = BookingRules(hall: try hall(extra: "perPersonPerDay = 2"))
        XCTAssertNoThrow(try two.checkPlace(slot, slotTaken: 0, personThatDay: 1), "perPersonPerDay = 2")
    }

    func testCancelUntilTwoHoursBefore() throws {
        let rules = BookingRules(hall: try hall())
        let start = Self.beijing("2026-10-12", 14)
        XCTAssertNoThrow(try rules.checkCancel(slotStart: start, now: Self.beijing("2026-10-12", 12)), "exactly two hours before")
        XCTAssertThrowsError(try rules.checkCancel(slotStart: start, now: Self.beijing("2026-10-12", 12, 1))) { error in
            XCTAssertEqual((error as? BookingRefusal)?.kind, .cancelTooLate)
            XCTAssertEqual((error as? BookingRefusal)?.at, Self.beijing("2026-10-12", 12))
        }
        let longer = BookingRules(hall: try hall(extra: "cancelBeforeMinutes = 1440"))
        XCTAssertThrowsError(try longer.checkCancel(slotStart: start, now: Self.beijing("2026-10-11", 14, 1)), "a day before, configured")
    }

    func testNoShowsWithinTheWindowBanFromTheLastOne() throws {
        let ban = NoShowBan(rules: try hall().appointments)  // 2 within 30 days → 30 days
        let d = { (day: String) in Self.beijing(day, 9) }
        XCTAssertNil(ban.bannedUntil(noShows: [d("2026-09-01")], now: d("2026-09-02")), "one no-show")
        XCTAssertEqual(ban.bannedUntil(noShows: [d("2026-09-20"), d("2026-09-01")], now: d("2026-10-19")), d("2026-10-20"))
        XCTAssertNil(ban.bannedUntil(noShows: [d("2026-09-01"), d("2026-09-20")], now: d("2026-10-20")), "the ban has ended")
        XCTAssertNil(ban.bannedUntil(noShows: [d("2026-08-01"), d("2026-09-05")], now: d("2026-09-06")), "35 days apart: no run")
        // An earlier run's ban still counts when a later lone no-show starts none.
        let three = [d("2026-08-01"), d("2026-08-20"), d("2026-10-01")]
        XCTAssertEqual(ban.bannedUntil(noShows: three, now: d("2026-09-10")), d("2026-09-19"))
        XCTAssertNil(ban.bannedUntil(noShows: three, now: d("2026-10-02")), "42 days after the run: no new ban")
        XCTAssertEqual(ban.lookBack(from: d("2026-10-02")), d("2026-08-03"), "ban days + window days back")
        let never = NoShowBan(rules: try hall(extra: "noShowLimit = 0").appointments)
        XCTAssertNil(never.bannedUntil(noShows: three, now: d("2026-08-21")), "noShowLimit 0: never")
        let three3 = NoShowBan(rules: try hall(extra: "noShowLimit = 3\nnoShowWindowDays = 90\nbanDays = 7").appointments)
        XCTAssertEqual(three3.bannedUntil(noShows: three, now: d("2026-10-02")), d("2026-10-08"), "3 in 90 days → 7 days")
    }
}
