import Foundation
import HallAPI
@testable import HallServer
import XCTest

/// Issuing, calling and the day's end.
extension StoreContract {
    /// 40 kiosks at once on one service: numbers 1…40, each once; the day's counter says 40.
    func numbersAreGapFreeUnderConcurrency() async throws {
        let n = 40
        let tickets = try await withThrowingTaskGroup(of: StoredTicket.self) { group in
            for _ in 0..<n { group.addTask { try await self.issue(kiosk: "kiosk-\(Int.random(in: 1...4))").ticket } }
            return try await group.reduce(into: []) { $0.append($1) }
        }
        XCTAssertEqual(tickets.map(\.seq).sorted(), Array(1...n), "\(backend): numbers not gap-free and unique")
        XCTAssertEqual(Set(tickets.map(\.number)).count, n, backend)
        XCTAssertEqual(Set(tickets.map(\.serial)).count, n, "\(backend): serials repeat")
        let snapshot = try await store.hallSnapshot(hallDays: [Self.day], today: Self.day, at: Self.t0)
        XCTAssertEqual(snapshot.issuedToday["hukou"], n, backend)
        XCTAssertEqual(snapshot.waiting["hukou"], n, backend)
        // Another service and another day count from 1 again.
        assertEq(try await issued("dept").seq, 1, backend)
        assertEq(try await issued(day: Self.nextDay).seq, 1, backend)
    }

    /// A retry with the same kiosk and key returns the first ticket, also when the retries race; nothing is counted twice.
    func idempotentRetryReturnsSameTicket() async throws {
        let first = try await issue(key: "key-1")
        XCTAssertTrue(first.isNew, backend)
        let again = try await issue(key: "key-1")
        XCTAssertFalse(again.isNew, "\(backend): a retry issued a new ticket")
        XCTAssertEqual(again.ticket, first.ticket, backend)
        // Another kiosk may use the same key for its own ticket.
        assertNotEq(try await issue(key: "key-1", kiosk: "kiosk-2").ticket.id, first.ticket.id, backend)
        let racing = try await withThrowingTaskGroup(of: IssueOutcome.self) { group in
            for _ in 0..<12 { group.addTask { try await self.issue(key: "key-race") } }
            return try await group.reduce(into: []) { $0.append($1) }
        }
        XCTAssertEqual(racing.filter(\.isNew).count, 1, "\(backend): racing retries issued more than one ticket")
        XCTAssertEqual(Set(racing.map(\.ticket.id)).count, 1, backend)
        let snapshot = try await store.hallSnapshot(hallDays: [Self.day], today: Self.day, at: Self.t0)
        XCTAssertEqual(snapshot.issuedToday["hukou"], 3, "\(backend): key-1, kiosk-2's key-1 and key-race")
        XCTAssertEqual(racing[0].ticket.seq, 3, backend)
    }

    /// The rules see the counter, the pause, who waits ahead and the open windows; a refusal stores nothing.
    func issuingRulesSeeTheDayAndRefusalsLeaveNoTrace() async throws {
        _ = try await issued()
        _ = try await issued(rank: 0)
        _ = try await login("w1", staff: "s1", token: "hash-1", at: Self.t0 - 60)
        try await store.setServicePaused(true, serviceId: "hukou", at: Self.t0, by: "staff:s1")
        try await store.setServicePaused(true, serviceId: "hukou", at: Self.t0 + 5, by: "admin")
        let seen = SnapshotBox()
        let refused = await hallErrorCode {
            _ = try await issue(rank: 1, rules: { snapshot in
                seen.set(snapshot)
                throw HallError(.servicePaused, "paused")
            })
        }
        XCTAssertEqual(refused, APIErrorCode.servicePaused, backend)
        XCTAssertEqual(seen.get(), IssueSnapshot(issuedToday: 2, paused: true, waitingAhead: 2, openWindows: ["w1": "s1"]), backend)
        let priority = try await issue(rank: 0, rules: { snapshot in
            seen.set(snapshot)
            return try StoreContract.numbering()(snapshot)
        })
        XCTAssertEqual(seen.get()?.waitingAhead, 1, "\(backend): a priority ticket queues only behind priority tickets")
        XCTAssertEqual(priority.ticket.seq, 3, "\(backend): the refused request must not use up a number")
        try await store.setServicePaused(false, serviceId: "hukou", at: Self.t0, by: "admin")
        assertEq(try await store.hallSnapshot(hallDays: [Self.day], today: Self.day, at: Self.t0).paused, [], backend)
        try await store.setServicePaused(true, serviceId: "hukou", at: Self.t0, by: "admin")
        assertEq(try await store.hallSnapshot(hallDays: [Self.day], today: Self.day, at: Self.t0).paused, ["hukou"], backend)
    }

