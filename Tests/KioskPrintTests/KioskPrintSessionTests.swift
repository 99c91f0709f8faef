import Foundation
import HallAPI
import HallTestSupport
import XCTest

/// The real `hallkiosk` (offscreen, scripted) with the real `hallserver` and the printer simulator:
/// a ticket comes out of the printer; without paper the citizen is told so and the hall sees the alert.
final class KioskPrintSessionTests: XCTestCase {
    var server: HallServerProcess!
    var sim: PrinterSim!
    var folder: URL!

    override func setUpWithError() throws {
        sim = try PrinterSim(self)
        folder = try temporaryFolder(self, "kiosk-print-e2e")
        server = try HallServerProcess { text in
            text.replacingOccurrences(of: "publicBaseUrl = \"http://127.0.0.1:8080\"", with: "publicBaseUrl = \"http://hall.test\"")
        }
    }

    override func tearDown() {
        server?.stop()
    }

    /// The demo ticket kiosk's config with `[printer]` pointing at the simulator.
    func config(destination: String, format: String = "png") throws -> String {
        let path = folder.appendingPathComponent("kiosk.toml").path
        try """
        role = "ticketKiosk"
        [device]
        id = "kiosk-01"
        token = "demo-kiosk-01-token-change-me"
        [server]
        url = "\(server.baseURL)"
        timeoutSeconds = 2
        [screen]
        width = 1080
        height = 1920
        videoDriver = "offscreen"
        [ui]
        statusRefreshSeconds = 1
        [printer]
        destination = "\(destination)"
        format = "\(format)"
        pollSeconds = 2
        jobTimeoutSeconds = 20
        footer = ["咨询电话 12345"]
        """.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    func run(_ script: String, config: String, file: StaticString = #filePath, line: UInt = #line) throws -> String {
        setenv("CUPS_SERVER", sim.cupsServer, 1)
        let (code, output) = try KioskProcess.run(config: config, script: script, in: folder, timeoutSeconds: 120)
        XCTAssertEqual(code, 0, "script failed:\n\(output)", file: file, line: line)
        return output
    }

    func testATakenNumberIsPrintedThroughCupsdAndItsQRFindsTheTicket() throws {
        _ = try run("""
            wait-text 户籍办理 15000
            tap-text 户籍办理
            wait-text 您的号码 5000
            expect-text A001
            wait-text 号票已打印 20000
            expect-text 请取走您的号票
            quit
            """, config: try config(destination: sim.queue))
        XCTAssertTrue(sim.waitFor(10) { !sim.jobFiles().isEmpty }, "a job reached the printer")
        let job = try XCTUnwrap(sim.jobFiles().first)
        XCTAssertEqual(try pngSize(job).width, 576)
        let url = try zbar(job.path)
        XCTAssertTrue(url.hasPrefix("http://hall.test/t/"), "QR on paper: '\(url)'")
        let (data, code) = try HallServerProcess.request("GET", "\(server.baseURL)/api/v1/tickets/\(url.dropFirst("http://hall.test/t/".count))")
        XCTAssertEqual(code, 200)
        XCTAssertEqual(try HallJSON.decoder().decode(TicketProgress.self, from: data).number, "A001")
    }

    /// The kiosk's printer condition on the hall server's device list (from its last heartbeat).
    func printerOnDeviceList() throws -> PrinterHealth? {
        let (data, _) = try HallServerProcess.request("GET", "\(server.baseURL)/api/v1/devices", token: "demo-admin-token-change-me")
        let devices = try HallJSON.decoder().decode([DeviceStatusEntry].self, from: data)
        return devices.first { $0.id == "kiosk-01" }?.heartbeat?.printer
    }

    /// `hallkiosk` started in the background with the simulator as its CUPS server.
    func launch(_ script: String, config: String) throws -> KioskProcess.Running {
        setenv("CUPS_SERVER", sim.cupsServer, 1)
        return try KioskProcess.launch(config: config, script: script, in: folder)
    }

    func testPaperOutGivesAnETicketAnAlertAtTheHallAndPrintsAgainAfterARefill() throws {
        sim.run("paper-out")
        // The script goes on when the kiosk has seen the printer's state change (its event stream), not after a fixed
        // time; the test refills the printer once the no-paper ticket is done and the kiosk is home again.
        let kiosk = try launch("""
            wait-text 户籍办理 15000
            wait-event printer condition=paperOut 15000
            tap-text 户籍办理
            wait-text 打印机缺纸 5000
            expect-text 请用手机拍下二维码
            expect-text A001
            wait 1600
            tap-text 完成
            wait-text 户籍办理 5000
            wait-event printer condition=ok 30000
            tap-text 户籍办理
            wait-text A002 5000
            wait-text 号票已打印 20000
            quit
            """, config: try config(destination: sim.printerURI))
        defer { if kiosk.process.isRunning { kiosk.kill() } }
        XCTAssertTrue(kiosk.waitForEvent("screen", ["screen": "home", "previous": "ticket"], timeoutSeconds: 40),
                      "home again after the no-paper ticket:\n\(kiosk.events.tail())\n\(kiosk.output)")
        XCTAssertEqual(sim.jobFiles().count, 0, "nothing was sent to the printer while it had no paper")
        _ = try runProgram(PrinterSim.script, ["--dir", sim.folder.appendingPathComponent("sim").path, "refill"])
        let (code, output) = kiosk.finish(timeoutSeconds: 60)
        XCTAssertEqual(code, 0, "script failed:\n\(output)")
        XCTAssertEqual(sim.jobFiles().count, 1, "only the ticket after the refill was sent to the printer:\n\(output)")
        XCTAssertEqual(kiosk.events.matching("printed", ["outcome": "printed"]).count, 1, "one ticket printed:\n\(kiosk.events.tail())")
        // The kiosk's heartbeats told the hall server; the device list shows the alert until the next beat (the
        // printer's change sends one at once).
        waitUntil(10) { (try? printerOnDeviceList())??.condition == .ok }
        let printer = try printerOnDeviceList()
        XCTAssertEqual(printer?.condition, .ok, "after the refill: \(String(describing: printer))")
        XCTAssertTrue(output.contains("paperOut") || output.contains("media-empty"), "the kiosk logged the paper-out")
    }

    func testPaperOutReachesTheHallServersDeviceList() throws {
        sim.run("paper-out")
        // The kiosk stays up until the test has read the device list (its control channel), instead of a fixed 4 s.
        let kiosk = try launch("""
            wait-text 户籍办理 15000
            wait-stdin checked 30000
            quit
            """, config: try config(destination: sim.printerURI))
        defer { if kiosk.process.isRunning { kiosk.kill() } }
        XCTAssertTrue(kiosk.waitForEvent("screen", ["screen": "home"], timeoutSeconds: 20), kiosk.output)
        // Within 4 s of the home screen, as the script's fixed wait allowed before.
        waitUntil(4) { (try? printerOnDeviceList())??.condition == .paperOut }
        kiosk.send("checked")
        let (code, output) = kiosk.finish(timeoutSeconds: 30)
        XCTAssertEqual(code, 0, "script failed:\n\(output)")
        let (data, _) = try HallServerProcess.request("GET", "\(server.baseURL)/api/v1/devices", token: "demo-admin-token-change-me")
        let devices = try HallJSON.decoder().decode([DeviceStatusEntry].self, from: data)
        let entry = try XCTUnwrap(devices.first { $0.id == "kiosk-01" })
        XCTAssertEqual(entry.heartbeat?.printer?.condition, .paperOut)
        XCTAssertEqual(entry.heartbeat?.printer?.reasons, ["media-empty"])
        XCTAssertTrue(entry.alerts.contains { $0.contains("printer out of paper") }, "\(entry.alerts)")
    }
}
