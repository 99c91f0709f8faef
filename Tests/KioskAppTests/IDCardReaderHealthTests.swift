import Foundation
import HallTestSupport
import KioskEventStream
import XCTest
#if canImport(Glibc)
import Glibc
#endif

/// The real `hallkiosk` (offscreen) with `[idcard] device` on `kiosk/idcard-sim`'s pty and the real `hallserver`:
/// the reader's health rides the heartbeat to `GET /api/v1/devices`, an unplug shows as a device problem and a
/// replug clears it, and a placed card leaves its number and name nowhere.
final class IDCardReaderHealthTests: XCTestCase {
    var server: HallServerProcess!
    var folder: URL!
    var simulator: Process?
    var control: String!

    override func setUpWithError() throws {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("kiosk-idcard-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        server = try HallServerProcess(database: folder.appendingPathComponent("hall.sqlite").path)
    }

    override func tearDown() {
        if let control { send("quit") }
        if let simulator, simulator.isRunning {
            _ = waitUntil(3, poll: 0.02) { !simulator.isRunning }
            if simulator.isRunning { simulator.terminate() }
        }
        server?.stop()
        if let folder { try? FileManager.default.removeItem(at: folder) }
    }

    /// Starts `kiosk/idcard-sim` with the sample cards and a control FIFO; returns its stable link.
    private func startSimulator() throws -> String {
        let link = folder.appendingPathComponent("ttyIDCARD").path
        control = folder.appendingPathComponent("idcard.ctl").path
        let log = folder.appendingPathComponent("idcard-sim.log").path
        FileManager.default.createFile(atPath: log, contents: nil)
        let process = Process()
        let repository = BuiltProducts.repository
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", repository.appendingPathComponent("kiosk/idcard-sim").path, "--link", link,
                             "--cards", repository.appendingPathComponent("kiosk/idcard-sim.d/cards").path, "--control", control]
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: log))
        process.standardOutput = handle
        process.standardError = handle
        try process.run()
        simulator = process
        _ = waitUntil(10, poll: 0.02) { ((try? String(contentsOfFile: log, encoding: .utf8)) ?? "").contains("ready ") }
        let text = (try? String(contentsOfFile: log, encoding: .utf8)) ?? ""
        guard text.contains("ready \(link)") else { throw ListenerError("kiosk/idcard-sim did not start: \(text)") }
        return link
    }

    private func send(_ line: String) {
        guard let control else { return }
        let fd = open(control, O_WRONLY | O_NONBLOCK)
        guard fd >= 0 else { return }
        _ = (line + "\n").withCString { write(fd, $0, strlen($0)) }
        close(fd)
    }

    /// The kiosk-01 entry of `GET /api/v1/devices` and the whole answer.
    private func kioskEntry() -> ([String: Any], String)? {
        guard let (data, status) = try? HallServerProcess.request("GET", "\(server.baseURL)/api/v1/devices", token: "demo-admin-token-change-me"),
              status == 200, let json = try? JSONSerialization.jsonObject(with: data) else { return nil }
        let list = (json as? [[String: Any]]) ?? ((json as? [String: Any])?["devices"] as? [[String: Any]]) ?? []
        guard let entry = list.first(where: { $0["id"] as? String == "kiosk-01" }) else { return nil }
        return (entry, String(decoding: data, as: UTF8.self))
    }

    private func reader(_ entry: [String: Any]) -> [String: Any]? {
        (entry["heartbeat"] as? [String: Any])?["idCardReader"] as? [String: Any]
    }

    func testReaderHealthInTheHeartbeatUnplugShowsAProblemReplugClearsItAndACardLeavesNoPersonalData() throws {
        let link = try startSimulator()
        let kiosk = try KioskUnderTest(folder: folder, serverURL: server.baseURL, script: "wait 120000\nquit\n",
                                       environment: ["LOG_LEVEL": "debug"], extraConfig: "[idcard]\ndevice = \"\(link)\"\n")

        // Given a kiosk running against the simulator: the device list shows a ready reader, no alert.
        var last = ""
        let ready = waitUntil(30, poll: 0.1) {
            guard let (entry, text) = kioskEntry() else { return false }
            last = text
            return reader(entry)?["ready"] as? Bool == true
        }
        XCTAssertTrue(ready, "no ready reader in the device list: \(last)\nkiosk output:\n\(kiosk.output)")
        if let (entry, _) = kioskEntry() {
            XCTAssertEqual(reader(entry)?["connected"] as? Bool, true)
            XCTAssertEqual(reader(entry)?["device"] as? String, link)
            XCTAssertTrue((reader(entry)?["samStatus"] as? String ?? "").hasPrefix("90"), "\(entry)")
            XCTAssertFalse((entry["alerts"] as? [String] ?? []).contains { $0.contains("ID card reader") }, "\(entry)")
        }

        // When a card is placed: one idCardRead event with the kind and a valid check digit.
        send("place zhang-wei")
        XCTAssertTrue(waitUntil(10, poll: 0.05) { kiosk.events.records().contains { $0.event == "idCardRead" } },
                      "no idCardRead event; kiosk output:\n\(kiosk.output)")
        let read = kiosk.events.records().first { $0.event == "idCardRead" }
        XCTAssertEqual(read?.fields["kind"], "residentID")
        XCTAssertEqual(read?.fields["checkDigitValid"], "true")
        XCTAssertTrue(waitUntil(5, poll: 0.05) { kiosk.output.contains("card placed") }, "card placed is logged at debug")
        send("remove")

        // When the reader is unplugged: a device problem naming the port and the fix, within a few heartbeats.
        send("unplug")
        let problem = "ID card reader not answering on \(link): check the USB cable"
        let shown = waitUntil(40, poll: 0.1) {
            guard let (entry, text) = kioskEntry() else { return false }
            last = text
            return (entry["alerts"] as? [String] ?? []).contains { $0.contains(problem) } && reader(entry)?["connected"] as? Bool == false
        }
        XCTAssertTrue(shown, "no unplugged-reader alert: \(last)")
        let (page, _) = try HallServerProcess.request("GET", "\(server.baseURL)/admin/devices", token: "demo-admin-token-change-me")
        XCTAssertTrue(String(decoding: page, as: UTF8.self).contains("读卡器异常 ID reader problem"), "the device page shows the reader cell")

        // When it is plugged back in: healthy again, the alert gone.
        send("replug")
        let healthy = waitUntil(40, poll: 0.1) {
            guard let (entry, text) = kioskEntry() else { return false }
            last = text
            return reader(entry)?["ready"] as? Bool == true && !(entry["alerts"] as? [String] ?? []).contains { $0.contains("ID card reader") }
        }
        XCTAssertTrue(healthy, "the reader did not come back healthy: \(last)")

        // The privacy canary: the card's number and name are in none of the log, the events, the device list, the database.
        let listText = kioskEntry()?.1 ?? ""
        send("quit")
        kill(kiosk.process.processIdentifier, SIGTERM)
        XCTAssertEqual(kiosk.waitForExit(timeoutSeconds: 20), 0, kiosk.output)
        server.stop()
        let eventsText = (try? String(contentsOfFile: kiosk.events.path, encoding: .utf8)) ?? ""
        XCTAssertFalse(eventsText.isEmpty)
        var database = Data()
        for suffix in ["", "-wal"] {
            database += FileManager.default.contents(atPath: folder.appendingPathComponent("hall.sqlite" + suffix).path) ?? Data()
        }
        XCTAssertFalse(database.isEmpty)
        let places: [(String, Data)] = [("kiosk log", Data(kiosk.output.utf8)), ("events", Data(eventsText.utf8)),
                                        ("device list", Data(listText.utf8)), ("SQLite file", database)]
        for secret in ["110105199003071239", "张伟"] {
            for (place, bytes) in places {
                XCTAssertNil(bytes.range(of: Data(secret.utf8)), "the card's \(secret == "张伟" ? "name" : "number") is in the \(place)")
            }
        }
    }
}