    /// Call next: earlier hall days first, then priority, then issue order; nil when nobody waits; a busy window is refused.
    func callNextOrderAndChecks() async throws {
        let yesterday = try await issued(day: Self.day)
        let normal = try await issued(day: Self.nextDay)
        let priority = try await issued(day: Self.nextDay, rank: 0)
        let other = try await issued("dept", day: Self.nextDay)
        let days = [Self.day, Self.nextDay]
        var at = Self.t0 + 100
        var order: [String] = []
        for _ in 0..<3 {
            at += 10
            guard let r = try await callNext(at: at, days: days) else { return XCTFail("\(backend): nothing called") }
            XCTAssertEqual(r.ticket.status, .called, backend)
            XCTAssertEqual(r.ticket.windowId, "w1", backend)
            XCTAssertEqual(r.ticket.calledAt, at, backend)
            XCTAssertEqual(r.event.type, .ticketCalled, backend)
            XCTAssertGreaterThan(r.event.id, 0, backend)
            order.append(r.ticket.id)
            let busy = await hallErrorCode { _ = try await callNext(at: at + 1, days: days) }
            XCTAssertEqual(busy, APIErrorCode.windowBusy, "\(backend): the check must see the window's current ticket")
            _ = try await store.complete(Self.move(at: at + 2, type: .serviceCompleted))
        }
        XCTAssertEqual(order, [yesterday.id, priority.id, normal.id], backend)
        let none = try await callNext(at: at + 10, days: days)
        XCTAssertNil(none, "\(backend): only 'dept' waits, and w1 asked for hukou")
        assertEq(try await callNext(at: at + 20, days: days, services: ["hukou", "dept"])?.ticket.id, other.id, backend)
        assertEq(try await store.waitingCount(hallDays: days, serviceIds: ["hukou", "dept"]), 0, backend)
    }

    /// Windows calling at the same moment never get the same ticket.
    func concurrentWindowsCallDifferentTickets() async throws {
        for _ in 0..<12 { _ = try await issued() }
        let called = try await withThrowingTaskGroup(of: String?.self) { group in
            for w in 1...6 {
                group.addTask {
                    var mine: [String] = []
                    for round in 0..<2 {
                        let at = StoreContract.t0 + Double(100 + round * 10 + w)
                        guard let r = try await self.callNext("w\(w)", staff: "s\(w)", at: at) else { return mine.joined(separator: ",") }
                        mine.append(r.ticket.id)
                        _ = try await self.store.complete(Self.move("w\(w)", staff: "s\(w)", at: at + 1, type: .serviceCompleted))
                    }
                    return mine.joined(separator: ",")
                }
            }
            return try await group.reduce(into: [String]()) { $0 += ($1 ?? "").split(separator: ",").map(String.init) }
        }
        XCTAssertEqual(called.count, 12, "\(backend): every ticket called once")
        XCTAssertEqual(Set(called).count, 12, "\(backend): a ticket was called at two windows")
    }

