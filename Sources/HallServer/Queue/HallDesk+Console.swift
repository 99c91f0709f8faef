import Foundation
import HallAPI

/// The clerk console's rules beyond the plain window moves: when 过号 is allowed, 特呼, undoing a 过号, 过号重排,
/// the window's break and held services, a service paused with a reason, and sign-out with a ticket at the window.
extension HallDesk {
    /// Why a 过号 of the called ticket `t` is refused now (nil: allowed): only after `[console] noShowAfterRecalls`
    /// recalls or `noShowAfterMinutes` since the call, so a citizen on the way is not missed — and so the phone page
    /// has shown "请到 N 号窗口" before it shows 已过号.
    static func noShowRefusal(_ t: StoredTicket, rules: ConsoleRules, now: Date) -> HallError? {
        guard t.status == .called else { return nil }
        let waited = t.calledAt.map { now.timeIntervalSince($0) } ?? 0
        if t.recallCount >= rules.noShowAfterRecalls || waited >= rules.noShowAfterSeconds { return nil }
        let left = Int((rules.noShowAfterSeconds - waited).rounded(.up))
        return HallError(.invalidTransition, "ticket \(t.number) was called \(Int(waited)) s ago and recalled \(t.recallCount) times; "
                         + "过号 is allowed after \(rules.noShowAfterRecalls) recalls or \(Int(rules.noShowAfterSeconds / 60)) minutes "
                         + "([console] noShowAfterRecalls / noShowAfterMinutes): recall it, or wait \(left) s")
    }

    /// When the called ticket `t` may be marked 过号 (nil: now).
    func noShowAllowedAt(_ t: TicketProgress) -> Date? {
        guard t.status == .called, let called = t.calledAt else { return nil }
        if (t.recallCount ?? 0) >= hall.console.noShowAfterRecalls { return nil }
        let at = called.addingTimeInterval(hall.console.noShowAfterSeconds)
        return at > now ? at : nil
    }

    /// The window's break and held services now.
    func windowHolds(windowId: String, now: Date) async throws -> (breakReason: String?, serviceIds: [String]) {
        let snapshot = try await consoleSnapshot(windowId: windowId, limit: 0, now: now)
        return (snapshot.breakReason, snapshot.heldServiceIds)
    }

    /// What the console of `windowId` shows: waiting list (first `limit`), served today, recent 过号, break, holds.
    public func consoleSnapshot(windowId: String, limit: Int = 30, now: Date? = nil) async throws -> ConsoleSnapshot {
        let now = now ?? self.now
        guard let window = hall.window(windowId) else { throw HallError(.unknownWindow, "no window has id '\(windowId)'") }
        // Missed tickets stay listed for the day (过号重排 and 特呼 need them), undo only within its minutes.
        let since = now.addingTimeInterval(-12 * 3600)
        return try await store.consoleSnapshot(ConsoleQuery(windowId: window.id, hallDays: openHallDays(now: now), serviceIds: window.serviceIds,
                                                            limit: limit, missedSince: since, today: clock.moment(now).day, at: now))
    }

    /// A move at the session's window writing a `type` event made from the ticket after it.
    private func consoleMove(_ session: StaffSession, _ type: WindowEventType, at now: Date,
                             check: @escaping @Sendable (StoredTicket?) throws -> Void) -> WindowMove {
        let hall = self.hall
        let staff = session.staff
        return WindowMove(windowId: session.windowId, staffId: staff.id, at: now, check: check, event: { t in
            WindowEvent(id: 0, type: type, windowId: session.windowId, at: now,
                        ticket: EventTicket(id: t.id, number: t.number, service: hall.service(t.serviceId)!.ref, completedAt: t.completedAt,
                                            priority: t.priority, recallCount: t.recallCount),
                        staff: staff.summary)
        })
    }

    /// The window must have no ticket called or in service.
    private static func idle(_ windowId: String) -> @Sendable (StoredTicket?) throws -> Void {
        { current in
            if let c = current {
                throw HallError(.windowBusy, "ticket \(c.number) is still \(c.status.rawValue) at window \(windowId); complete it, "
                                + "mark it no-show or transfer it first")
            }
        }
    }

