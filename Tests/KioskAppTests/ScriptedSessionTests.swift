import Foundation
import HallAPI
import HallTestSupport
@testable import KioskApp
import KioskCore
import KioskSDL
import XCTest

/// The real `hallkiosk` (offscreen) driven by scripted sessions against the real `hallserver`.
final class ScriptedSessionTests: XCTestCase {
    var server: HallServerProcess!
    var folder: URL!

    override func setUpWithError() throws {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("kiosk-e2e-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    }

    override func tearDown() {
        server?.stop()
    }

    func startServer(edit: @escaping (String) -> String = { $0 }) throws {
        server = try HallServerProcess { text in
            edit(text).replacingOccurrences(of: "publicBaseUrl = \"http://127.0.0.1:8080\"", with: "publicBaseUrl = \"http://hall.test\"")
        }
    }

    func run(_ script: String, size: (Int, Int) = (1080, 1920), statusRefreshSeconds: Int = 1, extra: String = "",
             file: StaticString = #filePath, line: UInt = #line) throws -> String {
        let config = try KioskProcess.writeConfig(in: folder, serverURL: server.baseURL, size: size,
                                                  statusRefreshSeconds: statusRefreshSeconds, extra: extra)
        let (code, output) = try KioskProcess.run(config: config, script: script, in: folder)
        XCTAssertEqual(code, 0, "script failed:\n\(output)", file: file, line: line)
        return output
    }

    /// How many numbers the server issued today for the service `id`.
    func issued(_ id: String) throws -> Int? {
        try hall().services.first { $0.id == id }?.issuedToday
    }

    func hall() throws -> HallStatus {
        let (data, _) = try HallServerProcess.request("GET", "\(server.baseURL)/api/v1/hall", token: "demo-kiosk-01-token-change-me")
        return try HallJSON.decoder().decode(HallStatus.self, from: data)
    }

    func testTakeNumbersForSeveralServicesInBothLanguagesAndScanTheQR() throws {
        try startServer()
        let shot = folder.appendingPathComponent("ticket.png").path
        _ = try run("""
            wait-text 户籍办理 15000
            tap-text 户籍办理
            wait-text 您的号码 5000
            expect-text A001
            expect-text 本机不打印号票
            screenshot \(shot)
            # The ticket screen ignores touches for 1.5 s so a double tap cannot dismiss it.
            wait 1600
            tap-text 完成
            wait-text 身份证办理 5000
            tap-text 身份证办理
            wait-text B001 5000
            wait 1600
            tap-text 完成
            wait-text English 5000
            tap-text English
            wait-text Household registration 5000
            tap-text Household registration
            wait-text A002 5000
            expect-text This kiosk does not print tickets
            quit
            """)
        XCTAssertEqual(try issued("hukou"), 2)
        XCTAssertEqual(try issued("idcard"), 1)
        // The QR on screen is the ticket's phone page, and that ticket exists on the server.
        let zbar = Process()
        zbar.executableURL = URL(fileURLWithPath: "/usr/bin/zbarimg")
        zbar.arguments = ["--raw", "-q", shot]
        let pipe = Pipe()
        zbar.standardOutput = pipe
        try zbar.run()
        zbar.waitUntilExit()
        let url = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        XCTAssertTrue(url.hasPrefix("http://hall.test/t/"), "QR decodes to the lookup URL: '\(url)'")
        let token = String(url.dropFirst("http://hall.test/t/".count))
        let (data, code) = try HallServerProcess.request("GET", "\(server.baseURL)/api/v1/tickets/\(token)")
        XCTAssertEqual(code, 200)
        XCTAssertEqual(try HallJSON.decoder().decode(TicketProgress.self, from: data).number, "A001")
    }

    /// Landscape 1920×1080 (every service on one screen): a Chinese reader and an English reader each take a number
    /// with one touch on the Chinese home, the English reader by the small English name, without switching.
    func testLandscapeTakesANumberInOneTouchInEitherLanguage() throws {
        try startServer()
        _ = try run("""
            wait-text 社保业务 15000
            tap-text 社保业务
            wait-text 您的号码 5000
            expect-text 社保业务
            wait 1600
            tap-text 完成
            wait-text Real estate registration 5000
            tap-text Real estate registration
            wait-text 您的号码 5000
            expect-text 不动产登记
            quit
            """, size: (1920, 1080))
        XCTAssertEqual(try issued("social-insurance"), 1)
        XCTAssertEqual(try issued("real-estate"), 1)
    }

    /// 1280×800 shows departments as tabs: a department tab, then the service — by its English words on the
    /// Chinese home, and in large text (where tabs and buttons are one language) after switching it on.
    /// (1280×800 with large text is what the last part runs at.)
    func testSmallLandscapeTakesANumberThroughADepartmentTab() throws {
        try startServer()
        _ = try run("""
            wait-text 人力社保 15000
            expect-no-text 医保业务
            tap-text Human Resources
            wait-text Medical insurance 5000
            tap-text Medical insurance
            wait-text 您的号码 5000
            expect-text 医保业务
            wait 1600
            tap-text 完成
            wait-text 大字 5000
            tap-text 大字
            wait-text 市场监管 5000
            expect-no-text Market Regulation
            tap-text 市场监管
            wait-text 企业开办 5000
            tap-text 企业开办
            wait-text 您的号码 5000
            quit
            """, size: (1280, 800))
        XCTAssertEqual(try issued("medical-insurance"), 1)
        XCTAssertEqual(try issued("business-startup"), 1)
    }

    /// A failed request nobody answers does not wait for the next citizen's touch. Every answer to a ticket request
    /// is lost on the way back (the hall's network drops it), so after the automatic retries under one key the
    /// citizen sees "网络不通 / 再试一次"; they walk away, and after the idle timeout home is back in the default
    /// language. The server holds exactly one ticket for the three requests.
    func testAFailedRequestNobodyAnswersReturnsHomeByItself() throws {
        try startServer()
        let proxy = try FaultProxy(upstreamPort: server.port)
        defer { proxy.stop() }
        proxy.setRule { line in line.method == "POST" && line.path.hasPrefix("/api/v1/tickets") ? .loseAnswer : .forward }
        let config = try KioskProcess.writeConfig(in: folder, serverURL: proxy.baseURL, offlineGraceSeconds: 600,
                                                  extra: "idleTimeoutSeconds = 10")
        let (code, output) = try KioskProcess.run(config: config, script: """
            wait-text 户籍办理 15000
            tap-text English
            wait-text Household registration 5000
            tap-text Household registration
            wait-text The network is not answering 20000
            expect-text Try again
            wait 8000
            expect-text The network is not answering
            wait-text 户籍办理 5000
            expect-no-text The network is not answering
            expect-no-text Check progress
            quit
            """, in: folder)
        XCTAssertEqual(code, 0, "script failed:\n\(output)")
        XCTAssertEqual(try issued("hukou"), 1, "one intent, one ticket")
    }

    /// A script cut short by SIGTERM has not shown what it was to check: the run fails and names the line; a script
    /// that only waits to be stopped ends cleanly. A misspelt key is refused before the kiosk starts.
    func testAScriptCutShortFailsAndAnUnknownKeyIsRefused() throws {
        try startServer()
        let config = try KioskProcess.writeConfig(in: folder, serverURL: server.baseURL)
        for (script, expected, words) in [
            ("wait-text 户籍办理 15000\nwait-text 这段文字不会出现 60000\nquit\n", Int32(2),
             "script line 2: interrupted by SIGTERM before the script finished"),
            ("wait-text 户籍办理 15000\nwait 60000\nquit\n", Int32(0), "SIGTERM received: stopping cleanly"),
        ] {
            let kiosk = try KioskProcess.launch(config: config, script: script, in: folder)
            // Past the first wait-text: the loop turn that takes the hall's first answer (its hallReachable event) also
            // runs the script on the frame showing it, before the loop looks at signals.
            XCTAssertTrue(kiosk.waitForEvent("hallReachable", timeoutSeconds: 20), kiosk.output)
            kill(kiosk.process.processIdentifier, SIGTERM)
            let (code, output) = kiosk.finish(timeoutSeconds: 20)
            XCTAssertEqual(code, expected, output)
            XCTAssertTrue(output.contains(words), output)
        }
        let (code, output) = try KioskProcess.run(config: config, script: "key Retrun\nquit\n", in: folder)
        XCTAssertEqual(code, 78, output)
        XCTAssertTrue(output.contains("line 1: unknown key 'Retrun'"), output)
    }

    func testDoubleTapTakesOneNumber() throws {
        try startServer()
        // Find where the button is, exactly as the kiosk lays it out (same fonts, size and strings).
        let window = try KioskWindow(options: KioskWindowOptions(videoDriver: "offscreen", size: Size(width: 1080, height: 1920)))
        defer { window.close() }
        let settings = try KioskSettings.sample()
        var engine = KioskEngine(state: KioskState(now: Date(), intentKeySeed: "probe"),
                                 context: .make(settings, size: window.layoutSize, strings: try Strings.bundled(), measurer: window.measurer))
        _ = engine.handle(.hallStatusArrived(try hall(), at: Date()))
        let point = try XCTUnwrap(engine.display.tapPoint(forLabelContaining: "户籍办理"))
        // The server's idempotency key would make one ticket of three requests under one key: count the requests.
        let proxy = try FaultProxy(upstreamPort: server.port)
        defer { proxy.stop() }
        let ticketRequests = Counter()
        proxy.setRule { line in
            if line.method == "POST" && line.path.hasPrefix("/api/v1/tickets") { _ = ticketRequests.next() }
            return .forward
        }
        let config = try KioskProcess.writeConfig(in: folder, serverURL: proxy.baseURL)
        let (code, output) = try KioskProcess.run(config: config, script: """
            wait-text 户籍办理 15000
            tap \(point.x) \(point.y)
            tap \(point.x) \(point.y)
            tap \(point.x) \(point.y)
            wait-text 您的号码 5000
            wait 1500
            quit
            """, in: folder)
        XCTAssertEqual(code, 0, "script failed:\n\(output)")
        XCTAssertEqual(ticketRequests.value, 1, "three taps, one ticket request")
        XCTAssertEqual(try issued("hukou"), 1, "three taps, one ticket")
    }

    func testLookupByKeypadAndByScannedQR() throws {
        try startServer()
        let (data, _) = try HallServerProcess.request("POST", "\(server.baseURL)/api/v1/tickets", token: "demo-kiosk-01-token-change-me",
                                                      body: #"{"serviceId":"hukou","kioskId":"kiosk-01"}"#, headers: [("Idempotency-Key", "lookup-test")])
        let ticket = try HallJSON.decoder().decode(IssuedTicket.self, from: data)
        _ = try run("""
            wait-text 进度查询 15000
            tap-text 进度查询
            wait-text 请输入号票上的号码 5000
            tap-text A
            tap-text 0
            tap-text 0
            tap-text 1
            tap-text 查询
            wait-text 等候中 5000
            expect-text A001
            tap-text 返回首页
            wait-text 户籍办理 5000
            type http://hall.test/t/\(ticket.token)
            key Return
            wait-text 等候中 5000
            expect-text A001
            quit
            """)
    }

    func testQuotaReachedShowsWhyAndCannotBePressed() throws {
        try startServer { $0.replacingOccurrences(of: "dailyQuota = 120", with: "dailyQuota = 1") }
        _ = try HallServerProcess.request("POST", "\(server.baseURL)/api/v1/tickets", token: "demo-kiosk-01-token-change-me",
                                          body: #"{"serviceId":"exit-entry","kioskId":"kiosk-01"}"#, headers: [("Idempotency-Key", "q")])
        _ = try run("""
            wait-text 今日号源已满 15000
            tap-text 出入境证件
            wait 800
            expect-no-text 请取走您的号票
            expect-text 今日号源已满
            quit
            """)
        XCTAssertEqual(try issued("exit-entry"), 1)
    }

    func testServerDownShowsOfflineAndRecoversByItself() throws {
        try startServer()
        let config = try KioskProcess.writeConfig(in: folder, serverURL: server.baseURL, statusRefreshSeconds: 1)
        let kiosk = try KioskProcess.launch(config: config, script: """
            wait-text 户籍办理 15000
            wait-text 暂时不能取号 20000
            expect-text 请到咨询台
            wait-text 户籍办理 30000
            expect-no-text 暂时不能取号
            quit
            """, in: folder)
        defer { if kiosk.process.isRunning { kiosk.kill() } }
        // The outage follows the kiosk (its event stream), not a clock: down once it has the hall, up once it says offline.
        XCTAssertTrue(kiosk.waitForEvent("hallReachable", timeoutSeconds: 20), kiosk.output)
        server.stop()
        XCTAssertTrue(kiosk.waitForEvent("screen", ["screen": "offline"], timeoutSeconds: 20), kiosk.output)
        try server.restart()
        let (code, output) = kiosk.finish()
        XCTAssertEqual(code, 0, "script failed:\n\(output)")
    }
}