    /// Recall, start, complete, no-show: each changes what it says, refuses an idle window, appends one event.
    func windowMovesChangeTheCurrentTicket() async throws {
        let refused = await hallErrorCode { _ = try await store.recall(Self.move(at: Self.t0, type: .ticketRecalled)) }
        XCTAssertEqual(refused, APIErrorCode.invalidTransition, "\(backend): recall at an idle window")
        let t = try await issued()
        let called = try await callNext(at: Self.t0 + 10)!
        let recalled = try await store.recall(Self.move(at: Self.t0 + 20, type: .ticketRecalled))
        XCTAssertEqual(recalled.ticket.recallCount, 1, backend)
        XCTAssertEqual(recalled.ticket.status, .called, backend)
        XCTAssertGreaterThan(recalled.event.id, called.event.id, "\(backend): event ids grow")
        let started = try await store.startService(Self.move(staff: "s2", at: Self.t0 + 30, type: .serviceStarted))
        XCTAssertEqual(started.ticket.status, .serving, backend)
        XCTAssertEqual(started.ticket.startedAt, Self.t0 + 30, backend)
        XCTAssertEqual(started.ticket.staffId, "s2", backend)
        let done = try await store.complete(Self.move(staff: "s2", at: Self.t0 + 90, type: .serviceCompleted))
        XCTAssertEqual(done.ticket.status, .completed, backend)
        XCTAssertEqual(done.ticket.startedAt, Self.t0 + 30, "\(backend): startedAt stays")
        XCTAssertEqual(done.ticket.completedAt, Self.t0 + 90, backend)
        XCTAssertEqual(done.ticket.endedAt, Self.t0 + 90, backend)
        XCTAssertEqual(done.event.ticket?.completedAt, Self.t0 + 90, "\(backend): the event is made from the ticket after the move")
        let stored = try await store.ticketView(.id(t.id), at: Self.t0 + 100)?.ticket
        XCTAssertEqual(stored, done.ticket, "\(backend): what the move answered is what is stored")
        // Complete without start: startedAt becomes calledAt.
        _ = try await issued()
        let second = try await callNext(at: Self.t0 + 200)!
        let quick = try await store.complete(Self.move(at: Self.t0 + 260, type: .serviceCompleted))
        XCTAssertEqual(quick.ticket.startedAt, second.ticket.calledAt, backend)
        // No-show.
        _ = try await issued()
        _ = try await callNext(at: Self.t0 + 300)
        let gone = try await store.noShow(Self.move(at: Self.t0 + 400, type: .ticketNoShow))
        XCTAssertEqual(gone.ticket.status, .noShow, backend)
        XCTAssertEqual(gone.ticket.endedAt, Self.t0 + 400, backend)
        assertNone(try await store.ticketView(.current(windowId: "w1"), at: Self.t0 + 400), "\(backend): the window is idle again")
        let slice = try await store.windowEvents(windowId: "w1", after: 0, limit: 100)
        XCTAssertEqual(slice.events.map(\.type), [.ticketCalled, .ticketRecalled, .serviceStarted, .serviceCompleted,
                                                  .ticketCalled, .serviceCompleted, .ticketCalled, .ticketNoShow], backend)
        XCTAssertEqual(slice.events.map(\.id), slice.events.map(\.id).sorted(), backend)
        XCTAssertEqual(slice.latestId, slice.events.last?.id, backend)
    }

    /// A transfer keeps the number and the place by issue order in the new queue; the event shows the old service.
    func transferKeepsNumberAndPlace() async throws {
        let early = try await issued()
        let deptFirst = try await issued("dept", at: Self.t0 + 1)
        _ = try await callNext(at: Self.t0 + 10)
        let moved = try await store.transfer(Self.move(at: Self.t0 + 20, type: .ticketTransferred), toServiceId: "dept")
        XCTAssertEqual(moved.ticket.serviceId, "dept", backend)
        XCTAssertEqual(moved.ticket.issuedServiceId, "hukou", backend)
        XCTAssertEqual(moved.ticket.number, early.number, backend)
        XCTAssertEqual(moved.ticket.status, .waiting, backend)
        XCTAssertNil(moved.ticket.windowId, backend)
        XCTAssertNil(moved.ticket.calledAt, backend)
        XCTAssertEqual(moved.ticket.transferCount, 1, backend)
        XCTAssertEqual(moved.event.type, .ticketTransferred, backend)
        assertEq(try await store.waitingCount(hallDays: [Self.day], serviceIds: ["dept"]), 2, backend)
        let view = try await store.ticketView(.id(deptFirst.id), at: Self.t0 + 30)
        XCTAssertEqual(view?.waitingAhead, 1, "\(backend): the transferred ticket, issued earlier, is ahead")
        assertEq(try await callNext("w2", at: Self.t0 + 40, services: ["dept"])?.ticket.id, early.id, backend)
    }

