import Foundation
import HallAPI
import HallTestSupport
import XCTest

/// When the hall server refuses to issue because its clock cannot be right, hall IT reads why on the kiosk's
/// admin screen (issue 16, item 11 h), not only on `/healthz`.
extension AdminHeartbeatTests {
    func testTheAdminScreenSaysTheHallServersClockIsWrong() throws {
        let server = try HallServerProcess()
        defer { server.stop() }
        let (_, issued) = try HallServerProcess.request("POST", "\(server.baseURL)/api/v1/tickets", token: "demo-kiosk-01-token-change-me",
                                                        body: #"{"serviceId":"hukou","kioskId":"kiosk-01"}"#,
                                                        headers: [("Idempotency-Key", UUID().uuidString)])
        XCTAssertEqual(issued, 201)
        // The stored ticket now lies two days ahead of the box's clock: as if the clock went back two days.
        server.stop()
        let sql = Process()
        sql.executableURL = URL(fileURLWithPath: "/usr/bin/sqlite3")
        sql.arguments = [server.folder.appendingPathComponent("hall.sqlite").path,
                         "UPDATE ticket SET issuedAt = strftime('%Y-%m-%d %H:%M:%f', 'now', '+2 days')"]
        try sql.run()
        sql.waitUntilExit()
        XCTAssertEqual(sql.terminationStatus, 0)
        try server.restart()
        let (body, health) = try HallServerProcess.request("GET", "\(server.baseURL)/healthz")
        XCTAssertEqual(health, 503, String(decoding: body, as: UTF8.self))

        let (folder, config) = try adminKioskConfig(server: server, name: "admin-clock")
        defer { try? FileManager.default.removeItem(at: folder) }
        let (code, output) = try KioskProcess.run(config: config, script: Self.openAdmin + """

            wait-text 服务器时钟异常 5000
            expect-text 有问题
            expect-text earlier than data already stored
            quit
            """, in: folder)
        XCTAssertEqual(code, 0, output)
    }
}
