import Foundation
import HallAPI
import HallTestSupport
import KioskEventStream
@testable import KioskApp
import KioskCore
import Logging
import XCTest

/// The kiosk's event stream as written (`ActivityLog`) and as read by tests and scripts (`KioskEventLog`,
/// `hallkiosk-lab wait-event`).
final class EventStreamTests: XCTestCase {
    var folder: URL!

    override func setUpWithError() throws {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("kiosk-events-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    }

    func testEachActivityIsOneSortedJSONLine() throws {
        let path = folder.appendingPathComponent("events.jsonl").path
        let stream = try ActivityLog(path: path, logger: Logger(label: "test"), uptime: { 12.3456 })
        stream.record(.screen(.ticket, previous: .issuing))
        stream.record(.ticketIssued(number: "A023", serviceId: "hukou"))
        stream.record(.printed(ticketId: "t1", outcome: .failed(reason: "media-empty")))
        stream.record(.heartbeat(screen: .home, error: nil))
        stream.record(.sound(.ticketIssued, played: false))
        stream.close()
        let lines = try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n").map(String.init)
        XCTAssertEqual(lines.count, 5)
        XCTAssertTrue(lines[0].hasPrefix(#"{"event":"screen","previous":"issuing","screen":"ticket","seq":1,"time":""#), lines[0])
        XCTAssertTrue(lines[0].hasSuffix(#"Z","uptime":12.346}"#), lines[0])
        let records = KioskEventLog(path: path).records()
        XCTAssertEqual(records.map(\.event), ["screen", "ticketIssued", "printed", "heartbeat", "sound"])
        XCTAssertEqual(records.map { $0["seq"] }, ["1", "2", "3", "4", "5"])
        XCTAssertEqual(records[1]["number"], "A023")
        XCTAssertEqual(records[2]["outcome"], "failed")
        XCTAssertEqual(records[2]["reason"], "media-empty")
        XCTAssertEqual(records[3]["delivered"], "true")
        XCTAssertNil(records[3]["error"])
        XCTAssertEqual(records[4]["played"], "false")
        XCTAssertNotNil(RFC3339.parse(try XCTUnwrap(records[0]["time"])), "time is RFC 3339")
        XCTAssertEqual(KioskEventLog(path: path).matching("screen", ["screen": "ticket"]).count, 1)
        XCTAssertEqual(KioskEventLog(path: path).matching("screen", ["screen": "home"]).count, 0)
    }

    func testAnUnwritableStreamIsRefusedNamingTheFix() {
        XCTAssertThrowsError(try ActivityLog(path: "/nonexistent/folder/events.jsonl", logger: Logger(label: "test"))) { error in
            XCTAssertTrue("\(error)".contains("--events '/nonexistent/folder/events.jsonl': cannot open for writing"), "\(error)")
        }
    }

    func testWaitEventBlocksUntilTheEventAndTimesOutOtherwise() throws {
        let path = folder.appendingPathComponent("events.jsonl").path
        let stream = try ActivityLog(path: path, logger: Logger(label: "test"))
        stream.record(.screen(.home, previous: .starting))
        let lab = try BuiltProducts.executable("hallkiosk-lab").path
        DispatchQueue.global().asyncAfter(deadline: .now() + 0.5) {
            stream.record(.ratingQueued(ratingId: "r-1"))
            stream.record(.ratingQueued(ratingId: "r-2"))
        }
        let started = Date()
        let found = try runProgram(lab, ["wait-event", "--events", path, "--event", "ratingQueued", "--count", "2", "--timeout", "10"])
        XCTAssertEqual(found.code, 0, found.err)
        XCTAssertTrue(found.out.contains(#""ratingId":"r-2""#), found.out)
        XCTAssertGreaterThan(Date().timeIntervalSince(started), 0.4, "it waited for the events")
        let timedOut = try runProgram(lab, ["wait-event", "--events", path, "--event", "screen", "--where", "screen=offline", "--timeout", "0.3"])
        XCTAssertEqual(timedOut.code, 1)
        XCTAssertTrue(timedOut.err.contains("timed out after 0.3 s waiting for 1 × screen screen=offline"), timedOut.err)
        XCTAssertTrue(timedOut.err.contains(#""ratingId":"r-1""#), "the last events are shown: \(timedOut.err)")
        let skipped = try runProgram(lab, ["wait-event", "--events", path, "--event", "screen", "--skip", "1", "--timeout", "0.2"])
        XCTAssertEqual(skipped.code, 1, "the first line is skipped")
        let bad = try runProgram(lab, ["wait-event", "--events", path, "--where", "screen"])
        XCTAssertNotEqual(bad.code, 0)
        XCTAssertTrue(bad.err.contains("--where 'screen' is not KEY=VALUE"), bad.err)
        stream.close()
    }
}