    /// Waiting tickets of an ended hall day become expired; the other days stay.
    func expiryAtDayEnd() async throws {
        _ = try await issued()
        _ = try await issued()
        _ = try await issued("dept")
        _ = try await issued(day: Self.nextDay)
        let called = try await issued()
        _ = called
        _ = try await callNext(at: Self.t0 + 5)
        assertEq(try await store.hallDaysWithWaitingTickets(), [Self.day, Self.nextDay], backend)
        let closed = try await store.expireWaitingTickets(hallDay: Self.day, at: Self.t0 + 3600)
        XCTAssertEqual(closed, ["hukou": 2, "dept": 1], backend)
        assertEq(try await store.expireWaitingTickets(hallDay: Self.day, at: Self.t0 + 3700), [:], "\(backend): idempotent")
        assertEq(try await store.hallDaysWithWaitingTickets(), [Self.nextDay], backend)
        assertEq(try await store.waitingCount(hallDays: [Self.day], serviceIds: ["hukou", "dept"]), 0, backend)
        let snapshot = try await store.hallSnapshot(hallDays: [Self.day], today: Self.day, at: Self.t0 + 3600)
        XCTAssertEqual(snapshot.waiting["hukou"] ?? 0, 0, backend)
        XCTAssertEqual(snapshot.currentNumbers["w1"], "A001", "\(backend): the called ticket is not expired")
        let view = try await store.ticketView(.number("A002", from: Self.day, to: Self.day), at: Self.t0)
        XCTAssertEqual(view?.ticket.status, .expired, backend)
        XCTAssertEqual(view?.ticket.endedAt, Self.t0 + 3600, backend)
    }

    /// Lookups by token, id, number (the newest day first) and the window's current ticket; people ahead.
    func ticketLookups() async throws {
        let a1 = try await issued()
        let a2 = try await issued()
        let p = try await issued(rank: 0)
        let tomorrow = try await issued(day: Self.nextDay)
        assertEq(try await store.ticketView(.token(a1.token), at: Self.t0)?.ticket.id, a1.id, backend)
        assertNone(try await store.ticketView(.token("no-such-token-000000"), at: Self.t0), backend)
        assertEq(try await store.ticketView(.id(a2.id), at: Self.t0)?.waitingAhead, 2, "\(backend): a1 and the priority ticket")
        assertEq(try await store.ticketView(.id(p.id), at: Self.t0)?.waitingAhead, 0, backend)
        assertEq(try await store.ticketView(.number("A001", from: Self.day, to: Self.nextDay), at: Self.t0)?.ticket.id, tomorrow.id,
                       "\(backend): the newest day first")
        assertEq(try await store.ticketView(.number("A001", from: Self.day, to: Self.day), at: Self.t0)?.ticket.id, a1.id, backend)
        _ = try await login("w1", staff: "s1", token: "hash-1", at: Self.t0)
        assertEq(try await store.ticketView(.id(a2.id), at: Self.t0 + 1)?.openWindows, ["w1": "s1"], backend)
        _ = try await callNext(at: Self.t0 + 10)
        assertEq(try await store.ticketView(.current(windowId: "w1"), at: Self.t0 + 10)?.ticket.id, p.id, backend)
        let window = try await store.windowSnapshot(windowId: "w1", hallDays: [Self.day], at: Self.t0 + 11)
        XCTAssertEqual(window.staffId, "s1", backend)
        XCTAssertEqual(window.currentNumber, p.number, backend)
        XCTAssertGreaterThan(window.lastEventId, 0, backend)
        assertEq(try await store.hallSnapshot(hallDays: [Self.day], today: Self.day, at: Self.t0 + 11).currentNumbers, ["w1": p.number], backend)
    }

    /// Dates come back as written (whole milliseconds); the clock guard's floor and the learned service times.
    func timesRoundTrip() async throws {
        assertNone(try await store.newestStoredTime(), backend)
        let odd = Date(timeIntervalSince1970: 1_796_634_123.457)
        let t = try await issued(at: odd)
        assertEq(try await store.ticketView(.id(t.id), at: odd)?.ticket.issuedAt, odd, "\(backend): issuedAt round trip")
        assertEq(try await store.newestStoredTime(), odd, backend)
        _ = try await callNext(at: odd + 60)
        _ = try await store.startService(Self.move(at: odd + 120, type: .serviceStarted))
        _ = try await store.complete(Self.move(at: odd + 420.5, type: .serviceCompleted))
        assertEq(try await store.newestStoredTime(), odd + 420.5, backend)
        let minutes = try await store.recentServiceMinutes(serviceIds: ["hukou", "dept"], perService: 20)
        XCTAssertEqual(minutes["hukou"]?.count, 1, backend)
        XCTAssertEqual(minutes["hukou"]?.first ?? 0, 300.5 / 60, accuracy: 1e-9, backend)
        XCTAssertTrue(minutes["dept"]?.isEmpty ?? true, backend)
    }
}

final class SnapshotBox: @unchecked Sendable {
    private let lock = NSLock()
    private var value: IssueSnapshot?
    func set(_ v: IssueSnapshot) { lock.withLock { value = v } }
    func get() -> IssueSnapshot? { lock.withLock { value } }
}
