import Foundation
import HallAPI
@testable import HallServer
import XCTest

/// Ratings, staff sessions, window events, devices and keys.
extension StoreContract {
    /// One rating per service and assessNumber: a retry returns it with its fingerprint; another id for the same
    /// service sees it (409); racing submissions store one.
    func rateExactlyOnce() async throws {
        let t = try await completedTicket(at: Self.t0)
        guard case .stored(let first) = try await rate(t, id: "rating-1", at: Self.t0 + 120) else { return XCTFail("\(backend): not stored") }
        XCTAssertEqual(first.ticketId, t.id, backend)
        guard case .existing(let again, let fingerprint) = try await rate(t, id: "rating-1", level: .verySatisfied, at: Self.t0 + 130) else {
            return XCTFail("\(backend): a retry stored a second rating")
        }
        XCTAssertEqual(again, first, backend)
        XCTAssertEqual(fingerprint, "\(t.id)|satisfied|1", "\(backend): the stored fingerprint, to tell a retry from a reused id")
        let second = await hallErrorCode { _ = try await rate(t, id: "rating-2", at: Self.t0 + 140) }
        XCTAssertEqual(second, APIErrorCode.alreadyRated, backend)
        assertEq(try await store.rating(id: "rating-1"), first, backend)
        assertNone(try await store.rating(id: "rating-2"), backend)
        // Racing: several ids for one service; one is stored, the others are refused as already rated.
        let u = try await completedTicket(window: "w2", at: Self.t0 + 1000)
        let outcomes = try await withThrowingTaskGroup(of: String.self) { group in
            for i in 0..<8 {
                group.addTask {
                    do {
                        if case .stored = try await self.rate(u, id: "race-\(i)", at: StoreContract.t0 + 1100) { return "stored" }
                        return "existing"
                    } catch let error as HallError { return error.code }
                }
            }
            return try await group.reduce(into: [String]()) { $0.append($1) }
        }
        XCTAssertEqual(outcomes.filter { $0 == "stored" }.count, 1, "\(backend): \(outcomes)")
        XCTAssertEqual(outcomes.filter { $0 == APIErrorCode.alreadyRated }.count, 7, "\(backend): \(outcomes)")
        // Racing retries of one id: one stored, the rest answered with it.
        let v = try await completedTicket(window: "w3", at: Self.t0 + 2000)
        let retries = try await withThrowingTaskGroup(of: Bool.self) { group in
            for _ in 0..<8 { group.addTask { if case .stored = try await self.rate(v, id: "same-id", at: StoreContract.t0 + 2100) { true } else { false } } }
            return try await group.reduce(into: [Bool]()) { $0.append($1) }
        }
        XCTAssertEqual(retries.filter { $0 }.count, 1, backend)
        let view = try await store.ticketView(.id(t.id), at: Self.t0 + 200)
        XCTAssertEqual(view?.hasActiveRating, true, backend)
        XCTAssertEqual(view?.hasFirstRating, true, backend)
    }

    /// A follow-up (assessNumber 2) sees the first rating's level; a rating of no ticket sees none.
    func followUpSeesFirstLevel() async throws {
        let t = try await completedTicket(at: Self.t0)
        let refused = await hallErrorCode { _ = try await rate(t, level: .satisfied, assess: 2, at: Self.t0 + 100) }
        XCTAssertEqual(refused, APIErrorCode.followUpNotAllowed, "\(backend): no first rating yet")
        _ = try await rate(t, level: .dissatisfied, at: Self.t0 + 110)
        guard case .stored(let followUp) = try await rate(t, level: .basicallySatisfied, assess: 2, at: Self.t0 + 120) else {
            return XCTFail(backend)
        }
        XCTAssertEqual(followUp.assessNumber, 2, backend)
        let unknown = await hallErrorCode {
            _ = try await store.rate(RatingAttempt(ratingId: "r-x", fingerprint: "x", ticket: nil, assessNumber: 1)) { facts in
                XCTAssertNil(facts.ticket)
                throw HallError(.unknownTicket, "no such ticket")
            }
        }
        XCTAssertEqual(unknown, APIErrorCode.unknownTicket, backend)
        // systemDefault ratings are not active.
        let u = try await completedTicket(window: "w2", at: Self.t0 + 500)
        _ = try await rate(u, level: .satisfied, at: Self.t0 + 600, source: .systemDefault)
        let view = try await store.ticketView(.id(u.id), at: Self.t0 + 700)
        XCTAssertEqual(view?.hasActiveRating, false, backend)
        XCTAssertEqual(view?.hasFirstRating, true, backend)
    }

