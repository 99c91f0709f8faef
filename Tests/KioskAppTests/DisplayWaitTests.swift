import Foundation
import HallAPI
import HallTestSupport
import XCTest
#if canImport(Glibc)
import Glibc
#endif

/// A kiosk whose display does not open. Under (pretend) systemd it stays up, says why to systemd and to the
/// hall server's device list, feeds the watchdog, and starts once a display appears (a real Xvfb started
/// late); outside systemd it fails at once; a setting that cannot work (a missing font) is exit 78.
final class DisplayWaitTests: KioskOnXTestCase {
    func kioskEntry() throws -> DeviceStatusEntry {
        let (data, _) = try HallServerProcess.request("GET", "\(server.baseURL)/api/v1/devices", token: "demo-admin-token-change-me")
        let devices = try HallJSON.decoder().decode([DeviceStatusEntry].self, from: data)
        return try XCTUnwrap(devices.first { $0.id == "kiosk-01" })
    }

    func testWaitsForADisplayTellingSystemdAndTheHallThenStartsWhenOneAppears() throws {
        let display = Self.freeDisplay()
        let listener = try NotifyListener()
        defer { listener.close() }
        let kiosk = try KioskUnderTest(folder: folder, serverURL: server.baseURL,
                                       script: "wait-text 户籍办理 20000\nquit\n",
                                       environment: ["NOTIFY_SOCKET": listener.path, "WATCHDOG_USEC": "2000000",
                                                     "DISPLAY": ":\(display)", "XAUTHORITY": "/dev/null"],
                                       video: "x11")
        // systemd hears READY=1 with the reason, so TimeoutStartSec= does not kill it and `systemctl status` says why.
        XCTAssertTrue(listener.waitFor(count: 1, of: "READY=1\nSTATUS=waiting for a display", timeoutSeconds: 30, contains: true),
                      "got \(listener.messages.map(\.text)); output:\n\(kiosk.output)")
        XCTAssertTrue(kiosk.process.isRunning, "the kiosk stays up without a display")

        // The hall's device list names the kiosk and what is wrong with it.
        var entry = try kioskEntry()
        let deadline = Date().addingTimeInterval(15)
        while entry.heartbeat?.screen != DeviceHeartbeat.noDisplayScreen, Date() < deadline {
            Thread.sleep(forTimeInterval: 0.3)
            entry = try kioskEntry()
        }
        XCTAssertEqual(entry.heartbeat?.screen, DeviceHeartbeat.noDisplayScreen, "output:\n\(kiosk.output)")
        XCTAssertTrue(entry.alerts.contains { $0.contains("display not working") && $0.contains("x11") }, "\(entry.alerts)")

        // The watchdog is fed while it waits (a ping a second with WATCHDOG_USEC of 2 s).
        XCTAssertTrue(listener.waitFor(count: 3, of: "WATCHDOG=1", timeoutSeconds: 10), "got \(listener.messages.map(\.text))")

        // A display appears: the kiosk opens it by itself and runs its session.
        try startX(display)
        let code = kiosk.waitForExit(timeoutSeconds: 60)
        XCTAssertEqual(code, 0, "the session ran once the display came; output:\n\(kiosk.output)")
        XCTAssertTrue(kiosk.output.contains("display: opened with video driver 'x11'"), kiosk.output)
        XCTAssertEqual(kiosk.output.components(separatedBy: "the kiosk keeps trying").count - 1, 1,
                       "the reason is logged once, not every 5 s: \(kiosk.output)")
        XCTAssertNotEqual(try kioskEntry().heartbeat?.screen, DeviceHeartbeat.noDisplayScreen, "the next heartbeat names the real screen")
    }

    func testSIGTERMWhileWaitingIsACleanStop() throws {
        let listener = try NotifyListener()
        defer { listener.close() }
        let kiosk = try KioskUnderTest(folder: folder, serverURL: server.baseURL, script: "quit\n",
                                       environment: ["NOTIFY_SOCKET": listener.path, "DISPLAY": ":\(Self.freeDisplay())",
                                                     "XAUTHORITY": "/dev/null"],
                                       video: "x11")
        XCTAssertTrue(listener.waitFor(count: 1, of: "STATUS=waiting for a display", timeoutSeconds: 30, contains: true),
                      "output:\n\(kiosk.output)")
        kill(kiosk.process.processIdentifier, SIGTERM)
        XCTAssertEqual(kiosk.waitForExit(timeoutSeconds: 10), 0, kiosk.output)
        // Sent before the exit, but read by the listener's thread a moment later.
        XCTAssertTrue(listener.waitFor("STOPPING=1", timeoutSeconds: 10), "got \(listener.messages.map(\.text))")
    }

    func testOutsideSystemdADisplayFailureEndsAtOnceAndAMissingFontIsASettingToFix() throws {
        let noDisplay = try KioskUnderTest(folder: folder, serverURL: server.baseURL, script: "quit\n",
                                           environment: ["DISPLAY": ":\(Self.freeDisplay())", "XAUTHORITY": "/dev/null"], video: "x11")
        XCTAssertEqual(noDisplay.waitForExit(timeoutSeconds: 30), 69, noDisplay.output)
        XCTAssertTrue(noDisplay.output.contains("display:"), noDisplay.output)

        let noFont = try KioskUnderTest(folder: folder, serverURL: server.baseURL, script: "quit\n", environment: [:],
                                        extraConfig: "[fonts]\nregular = \"/nonexistent/NoSuchFont.otf\"\n")
        XCTAssertEqual(noFont.waitForExit(timeoutSeconds: 30), 78, "systemd does not restart a setting to fix; \(noFont.output)")
        XCTAssertTrue(noFont.output.contains("/nonexistent/NoSuchFont.otf"), noFont.output)
    }
}
