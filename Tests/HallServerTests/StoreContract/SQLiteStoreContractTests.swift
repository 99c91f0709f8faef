import Foundation
@testable import HallServer
import XCTest

/// The storage contract on the embedded store: a fresh SQLite file per test.
final class SQLiteStoreContractTests: XCTestCase {
    private var folder: URL?

    private func contract() throws -> StoreContract {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("store-contract-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        folder = dir
        let store = try SQLiteHallStore(path: dir.appendingPathComponent("hall.sqlite").path, reserveBytes: 0)
        return StoreContract(store: store, backend: "SQLite")
    }

    override func tearDown() {
        if let folder { try? FileManager.default.removeItem(at: folder) }
    }

    func testNumbersAreGapFreeUnderConcurrency() async throws { try await contract().numbersAreGapFreeUnderConcurrency() }
    func testIdempotentRetryReturnsSameTicket() async throws { try await contract().idempotentRetryReturnsSameTicket() }
    func testIssuingRulesSeeTheDayAndRefusalsLeaveNoTrace() async throws { try await contract().issuingRulesSeeTheDayAndRefusalsLeaveNoTrace() }
    func testCallNextOrderAndChecks() async throws { try await contract().callNextOrderAndChecks() }
    func testConcurrentWindowsCallDifferentTickets() async throws { try await contract().concurrentWindowsCallDifferentTickets() }
    func testWindowMovesChangeTheCurrentTicket() async throws { try await contract().windowMovesChangeTheCurrentTicket() }
    func testTransferKeepsNumberAndPlace() async throws { try await contract().transferKeepsNumberAndPlace() }
    func testExpiryAtDayEnd() async throws { try await contract().expiryAtDayEnd() }
    func testTicketLookups() async throws { try await contract().ticketLookups() }
    func testTimesRoundTrip() async throws { try await contract().timesRoundTrip() }
    func testRateExactlyOnce() async throws { try await contract().rateExactlyOnce() }
    func testFollowUpSeesFirstLevel() async throws { try await contract().followUpSeesFirstLevel() }
    func testReportFacts() async throws { try await contract().reportFacts() }
    func testStaffSessions() async throws { try await contract().staffSessions() }
    func testWindowEventsAndPruning() async throws { try await contract().windowEventsAndPruning() }
    func testHeartbeats() async throws { try await contract().heartbeats() }
    func testServerKeys() async throws { try await contract().serverKeys() }
    func testCallTicketOutOfTurn() async throws { try await contract().callTicketOutOfTurn() }
    func testUndoNoShowServesTheTicket() async throws { try await contract().undoNoShowServesTheTicket() }
    func testRequeueTakesItsPlace() async throws { try await contract().requeueTakesItsPlace() }
    func testBookingsHoldCapacityAndPerPersonLimitsUnderConcurrency() async throws {
        try await contract().bookingsHoldCapacityAndPerPersonLimitsUnderConcurrency()
    }
    func testBreaksAndHeldServices() async throws { try await contract().breaksAndHeldServices() }
    func testPauseNotes() async throws { try await contract().pauseNotes() }
    func testPauseEndsAtUntil() async throws { try await contract().pauseEndsAtUntil() }
    func testLoginRefusedInsideItsTransactionLeavesAll() async throws { try await contract().loginRefusedInsideItsTransactionLeavesAll() }
    func testConsoleSnapshotCounts() async throws { try await contract().consoleSnapshotCounts() }
    func testBurstOverThreeServicesIsGapFree() async throws { try await contract().burstOverThreeServicesIsGapFree() }
    func testDuplicateKeysInABurstGetOneTicket() async throws { try await contract().duplicateKeysInABurstGetOneTicket() }
    func testRefusedRequestsInABurstFailAlone() async throws { try await contract().refusedRequestsInABurstFailAlone() }
    func testSettingsAreVersionedAndSavedOnlyOverTheVersionSeen() async throws { try await contract().settingsAreVersionedAndSavedOnlyOverTheVersionSeen() }
    func testAlertStatesChangeOnceEach() async throws { try await contract().alertStatesChangeOnceEach() }
}