    /// What the satisfaction report and the staff figure count.
    func reportFacts() async throws {
        let good = try await completedTicket(at: Self.t0)
        let bad = try await completedTicket(at: Self.t0 + 100)
        _ = try await completedTicket(at: Self.t0 + 200)
        _ = try await rate(good, id: "r-good", level: .verySatisfied, at: Self.t0 + 300)
        _ = try await rate(bad, id: "r-bad", level: .veryDissatisfied, at: Self.t0 + 310)
        _ = try await issued()
        _ = try await issued()
        _ = try await store.expireWaitingTickets(hallDay: Self.day, at: Self.t0 + 400)
        _ = try await issued(day: Self.nextDay)
        let facts = try await store.satisfactionFacts(from: Self.day, to: Self.nextDay)
        let place = SatisfactionFacts.Place(hallDay: Self.day, windowId: "w1", staffId: "s1", serviceId: "hukou")
        XCTAssertEqual(facts.completed.filter { $0.place == place && $0.rated }.map(\.count).reduce(0, +), 2, backend)
        XCTAssertEqual(facts.completed.filter { $0.place == place && !$0.rated }.map(\.count).reduce(0, +), 1, backend)
        XCTAssertEqual(facts.unserved.filter { $0.status == .expired }.map(\.count).reduce(0, +), 2, backend)
        XCTAssertEqual(facts.unserved.filter { $0.status == .waiting }.map(\.count).reduce(0, +), 1, backend)
        XCTAssertEqual(facts.ratings.map(\.level), ["veryDissatisfied", "verySatisfied"], "\(backend): newest received first")
        XCTAssertEqual(facts.ratings.first?.record?.ratingId, "r-bad", "\(backend): bad active ratings carry their record")
        XCTAssertNil(facts.ratings.last?.record, backend)
        assertEq(try await store.satisfactionFacts(from: Self.nextDay, to: Self.nextDay).ratings.count, 0, backend)
        assertEq(try await store.staffRatingCounts(staffId: "s1", from: Self.day, to: Self.day), StaffRatingCounts(active: 2, good: 1), backend)
        assertEq(try await store.staffRatingCounts(staffId: "s2", from: Self.day, to: Self.day), StaffRatingCounts(active: 0, good: 0), backend)
    }

    /// A login ends the window's and the staff member's other sessions with events; logout ends it once; expiry by time.
    func staffSessions() async throws {
        let first = try await login("w1", staff: "s1", token: "hash-1", at: Self.t0)
        XCTAssertEqual(first.map(\.type), [.staffLoggedIn], backend)
        assertEq(try await store.openStaffSession(tokenHash: "hash-1", at: Self.t0 + 1), OpenStaffSession(staffId: "s1", windowId: "w1"), backend)
        // s1 moves to w2: the w1 session ends with an event on w1.
        let moved = try await login("w2", staff: "s1", token: "hash-2", at: Self.t0 + 10)
        XCTAssertEqual(moved.map(\.type), [.staffLoggedOut, .staffLoggedIn], backend)
        XCTAssertEqual(moved.map(\.windowId), ["w1", "w2"], backend)
        XCTAssertEqual(moved.first?.staff?.id, "s1", backend)
        XCTAssertLessThan(moved[0].id, moved[1].id, backend)
        assertNone(try await store.openStaffSession(tokenHash: "hash-1", at: Self.t0 + 11), backend)
        // s2 takes w2: s1's session there ends.
        let taken = try await login("w2", staff: "s2", token: "hash-3", at: Self.t0 + 20)
        XCTAssertEqual(taken.map(\.type), [.staffLoggedOut, .staffLoggedIn], backend)
        XCTAssertEqual(taken.first?.staff?.id, "s1", backend)
        assertNone(try await store.openStaffSession(tokenHash: "hash-2", at: Self.t0 + 21), backend)
        assertYes(try await store.isFormerStaffToken(tokenHash: "hash-1"), backend)
        assertNo(try await store.isFormerStaffToken(tokenHash: "hash-never"), backend)
        let out = try await store.logoutStaff(tokenHash: "hash-3", at: Self.t0 + 30,
                                              event: Self.event(.staffLoggedOut, "w2", at: Self.t0 + 30, ticket: nil).with(staff: "s2"))
        XCTAssertEqual(out?.type, .staffLoggedOut, backend)
        XCTAssertGreaterThan(out?.id ?? 0, taken[1].id, backend)
        let twice = try await store.logoutStaff(tokenHash: "hash-3", at: Self.t0 + 31, event: Self.event(.staffLoggedOut, "w2", at: Self.t0 + 31, ticket: nil))
        XCTAssertNil(twice, "\(backend): a second logout appends nothing")
        // Expiry: a session is open only before expiresAt.
        _ = try await login("w3", staff: "s3", token: "hash-4", at: Self.t0, hours: 1)
        assertSome(try await store.openStaffSession(tokenHash: "hash-4", at: Self.t0 + 3599), backend)
        assertNone(try await store.openStaffSession(tokenHash: "hash-4", at: Self.t0 + 3600), backend)
        assertEq(try await store.hallSnapshot(hallDays: [Self.day], today: Self.day, at: Self.t0 + 3600).openWindows, [:], backend)
        // An expired session is not ended by a new login (no logout event for it).
        let later = try await login("w3", staff: "s4", token: "hash-5", at: Self.t0 + 7200)
        XCTAssertEqual(later.map(\.type), [.staffLoggedIn], backend)
        let w1 = try await store.windowEvents(windowId: "w1", after: 0, limit: 10)
        XCTAssertEqual(w1.events.map(\.type), [.staffLoggedIn, .staffLoggedOut], backend)
    }

