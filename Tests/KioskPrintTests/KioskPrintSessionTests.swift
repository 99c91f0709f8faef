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
            wait-text 请取走您的号票 5000
            expect-text A001
            wait-text 号票已打印 20000
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

    func testPaperOutGivesAnETicketAnAlertAtTheHallAndPrintsAgainAfterARefill() throws {
        sim.run("paper-out")
        let sim = self.sim!
        let refill = Thread {
            Thread.sleep(forTimeInterval: 14)
            _ = try? runProgram(PrinterSim.script, ["--dir", sim.folder.appendingPathComponent("sim").path, "refill"])
        }
        refill.start()
        let output = try run("""
            wait-text 户籍办理 15000
            wait 3000
            tap-text 户籍办理
            wait-text 打印机缺纸 5000
            expect-text 请用手机拍下二维码
            expect-text A001
            wait 1600
            tap-text 完成
            wait-text 户籍办理 5000
            wait 16000
            tap-text 户籍办理
            wait-text A002 5000
            wait-text 号票已打印 20000
            quit
            """, config: try config(destination: sim.printerURI))
        XCTAssertEqual(sim.jobFiles().count, 1, "only the ticket after the refill was sent to the printer:\n\(output)")
        // The kiosk's heartbeats told the hall server; the device list shows the alert until the next beat.
        let (data, _) = try HallServerProcess.request("GET", "\(server.baseURL)/api/v1/devices", token: "demo-admin-token-change-me")
        let devices = try HallJSON.decoder().decode([DeviceStatusEntry].self, from: data)
        let kiosk = try XCTUnwrap(devices.first { $0.id == "kiosk-01" })
        XCTAssertEqual(kiosk.heartbeat?.printer?.condition, .ok, "after the refill: \(String(describing: kiosk.heartbeat?.printer))")
        XCTAssertTrue(output.contains("paperOut") || output.contains("media-empty"), "the kiosk logged the paper-out")
    }

    func testPaperOutReachesTheHallServersDeviceList() throws {
        sim.run("paper-out")
        _ = try run("""
            wait-text 户籍办理 15000
            wait 4000
            quit
            """, config: try config(destination: sim.printerURI))
        let (data, _) = try HallServerProcess.request("GET", "\(server.baseURL)/api/v1/devices", token: "demo-admin-token-change-me")
        let devices = try HallJSON.decoder().decode([DeviceStatusEntry].self, from: data)
        let kiosk = try XCTUnwrap(devices.first { $0.id == "kiosk-01" })
        XCTAssertEqual(kiosk.heartbeat?.printer?.condition, .paperOut)
        XCTAssertEqual(kiosk.heartbeat?.printer?.reasons, ["media-empty"])
        XCTAssertTrue(kiosk.alerts.contains { $0.contains("printer out of paper") }, "\(kiosk.alerts)")
    }
}