    /// The ticket `number` (as typed: "a3", "Ａ００３") of an open hall day, or an error naming it.
    func ticketForNumber(_ typed: String, now: Date) async throws -> StoredTicket {
        let number = Self.normalizedNumber(typed)
        let days = openHallDays(now: now)
        guard !number.isEmpty, let first = days.first, let last = days.last,
              let view = try await store.ticketView(.number(number, from: first, to: last), at: now) else {
            throw HallError(.unknownTicket, "no ticket numbered '\(typed)' today")
        }
        return view.ticket
    }

    /// A typed number in the printed form: full-width letters and digits made plain, upper case, spaces dropped.
    static func normalizedNumber(_ typed: String) -> String {
        var out = ""
        for scalar in typed.unicodeScalars {
            var s = scalar
            if (0xFF01...0xFF5E).contains(s.value), let plain = Unicode.Scalar(s.value - 0xFEE0) { s = plain }
            if s.properties.isWhitespace { continue }
            out.unicodeScalars.append(s)
        }
        return out.uppercased()
    }

    /// 特呼: calls ticket `number` (waiting for one of the window's services, or missed earlier: a late citizen) to the
    /// session's window, out of turn.
    public func callNumber(_ typed: String, session: StaffSession) async throws -> WindowActionResult {
        let now = self.now
        guard let window = hall.window(session.windowId) else { throw HallError(.unknownWindow, "no window has id '\(session.windowId)'") }
        let found = try await ticketForNumber(typed, now: now)
        let serviceIds = window.serviceIds
        let result = try await store.callTicket(consoleMove(session, .ticketCalled, at: now, check: Self.idle(window.id)), ticketId: found.id) { t in
            guard let t else { throw HallError(.unknownTicket, "ticket \(found.number) is gone") }
            guard t.status == .waiting || t.status == .noShow else {
                throw HallError(.invalidTransition, "ticket \(t.number) is \(t.status.rawValue); only a waiting or missed ticket can be called (特呼)")
            }
            guard serviceIds.contains(t.serviceId) else {
                throw HallError(.serviceNotAtWindow, "ticket \(t.number) is for service '\(t.serviceId)', which window \(window.id) does not serve")
            }
        }
        return try await published(result, session: session, verb: "call-number")
    }

    /// Undoes a 过号 of this window within `[console] noShowUndoMinutes`: the citizen came after all, and is served now.
    public func undoNoShow(ticketId: String, session: StaffSession) async throws -> WindowActionResult {
        let now = self.now
        let windowId = session.windowId
        let limit = hall.console.noShowUndoSeconds
        let result = try await store.undoNoShow(consoleMove(session, .serviceStarted, at: now, check: Self.idle(windowId)), ticketId: ticketId) { t in
            guard let t, t.status == .noShow, t.windowId == windowId else {
                throw HallError(.invalidTransition, "no ticket missed at window \(windowId) has id '\(ticketId)'")
            }
            let ago = now.timeIntervalSince(t.endedAt ?? now)
            guard ago <= limit else {
                throw HallError(.invalidTransition, "ticket \(t.number) was marked no-show \(Int(ago / 60)) minutes ago; a 过号 can be undone for "
                                + "\(Int(limit / 60)) minutes ([console] noShowUndoMinutes): call it with 特呼 or put it back in the queue (过号重排)")
            }
        }
        return try await published(result, session: session, verb: "undo-no-show")
    }

    /// 过号重排: a ticket missed at this window goes back in its queue behind `[console] requeueBehind` citizens.
    public func requeueMissed(ticketId: String, session: StaffSession) async throws -> RequeueResult {
        let now = self.now
        let windowId = session.windowId
        let days = openHallDays(now: now)
        let result = try await store.requeue(ticketId: ticketId, behind: hall.console.requeueBehind, at: now, check: { t in
            guard let t, t.status == .noShow, t.windowId == windowId, days.contains(t.hallDay) else {
                throw HallError(.invalidTransition, "no ticket missed today at window \(windowId) has id '\(ticketId)'")
            }
        }, event: nil)
        events.publishQueuesChanged()
        logger.info("ticket requeued", metadata: ["window.id": "\(windowId)", "ticket.number": "\(result.ticket.number)", "ahead": "\(result.ahead)"])
        return result
    }

