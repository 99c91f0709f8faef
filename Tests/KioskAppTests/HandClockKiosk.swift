import Foundation
import HallTestSupport
import KioskEventStream
@testable import KioskApp
import KioskCore
import KioskSDL
import Logging

/// A clock that moves only when told.
final class HandClock: KioskClockSource, @unchecked Sendable {
    private let lock = NSLock()
    private var wall = Date(timeIntervalSince1970: 1_796_000_000)  // a Thursday morning in 2026
    private var uptime = 1_000.0

    func reading() -> ClockReading { lock.withLock { ClockReading(wall: wall, uptime: Uptime(seconds: uptime)) } }

    func advance(_ seconds: Double) {
        lock.withLock {
            wall = wall.addingTimeInterval(seconds)
            uptime += seconds
        }
    }
}

/// A whole kiosk (offscreen window, run loop, event stream) in a folder of its own, on a `HandClock`, whose hall
/// server never answers (port 1: every request fails at once; offline after 2 s without an answer). The test turns
/// its run loop by hand.
final class HandClockKiosk {
    let folder: URL
    let clock = HandClock()
    let kiosk: KioskAssembly
    let window: KioskWindow
    let runner: KioskRunner
    let log: KioskEventLog

    init(name: String) throws {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("\(name)-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let config = try KioskProcess.writeConfig(in: folder, serverURL: "http://127.0.0.1:1", size: (540, 960), offlineGraceSeconds: 2)
        let settings = try KioskSettings.load(path: config)
        let events = folder.appendingPathComponent("events.jsonl").path
        let logger = Logger(label: "test")
        kiosk = try buildKiosk(settings: settings, logger: logger, clock: clock, parts: [],
                               activity: ActivityLog(path: events, logger: logger))
        window = try KioskWindow(options: kiosk.windowOptions(video: "offscreen"))
        runner = try kiosk.makeRunner(window: window)
        runner.start()
        log = KioskEventLog(path: events)
    }

    /// Turns the run loop until `condition` holds or `seconds` of real time have passed.
    func turn(until condition: () -> Bool, seconds: Double) {
        let deadline = Date().addingTimeInterval(seconds)
        while !condition(), Date() < deadline { _ = runner.step(maxWaitMilliseconds: 20) }
    }

    func close() async {
        runner.stop()
        window.close()
        await kiosk.shutdown()
        try? FileManager.default.removeItem(at: folder)
    }
}
