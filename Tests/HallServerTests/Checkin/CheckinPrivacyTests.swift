import Foundation
import HallAPI
@testable import HallServer
import HallTestSupport
import NIOHTTP1
import PostgresNIO
import XCTest

/// The privacy canary (issue 21, server side): canary ID numbers, names and phones pushed through every server path
/// are found in clear nowhere — not in the log, the database files (SQLite and its WAL; a PostgreSQL dump), any HTTP
/// answer (errors included), the admin pages or the CSV export.
final class CheckinPrivacyTests: XCTestCase {
    func testCanaryIDNumbersNamesAndPhonesAppearNowhere() async throws {
        let log = LogLines()
        let live = try await CheckinHall.start(logger: log.logger(), logLevel: .trace)
        let ids = [CheckinHall.idNumber("36072119850612345"), CheckinHall.idNumber("44030419770101987"),
                   CheckinHall.idNumber("51010720000229001"), CheckinHall.idNumber("11010519491231002")]
        let names = ["司马懿明", "欧阳雪芹"]
        let phones = ["13912345678", "+86 188 7654 3210"]
        var bodies: [String] = []
        func keep(_ r: LiveHall.Reply) -> LiveHall.Reply {
            bodies.append(r.text)
            return r
        }

        // Issue with a card, the reprint, an invalid number, a card-only refusal.
        let ticket = try keep(await live.issue("idonly", idNumber: ids[0])).decode(IssuedTicket.self)
        _ = keep(try await live.issue("idonly", idNumber: ids[0]))
        _ = keep(try await live.issue("hukou", idNumber: ids[1]))
        var broken = Array(ids[2])
        broken[17] = broken[17] == "1" ? "2" : "1"
        _ = keep(try await live.issue("idonly", idNumber: String(broken)))
        _ = keep(try await live.issue("idonly", idNumber: String(ids[3].prefix(16))))
        // Pushes: new, replayed, changed, cancelled; a bad one.
        let start = TestHallConfig.monday(9, 30)
        let receipt = try keep(await live.push("c-1", start: start, idNumber: ids[1], name: names[0], phone: phones[0]))
            .decode(AppointmentReceipt.self)
        _ = keep(try await live.push("c-1", start: start, idNumber: ids[1], name: names[0], phone: phones[0]))
        _ = keep(try await live.push("c-2", start: start, idNumber: ids[2], name: names[1], phone: phones[1]))
        _ = keep(try await live.push("c-2", start: start.addingTimeInterval(1800), idNumber: ids[2], name: names[1], phone: phones[0]))
        _ = keep(try await live.push("c-3", start: TestHallConfig.monday(11), idNumber: ids[3], name: names[1], phone: phones[1]))
        _ = keep(try await live.push("c-bad", service: "nope", start: start, idNumber: ids[3], name: names[0], phone: phones[0]))
        _ = keep(try await live.push("c-bad2", start: start, idNumber: String(broken), name: names[0], phone: "not a phone"))
        _ = keep(try await live.send(.DELETE, "/api/v1/appointments/gov/c-2", token: CheckinHall.platformToken))
        // Lookups and check-ins: by card, by code, refused ones.
        for id in ids { _ = keep(try await live.lookUp(id)) }
        _ = keep(try await live.lookUp(String(broken)))
        _ = keep(try await live.checkIn(CheckinRequest(kioskId: "kiosk-1", idNumber: ids[1], appointmentId: receipt.appointment.id)))
        _ = keep(try await live.checkIn(CheckinRequest(kioskId: "kiosk-1", bookingCode: receipt.bookingCode)))
        _ = keep(try await live.checkIn(CheckinRequest(kioskId: "kiosk-1", idNumber: ids[0], appointmentId: receipt.appointment.id)))
        let early = try await live.appointmentsOfDay().first { $0.slotStart == TestHallConfig.monday(11) }
        _ = keep(try await live.checkIn(CheckinRequest(kioskId: "kiosk-1", idNumber: ids[3], appointmentId: early?.id ?? "x")))
        _ = keep(try await live.checkIn(CheckinRequest(kioskId: "kiosk-1", idNumber: String(broken), appointmentId: "x")))
        _ = keep(try await live.send(.POST, "/api/v1/checkins", token: TestHallConfig.kioskToken, headers: [("Idempotency-Key", "k-1")],
                                     body: Data("{\"kioskId\":\"kiosk-1\",\"idNumber\":\(ids[2].debugDescription)".utf8)))
        // Everything a client, the admin or the phone can read.
        let admin = TestHallConfig.adminToken
        for path in ["/healthz", "/metrics", "/api/v1/hall", "/api/v1/hall/board", "/api/v1/devices", "/api/v1/appointments?day=2026-11-23",
                     "/api/v1/reports/satisfaction?from=2026-11-23&to=2026-11-23",
                     "/api/v1/reports/satisfaction.csv?from=2026-11-23&to=2026-11-23", "/api/v1/tickets/\(ticket.token)",
                     "/t/\(ticket.token)", "/admin", "/admin/devices", "/admin/reports", "/admin/settings", "/admin/settings/export"] {
            let r = keep(try await live.send(.GET, path, token: admin))
            XCTAssertLessThan(r.status, 500, "\(path): \(r.text)")
        }

        var places: [(String, String)] = bodies.enumerated().map { ("answer \($0.offset)", $0.element) }
        places.append(("the log", log.matching("").joined(separator: "\n")))
        XCTAssertFalse(log.matching("appointment pushed").isEmpty, "the log was captured")
        if let sqlite = live.app.desk.store as? SQLiteHallStore {
            try await sqlite.database.pool.write { try $0.execute(sql: "SELECT 1") }
            for suffix in ["", "-wal", "-shm"] {
                let path = live.databasePath + suffix
                guard let data = FileManager.default.contents(atPath: path) else { continue }
                places.append(("\(path)", String(decoding: data, as: UTF8.self)))
                places.append(("\(path) (latin1)", String(data: data, encoding: .isoLatin1) ?? ""))
            }
        } else {
            places.append(("the PostgreSQL dump", try await live.postgresDump()))
        }
        XCTAssertTrue(places.contains { $0.1.contains(PersonalDataMask.idNumber(ids[1])) }, "the masked form is stored and answered")
        for (place, text) in places {
            for id in ids + [String(broken)] {
                XCTAssertFalse(text.contains(id) || text.contains(id.lowercased()), "an ID number in clear in \(place)")
                XCTAssertFalse(text.contains(String(id.prefix(17))), "17 digits of an ID number in \(place)")
            }
            for name in names { XCTAssertFalse(text.contains(name), "a name in clear in \(place)") }
            for phone in phones + ["not a phone"] { XCTAssertFalse(text.contains(phone), "a phone in clear in \(place)") }
        }
        await live.stop()
    }
}

