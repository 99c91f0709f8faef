import Foundation
import HallAPI
import HallSecrets
@testable import HallServer
import XCTest

/// The citizens' booking page and the admin's appointment page (issue 21), over loopback HTTP on a live hall (SQLite,
/// or PostgreSQL under `HALL_TEST_STORE=postgres`): slots with places left, a booking with its code and QR and no
/// personal data in the answer, the refusals worded, cancelling, no-shows and the ban, the CSV import, the limit.
/// The hall: Monday 2026-11-23 09:00 Beijing; service `permit` takes 2 bookings per 30-minute slot.
final class BookingPageTests: XCTestCase {
    var live: LiveHall!

    override func tearDown() async throws {
        await live?.stop()
        live = nil
    }

    static let alice = "11010519491231002X"
    static let bob = "430102199003071234"
    static let carol = "440304198511154563"

    private func start(limits: String = "", appointments: String = "") async throws -> LiveHall {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("booking-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        try PersonKeyring.fresh(at: Date()).write(to: folder.appendingPathComponent("identity.key").path)
        let toml = TestHallConfig.toml(extraServices: """
            [[services]]
            id = "permit"
            name = { zh = "出入境", en = "Travel permits" }
            prefix = "P"
            appointmentCapacity = 2
            """)
            + "\n\n[identity]\nkeyFile = \"identity.key\"\n\n[appointments]\n\(appointments)\n"
            + (limits.isEmpty ? "" : "\n[limits]\n\(limits)\n")
        live = try await LiveHall.start(folder: folder, toml: toml)
        return live
    }

    private func http(_ source: String = "127.0.0.1") -> RawHTTP { RawHTTP(port: live.port, source: source) }

    /// Tuesday 2026-11-24 at `hh:mm` Beijing time, as the form sends it (Unix seconds).
    private static func tuesday(_ hour: Int, _ minute: Int = 0) -> Int {
        Int(TestHallConfig.monday(hour, minute).addingTimeInterval(86_400).timeIntervalSince1970)
    }

    private func book(_ id: String, slot: Int, name: String = "王小明", phone: String = "13800000000", lang: String = "zh",
                      source: String = "127.0.0.1") throws -> RawHTTP.Reply {
        try http(source).send("POST", "/book/permit", body: "lang=\(lang)&day=2026-11-24&slot=\(slot)&idNumber=\(id)"
                              + "&name=\(name.addingPercentEncoding(withAllowedCharacters: .alphanumerics)!)&phone=\(phone)")
    }

    private static func code(in page: String) -> String? {
        guard let r = page.range(of: "class=\"code-big\" aria-label=\"") else { return nil }
        return String(page[r.upperBound...].prefix { $0 != "\"" })
    }

    func testABookingGivesACodeAndItsQRAndNoPersonalData() async throws {
        _ = try await start()
        let services = try http().send("GET", "/book")
        XCTAssertEqual(services.status, 200)
        XCTAssertTrue(services.body.contains("出入境"), "the bookable service is listed")
        XCTAssertFalse(services.body.contains("户籍办理"), "a service without appointmentCapacity is not")

        let slots = try http().send("GET", "/book/permit?day=2026-11-24")
        XCTAssertTrue(slots.body.contains("09:00-09:30"))
        XCTAssertTrue(slots.body.contains("余 2"))
        XCTAssertTrue(slots.body.contains("11月30日"), "the fifth working day (Monday) is offered")
        XCTAssertFalse(slots.body.contains("12月1日"), "the sixth is not")

        let booked = try book(Self.alice, slot: Self.tuesday(9))
        XCTAssertEqual(booked.status, 200, booked.body)
        XCTAssertTrue(booked.body.contains("预约成功"))
        let code = try XCTUnwrap(Self.code(in: booked.body))
        XCTAssertEqual(code.count, 10)
        XCTAssertTrue(booked.body.contains("<svg"), "the QR of the code")
        XCTAssertTrue(booked.body.contains("1101**********002X"), "the masked ID number")
        XCTAssertEqual(booked.header("Cache-Control"), "no-store")
        for secret in [Self.alice, "王小明", "13800000000"] {
            XCTAssertFalse(booked.body.contains(secret), "the answer holds \(secret)")
        }
        let after = try http().send("GET", "/book/permit?day=2026-11-24")
        XCTAssertTrue(after.body.contains("余 1"), "one place taken")

        // The same form again: the same booking.
        let again = try book(Self.alice, slot: Self.tuesday(9))
        XCTAssertEqual(again.status, 200)
        XCTAssertTrue(again.body.contains("已预约该时段"))
        XCTAssertEqual(Self.code(in: again.body), code)
        let stored = try await live.desk.store.appointments(from: TestHallConfig.monday(0), to: TestHallConfig.monday(0) + 14 * 86_400,
                                                             serviceId: "permit")
        XCTAssertEqual(stored.count, 1)
        XCTAssertEqual(stored.first?.source, "hall")
        XCTAssertEqual(stored.first?.maskedName, "王**")
        XCTAssertNotEqual(stored.first?.sealedPhone, "13800000000")
    }

    func testRefusalsAreWordedAndKeepNothing() async throws {
        _ = try await start()
        XCTAssertEqual(try book(Self.alice, slot: Self.tuesday(9)).status, 200)
        let second = try book(Self.alice, slot: Self.tuesday(10))
        XCTAssertEqual(second.status, 409)
        XCTAssertTrue(second.body.contains("您当天已有预约"), second.body)
        XCTAssertEqual(try book(Self.bob, slot: Self.tuesday(9)).status, 200)
        let full = try book(Self.carol, slot: Self.tuesday(9))
        XCTAssertEqual(full.status, 409)
        XCTAssertTrue(full.body.contains("该时段已约满"))
        XCTAssertTrue(full.body.contains("已约满"), "the slot shows full")
        let badId = try book("110105194912310021", slot: Self.tuesday(10))
        XCTAssertEqual(badId.status, 422)
        XCTAssertTrue(badId.body.contains("身份证号码有误"))
        XCTAssertFalse(badId.body.contains("110105194912310021"), "the typed number is not echoed")
        let today = try book(Self.carol, slot: Int(TestHallConfig.monday(14).timeIntervalSince1970))
        XCTAssertEqual(today.status, 422)
        XCTAssertTrue(today.body.contains("不在可预约范围内"))
        let english = try book(Self.carol, slot: Self.tuesday(9), lang: "en")
        XCTAssertTrue(english.body.contains("That time is fully booked"), "in English too")
        let missing = try http().send("POST", "/book/permit", body: "lang=zh&day=2026-11-24&slot=\(Self.tuesday(11))&name=x")
        XCTAssertEqual(missing.status, 400)
        let count = try await live.desk.store.appointments(from: TestHallConfig.monday(0), to: TestHallConfig.monday(0) + 14 * 86_400,
                                                            serviceId: nil).count
        XCTAssertEqual(count, 2, "only the two good bookings are stored")
    }

    func testCancelByCodeAndIdUntilTwoHoursBefore() async throws {
        _ = try await start()
        let code = try XCTUnwrap(Self.code(in: try book(Self.alice, slot: Self.tuesday(9)).body))
        let wrongPerson = try http().send("POST", "/book/cancel", body: "lang=zh&code=\(code)&idNumber=\(Self.bob)")
        XCTAssertEqual(wrongPerson.status, 404)
        XCTAssertTrue(wrongPerson.body.contains("没有找到该预约"))
        let ok = try http().send("POST", "/book/cancel", body: "lang=zh&code=\(code.lowercased())&idNumber=\(Self.alice.lowercased())")
        XCTAssertEqual(ok.status, 200, ok.body)
        XCTAssertTrue(ok.body.contains("预约已取消"))
        let twice = try http().send("POST", "/book/cancel", body: "lang=zh&code=\(code)&idNumber=\(Self.alice)")
        XCTAssertEqual(twice.status, 409)
        XCTAssertTrue(twice.body.contains("该预约已取消"))
        // Booking the slot again after cancelling makes a new booking.
        let rebooked = try XCTUnwrap(Self.code(in: try book(Self.alice, slot: Self.tuesday(9)).body))
        XCTAssertNotEqual(rebooked, code)
        live.clock.set(TestHallConfig.monday(7, 1).addingTimeInterval(86_400))
        let late = try http().send("POST", "/book/cancel", body: "lang=zh&code=\(rebooked)&idNumber=\(Self.alice)")
        XCTAssertEqual(late.status, 409)
        XCTAssertTrue(late.body.contains("已过取消时间"), late.body)
    }

    func testMissedSlotsBecomeNoShowsAndTwoBanBooking() async throws {
        _ = try await start()
        XCTAssertEqual(try book(Self.alice, slot: Self.tuesday(9)).status, 200)
        // Wednesday's slot, booked on Monday too.
        let wednesday = Self.tuesday(9) + 86_400
        let wed = try http().send("POST", "/book/permit", body: "lang=zh&day=2026-11-25&slot=\(wednesday)&idNumber=\(Self.alice)&name=x")
        XCTAssertEqual(wed.status, 200, wed.body)
        live.clock.set(TestHallConfig.monday(9, 29).addingTimeInterval(86_400))
        assertEq(try await live.desk.markMissedAppointments(), [:], "the slot has not ended")
        live.clock.set(TestHallConfig.monday(9, 30).addingTimeInterval(86_400))
        assertEq(try await live.desk.markMissedAppointments(), ["permit": 1])
        live.clock.set(TestHallConfig.monday(10).addingTimeInterval(2 * 86_400))
        assertEq(try await live.desk.markMissedAppointments(), ["permit": 1])
        let banned = try http().send("POST", "/book/permit", body: "lang=zh&day=2026-11-26&slot=\(wednesday + 86_400)&idNumber=\(Self.alice)&name=x")
        XCTAssertEqual(banned.status, 403)
        XCTAssertTrue(banned.body.contains("您近期爽约 2 次，12月25日 09:00 前不能预约"), banned.body)
        let other = try http().send("POST", "/book/permit", body: "lang=zh&day=2026-11-26&slot=\(wednesday + 86_400)&idNumber=\(Self.bob)&name=y")
        XCTAssertEqual(other.status, 200, "someone else still books")
    }

    func testTheAdminSeesTheDayMaskedAndImportsCSVIdempotently() async throws {
        _ = try await start()
        XCTAssertEqual(try book(Self.alice, slot: Self.tuesday(9)).status, 200)
        let login = try http().send("POST", "/admin/login", body: "token=\(TestHallConfig.adminToken)&next=/admin/appointments")
        let session = try XCTUnwrap(login.cookies[AdminCookie.name])
        let cookie = [("Cookie", "\(AdminCookie.name)=\(session)")]
        let page = try http().send("GET", "/admin/appointments?day=2026-11-24", headers: cookie)
        XCTAssertEqual(page.status, 200)
        XCTAssertTrue(page.body.contains("1101**********002X"))
        XCTAssertFalse(page.body.contains(Self.alice))
        XCTAssertFalse(page.body.contains("王小明"))

        let csv = "externalId,serviceId,slotStart,slotEnd,idNumber,name,phone\n"
            + "P-1,permit,2026-11-24T10:00:00+08:00,2026-11-24T10:30:00+08:00,\(Self.bob),李四,\n"
            + "P-2,nope,2026-11-24T10:00:00+08:00,2026-11-24T10:30:00+08:00,\(Self.carol),赵五,\n"
            + "P-3,permit,2026-11-24T10:00:00+08:00,2026-11-24T10:30:00+08:00,440304198511154560,赵五,\n"
        func upload(_ token: String) throws -> RawHTTP.Reply {
            let boundary = "----hk\(UUID().uuidString)"
            let body = "--\(boundary)\r\nContent-Disposition: form-data; name=\"csrf\"\r\n\r\n\(token)\r\n"
                + "--\(boundary)\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.csv\"\r\nContent-Type: text/csv\r\n\r\n\(csv)\r\n"
                + "--\(boundary)--\r\n"
            return try http().send("POST", "/admin/appointments/import", headers: cookie, body: body,
                                   contentType: "multipart/form-data; boundary=\(boundary)")
        }
        XCTAssertEqual(try upload("wrong").status, 403, "the form token is required")
        let first = try upload(FormToken.value(session: session))
        XCTAssertEqual(first.status, 200, first.body)
        XCTAssertTrue(first.body.contains("1 new, 0 already stored, 2 refused"), first.body)
        XCTAssertTrue(first.body.contains("第 3 行"))
        XCTAssertTrue(first.body.contains("第 4 行"))
        let second = try upload(FormToken.value(session: session))
        XCTAssertTrue(second.body.contains("0 new, 1 already stored, 2 refused"), "re-importing changes nothing")
        for secret in [Self.bob, Self.carol, "李四", "赵五", "440304198511154560"] {
            XCTAssertFalse(first.body.contains(secret), "the import page holds \(secret)")
        }
        let counts = try http().send("GET", "/admin/appointments?day=2026-11-24", headers: cookie)
        XCTAssertTrue(counts.body.contains("4301**********1234"))
        XCTAssertTrue(counts.body.contains(">csv<"))
        XCTAssertTrue(counts.body.contains(">hall<"))
    }

    func testBookingFormsAreLimitedPerAddress() async throws {
        _ = try await start(limits: "exemptLoopback = false")
        var statuses: [Int] = []
        for _ in 0..<11 {
            statuses.append(try http("127.0.0.9").send("POST", "/book/cancel", body: "lang=zh&code=AAAAAAAAAA&idNumber=\(Self.alice)").status)
        }
        XCTAssertEqual(statuses.prefix(10).allSatisfy { $0 == 404 }, true, "\(statuses)")
        XCTAssertEqual(statuses.last, 429)
        XCTAssertEqual(try http("127.0.0.10").send("POST", "/book/cancel", body: "code=AAAAAAAAAA&idNumber=\(Self.alice)").status, 404,
                       "another address is not limited")
        XCTAssertEqual(try http("127.0.0.9").send("GET", "/book").status, 200, "reading the page is not limited by the form limit")
    }
}
