import Foundation
import HallAPI
import HallSecrets
@testable import HallServer
import HallTestSupport
import IDCardReader
import NIOHTTP1
import XCTest

/// The privacy canary for every appointment path (issue 21 item 3): canary ID numbers (check character `X` typed as
/// `x` and as `X`), names and phones (plain, `+86`, with spaces) go through the citizens' booking page (book, the same
/// form again, refusals, the booking QR, cancel, check-in by the booking code, the card lookup), the admin's
/// appointment pages and CSV upload (malformed rows included), `hallserver appointments import`, the no-show sweep and
/// the ban, the console and the reports — on a real hall server over loopback HTTP (SQLite, or PostgreSQL under
/// `HALL_TEST_STORE=postgres`). None of them is found in any answer, any log line, the command's output, the SQLite
/// file and its WAL, or a `pg_dump`.
final class AppointmentCanaryTests: XCTestCase {
    var live: LiveHall!

    override func tearDown() async throws {
        await live?.stop()
        live = nil
    }

    /// A made-up ID number from `seed` whose check character is `X` (or is not, when `x` is false).
    static func canaryID(_ seed: Int, x: Bool) -> String {
        var n = seed
        while true {
            let first17 = "3607211985" + String(format: "%07d", n)
            let check = GB11643.checkCharacter(forFirst17: first17)!
            if (check == "X") == x { return first17 + String(check) }
            n += 1
        }
    }

    static let ids = [canaryID(1_000_000, x: true), canaryID(2_000_000, x: true), canaryID(3_000_000, x: false),
                      canaryID(4_000_000, x: false), canaryID(5_000_000, x: true), canaryID(6_000_000, x: false),
                      canaryID(7_000_000, x: true)]
    /// `ids[5]` with a wrong check character.
    static let brokenID: String = {
        var chars = Array(ids[5])
        chars[17] = chars[17] == "1" ? "2" : "1"
        return String(chars)
    }()
    static let names = ["司马懿明", "欧阳雪芹", "诸葛青云", "上官婉儿"]
    static let phones = ["13912345678", "+86 137 2468 1357", "+8615811223344", "186 5555 0199"]

    /// Every way a canary could be written out: each ID number as is, lower case and its first 17 digits; each phone as
    /// typed, its digits and its national number; each name.
    static var secrets: [String] {
        var out: [String] = []
        for id in ids + [brokenID] { out += [id, id.lowercased(), String(id.prefix(17))] }
        for phone in phones {
            let digits = phone.filter(\.isNumber)
            out += [phone, digits, digits.hasPrefix("86") && digits.count == 13 ? String(digits.dropFirst(2)) : digits]
        }
        return out + names
    }

    /// Tuesday 2026-11-24 at `hh:mm` Beijing time, as the booking form sends it (Unix seconds).
    static func tuesday(_ hour: Int, _ minute: Int = 0, plusDays: Int = 0) -> Int {
        Int(TestHallConfig.monday(hour, minute).addingTimeInterval(Double(86_400 * (1 + plusDays))).timeIntervalSince1970)
    }

    private var places: [(String, String)] = []
    private func keep(_ place: String, _ text: String) { places.append((place, text)) }

    private func http() -> RawHTTP { RawHTTP(port: live.port) }

    /// A page or answer over a plain socket, kept for the scan.
    @discardableResult
    private func raw(_ method: String, _ path: String, headers: [(String, String)] = [], body: String? = nil,
                     contentType: String = "application/x-www-form-urlencoded") throws -> RawHTTP.Reply {
        let reply = try http().send(method, path, headers: headers, body: body, contentType: contentType)
        keep("\(method) \(path) → \(reply.status)", reply.headers.map { "\($0.0): \($0.1)" }.joined(separator: "\n") + "\n" + reply.body)
        XCTAssertLessThan(reply.status, 500, "\(method) \(path): \(reply.body)")
        return reply
    }

    @discardableResult
    private func api(_ method: HTTPMethod, _ path: String, token: String?, headers: [(String, String)] = []) async throws -> LiveHall.Reply {
        kept(try await live.send(method, path, token: token, headers: headers), "\(method) \(path)")
    }

    @discardableResult
    private func api<T: Encodable>(_ method: HTTPMethod, _ path: String, token: String?, json: T,
                                   headers: [(String, String)] = []) async throws -> LiveHall.Reply {
        kept(try await live.send(method, path, token: token, headers: headers, json: json), "\(method) \(path)")
    }