extension LiveHall {
    func appointmentsOfDay() async throws -> [AppointmentSummary] {
        try await send(.GET, "/api/v1/appointments?day=2026-11-23", token: TestHallConfig.adminToken).decode([AppointmentSummary].self)
    }

    /// `pg_dump` of the hall's PostgreSQL database (data and schema), or — when it cannot run — every row of every
    /// table as text.
    func postgresDump() async throws -> String {
        let url = try String(contentsOf: folder.appendingPathComponent("postgres-url"), encoding: .utf8)
            .trimmingCharacters(in: .whitespacesAndNewlines)
        let dumper = try PrivatePostgres.shared().binaries.appendingPathComponent("pg_dump").path
        if FileManager.default.isExecutableFile(atPath: dumper), let dump = try? runProgram(dumper, ["--dbname=\(url)"]), dump.code == 0,
           !dump.out.isEmpty {
            return dump.out
        }
        let pg = app.desk.store as! PostgresHallStore
        return try await pg.database.read("dump") { tx in
            var out = ""
            for row in try await tx.rows("SELECT table_name FROM information_schema.tables WHERE table_schema = 'public'") {
                let table = try row.decode(String.self)
                for line in try await tx.rows(PostgresQuery(unsafeSQL: "SELECT t::text FROM \"\(table)\" t")) {
                    out += try line.decode(String.self) + "\n"
                }
            }
            return out
        }
    }
}
