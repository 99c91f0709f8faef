import Foundation
import HallAPI
@testable import HallServer
import XCTest

/// The console's transactions (`ConsoleStore`) on every backend: 特呼, undo of a 过号, 过号重排 at a place, the break,
/// held services, a pause with a note, and the console's snapshot.
extension StoreContract {
    private func missed(at: Date) async throws -> StoredTicket {
        _ = try await issued(at: at)
        _ = try await callNext(at: at + 1)
        return try await store.noShow(Self.move(at: at + 2, type: .ticketNoShow)).ticket
    }

    /// 特呼 calls a missed or waiting ticket out of turn; the target check and the window check are both applied.
    func callTicketOutOfTurn() async throws {
        let late = try await missed(at: Self.t0)
        let waiting = try await issued(at: Self.t0 + 10)
        let other = try await issued(at: Self.t0 + 11)
        let called = try await store.callTicket(Self.move(at: Self.t0 + 20, type: .ticketCalled, needsCurrent: false), ticketId: late.id) { t in
            XCTAssertEqual(t?.status, .noShow)
        }
        XCTAssertEqual(called.ticket.status, .called, backend)
        XCTAssertEqual(called.ticket.calledAt, Self.t0 + 20, backend)
        XCTAssertNil(called.ticket.endedAt, backend)
        XCTAssertEqual(called.event.type, .ticketCalled, backend)
        let busy = await hallErrorCode {
            _ = try await store.callTicket(Self.move(at: Self.t0 + 30, type: .ticketCalled, needsCurrent: false), ticketId: waiting.id) { _ in }
        }
        XCTAssertEqual(busy, APIErrorCode.windowBusy, "\(backend): one ticket at a window")
        _ = try await store.complete(Self.move(at: Self.t0 + 40, type: .serviceCompleted))
        let refused = await hallErrorCode {
            _ = try await store.callTicket(Self.move(at: Self.t0 + 50, type: .ticketCalled, needsCurrent: false), ticketId: waiting.id) { _ in
                throw HallError(.serviceNotAtWindow, "not here")
            }
        }
        XCTAssertEqual(refused, APIErrorCode.serviceNotAtWindow, backend)
        let v1 = try await store.ticketView(.id(waiting.id), at: Self.t0 + 50)?.ticket.status
        XCTAssertEqual(v1, .waiting, "\(backend): a refusal changes nothing")
        let outOfTurn = try await store.callTicket(Self.move(at: Self.t0 + 60, type: .ticketCalled, needsCurrent: false), ticketId: other.id) { _ in }
        XCTAssertEqual(outOfTurn.ticket.number, other.number, backend)
        let v2 = try await store.waitingCount(hallDays: [Self.day], serviceIds: ["hukou"])
        XCTAssertEqual(v2, 1, "\(backend): it left the queue")
    }

    /// Undo brings a missed ticket back to the window, being served.
    func undoNoShowServesTheTicket() async throws {
        let late = try await missed(at: Self.t0)
        let undone = try await store.undoNoShow(Self.move(at: Self.t0 + 30, type: .serviceStarted, needsCurrent: false), ticketId: late.id) { t in
            if t?.status != .noShow { throw HallError(.invalidTransition, "not missed") }
        }
        XCTAssertEqual(undone.ticket.status, .serving, backend)
        XCTAssertEqual(undone.ticket.startedAt, Self.t0 + 30, backend)
        XCTAssertNil(undone.ticket.endedAt, backend)
        let v3 = try await store.ticketView(.current(windowId: "w1"), at: Self.t0 + 31)?.ticket.id
        XCTAssertEqual(v3, late.id, backend)
        let again = await hallErrorCode {
            _ = try await store.undoNoShow(Self.move(at: Self.t0 + 40, type: .serviceStarted, needsCurrent: false), ticketId: late.id) { _ in }
        }
        XCTAssertEqual(again, APIErrorCode.windowBusy, "\(backend): the window is busy with it now")
    }