    /// Event pages, the newest id, and pruning in batches with the horizon.
    func windowEventsAndPruning() async throws {
        for i in 0..<7 {
            _ = try await login("w1", staff: "s\(i)", token: "h\(i)", at: Self.t0 + Double(i) * 86400, hours: 24 * 30)
        }
        let all = try await store.windowEvents(windowId: "w1", after: 0, limit: 100)
        XCTAssertEqual(all.events.count, 13, "\(backend): 7 logins, 6 logouts")
        XCTAssertEqual(all.prunedThrough, 0, backend)
        let none = try await store.windowEvents(windowId: "w1", after: nil, limit: 100)
        XCTAssertEqual(none.events, [], backend)
        XCTAssertEqual(none.latestId, all.events.last?.id, backend)
        let page = try await store.windowEvents(windowId: "w1", after: all.events[2].id, limit: 3)
        XCTAssertEqual(page.events, Array(all.events[3..<6]), backend)
        assertEq(try await store.windowEvents(windowId: "w9", after: 0, limit: 10).latestId, 0, backend)
        // Events before day 3 (at t0, t0+1d ×2, t0+2d ×2 = 5) go, 2 per batch.
        let cutoff = Self.t0 + 3 * 86400 - 1
        var deleted: [Int] = []
        while true {
            let n = try await store.pruneWindowEvents(before: cutoff, batch: 2)
            if n == 0 { break }
            deleted.append(n)
        }
        XCTAssertEqual(deleted, [2, 2, 1], backend)
        let kept = try await store.windowEvents(windowId: "w1", after: 0, limit: 100)
        XCTAssertEqual(kept.events, Array(all.events[5...]), backend)
        XCTAssertEqual(kept.prunedThrough, all.events[4].id, "\(backend): the horizon is the last id deleted")
        assertEq(try await store.pruneWindowEvents(before: Self.t0 - 1, batch: 2), 0, backend)
        assertEq(try await store.windowEvents(windowId: "w1", after: 0, limit: 1).prunedThrough, all.events[4].id,
                       "\(backend): the horizon never goes back")
    }

    /// The latest heartbeat per device.
    func heartbeats() async throws {
        assertYes(try await store.lastHeartbeats().isEmpty, backend)
        let beat = DeviceHeartbeat(version: "1.0", uptimeSeconds: 10, printer: nil, outboxDepth: 0, outboxRejected: 0, lastError: nil, screen: "home")
        try await store.recordHeartbeat(deviceId: "kiosk-1", at: Self.t0, heartbeat: beat)
        var later = beat
        later.uptimeSeconds = 40
        later.outboxDepth = 3
        try await store.recordHeartbeat(deviceId: "kiosk-1", at: Self.t0 + 30, heartbeat: later)
        try await store.recordHeartbeat(deviceId: "rating-w1", at: Self.t0 + 5, heartbeat: beat)
        let last = try await store.lastHeartbeats()
        XCTAssertEqual(last.count, 2, backend)
        XCTAssertEqual(last["kiosk-1"]?.receivedAt, Self.t0 + 30, backend)
        XCTAssertEqual(last["kiosk-1"]?.heartbeat, later, backend)
        XCTAssertEqual(last["rating-w1"]?.heartbeat, beat, backend)
    }

    /// A server key is made once and is the same on every later ask.
    func serverKeys() async throws {
        let made = try await store.serverKey(named: "console-trust") { Array(repeating: 7, count: 32) }
        XCTAssertEqual(made, Array(repeating: 7, count: 32), backend)
        let again = try await store.serverKey(named: "console-trust") { Array(repeating: 9, count: 32) }
        XCTAssertEqual(again, made, "\(backend): the stored key, not a new one")
        let other = try await store.serverKey(named: "other") { Array(repeating: 1, count: 32) }
        XCTAssertEqual(other, Array(repeating: 1, count: 32), backend)
        XCTAssertEqual(store.health.refusingWrites, nil, backend)
        assertYes(await store.recoverWrites(now: Self.t0), backend)
    }
}