    private func kept(_ reply: LiveHall.Reply, _ what: String) -> LiveHall.Reply {
        keep("\(what) → \(reply.status)", reply.text)
        XCTAssertLessThan(reply.status, 500, "\(what): \(reply.text)")
        return reply
    }

    private func form(_ fields: [(String, String)]) -> String {
        fields.map { "\($0.0)=\($0.1.addingPercentEncoding(withAllowedCharacters: .alphanumerics)!)" }.joined(separator: "&")
    }

    private func book(_ id: String, name: String, phone: String, slot: Int, day: String = "2026-11-24", lang: String = "zh") throws -> RawHTTP.Reply {
        try raw("POST", "/book/permit", body: form([("lang", lang), ("day", day), ("slot", String(slot)), ("idNumber", id), ("name", name),
                                                    ("phone", phone)]))
    }

    private static func code(in page: String) -> String? {
        guard let r = page.range(of: "class=\"code-big\" aria-label=\"") else { return nil }
        return String(page[r.upperBound...].prefix { $0 != "\"" })
    }

    private func start() async throws -> LogLines {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("canary-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        try PersonKeyring.fresh(at: TestHallConfig.monday(8)).write(to: folder.appendingPathComponent("identity.key").path)
        var toml = TestHallConfig.toml(extraServices: """
            [[services]]
            id = "permit"
            name = { zh = "出入境", en = "Travel permits" }
            prefix = "P"
            appointmentCapacity = 2
            """)
        // Window 1 serves the bookable service too, so an appointment ticket is called, served and rated.
        toml = toml.replacingOccurrences(of: "services = [\"hukou\", \"social\"]", with: "services = [\"hukou\", \"social\", \"permit\"]")
        toml += "\n\n[identity]\nkeyFile = \"identity.key\"\n\n[appointments]\nintegrationToken = \"\(CheckinHall.platformToken)\"\n"
        let log = LogLines()
        live = try await LiveHall.start(folder: folder, toml: toml, logger: log.logger(), logLevel: .trace)
        return log
    }

    func testCanariesThroughEveryAppointmentPathAppearNowhere() async throws {
        let log = try await start()
        let ids = Self.ids, names = Self.names, phones = Self.phones

        // The booking page, both languages.
        for path in ["/book", "/book?lang=en", "/book/permit?day=2026-11-24", "/book/permit?day=2026-11-24&lang=en", "/book/cancel"] {
            XCTAssertEqual(try raw("GET", path).status, 200, path)
        }
        // Book with the check character typed lower case, the phone with +86 and spaces; the same form again.
        let booked = try book(ids[0].lowercased(), name: names[0], phone: phones[1], slot: Self.tuesday(9))
        XCTAssertEqual(booked.status, 200, booked.body)
        let code = try XCTUnwrap(Self.code(in: booked.body), booked.body)
        XCTAssertTrue(booked.body.contains(PersonalDataMask.idNumber(ids[0])), "the masked ID number is shown")
        XCTAssertEqual(try book(ids[0], name: names[0], phone: phones[1], slot: Self.tuesday(9)).status, 200, "the same booking again")
        // The booking QR holds the booking code and nothing else.
        assertEq(try Self.qrPayload(of: booked.body), code)
        // Upper case X, English, +86 without spaces.
        let second = try book(ids[1], name: names[1], phone: phones[2], slot: Self.tuesday(9), lang: "en")
        XCTAssertEqual(second.status, 200, second.body)
        let secondCode = try XCTUnwrap(Self.code(in: second.body))
        // Refusals: one a day, the slot full, a wrong check character, a bad phone, a missing name, English too.
        XCTAssertEqual(try book(ids[0], name: names[0], phone: phones[0], slot: Self.tuesday(10)).status, 409)
        XCTAssertEqual(try book(ids[2], name: names[2], phone: phones[3], slot: Self.tuesday(9)).status, 409)
        XCTAssertEqual(try book(ids[2], name: names[2], phone: phones[3], slot: Self.tuesday(9), lang: "en").status, 409)
        XCTAssertEqual(try book(Self.brokenID, name: names[2], phone: phones[0], slot: Self.tuesday(10)).status, 422)
        XCTAssertEqual(try book(Self.brokenID.lowercased(), name: names[2], phone: phones[0], slot: Self.tuesday(10), lang: "en").status, 422)
        XCTAssertEqual(try book(ids[2], name: names[2], phone: "tel:" + phones[3], slot: Self.tuesday(10)).status, 400)
        XCTAssertEqual(try book(ids[2], name: "", phone: phones[3], slot: Self.tuesday(10)).status, 400)
        XCTAssertEqual(try book(String(ids[2].prefix(17)), name: names[2], phone: phones[3], slot: Self.tuesday(10)).status, 422)
        // Someone booked for Tuesday and Wednesday who comes to neither (the no-shows below).
        XCTAssertEqual(try book(ids[3], name: names[3], phone: phones[0], slot: Self.tuesday(10)).status, 200)
        XCTAssertEqual(try book(ids[3], name: names[3], phone: phones[0], slot: Self.tuesday(10, plusDays: 1), day: "2026-11-25").status, 200)

        // Cancel: someone else's code, the right person (lower case x, lower case code), twice, a bad number.
        XCTAssertEqual(try raw("POST", "/book/cancel", body: form([("lang", "zh"), ("code", secondCode), ("idNumber", ids[2])])).status, 404)
        XCTAssertEqual(try raw("POST", "/book/cancel", body: form([("lang", "en"), ("code", secondCode.lowercased()),
                                                                   ("idNumber", ids[1].lowercased())])).status, 200)
        XCTAssertEqual(try raw("POST", "/book/cancel", body: form([("lang", "zh"), ("code", secondCode), ("idNumber", ids[1])])).status, 409)
        XCTAssertEqual(try raw("POST", "/book/cancel", body: form([("lang", "zh"), ("code", secondCode), ("idNumber", Self.brokenID)])).status, 422)

        // A platform push and a bad one (the person's name where the service goes: the answer must not repeat it).
        let start = Date(timeIntervalSince1970: Double(Self.tuesday(11)))
        let pushed = try await api(.PUT, "/api/v1/appointments/gov/g-1", token: CheckinHall.platformToken,
                                   json: AppointmentPush(serviceId: "hukou", slotStart: start, slotEnd: start + 1800, idNumber: ids[4].lowercased(),
                                                         name: names[2], phone: phones[3]))
        XCTAssertEqual(pushed.status, 201, pushed.text)
        for (service, id, name, phone) in [(names[1], ids[4], "hukou", phones[0]), (phones[2], ids[4], names[0], phones[1]),
                                           (ids[5], ids[4], names[0], phones[1])] {
            let bad = try await api(.PUT, "/api/v1/appointments/gov/g-bad", token: CheckinHall.platformToken,
                                    json: AppointmentPush(serviceId: service, slotStart: start, slotEnd: start + 1800, idNumber: id, name: name,
                                                          phone: phone))
            XCTAssertEqual(bad.status, 422, bad.text)
        }
        // The ID number or the phone as the platform's own id is refused: it would be kept in clear.
        for externalId in [ids[4].lowercased(), "P" + phones[3].filter(\.isNumber)] {
            let refused = try await live.send(.PUT, "/api/v1/appointments/gov/\(externalId)", token: CheckinHall.platformToken,
                                              json: AppointmentPush(serviceId: "hukou", slotStart: start, slotEnd: start + 1800, idNumber: ids[4],
                                                                    name: names[2], phone: phones[3]))
            keep("PUT /api/v1/appointments/gov/(the ID number or phone) → \(refused.status)", refused.text)
            XCTAssertEqual(refused.status, 422, refused.text)
            XCTAssertEqual(refused.errorCode, "badRequest")
        }

        // The kiosk on Tuesday morning: the card lookup (lower case x) and check-in by the booking code.
        live.clock.set(TestHallConfig.monday(8, 30).addingTimeInterval(86_400))
        let lookup = try await api(.POST, "/api/v1/checkins/lookup", token: TestHallConfig.kioskToken,
                                   json: CardLookupRequest(kioskId: "kiosk-1", idNumber: ids[0].lowercased()))
        XCTAssertEqual(lookup.status, 200, lookup.text)
        let checkin = try await api(.POST, "/api/v1/checkins", token: TestHallConfig.kioskToken, json: CheckinRequest(kioskId: "kiosk-1", bookingCode: code),
                                    headers: [("Idempotency-Key", "canary-1")])
        XCTAssertEqual(checkin.status, 201, checkin.text)
        let ticket = try checkin.decode(CheckinResult.self).ticket
        _ = try await api(.POST, "/api/v1/checkins", token: TestHallConfig.kioskToken, json: CheckinRequest(kioskId: "kiosk-1", bookingCode: code),
                          headers: [("Idempotency-Key", "canary-2")])
        for path in ["/api/v1/tickets/\(ticket.token)", "/t/\(ticket.token)", "/t/\(ticket.token)?lang=en",
                     "/api/v1/tickets?number=\(ticket.number)"] {
            _ = try await api(.GET, path, token: TestHallConfig.kioskToken)
        }
        // The clerk calls, serves and completes it at the console; the citizen rates it.
        let clerk = try await ConsoleClient.signIn(live)
        keep("console", try await clerk.page().text)
        let calledPage = try await clerk.act("call-next")
        keep("console after call", calledPage.text)
        XCTAssertTrue(calledPage.text.contains(ticket.number), calledPage.text)
        keep("console after complete", try await clerk.act("complete").text)
        let ratingId = UUID().uuidString
        let rated = try await api(.POST, "/api/v1/ratings", token: nil,
                                  json: RatingSubmission(ratingId: ratingId, ticketToken: ticket.token, channel: .phoneQr, level: .satisfied),
                                  headers: [("Idempotency-Key", ratingId)])
        XCTAssertEqual(rated.status, 201, rated.text)

        // The no-show sweep after both of the other person's slots, and the ban it makes.
        live.clock.set(TestHallConfig.monday(11).addingTimeInterval(2 * 86_400))
        let marked = try await live.desk.markMissedAppointments()
        XCTAssertEqual(marked["permit"], 2, "\(marked)")
        let banned = try book(ids[3].lowercased(), name: names[3], phone: phones[1], slot: Self.tuesday(9, plusDays: 2), day: "2026-11-26")
        XCTAssertEqual(banned.status, 403, banned.body)
        XCTAssertEqual(try book(ids[3], name: names[3], phone: phones[1], slot: Self.tuesday(9, plusDays: 2), day: "2026-11-26", lang: "en").status, 403)

        // The admin: the day pages, the CSV upload with malformed rows, the reports and exports.
        let login = try raw("POST", "/admin/login", body: "token=\(TestHallConfig.adminToken)&next=/admin/appointments")
        let session = try XCTUnwrap(login.cookies[AdminCookie.name])
        let cookie = [("Cookie", "\(AdminCookie.name)=\(session)")]
        let csv = Self.csv(prefix: "W")
        let upload = try Self.multipart(csv, csrf: FormToken.value(session: session))
        let imported = try raw("POST", "/admin/appointments/import", headers: cookie, body: upload.body, contentType: upload.contentType)
        XCTAssertEqual(imported.status, 200, imported.body)
        XCTAssertTrue(imported.body.contains("2 new, 0 already stored, "), imported.body)
        XCTAssertTrue(imported.body.contains("第 4 行"), "a bad row is named by its line")
        let header = try Self.multipart(Self.badHeader, csrf: FormToken.value(session: session))
        XCTAssertEqual(try raw("POST", "/admin/appointments/import", headers: cookie, body: header.body, contentType: header.contentType).status, 200)
        for day in ["2026-11-24", "2026-11-25", "2026-11-26"] {
            XCTAssertEqual(try raw("GET", "/admin/appointments?day=\(day)", headers: cookie).status, 200)
        }
        for path in ["/admin", "/admin/devices", "/admin/reports", "/admin/reports?from=2026-11-23&to=2026-11-25", "/admin/settings",
                     "/admin/settings/export", "/admin/settings/audit", "/admin/alerts"] {
            _ = try raw("GET", path, headers: cookie)
        }
        for path in ["/healthz", "/metrics", "/api/v1/hall", "/api/v1/hall/board", "/api/v1/devices",
                     "/api/v1/appointments?day=2026-11-24", "/api/v1/appointments?day=2026-11-25",
                     "/api/v1/reports/satisfaction?from=2026-11-23&to=2026-11-25",
                     "/api/v1/reports/satisfaction?from=2026-11-23&to=2026-11-25&by=service",
                     "/api/v1/reports/satisfaction.csv?from=2026-11-23&to=2026-11-25",
                     "/api/v1/reports/satisfaction.csv?from=2026-11-23&to=2026-11-25&by=staff", "/api/v1/windows/w1",
                     "/api/v1/windows/w1/recent-events"] {
            _ = try await api(.GET, path, token: TestHallConfig.adminToken)
        }
        // The event streams replayed from the start: the hall's calls, window 1's events, the ticket's phone page.
        for (path, token) in [("/api/v1/hall/calls/events", TestHallConfig.kioskToken), ("/api/v1/windows/w1/events", TestHallConfig.adminToken),
                              ("/t/\(ticket.token)/events", "")] {
            let stream = try await SSEReader.open(live, path: path, token: token, lastEventId: "0")
            var frames: [String] = []
            while let frame = try await stream.next(timeout: .milliseconds(700)) {
                frames.append("\(frame.id ?? "") \(frame.event ?? "") \(frame.data ?? "")")
            }
            keep("the event stream \(path)", frames.joined(separator: "\n"))
            XCTAssertFalse(frames.isEmpty, "\(path) answered")
        }

        // The command line import: the same kind of file, its answer and its exit status.
        let file = live.folder.appendingPathComponent("appointments.csv")
        try Self.csv(prefix: "K").write(to: file, atomically: true, encoding: .utf8)
        let db = LiveHall.usesPostgres
            ? try String(contentsOf: live.folder.appendingPathComponent("postgres-url"), encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines)
            : live.databasePath
        let command = try runProgram(try BuiltProducts.executable("hallserver").path,
                                     ["appointments", "import", file.path, "--config", live.folder.appendingPathComponent("hall.toml").path, "--db", db])
        XCTAssertEqual(command.code, 65, "rows were refused: \(command.out) \(command.err)")
        XCTAssertTrue(command.out.contains("2 new, 0 already stored, "), command.out + command.err)
        XCTAssertTrue(command.out.contains("line 4: "), command.out)
        keep("hallserver appointments import (standard output)", command.out)
        keep("hallserver appointments import (standard error)", command.err)
        let headerFile = live.folder.appendingPathComponent("header.csv")
        try Self.badHeader.write(to: headerFile, atomically: true, encoding: .utf8)
        let headerCommand = try runProgram(try BuiltProducts.executable("hallserver").path,
                                           ["appointments", "import", headerFile.path, "--config",
                                            live.folder.appendingPathComponent("hall.toml").path, "--db", db])
        XCTAssertEqual(headerCommand.code, 65, headerCommand.out + headerCommand.err)
        keep("hallserver appointments import of a bad header", headerCommand.out + headerCommand.err)

        // Where it was written: the log, the database files.
        XCTAssertFalse(log.matching("appointments marked no-show").isEmpty, "the log was captured")
        XCTAssertFalse(log.matching("appointments imported").isEmpty, "the log was captured")
        keep("the log", log.matching("").joined(separator: "\n"))
        if let sqlite = live.desk.store as? SQLiteHallStore {
            try await sqlite.database.pool.write { try $0.execute(sql: "SELECT 1") }
            for suffix in ["", "-wal", "-shm"] {
                let path = live.databasePath + suffix
                guard let data = FileManager.default.contents(atPath: path) else { continue }
                keep(path, String(decoding: data, as: UTF8.self))
                keep("\(path) (latin1)", String(data: data, encoding: .isoLatin1) ?? "")
            }
        } else {
            keep("the PostgreSQL dump", try await live.postgresDump())
        }
        XCTAssertTrue(places.contains { $0.1.contains(PersonalDataMask.idNumber(ids[4])) }, "the masked form of the pushed one is kept")
        XCTAssertTrue(places.contains { $0.1.contains(PersonalDataMask.idNumber(ids[6])) }, "the masked form of an imported one is kept")
        for (place, text) in places {
            for secret in Self.secrets where text.contains(secret) {
                let at = text.range(of: secret)!
                let from = text.index(at.lowerBound, offsetBy: -80, limitedBy: text.startIndex) ?? text.startIndex
                let to = text.index(at.upperBound, offsetBy: 80, limitedBy: text.endIndex) ?? text.endIndex
                let context = text[from..<to]
                XCTFail("'\(secret)' in clear in \(place): …\(context)…")
            }
        }
    }

    /// The import file: two good rows (lower case x with a spaced phone; +86), then malformed ones — a wrong check
    /// character, a short row, the person's name / phone / ID number where the service goes, the ID number as the
    /// row's external id, the phone with letters, a name where the ID number goes.
    static func csv(prefix p: String) -> String {
        let slot = "2026-11-25T14:00:00+08:00,2026-11-25T14:30:00+08:00"
        return "externalId,serviceId,slotStart,slotEnd,idNumber,name,phone\n"
            + "\(p)-1,hukou,\(slot),\(ids[6].lowercased()),\(names[0]),\(phones[3])\n"
            + "\(p)-2,social,\(slot),\(ids[5]),\"\(names[1])\",\(phones[1])\n"
            + "\(p)-3,hukou,\(slot),\(brokenID),\(names[2]),\(phones[0])\n"
            + "\(p)-4,hukou,\(slot),\(ids[2]),\(names[2])\n"
            + "\(p)-5,\(names[3]),\(slot),\(ids[2]),hukou,\(phones[0])\n"
            + "\(p)-6,\(phones[2]),\(slot),\(ids[2]),\(names[2]),\(phones[0])\n"
            + "\(p)-7,\(ids[3]),\(slot),\(ids[2]),\(names[2]),\(phones[0])\n"
            + "\(ids[2]),hukou,\(slot),\(ids[2].lowercased()),\(names[2]),\(phones[0])\n"
            + "\(phones[0]),hukou,\(slot),\(ids[2]),\(names[2]),\(phones[0])\n"
            + "\(p)-8,hukou,\(slot),\(ids[2]),\(names[2]),tel \(phones[1])\n"
            + "\(p)-9,hukou,\(slot),\(names[2]),\(ids[2]),\(phones[0])\n"
            + "\(p)-10,hukou,\(slot),\(phones[0]),\(names[2]),\(ids[2])\n"
    }

    /// A file whose header has an ID number for a column name.
    static var badHeader: String {
        "externalId,serviceId,slotStart,slotEnd,idNumber,name,\(ids[3])\n"
    }

    static func multipart(_ csv: String, csrf: String) throws -> (body: String, contentType: String) {
        let boundary = "----hk\(UUID().uuidString)"
        let body = "--\(boundary)\r\nContent-Disposition: form-data; name=\"csrf\"\r\n\r\n\(csrf)\r\n"
            + "--\(boundary)\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.csv\"\r\nContent-Type: text/csv\r\n\r\n\(csv)\r\n"
            + "--\(boundary)--\r\n"
        return (body, "multipart/form-data; boundary=\(boundary)")
    }

    /// The text of the booking page's QR code, read back with `zbarimg` from the SVG's modules.
    static func qrPayload(of page: String) throws -> String {
        let svg = try XCTUnwrap(page.range(of: "<svg").map { String(page[$0.lowerBound...]) })
        let view = try XCTUnwrap(svg.range(of: #"viewBox="0 0 (\d+) "#, options: .regularExpression).map { svg[$0] })
        let total = Int(view.split(separator: " ")[2])!
        let d = try XCTUnwrap(svg.range(of: #"<path d="[^"]*""#, options: .regularExpression).map { String(svg[$0].dropFirst(9).dropLast()) })
        var dark = Array(repeating: Array(repeating: false, count: total), count: total)
        let scanner = Scanner(string: d)
        while scanner.scanString("M") != nil, let x = scanner.scanInt(), let y = scanner.scanInt(), scanner.scanString("h") != nil,
              let run = scanner.scanInt() {
            for i in 0..<run { dark[y][x + i] = true }
            _ = scanner.scanUpToString("z")
            _ = scanner.scanString("z")
        }
        let scale = 6
        var pbm = "P1\n\(total * scale) \(total * scale)\n"
        for row in dark {
            let line = row.flatMap { Array(repeating: $0 ? "1" : "0", count: scale) }.joined(separator: " ")
            for _ in 0..<scale { pbm += line + "\n" }
        }
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("qr-\(UUID().uuidString).pbm").path
        try pbm.write(toFile: path, atomically: true, encoding: .ascii)
        defer { unlink(path) }
        let read = try runProgram("/usr/bin/zbarimg", ["--raw", "-q", path])
        XCTAssertEqual(read.code, 0, read.err)
        return read.out.trimmingCharacters(in: .whitespacesAndNewlines)
    }
}