    /// 过号重排 puts a ticket behind N waiting ones of its rank (last when fewer wait), nobody else moves, and the
    /// queue's order, the people-ahead counts and the waiting count agree.
    func requeueTakesItsPlace() async throws {
        let late = try await missed(at: Self.t0)
        var waiting: [StoredTicket] = []
        for i in 0..<4 { waiting.append(try await issued(at: Self.t0 + 10 + Double(i))) }
        let back = try await store.requeue(ticketId: late.id, behind: 2, at: Self.t0 + 30, check: { t in
            if t?.status != .noShow { throw HallError(.invalidTransition, "not missed") }
        }, event: nil)
        XCTAssertEqual(back.ticket.status, .waiting, backend)
        XCTAssertEqual(back.ahead, 2, backend)
        XCTAssertNil(back.event, backend)
        let v4 = try await store.ticketView(.id(late.id), at: Self.t0 + 31)?.waitingAhead
        XCTAssertEqual(v4, 2, backend)
        let v5 = try await store.ticketView(.id(waiting[2].id), at: Self.t0 + 31)?.waitingAhead
        XCTAssertEqual(v5, 3, "\(backend): the third now waits behind it")
        let v6 = try await store.ticketView(.id(waiting[1].id), at: Self.t0 + 31)?.waitingAhead
        XCTAssertEqual(v6, 1, "\(backend): the second did not move")
        let v7 = try await store.waitingCount(hallDays: [Self.day], serviceIds: ["hukou"])
        XCTAssertEqual(v7, 5, backend)
        let snapshot = try await store.consoleSnapshot(ConsoleQuery(windowId: "w1", hallDays: [Self.day], serviceIds: ["hukou"], limit: 10,
                                                                    missedSince: Self.t0, today: Self.day, at: Self.t0 + 31))
        XCTAssertEqual(snapshot.waiting.map(\.id), [waiting[0].id, waiting[1].id, late.id, waiting[2].id, waiting[3].id], backend)
        XCTAssertEqual(snapshot.waitingTotal, 5, backend)
        // Called in that order.
        var order: [String] = []
        for i in 0..<5 {
            let called = try await callNext(at: Self.t0 + 40 + Double(i * 10))!
            order.append(called.ticket.id)
            _ = try await store.complete(Self.move(at: Self.t0 + 45 + Double(i * 10), type: .serviceCompleted))
        }
        XCTAssertEqual(order, snapshot.waiting.map(\.id), backend)
        // To the front, with an event, from the window (a sign-out's return).
        let a = try await issued(at: Self.t0 + 200)
        let b = try await issued(at: Self.t0 + 201)
        _ = try await callNext(at: Self.t0 + 210)
        let front = try await store.requeue(ticketId: a.id, behind: 0, at: Self.t0 + 220, check: { _ in },
                                            event: { t in Self.event(.ticketTransferred, "w1", at: Self.t0 + 220, ticket: t) })
        XCTAssertEqual(front.ahead, 0, backend)
        XCTAssertEqual(front.event?.type, .ticketTransferred, backend)
        let v8 = try await store.ticketView(.current(windowId: "w1"), at: Self.t0 + 221)
        XCTAssertNil(v8, "\(backend): the window is free")
        let v9 = try await store.ticketView(.id(b.id), at: Self.t0 + 221)?.waitingAhead
        XCTAssertEqual(v9, 1, backend)
    }

