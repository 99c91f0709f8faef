import Foundation
@testable import HallServer
import XCTest

/// The settings document, its audit log and the alert states, on every backend.
extension StoreContract {
    func settingsAreVersionedAndSavedOnlyOverTheVersionSeen() async throws {
        let none = try await store.storedSettings()
        XCTAssertNil(none, "\(backend): nothing stored at first")
        func audit(_ version: Int, _ summary: String, at seconds: Double) -> SettingsAuditEntry {
            SettingsAuditEntry(version: version, at: Self.t0 + seconds, actor: "admin (session 1234abcd)", summary: summary,
                               before: version == 1 ? nil : "{\"id\":\"w1\"}", after: "{\"id\":\"w\(version)\"}")
        }
        let first = Data("{\"v\":1}".utf8)
        let saved = try await store.saveSettings(first, seedDigest: "seed", replacing: 0, audit: audit(1, "added window w1", at: 1))
        XCTAssertTrue(saved, backend)
        let stored = try await store.storedSettings()
        XCTAssertEqual(stored, StoredSettings(version: 1, document: first, seedDigest: "seed"), backend)

        // Two saves over version 1: the first wins, the second stores nothing and says so.
        let a = try await store.saveSettings(Data("{\"v\":2}".utf8), seedDigest: "seed", replacing: 1, audit: audit(2, "a", at: 2))
        let b = try await store.saveSettings(Data("{\"v\":\"b\"}".utf8), seedDigest: "seed", replacing: 1, audit: audit(2, "b", at: 3))
        XCTAssertTrue(a, backend)
        XCTAssertFalse(b, "\(backend): a save over an old version is refused")
        let afterRace = try await store.storedSettings()
        XCTAssertEqual(afterRace?.document, Data("{\"v\":2}".utf8), backend)

        // Concurrent saves over the same version: exactly one is stored.
        let results = try await withThrowingTaskGroup(of: Bool.self) { group in
            for i in 0..<8 {
                group.addTask { try await store.saveSettings(Data("{\"c\":\(i)}".utf8), seedDigest: "seed", replacing: 2, audit: audit(3, "c\(i)", at: 4)) }
            }
            return try await group.reduce(into: [Bool]()) { $0.append($1) }
        }
        XCTAssertEqual(results.filter { $0 }.count, 1, "\(backend): one of eight concurrent saves wins")

        // Back to the file: a new version without a document.
        let reset = try await store.saveSettings(nil, seedDigest: nil, replacing: 3, audit: audit(4, "reset the settings to hall.toml", at: 5))
        XCTAssertTrue(reset, backend)
        let afterReset = try await store.storedSettings()
        XCTAssertEqual(afterReset, StoredSettings(version: 4, document: nil, seedDigest: nil), backend)

        // The audit log, newest first, with what was written; plus a line that is not a version.
        try await store.recordSettingsAudit(SettingsAuditEntry(version: 4, at: Self.t0 + 6, actor: "admin", summary: "unlocked staff s1",
                                                               before: nil, after: nil))
        let log = try await store.settingsAudit(limit: 10)
        XCTAssertEqual(log.map(\.summary).first, "unlocked staff s1", backend)
        XCTAssertEqual(log.map(\.version), [4, 4, 3, 2, 1], backend)
        XCTAssertEqual(log.last, audit(1, "added window w1", at: 1), "\(backend): an entry reads back as written")
        let two = try await store.settingsAudit(limit: 2)
        XCTAssertEqual(two.count, 2, backend)
    }

    func alertStatesChangeOnceEach() async throws {
        let raised = try await store.markAlert(key: "printer.paperOut|kiosk-1", active: true, at: Self.t0)
        XCTAssertTrue(raised, backend)
        let again = try await store.markAlert(key: "printer.paperOut|kiosk-1", active: true, at: Self.t0 + 10)
        XCTAssertFalse(again, "\(backend): raised once")
        let resolvedUnknown = try await store.markAlert(key: "device.silent|kiosk-2", active: false, at: Self.t0)
        XCTAssertFalse(resolvedUnknown, "\(backend): nothing to resolve")
        let active = try await store.activeAlerts()
        XCTAssertEqual(active, [StoredAlert(key: "printer.paperOut|kiosk-1", since: Self.t0, resolvedAt: nil)], backend)

        // Instances noticing the same change together: one announces it.
        let racers = try await withThrowingTaskGroup(of: Bool.self) { group in
            for _ in 0..<6 { group.addTask { try await store.markAlert(key: "printer.paperOut|kiosk-1", active: false, at: Self.t0 + 20) } }
            return try await group.reduce(into: [Bool]()) { $0.append($1) }
        }
        XCTAssertEqual(racers.filter { $0 }.count, 1, "\(backend): resolved once")
        let none = try await store.activeAlerts()
        XCTAssertEqual(none, [], backend)
        let raisedAgain = try await store.markAlert(key: "printer.paperOut|kiosk-1", active: true, at: Self.t0 + 30)
        XCTAssertTrue(raisedAgain, "\(backend): a new occurrence is a new alert")
        let since = try await store.activeAlerts().first?.since
        XCTAssertEqual(since, Self.t0 + 30, backend)
    }
}