    /// Starts (`reason` non-nil) or ends the session's break (暂停服务): the session stays, the window screen says why.
    public func setBreak(_ reason: String?, session: StaffSession) async throws {
        let now = self.now
        var text = reason?.trimmingCharacters(in: .whitespacesAndNewlines)
        if let t = text {
            guard !t.isEmpty else { throw HallError(.badRequest, "a break needs a reason (e.g. 午休)") }
            guard t.count <= ConsoleRules.reasonLimit else {
                throw HallError(.badRequest, "the break reason has \(t.count) characters; keep it under \(ConsoleRules.reasonLimit)")
            }
            text = t
            if let current = try await store.ticketView(.current(windowId: session.windowId), at: now)?.ticket {
                throw HallError(.windowBusy, "ticket \(current.number) is still \(current.status.rawValue) at window \(session.windowId); "
                                + "complete, transfer or return it before the break")
            }
        }
        let staff = session.staff.summary
        let windowId = session.windowId
        let type: WindowEventType = text == nil ? .windowResumed : .windowPaused
        let reasonText = text
        let event = try await store.setWindowBreak(windowId: windowId, reason: reasonText, at: now) { _ in
            WindowEvent(id: 0, type: type, windowId: windowId, at: now, ticket: nil, staff: staff, breakReason: reasonText)
        }
        if let event { events.publish([event]) }
        logger.info(text == nil ? "break ended" : "break started", metadata: ["window.id": "\(windowId)"])
    }

    /// The window's break now (the answer of the break routes).
    public func windowBreak(windowId: String) async throws -> WindowBreakState {
        let snapshot = try await consoleSnapshot(windowId: windowId, limit: 0)
        return WindowBreakState(windowId: windowId, breakReason: snapshot.breakReason, since: snapshot.breakSince)
    }

    /// 过号重排 answered like the API says: the ticket as the citizen's phone sees it and how many are before it.
    public func requeueAnswer(ticketId: String, session: StaffSession) async throws -> RequeueAnswer {
        let result = try await requeueMissed(ticketId: ticketId, session: session)
        let now = self.now
        guard let view = try await store.ticketView(.id(result.ticket.id), at: now) else {
            throw HallError(.unknownTicket, "ticket \(result.ticket.number) is gone")
        }
        return RequeueAnswer(windowId: session.windowId, ticket: try progress(view, now: now), ahead: result.ahead)
    }

    /// Longest a pause may say it lasts (`until`): a week.
    static let pauseUntilLimit: TimeInterval = 7 * 86400

    /// Holds (`held`: true) or resumes the window's share of `serviceId`: the window stops or starts calling it;
    /// kiosks keep issuing while other windows serve it. A hold may say why and until when (it ends by itself then).
    public func setHeld(_ held: Bool, serviceId: String, session: StaffSession, reason: String? = nil, until: Date? = nil) async throws {
        guard let window = hall.window(session.windowId), window.serviceIds.contains(serviceId) else {
            throw HallError(.serviceNotAtWindow, "window \(session.windowId) does not serve '\(serviceId)'")
        }
        let now = self.now
        let note = try validatedNote(reason: reason, until: until, what: "hold", now: now)
        var holds = try await consoleSnapshot(windowId: window.id, limit: 0, now: now).holds
        holds.removeAll { $0.serviceId == serviceId }
        if held { holds.append(WindowServiceHold(serviceId: serviceId, reason: note.reason, until: note.until)) }
        let ordered = window.serviceIds.compactMap { id in holds.first { $0.serviceId == id } }
        guard try await store.setHeldServices(windowId: window.id, holds: ordered) else {
            throw HallError(.unauthorized, "nobody is logged in at window \(window.id)")
        }
        events.publishQueuesChanged()
    }

    /// The services the window holds now, with their notes.
    public func windowHoldList(windowId: String) async throws -> WindowHolds {
        WindowHolds(windowId: windowId, holds: try await consoleSnapshot(windowId: windowId, limit: 0).holds)
    }

