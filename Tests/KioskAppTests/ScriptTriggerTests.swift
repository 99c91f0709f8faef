import Foundation
import HallTestSupport
@testable import KioskApp
import KioskCore
import XCTest

/// A script's triggers instead of fixed waits: `wait-event` goes on when the kiosk records an event (later than the one
/// the previous `wait-event` matched), `wait-stdin` when the test writes a line to the kiosk's standard input.
final class ScriptTriggerTests: XCTestCase {
    var folder: URL!

    override func setUpWithError() throws {
        folder = try temporaryFolder(self, "script-triggers")
    }

    /// A kiosk whose hall server does not answer (nothing here needs one).
    func config() throws -> String {
        try KioskProcess.writeConfig(in: folder, serverURL: "http://127.0.0.1:9", offlineGraceSeconds: 600)
    }

    func testWaitEventMatchesLaterEventsOnlyAndWaitStdinGoesOnWhenTold() throws {
        let kiosk = try KioskProcess.launch(config: try config(), script: """
            wait-event started 10000
            wait-event screen screen=home 10000
            wait-stdin go 20000
            wait-stdin go 20000
            quit
            """, in: folder)
        defer { if kiosk.process.isRunning { kiosk.kill() } }
        XCTAssertTrue(kiosk.waitForEvent("screen", ["screen": "home"], timeoutSeconds: 20), kiosk.output)
        kiosk.send("something else")
        kiosk.send("go")
        // One `go` is taken by one `wait-stdin`: the second still waits.
        XCTAssertFalse(waitUntil(1) { !kiosk.process.isRunning }, "the second wait-stdin went on without its line:\n\(kiosk.output)")
        kiosk.send("go")
        let (code, output) = kiosk.finish(timeoutSeconds: 20)
        XCTAssertEqual(code, 0, output)
    }

    func testATimedOutWaitNamesWhatItWaitedForAndWhatCame() throws {
        // firstFrame comes before the home screen's event: once that was matched, it is not waited for again.
        let (code, output) = try KioskProcess.run(config: try config(), script: """
            wait-event screen screen=home 10000
            wait-event firstFrame 300
            quit
            """, in: folder, timeoutSeconds: 30)
        XCTAssertEqual(code, 1, output)
        XCTAssertTrue(output.contains("script line 2: waited 300 ms for event 'firstFrame'; events since the last wait-event:"), output)

        let kiosk = try KioskProcess.launch(config: try config(), script: "wait-stdin go 300\nquit\n", in: folder)
        kiosk.send("stop")
        let (stdinCode, stdinOutput) = kiosk.finish(timeoutSeconds: 30)
        XCTAssertEqual(stdinCode, 1, stdinOutput)
        XCTAssertTrue(stdinOutput.contains("script line 1: waited 300 ms for the line 'go' on standard input; lines that did arrive: [\"stop\"]"),
                      stdinOutput)
    }

    func testStandardInputClosingEndsTheWaitAndAnUnknownEventIsRefused() throws {
        let kiosk = try KioskProcess.launch(config: try config(), script: "wait-stdin go 20000\nquit\n", in: folder)
        XCTAssertTrue(kiosk.waitForEvent("screen", ["screen": "home"], timeoutSeconds: 20), kiosk.output)
        kiosk.closeInput()
        let (code, output) = kiosk.finish(timeoutSeconds: 20)
        XCTAssertEqual(code, 1, output)
        XCTAssertTrue(output.contains("script line 1: standard input ended before the line 'go' arrived"), output)

        let (refused, message) = try KioskProcess.run(config: try config(), script: "wait-event printr condition=ok\nquit\n", in: folder)
        XCTAssertEqual(refused, 78, message)
        XCTAssertTrue(message.contains("line 1: unknown event 'printr'; use one of "), message)
        XCTAssertTrue(message.contains("printer"), message)
    }

    /// Every activity's name is one `wait-event` accepts.
    func testEveryActivityNameIsAKnownEventName() {
        let all: [KioskActivity] = [
            .started(deviceId: "d", role: .ticketKiosk, video: "offscreen"), .firstFrame(milliseconds: 1),
            .screen(.home, previous: .starting), .ticketIssued(number: "A1", serviceId: "s"), .ticketFailed(kind: "k", message: "m"),
            .printed(ticketId: "t", outcome: .printed), .ratingQueued(ratingId: "r"), .ratingNotStored(ratingId: "r", reason: "x"),
            .ratingSent(ratingId: "r"), .ratingHeld(ratingId: "r", reason: "x"), .heartbeat(screen: .home, error: nil),
            .hallUnreachable(error: "e"), .hallReachable, .printer(.ok), .windowEvent(kind: "called", ticketNumber: nil),
            .sound(.ticketIssued, played: true), .adminCommand(.restart, message: "m"), .stopping(code: 0, reason: "r"),
            .idCardRead(kind: "residentID", checkDigitValid: true),
        ]
        XCTAssertEqual(Set(all.map(\.name)), KioskActivity.eventNames)
        let feed = ScriptEventFeed()
        feed.record(.printer(.paperOut))
        feed.record(.firstFrame(milliseconds: 12))
        XCTAssertTrue(feed.consume(EventPattern(event: "firstFrame", fields: ["ms": "12"])), "numbers compare as the stream writes them")
        XCTAssertFalse(feed.consume(EventPattern(event: "printer", fields: ["condition": "paperOut"])), "before the cursor")
    }
}
