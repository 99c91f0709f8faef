import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import GRDB
import HallAPI
@testable import HallServer
import HallTestSupport
import XCTest

/// `hallserver migrate`: the demo hall runs on SQLite with real traffic over HTTP, is moved to PostgreSQL with one
/// command, and the hall server on PostgreSQL answers the same: the same reports, the same tickets on the phone
/// page, the next number after the last one.
final class HallMigrationTests: XCTestCase {
    static let kioskToken = "demo-kiosk-01-token-change-me"
    static let adminToken = "demo-admin-token-change-me"

    func testTheDemoHallMovesFromSQLiteToPostgreSQLWithOneCommand() throws {
        let postgres = try PrivatePostgres.shared()
        let url = try postgres.freshDatabase()

        // A morning on SQLite: tickets for three services, services called, completed, a no-show, ratings (one bad).
        let sqlite = try HallServerProcess()
        defer { sqlite.stop() }
        let staff = try sqlite.staffToken(window: "w01", employeeNo: "1001")
        XCTAssertFalse(staff.isEmpty)
        var tickets: [[String: Any]] = []
        for service in ["hukou", "hukou", "idcard", "hukou", "idcard", "social-insurance", "hukou"] {
            let (status, json) = try Self.issue(sqlite, service)
            XCTAssertEqual(status, 201, "\(json)")
            tickets.append(json)
        }
        for action in ["call-next", "complete", "call-next", "complete", "call-next", "recall", "recall", "no-show", "call-next",
                       "complete"] {
            let (_, status) = try HallServerProcess.request("POST", "\(sqlite.baseURL)/api/v1/windows/w01/\(action)", token: staff, body: "{}")
            XCTAssertTrue((200..<300).contains(status), "\(action) answered \(status)")
        }
        let completed = try tickets.filter { try Self.status(sqlite, $0) == "completed" }
        XCTAssertEqual(completed.count, 3)
        for (index, ticket) in completed.prefix(2).enumerated() {
            let level = index == 0 ? "verySatisfied" : "dissatisfied"
            let reasons = index == 0 ? "" : #","reasons":["efficiency"]"#
            let ratingId = UUID().uuidString
            let body = #"{"ratingId":"\#(ratingId)","ticketToken":"\#(ticket["token"] as! String)","channel":"phoneQr","level":"\#(level)"\#(reasons)}"#
            let (data, status) = try HallServerProcess.request("POST", "\(sqlite.baseURL)/api/v1/ratings", body: body,
                                                               headers: [("Idempotency-Key", ratingId)])
            XCTAssertEqual(status, 201, String(decoding: data, as: UTF8.self))
        }
        let reportsBefore = try ReportGrouping.allCases.map { try Self.report(sqlite, by: $0) }
        XCTAssertEqual(reportsBefore[0].total.activeRatings, 2)
        XCTAssertEqual(reportsBefore[0].total.completedServices, 3)
        let statusesBefore = try tickets.map { try Self.status(sqlite, $0) }
        let lastHukou = tickets.last { (($0["service"] as? [String: Any])?["id"] as? String) == "hukou" }?["number"] as? String
        XCTAssertEqual(lastHukou, "A004")
        sqlite.stop()

        // One command.
        let sqlitePath = sqlite.folder.appendingPathComponent("hall.sqlite").path
        // A staff photo uploaded on the settings page goes along (bytes and all).
        let photo = try StaffPhoto.checked(TestImages.portraitPNG())
        try DatabaseQueue(path: sqlitePath).write { db in
            try db.execute(sql: "INSERT INTO staffPhoto (digest, contentType, width, height, bytes, storedAt) VALUES (?, ?, ?, ?, ?, ?)",
                           arguments: [photo.digest, photo.format.contentType, photo.width, photo.height, photo.bytes, Date()])
        }
        let config = sqlite.folder.appendingPathComponent("hall.toml").path
        let binary = try BuiltProducts.executable("hallserver")
        let migrate = try runProgram(binary.path, ["migrate", "--config", config, "--from", "sqlite:\(sqlitePath)", "--to", url])
        XCTAssertEqual(migrate.code, 0, migrate.out + migrate.err)
        XCTAssertTrue(migrate.out.contains("OK: both sides agree"), migrate.out)
        XCTAssertTrue(migrate.out.contains("ticket                  7         7  ok"), migrate.out)
        XCTAssertTrue(migrate.out.contains("rating                  2         2  ok"), migrate.out)
        XCTAssertTrue(migrate.out.contains("hukou A005"), "the next numbers are printed: \(migrate.out)")
        XCTAssertTrue(migrate.out.contains("idcard B003"), migrate.out)

        // Again: refused, naming the hall, its counts and the fix; nothing changes.
        let again = try runProgram(binary.path, ["migrate", "--config", config, "--from", "sqlite:\(sqlitePath)", "--to", url])
        XCTAssertEqual(again.code, 65, again.out + again.err)
        XCTAssertTrue(again.err.contains("hall 'demo-hall' already has data"), again.err)
        XCTAssertTrue(again.err.contains("ticket 7 rows"), again.err)
        XCTAssertTrue(again.err.contains("--replace"), again.err)
        // With --replace: the same result, still one copy of everything.
        let replaced = try runProgram(binary.path, ["migrate", "--config", config, "--from", "sqlite:\(sqlitePath)", "--to", url, "--replace"])
        XCTAssertEqual(replaced.code, 0, replaced.out + replaced.err)
        XCTAssertTrue(replaced.out.contains("ticket                  7         7  ok"), replaced.out)

        // The hall server on PostgreSQL.
        let moved = try HallServerProcess(database: url)
        defer { moved.stop() }
        let reportsAfter = try ReportGrouping.allCases.map { try Self.report(moved, by: $0) }
        XCTAssertEqual(reportsAfter, reportsBefore, "the same reports on PostgreSQL")
        for (ticket, before) in zip(tickets, statusesBefore) {
            let token = ticket["token"] as! String
            let (page, status) = try HallServerProcess.request("GET", "\(moved.baseURL)/t/\(token)")
            XCTAssertEqual(status, 200)
            XCTAssertTrue(String(decoding: page, as: UTF8.self).contains(ticket["number"] as! String), "phone page of \(ticket["number"]!)")
            XCTAssertEqual(try Self.status(moved, ticket), before, "the ticket's status on the phone page")
        }
        XCTAssertEqual(try Self.status(moved, tickets[0]), "completed")
        let (status, next) = try Self.issue(moved, "hukou")
        XCTAssertEqual(status, 201, "\(next)")
        XCTAssertEqual(next["number"] as? String, "A005", "numbering continues after the last SQLite ticket")
        let (_, nextId) = try Self.issue(moved, "idcard")
        XCTAssertEqual(nextId["number"] as? String, "B003")
        // The window events keep their SQLite ids (devices resume by id); new ones come after them.
        let sqliteEvents = try DatabaseQueue(path: sqlitePath).read { db in
            try Row.fetchOne(db, sql: "SELECT COUNT(*), MAX(id) FROM windowEvent").map { [$0[0] as Int, $0[1] as Int] } ?? []
        }
        XCTAssertGreaterThan(sqliteEvents.first ?? 0, 0)
        let events = try postgres.psql(URL(string: url)!.lastPathComponent, """
            SELECT COUNT(*) FILTER (WHERE id <= \(sqliteEvents[1])), MAX(id) FILTER (WHERE id <= \(sqliteEvents[1])),
                   COUNT(*) FILTER (WHERE id > \(sqliteEvents[1])) FROM window_event WHERE hall_id = 'demo-hall'
            """)
        XCTAssertEqual(events.code, 0, events.err)
        XCTAssertEqual(events.out.trimmingCharacters(in: .whitespacesAndNewlines), "\(sqliteEvents[0])|\(sqliteEvents[1])|0",
                       "the copied events keep their ids; issuing makes no window event")
        let photos = try postgres.psql(URL(string: url)!.lastPathComponent,
                                       "SELECT digest, octet_length(bytes), width, height FROM staff_photo WHERE hall_id = 'demo-hall'")
        XCTAssertEqual(photos.out.trimmingCharacters(in: .whitespacesAndNewlines), "\(photo.digest)|\(photo.bytes.count)|120|160")
        XCTAssertTrue(migrate.out.contains("staff_photo"), migrate.out)
        let names = try postgres.psql(URL(string: url)!.lastPathComponent, "SELECT name_zh FROM hall WHERE hall_id = 'demo-hall'")
        XCTAssertEqual(names.out.trimmingCharacters(in: .whitespacesAndNewlines), "示范县政务服务中心")
    }