    /// A break belongs to the open session: it shows in the snapshots, ends with a resume, needs a session.
    func breaksAndHeldServices() async throws {
        let none = try await store.setWindowBreak(windowId: "w1", reason: "午休", at: Self.t0) { _ in
            Self.event(.windowPaused, "w1", at: Self.t0, ticket: nil)
        }
        XCTAssertNil(none, "\(backend): nobody to take a break")
        let v10 = try await store.setHeldServices(windowId: "w1", serviceIds: ["hukou"])
        XCTAssertFalse(v10, backend)
        _ = try await login("w1", staff: "s1", token: "t1", at: Self.t0)
        let started = try await store.setWindowBreak(windowId: "w1", reason: "午休", at: Self.t0 + 10) { staff in
            XCTAssertEqual(staff, "s1")
            return Self.event(.windowPaused, "w1", at: Self.t0 + 10, ticket: nil)
        }
        XCTAssertEqual(started?.type, .windowPaused, backend)
        let v11 = try await store.setHeldServices(windowId: "w1", serviceIds: ["hukou"])
        XCTAssertTrue(v11, backend)
        let hall = try await store.hallSnapshot(hallDays: [Self.day], today: Self.day, at: Self.t0 + 20)
        XCTAssertEqual(hall.breaks, ["w1": "午休"], backend)
        let v12 = try await store.windowSnapshot(windowId: "w1", hallDays: [Self.day], at: Self.t0 + 20).breakReason
        XCTAssertEqual(v12, "午休", backend)
        let console = try await store.consoleSnapshot(ConsoleQuery(windowId: "w1", hallDays: [Self.day], serviceIds: ["hukou"], limit: 5,
                                                                   missedSince: Self.t0, today: Self.day, at: Self.t0 + 20))
        XCTAssertEqual(console.breakReason, "午休", backend)
        XCTAssertEqual(console.breakSince, Self.t0 + 10, backend)
        XCTAssertEqual(console.heldServiceIds, ["hukou"], backend)
        let ended = try await store.setWindowBreak(windowId: "w1", reason: nil, at: Self.t0 + 30) { _ in
            Self.event(.windowResumed, "w1", at: Self.t0 + 30, ticket: nil)
        }
        XCTAssertEqual(ended?.type, .windowResumed, backend)
        let nothing = try await store.setWindowBreak(windowId: "w1", reason: nil, at: Self.t0 + 40) { _ in
            Self.event(.windowResumed, "w1", at: Self.t0 + 40, ticket: nil)
        }
        XCTAssertNil(nothing, "\(backend): no break to end, no event")
        let v13 = try await store.hallSnapshot(hallDays: [Self.day], today: Self.day, at: Self.t0 + 41).breaks
        XCTAssertEqual(v13, [:], backend)
        // A new login starts fresh: no break, nothing held.
        _ = try await login("w1", staff: "s2", token: "t2", at: Self.t0 + 50)
        let fresh = try await store.consoleSnapshot(ConsoleQuery(windowId: "w1", hallDays: [Self.day], serviceIds: ["hukou"], limit: 5,
                                                                 missedSince: Self.t0, today: Self.day, at: Self.t0 + 51))
        XCTAssertEqual(fresh.heldServiceIds, [], backend)
    }

    /// A pause with a note says why and until when; a resume clears both.
    func pauseNotes() async throws {
        let until = Self.t0 + 3600
        try await store.pauseService(serviceId: "hukou", note: ServicePauseNote(reason: "系统维护", until: until), at: Self.t0, by: "staff:s1")
        var hall = try await store.hallSnapshot(hallDays: [Self.day], today: Self.day, at: Self.t0)
        XCTAssertEqual(hall.paused, ["hukou"], backend)
        XCTAssertEqual(hall.pauseNotes["hukou"], ServicePauseNote(reason: "系统维护", until: until), backend)
        try await store.pauseService(serviceId: "hukou", note: ServicePauseNote(reason: "断网", until: nil), at: Self.t0 + 5, by: "staff:s1")
        hall = try await store.hallSnapshot(hallDays: [Self.day], today: Self.day, at: Self.t0 + 5)
        XCTAssertEqual(hall.pauseNotes["hukou"], ServicePauseNote(reason: "断网", until: nil), "\(backend): the newer note")
        try await store.setServicePaused(false, serviceId: "hukou", at: Self.t0 + 10, by: "staff:s1")
        hall = try await store.hallSnapshot(hallDays: [Self.day], today: Self.day, at: Self.t0 + 10)
        XCTAssertEqual(hall.paused, [], backend)
        XCTAssertEqual(hall.pauseNotes, [:], backend)
    }

    /// Served today and the missed list of the snapshot.
    func consoleSnapshotCounts() async throws {
        let done = try await completedTicket(at: Self.t0)
        let late = try await missed(at: Self.t0 + 100)
        let snapshot = try await store.consoleSnapshot(ConsoleQuery(windowId: "w1", hallDays: [Self.day], serviceIds: ["hukou"], limit: 5,
                                                                    missedSince: Self.t0, today: Self.day, at: Self.t0 + 200))
        XCTAssertEqual(snapshot.servedToday, 1, backend)
        XCTAssertEqual(snapshot.missed.map(\.id), [late.id], backend)
        XCTAssertEqual(snapshot.waiting.count, 0, backend)
        _ = done
    }
}
