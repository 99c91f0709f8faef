import Foundation
import HallAPI
@testable import HallServer
import XCTest

/// Issue 16 bookkeeping: 413 and 429 answers are counted once in `/metrics`; `/healthz` needs no
/// round trip on the database's writer.
final class MetricsBookkeepingTests: XCTestCase {
    var live: LiveHall!

    override func tearDown() async throws {
        await live?.stop()
        live = nil
    }

    func testA413AndA429AreEachCountedOnce() async throws {
        let toml = TestHallConfig.toml() + "\n\n[limits]\nexemptLoopback = false\nperClientPerMinute = 1\nperClientBurst = 1\n"
        live = try await LiveHall.start(toml: toml)
        let before = requestsCounted()
        let tooLarge = try await live.send(.POST, "/api/v1/tickets", token: TestHallConfig.kioskToken,
                                           headers: [("Idempotency-Key", UUID().uuidString)], body: Data(count: 70 * 1024))
        XCTAssertEqual(tooLarge.status, 413)
        XCTAssertEqual(requestsCounted(), before + 1, "a 413 is one request")
        let awaited14 = try await live.send(.GET, "/api/v1/hall", token: TestHallConfig.kioskToken).status
        XCTAssertEqual(awaited14, 200)
        let limited = try await live.send(.GET, "/api/v1/hall", token: TestHallConfig.kioskToken)
        XCTAssertEqual(limited.status, 429)
        XCTAssertEqual(requestsCounted(), before + 3, "a 429 is one request")
    }

    func testHealthzAnswersWhileTheWriterIsBusy() async throws {
        live = try await LiveHall.start()
        let busy = Task { [live] in
            try await live!.desk.database.write { _ in Thread.sleep(forTimeInterval: 3) }
        }
        try await Task.sleep(for: .milliseconds(300))
        let started = ContinuousClock.now
        let health = try await live.send(.GET, "/healthz")
        let took = ContinuousClock.now - started
        XCTAssertEqual(health.status, 200, health.text)
        XCTAssertLessThan(took, .seconds(1), "/healthz waited \(took) for a write it does not need")
        try await busy.value
    }

    /// `hall_http_requests_total` as the server counts it now (read in-process: reading it over HTTP would count too).
    private func requestsCounted() -> Int {
        let line = live.desk.metrics.exposition().split(separator: "\n").first { $0.hasPrefix("hall_http_requests_total ") }
        return line.flatMap { Int($0.split(separator: " ").last ?? "") } ?? -1
    }
}