    /// A missing SQLite file and a hall id already in use are refused with the fix; nothing is written.
    func testRefusalsNameTheProblemAndTheFix() throws {
        let binary = try BuiltProducts.executable("hallserver")
        let config = BuiltProducts.repository.appendingPathComponent("kiosk/demo/hall.toml").path
        let postgres = try PrivatePostgres.shared()
        let url = try postgres.freshDatabase()
        let missing = try runProgram(binary.path, ["migrate", "--config", config, "--from", "sqlite:/nonexistent/hall.sqlite", "--to", url])
        XCTAssertEqual(missing.code, 65, missing.err)
        XCTAssertTrue(missing.err.contains("'/nonexistent/hall.sqlite' does not exist"), missing.err)
        let notPostgres = try runProgram(binary.path, ["migrate", "--config", config, "--from", "sqlite:/x.sqlite", "--to", "/tmp/other.sqlite"])
        XCTAssertEqual(notPostgres.code, 64, notPostgres.err)
        XCTAssertTrue(notPostgres.err.contains("is not a postgres:// URL"), notPostgres.err)
    }

    // MARK: Helpers

    static func issue(_ server: HallServerProcess, _ serviceId: String) throws -> (Int, [String: Any]) {
        let (data, status) = try HallServerProcess.request("POST", "\(server.baseURL)/api/v1/tickets", token: kioskToken,
                                                           body: #"{"serviceId":"\#(serviceId)","kioskId":"kiosk-01"}"#,
                                                           headers: [("Idempotency-Key", UUID().uuidString)])
        return (status, (try? JSONSerialization.jsonObject(with: data) as? [String: Any]) ?? [:])
    }

    static func status(_ server: HallServerProcess, _ ticket: [String: Any]) throws -> String {
        let (data, status) = try HallServerProcess.request("GET", "\(server.baseURL)/api/v1/tickets/\(ticket["token"] as! String)")
        XCTAssertEqual(status, 200)
        return ((try JSONSerialization.jsonObject(with: data) as? [String: Any])?["status"] as? String) ?? "?"
    }

    static func report(_ server: HallServerProcess, by: ReportGrouping) throws -> SatisfactionReport {
        let day = HallClock(timeZone: TimeZone(identifier: "Asia/Shanghai")!).moment(Date()).day
        let (data, status) = try HallServerProcess.request("GET", "\(server.baseURL)/api/v1/reports/satisfaction?from=\(day)&to=\(day)&by=\(by.rawValue)",
                                                           token: adminToken)
        XCTAssertEqual(status, 200, String(decoding: data, as: UTF8.self))
        return try HallJSON.decoder().decode(SatisfactionReport.self, from: data)
    }
}
