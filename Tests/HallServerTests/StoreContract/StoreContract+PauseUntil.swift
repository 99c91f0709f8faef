import Foundation
import HallAPI
@testable import HallServer
import XCTest

/// A pause that ends by itself at its `until`, and a login refused from inside its transaction.
extension StoreContract {
    /// At `until` the service reads as not paused — in the hall's snapshot and to issuing — with no write; a plain
    /// pause afterwards pauses again without the old note, and a plain pause during a noted one keeps the note.
    func pauseEndsAtUntil() async throws {
        let until = Self.t0 + 600
        try await store.pauseService(serviceId: "hukou", note: ServicePauseNote(reason: "系统维护", until: until), at: Self.t0, by: "admin")
        try await store.setServicePaused(true, serviceId: "hukou", at: Self.t0 + 1, by: "staff:s1")
        var hall = try await store.hallSnapshot(hallDays: [Self.day], today: Self.day, at: until - 0.001)
        XCTAssertEqual(hall.paused, ["hukou"], backend)
        XCTAssertEqual(hall.pauseNotes["hukou"], ServicePauseNote(reason: "系统维护", until: until), "\(backend): a plain pause keeps the note")
        let seen = SnapshotBox()
        _ = try await issue(key: "before", at: until - 1, rules: { snapshot in
            seen.set(snapshot)
            return try StoreContract.numbering()(snapshot)
        })
        XCTAssertEqual(seen.get()?.paused, true, backend)
        hall = try await store.hallSnapshot(hallDays: [Self.day], today: Self.day, at: until)
        XCTAssertEqual(hall.paused, [], "\(backend): the pause is over at until")
        XCTAssertEqual(hall.pauseNotes, [:], backend)
        _ = try await issue(key: "after", at: until, rules: { snapshot in
            seen.set(snapshot)
            return try StoreContract.numbering()(snapshot)
        })
        XCTAssertEqual(seen.get()?.paused, false, "\(backend): issuing sees the pause over too")
        try await store.setServicePaused(true, serviceId: "hukou", at: until + 60, by: "admin")
        hall = try await store.hallSnapshot(hallDays: [Self.day], today: Self.day, at: until + 7200)
        XCTAssertEqual(hall.paused, ["hukou"], "\(backend): a new plain pause is not ended by the old until")
        XCTAssertEqual(hall.pauseNotes, [:], backend)
    }

    /// `loggedOut` throwing (another clerk there, no takeover) leaves the earlier session open and appends nothing.
    func loginRefusedInsideItsTransactionLeavesAll() async throws {
        _ = try await login("w1", staff: "s1", token: "first", at: Self.t0)
        let before = try await store.windowEvents(windowId: "w1", after: 0, limit: 100).events.count
        let refused = await hallErrorCode {
            _ = try await store.loginStaff(StaffLoginWrite(tokenHash: "second", staffId: "s2", windowId: "w1", at: Self.t0 + 5, expiresAt: Self.t0 + 3600),
                                           loggedOut: { _, _ in throw HallError(.windowBusy, "s1 is there") },
                                           loggedIn: Self.event(.staffLoggedIn, "w1", at: Self.t0 + 5, ticket: nil).with(staff: "s2"))
        }
        XCTAssertEqual(refused, APIErrorCode.windowBusy, backend)
        let open = try await store.openStaffSession(tokenHash: "first", at: Self.t0 + 6)
        XCTAssertEqual(open?.staffId, "s1", backend)
        let second = try await store.openStaffSession(tokenHash: "second", at: Self.t0 + 6)
        XCTAssertNil(second, backend)
        let after = try await store.windowEvents(windowId: "w1", after: 0, limit: 100).events.count
        XCTAssertEqual(after, before, backend)
    }
}
