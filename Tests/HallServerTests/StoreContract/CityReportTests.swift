import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import HallAPI
@testable import HallServer
import HallTestSupport
import XCTest

/// The city report: two halls in one PostgreSQL database, real traffic over HTTP, the report from the command line
/// (table, CSV), from `/city` with the city token, and its day summaries agreeing with the live figures.
final class CityReportTests: XCTestCase {
    static let kioskToken = "demo-kiosk-01-token-change-me"
    static let cityToken = "city-admin-token-for-tests-0123456789"

    func testTwoHallsInOneDatabaseAreReportedByHallDepartmentWindowStaffService() async throws {
        let postgres = try PrivatePostgres.shared()
        let url = try postgres.freshDatabase()
        let cityConfig: (String) -> String = { $0 + "\n[city]\ntoken = \"\(Self.cityToken)\"\n" }
        let demo = try HallServerProcess(database: url, edit: cityConfig)
        defer { demo.stop() }
        let town = try HallServerProcess(database: url) { text in
            cityConfig(text.replacingOccurrences(of: "id = \"demo-hall\"", with: "id = \"town-hall\"")
                .replacingOccurrences(of: "示范县政务服务中心", with: "示范镇便民服务中心"))
        }
        defer { town.stop() }
        // Demo hall: 3 tickets, 2 served at w01 by 1001 (one rated 非常满意), one no-show. Town hall: 2 tickets, none called.
        var tokens: [String] = []
        for service in ["hukou", "hukou", "idcard"] {
            let (status, json) = try Self.issue(demo, service)
            XCTAssertEqual(status, 201)
            tokens.append(json["token"] as? String ?? "")
        }
        for service in ["hukou", "social-insurance"] { XCTAssertEqual(try Self.issue(town, service).0, 201) }
        let staff = try demo.staffToken(window: "w01", employeeNo: "1001")
        for action in ["call-next", "complete", "call-next", "recall", "recall", "no-show", "call-next", "complete"] {
            let (_, status) = try HallServerProcess.request("POST", "\(demo.baseURL)/api/v1/windows/w01/\(action)", token: staff, body: "{}")
            XCTAssertTrue((200..<300).contains(status), "\(action): \(status)")
        }
        let completedToken = tokens[0]   // the first ticket is called first, and completed
        let ratingId = UUID().uuidString
        let (_, rated) = try HallServerProcess.request("POST", "\(demo.baseURL)/api/v1/ratings",
            body: #"{"ratingId":"\#(ratingId)","ticketToken":"\#(completedToken)","channel":"phoneQr","level":"verySatisfied"}"#,
            headers: [("Idempotency-Key", ratingId)])
        XCTAssertEqual(rated, 201, "rating the first completed ticket (token '\(completedToken)')")

        let location = try PostgresLocation(url: url)
        let reporter = try await CityReporter.open(location)
        defer { reporter.close() }
        let today = HallClock(timeZone: TimeZone(identifier: "Asia/Shanghai")!).moment(Date()).day
        let byHall = try await reporter.report(from: today, to: today, level: .hall, byDay: false)
        XCTAssertEqual(byHall.rows.map(\.hallName.zh), ["示范县政务服务中心", "示范镇便民服务中心"], "by hall id: demo-hall, town-hall")
        let demoRow = try XCTUnwrap(byHall.rows.first)
        XCTAssertEqual([demoRow.tickets, demoRow.called, demoRow.served, demoRow.noShows], [3, 3, 2, 1])
        XCTAssertEqual(demoRow.levels.verySatisfied, 1)
        XCTAssertEqual(demoRow.unratedServices, 1)
        XCTAssertEqual(demoRow.goodRate, 1)
        XCTAssertNotNil(demoRow.p90WaitMinutes)
        XCTAssertEqual(byHall.rows[1].tickets, 2)
        XCTAssertNil(byHall.rows[1].averageWaitMinutes, "nobody called in the town hall")
        XCTAssertEqual(byHall.total.tickets, 5)

        let byService = try await reporter.report(from: today, to: today, level: .service, byDay: true)
        let served = byService.rows.filter { $0.hallId == "demo-hall" && $0.windowId == "w01" }
        XCTAssertEqual(Set(served.map { $0.department?.zh ?? "" }), ["公安"])
        XCTAssertTrue(served.allSatisfy { $0.staffId == "s01" && ($0.staffName ?? "").hasSuffix("（1001）") }, "\(served.map(\.staffName))")
        XCTAssertEqual(served.map(\.tickets).reduce(0, +), 3)
        XCTAssertEqual(byService.rows.filter { $0.hallId == "town-hall" && $0.windowId == nil }.map(\.tickets).reduce(0, +), 2,
                       "tickets never called are reported under no window")
        XCTAssertEqual(byService.rows.compactMap(\.day).first, today)

        // The same figures from day summaries: a report "ten days later" summarises today and reads the summary.
        let later = Date().addingTimeInterval(10 * 86400)
        let built = try await CitySummary.build(reporter.database, from: today, to: today, now: later)
        XCTAssertEqual(built[.tickets], [today])
        XCTAssertEqual(built[.ratings], [today])
        let summarised = try await reporter.report(from: today, to: today, level: .hall, byDay: false)
        XCTAssertEqual(summarised.rows, byHall.rows, "the summaries give the same figures")

        // The command line: table and CSV.
        let binary = try BuiltProducts.executable("hallserver")
        let table = try runProgram(binary.path, ["report", "--city", "--db", url, "--from", today, "--by", "department"])
        XCTAssertEqual(table.code, 0, table.err)
        XCTAssertTrue(table.out.contains("示范县政务服务中心") && table.out.contains("公安"), table.out)
        let csv = try runProgram(binary.path, ["report", "--city", "--db", url, "--from", today, "--by", "hall", "--csv"])
        XCTAssertEqual(csv.code, 0, csv.err)
        XCTAssertTrue(csv.out.contains("demo-hall,示范县政务服务中心,3,3,2,1,0"), csv.out)
        let noCity = try runProgram(binary.path, ["report", "--db", url])
        XCTAssertNotEqual(noCity.code, 0)
        XCTAssertTrue(noCity.err.contains("give --city"), noCity.err)

        // The page: sign-in with the city token, the report, the CSV; a wrong token is refused.
        let (loginPage, _) = try HallServerProcess.request("GET", "\(demo.baseURL)/city")
        XCTAssertTrue(String(decoding: loginPage, as: UTF8.self).contains("action=\"/city/login\""))
        let (_, wrong) = try HallServerProcess.request("POST", "\(demo.baseURL)/city/login", body: "token=wrong-token-0123456789",
                                                       headers: [("Content-Type", "application/x-www-form-urlencoded")])
        XCTAssertEqual(wrong, 401)
        let (page, status) = try HallServerProcess.request("GET", "\(demo.baseURL)/city?from=\(today)&by=window", token: Self.cityToken)
        XCTAssertEqual(status, 200)
        let html = String(decoding: page, as: UTF8.self)
        XCTAssertTrue(html.contains("示范镇便民服务中心") && html.contains("1号窗口"), html)
        let (csvPage, csvStatus) = try HallServerProcess.request("GET", "\(demo.baseURL)/city/report.csv?from=\(today)&by=hall", token: Self.cityToken)
        XCTAssertEqual(csvStatus, 200)
        XCTAssertTrue(String(decoding: csvPage, as: UTF8.self).contains("town-hall,示范镇便民服务中心,2,0,0,0,0"))
        let (adminOnCity, _) = try HallServerProcess.request("GET", "\(demo.baseURL)/city/report.csv", token: "demo-admin-token-change-me")
        let answer = String(decoding: adminOnCity, as: UTF8.self)
        XCTAssertTrue(answer.contains("action=\"/city/login\"") && !answer.contains("demo-hall,"),
                      "the hall admin token does not open the city report (sent to the sign-in): \(answer.prefix(200))")
    }

