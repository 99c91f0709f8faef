import FaultInjection
import Foundation
import HallTestSupport
import XCTest

/// The real `hallkiosk` as calling displays (offscreen) against the real `hallserver`: a call reaches the hall screen
/// and its window's screen, each once; a cut link shows the banner within 3 s; calls made while the display was cut
/// off are on it within 2 s of the link coming back.
final class CallingDisplayTests: XCTestCase {
    var server: HallServerProcess!
    var proxy: FaultProxy?
    var folder: URL!
    var displays: [KioskProcess.Running] = []
    let kioskToken = "demo-kiosk-01-token-change-me"

    override func setUpWithError() throws {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("display-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        server = try HallServerProcess()
    }

    override func tearDown() {
        for display in displays where display.process.isRunning { display.kill() }
        proxy?.stop()
        server?.stop()
    }

    /// Starts a calling display (the hall screen, or `window`'s screen) at `url`; returns once it shows the board.
    private func startDisplay(url: String, window: String? = nil) throws -> KioskProcess.Running {
        let id = window.map { "display-\($0)" } ?? "display-hall"
        var device = [("id", id), ("token", "demo-\(id)-token-change-me")]
        if let window { device.append(("window", window)) }
        let config = try KioskProcess.writeDeviceConfig(in: folder, name: "\(id).toml", role: "callingDisplay", device: device,
                                                        serverURL: url, size: window == nil ? (1920, 1080) : (1280, 400),
                                                        offlineGraceSeconds: 5, statusRefreshSeconds: 5)
        let display = try KioskProcess.launch(config: config, script: nil, in: folder)
        displays.append(display)
        XCTAssertTrue(display.waitForEvent("boardLink", ["up": "true"], timeoutSeconds: 20), "no board:\n\(display.output)")
        return display
    }

    /// Issues a ticket for `service` through the API; returns its number.
    @discardableResult
    private func issue(_ service: String) throws -> String {
        let (data, status) = try HallServerProcess.request("POST", "\(server.baseURL)/api/v1/tickets", token: kioskToken,
                                                           body: #"{"serviceId":"\#(service)","kioskId":"kiosk-01"}"#,
                                                           headers: [("Idempotency-Key", UUID().uuidString)])
        XCTAssertEqual(status, 201, String(decoding: data, as: UTF8.self))
        return ((try JSONSerialization.jsonObject(with: data) as? [String: Any])?["number"] as? String) ?? ""
    }

    /// Calls the next ticket at `window` and finishes it right away (so the window can call again).
    private func callNext(_ window: String, staff: String, complete: Bool = false) throws {
        let (data, status) = try HallServerProcess.request("POST", "\(server.baseURL)/api/v1/windows/\(window)/call-next", token: staff)
        XCTAssertEqual(status, 200, String(decoding: data, as: UTF8.self))
        if complete {
            XCTAssertEqual(try HallServerProcess.request("POST", "\(server.baseURL)/api/v1/windows/\(window)/complete", token: staff).1, 200)
        }
    }

    func testACallReachesTheHallScreenAndItsWindowsScreenOnceAndNoOtherWindowsScreen() throws {
        let hall = try startDisplay(url: server.baseURL)
        let w03 = try startDisplay(url: server.baseURL, window: "w03")
        let w03Staff = try server.staffToken(window: "w03", employeeNo: "1003")
        let w01Staff = try server.staffToken(window: "w01", employeeNo: "1001")
        let social = try issue("social-insurance")
        let hukou = try issue("hukou")
        try callNext("w03", staff: w03Staff)
        try callNext("w01", staff: w01Staff)
        XCTAssertTrue(hall.waitForEvent("callShown", ["number": social, "windowId": "w03", "live": "true"], timeoutSeconds: 5))
        XCTAssertTrue(hall.waitForEvent("callShown", ["number": hukou, "windowId": "w01", "live": "true"], timeoutSeconds: 5))
        XCTAssertTrue(w03.waitForEvent("callShown", ["number": social, "live": "true"], timeoutSeconds: 5))
        // A recall is shown again, marked; the window screen never shows window 1's call.
        XCTAssertEqual(try HallServerProcess.request("POST", "\(server.baseURL)/api/v1/windows/w03/recall", token: w03Staff).1, 200)
        XCTAssertTrue(hall.waitForEvent("callShown", ["number": social, "recall": "1"], timeoutSeconds: 5))
        XCTAssertTrue(w03.waitForEvent("callShown", ["number": social, "recall": "1"], timeoutSeconds: 5))
        XCTAssertTrue(w03.events.matching("callShown", ["number": hukou]).isEmpty, "window 3's screen shows only its own calls")
        for (display, count) in [(hall, 3), (w03, 2)] {
            let shown = display.events.matching("callShown")
            XCTAssertEqual(shown.count, count, "each call once:\n\(shown)")
            XCTAssertEqual(Set(shown.compactMap { $0["eventId"] }).count, shown.count)
            XCTAssertTrue(display.events.matching("boardLink", ["up": "false"]).isEmpty, "the link never dropped:\n\(display.output)")
        }
    }

    func testACutLinkShowsTheBannerWithinThreeSecondsAndTheCallsMadeMeanwhileAppearWhenItIsBack() throws {
        let proxy = try FaultProxy(upstreamPort: server.port)
        self.proxy = proxy
        let hall = try startDisplay(url: proxy.baseURL)
        let staff = try server.staffToken(window: "w03", employeeNo: "1003")
        var numbers: [String] = []
        for _ in 0..<5 { numbers.append(try issue("social-insurance")) }
        // The cable is pulled: the open stream carries nothing more, new requests hang.
        proxy.setRule { _ in .hang }
        proxy.freezeOpenConnections()
        let cut = Date()
        XCTAssertTrue(hall.waitForEvent("boardLink", ["up": "false"], timeoutSeconds: 5), hall.output)
        let noticed = Date().timeIntervalSince(cut)
        XCTAssertLessThanOrEqual(noticed, 3.2, "the banner is up within 3 s (plus the test's polling)")
        for _ in 0..<5 { try callNext("w03", staff: staff, complete: true) }
        XCTAssertTrue(hall.events.matching("callShown", ["live": "true"]).isEmpty, "nothing reached the cut-off display")
        // The cable is back.
        proxy.thawConnections()
        proxy.setRule { _ in .forward }
        let back = Date()
        XCTAssertTrue(hall.waitForEvent("boardLink", ["up": "true"], count: 2, timeoutSeconds: 5), hall.output)
        for number in numbers {
            XCTAssertTrue(hall.waitForEvent("callShown", ["number": number, "live": "true"], timeoutSeconds: 3),
                          "\(number) missing after the reconnect:\n\(hall.events.tail(20))")
        }
        XCTAssertLessThanOrEqual(Date().timeIntervalSince(back), 2.5, "the screen equals the server's board within 2 s of the link")
    }

    func testARestartedServerNeedsNoHandOnTheDisplay() throws {
        let hall = try startDisplay(url: server.baseURL)
        try server.restart()
        XCTAssertTrue(hall.waitForEvent("boardLink", ["up": "false"], timeoutSeconds: 5), hall.output)
        XCTAssertTrue(hall.waitForEvent("boardLink", ["up": "true"], count: 2, timeoutSeconds: 10), hall.output)
        let staff = try server.staffToken(window: "w03", employeeNo: "1003")
        let number = try issue("social-insurance")
        try callNext("w03", staff: staff)
        XCTAssertTrue(hall.waitForEvent("callShown", ["number": number, "live": "true"], timeoutSeconds: 5), hall.events.tail(10))
    }
}
