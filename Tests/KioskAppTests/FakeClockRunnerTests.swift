import Foundation
import HallTestSupport
import KioskEventStream
@testable import KioskApp
import KioskCore
import KioskSDL
import Logging
import XCTest

/// The run loop on a hand-moved clock: its screen timers follow the injected clock, not the machine's.
final class FakeClockRunnerTests: XCTestCase {
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

    func testTheOfflineGraceRunsOnTheInjectedClock() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("kiosk-clock-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        // Nothing listens on port 1: every request fails at once. Offline after 2 s without an answer.
        let config = try KioskProcess.writeConfig(in: folder, serverURL: "http://127.0.0.1:1", size: (540, 960), offlineGraceSeconds: 2)
        let settings = try KioskSettings.load(path: config)
        let clock = HandClock()
        let events = folder.appendingPathComponent("events.jsonl").path
        let logger = Logger(label: "test")
        let kiosk = try buildKiosk(settings: settings, logger: logger, clock: clock, parts: [],
                                   activity: ActivityLog(path: events, logger: logger))
        let window = try KioskWindow(options: kiosk.windowOptions(video: "offscreen"))
        let runner = try kiosk.makeRunner(window: window)
        runner.start()
        let log = KioskEventLog(path: events)
        func turn(until condition: () -> Bool, seconds: Double) {
            let deadline = Date().addingTimeInterval(seconds)
            while !condition(), Date() < deadline { _ = runner.step(maxWaitMilliseconds: 20) }
        }
        turn(until: { !log.matching("hallUnreachable").isEmpty }, seconds: 10)
        XCTAssertFalse(log.matching("hallUnreachable").isEmpty, "the first status request failed: \(log.tail())")
        // Real time passes, the kiosk's clock does not: the grace period does not run out.
        turn(until: { false }, seconds: 2.5)
        XCTAssertNotEqual(runner.screenName, .offline, "2.5 s of real time are not 2 s on the kiosk's clock")
        clock.advance(3)
        turn(until: { runner.screenName == .offline }, seconds: 5)
        XCTAssertEqual(runner.screenName, .offline, "3 s on the kiosk's clock end the 2 s grace")
        XCTAssertEqual(log.matching("screen", ["screen": "offline", "previous": "home"]).count, 1, log.tail())
        runner.stop()
        window.close()
        await kiosk.shutdown()
    }
}