    func testTheCityTokenFollowsTheAdminTokenRules() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("city-config-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let demo = try String(contentsOf: BuiltProducts.repository.appendingPathComponent("kiosk/demo/hall.toml"), encoding: .utf8)
        func load(_ city: String) throws {
            let path = folder.appendingPathComponent("hall.toml").path
            try (demo + "\n[city]\n" + city + "\n").write(toFile: path, atomically: true, encoding: .utf8)
            _ = try HallConfig.load(from: path)
        }
        XCTAssertNoThrow(try load(#"token = "a-long-enough-city-token""#))
        XCTAssertThrowsError(try load(#"token = "short""#)) { XCTAssertTrue("\($0)".contains("city.token: tokens must be at least 16 characters"), "\($0)") }
        XCTAssertThrowsError(try load(#"token = "demo-admin-token-change-me""#)) { XCTAssertTrue("\($0)".contains("must differ from hall.adminToken"), "\($0)") }
        XCTAssertThrowsError(try load(#"tokenSha256 = "abc""#)) { XCTAssertTrue("\($0)".contains("city.tokenSha256: must be 64 hex digits"), "\($0)") }
    }

    static func issue(_ server: HallServerProcess, _ serviceId: String) throws -> (Int, [String: Any]) {
        let (data, status) = try HallServerProcess.request("POST", "\(server.baseURL)/api/v1/tickets", token: kioskToken,
                                                           body: #"{"serviceId":"\#(serviceId)","kioskId":"kiosk-01"}"#,
                                                           headers: [("Idempotency-Key", UUID().uuidString)])
        return (status, (try? JSONSerialization.jsonObject(with: data) as? [String: Any]) ?? [:])
    }
}
