import Foundation
import HallAPI
@testable import HallServer
import XCTest

/// The desk over the storage seam (`HallStore`), started the way a server on any store starts: through the
/// protocol's asynchronous start-up reads (`DeskStart.load`), on a real SQLite file.
final class HallStoreSeamTests: XCTestCase {
    func testADeskStartedThroughTheProtocolKeepsTheIssuingRulesAndItsKeys() async throws {
        // Given a hall and its SQLite store, started through the protocol
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("hallstore-seam-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let configPath = dir.appendingPathComponent("hall.toml").path
        try TestHallConfig.toml().write(toFile: configPath, atomically: true, encoding: .utf8)
        let (_, hall) = try HallConfig.load(from: configPath)
        let store = try SQLiteHallStore(path: dir.appendingPathComponent("hall.sqlite").path, reserveBytes: 0)
        let start = try await DeskStart.load(from: store, hall: hall, random: SystemRandom())
        XCTAssertNil(start.newestStoredTime, "a new file has nothing stored")
        let desk = HallDesk(hall: hall, store: store, start: start, now: ManualNow(TestHallConfig.monday(9)))

        // When a kiosk takes a number, retries with the same key, then reuses the key for another service
        let request = IssueTicketRequest(serviceId: "hukou", kioskId: "kiosk-1")
        let (first, firstReplayed) = try await desk.issueTicket(request, idempotencyKey: "seam-key-1", deviceId: "kiosk-1")
        let (retry, retryReplayed) = try await desk.issueTicket(request, idempotencyKey: "seam-key-1", deviceId: "kiosk-1")
        let (second, _) = try await desk.issueTicket(request, idempotencyKey: "seam-key-2", deviceId: "kiosk-1")
        var reuse: HallError?
        do {
            _ = try await desk.issueTicket(IssueTicketRequest(serviceId: "social", kioskId: "kiosk-1"), idempotencyKey: "seam-key-1",
                                           deviceId: "kiosk-1")
        } catch let error as HallError {
            reuse = error
        }

        // Then the retry is the same ticket, numbers follow on, and the reused key is a domain error with its status
        XCTAssertFalse(firstReplayed)
        XCTAssertTrue(retryReplayed)
        XCTAssertEqual(retry, first)
        XCTAssertEqual(second.number, "A002")
        XCTAssertEqual(first.number, "A001")
        XCTAssertEqual(reuse?.kind, .idempotencyKeyReused)
        XCTAssertEqual(reuse?.httpStatus, 422)

        // And a second start reads the same console key and the newest time stored, the synchronous start the same
        let again = try await DeskStart.load(from: store, hall: hall, random: SystemRandom())
        XCTAssertEqual(again.consoleTrustKey, start.consoleTrustKey)
        XCTAssertEqual(again.consoleTrustKey.count, 32)
        XCTAssertEqual(again.newestStoredTime, second.issuedAt)
        XCTAssertEqual(try store.deskStartNow(hall: hall, random: SystemRandom()).consoleTrustKey, start.consoleTrustKey)
    }

    func testAnErrorAnswersWithItsCodesStatusUnlessToldOtherwise() {
        XCTAssertEqual(HallError(.quotaReached, "full").httpStatus, 409)
        XCTAssertEqual(HallError(.quotaReached, "full").code, APIErrorCode.quotaReached)
        XCTAssertEqual(HallError(.diskFull, "full").httpStatus, 503)
        XCTAssertEqual(HallError(.badRequest, "same service").answered(with: 422).httpStatus, 422)
        XCTAssertEqual(Set(APIErrorKind.allCases.map(\.rawValue)).count, APIErrorKind.allCases.count, "codes are distinct")
    }
}