    /// A pause's or hold's reason (trimmed, empty → none, at most `ConsoleRules.reasonLimit`) and `until` (later than
    /// now, at most `pauseUntilLimit` ahead), or the refusal naming what is wrong.
    func validatedNote(reason: String?, until: Date?, what: String, now: Date) throws -> ServicePauseNote {
        let text = reason?.trimmingCharacters(in: .whitespacesAndNewlines)
        if let t = text, t.count > ConsoleRules.reasonLimit {
            throw HallError(.badRequest, "the \(what) reason has \(t.count) characters; keep it under \(ConsoleRules.reasonLimit)")
        }
        if let until {
            let stamp = RFC3339.format(until, in: hall.timeZone)
            guard until > now else {
                throw HallError(.badRequest, "until \(stamp) has passed (the server's time is \(RFC3339.format(now, in: hall.timeZone))); give a later time or none")
            }
            guard until.timeIntervalSince(now) <= Self.pauseUntilLimit else {
                throw HallError(.badRequest, "until \(stamp) is more than 7 days ahead; \(what) without until and end it by hand instead")
            }
        }
        return ServicePauseNote(reason: (text?.isEmpty ?? true) ? nil : text, until: until)
    }

    /// Pauses issuing of a whole service at every kiosk, saying why and (optionally) when it reopens by itself
    /// (`until`: later than now, at most a week ahead; from then on every instance reads the service as open).
    public func pauseService(_ serviceId: String, reason: String?, until: Date?, by actor: String) async throws {
        guard hall.service(serviceId) != nil else { throw HallError(.unknownService, "no service has id '\(serviceId)'") }
        let now = self.now
        let note = try validatedNote(reason: reason, until: until, what: "pause", now: now)
        try await store.pauseService(serviceId: serviceId, note: note, at: now, by: actor)
        events.publishQueuesChanged()
        logger.info("service paused", metadata: ["service.id": "\(serviceId)", "by": "\(actor)"])
    }

    /// What to do with the ticket at the window when the clerk signs out.
    public enum SignOutChoice: Sendable, Equatable {
        /// Back to the front of its queue (another window calls it next).
        case returnToQueue
        /// To another service's queue.
        case transfer(serviceId: String)
        /// The service is done.
        case complete
    }

    /// Signs out; a ticket called or in service at the window is first returned, transferred or completed as chosen
    /// (`choice` nil with such a ticket: refused, so it is never left behind at an empty window).
    public func signOut(session: StaffSession, token: String, choice: SignOutChoice?) async throws {
        let now = self.now
        if let current = try await store.ticketView(.current(windowId: session.windowId), at: now)?.ticket {
            switch choice {
            case nil:
                throw HallError(.windowBusy, "ticket \(current.number) is \(current.status.rawValue) at window \(session.windowId); "
                                + "say whether to return it to the queue, transfer or complete it before signing out")
            case .returnToQueue:
                let windowId = session.windowId
                let move = consoleMove(session, .ticketTransferred, at: now, check: { _ in })
                let result = try await store.requeue(ticketId: current.id, behind: 0, at: now, check: { t in
                    guard let t, t.windowId == windowId, t.status == .called || t.status == .serving else {
                        throw HallError(.invalidTransition, "ticket \(current.number) is no longer at window \(windowId)")
                    }
                }, event: move.event)
                if let event = result.event { events.publish([event]) }
            case .transfer(let serviceId):
                _ = try await act(.transfer, session: session, transferTo: serviceId)
            case .complete:
                _ = try await act(.complete, session: session)
            }
        }
        try await logout(session: session, token: token)
    }

    /// Who is logged in at `windowId` now, when it is not `staffId`.
    public func otherOccupant(windowId: String, staffId: String?) async throws -> StaffSummary? {
        let snapshot = try await store.windowSnapshot(windowId: windowId, hallDays: openHallDays(now: now), at: now)
        guard let occupant = snapshot.staffId, occupant != staffId else { return nil }
        return hall.staffMember(occupant)?.summary ?? StaffSummary(id: occupant, name: occupant, employeeNo: "", photoUrl: nil)
    }

    /// Publishes a console move's event and answers like a window action.
    private func published(_ result: WindowMoveResult, session: StaffSession, verb: String) async throws -> WindowActionResult {
        events.publish([result.event])
        logger.info("window action", metadata: ["window.id": "\(session.windowId)", "action": "\(verb)", "ticket.number": "\(result.ticket.number)"])
        let now = self.now
        let window = hall.window(session.windowId)!
        let waiting = try await store.waitingCount(hallDays: openHallDays(now: now), serviceIds: window.serviceIds)
        let progress = try await store.ticketView(.id(result.ticket.id), at: now).map { try self.progress($0, now: now) }
        return WindowActionResult(windowId: window.id, ticket: progress, waitingForWindow: waiting)
    }
}
