import Foundation
import HallAPI

extension HallDesk {
    /// Performs a staff action at the session's window. Every transition is checked against the ticket's state.
    public func act(_ action: WindowAction, session: StaffSession, transferTo: String? = nil) async throws -> WindowActionResult {
        guard let window = hall.window(session.windowId) else {
            throw HallError(.unknownWindow, "no window has id '\(session.windowId)'")
        }
        if action == .transfer {
            guard let target = transferTo, hall.service(target) != nil else {
                throw HallError(.unknownService, "transfer needs {\"serviceId\": ...} naming a configured service")
            }
        }
        let staff = session.staff
        let now = self.now
        let hall = self.hall
        @Sendable func eventTicket(_ t: StoredTicket) -> EventTicket {
            EventTicket(id: t.id, number: t.number, service: hall.service(t.serviceId)!.ref, completedAt: t.completedAt,
                        priority: t.priority, recallCount: t.recallCount)
        }
        /// A move at this window writing a `type` event, allowed when `check` passes.
        func move(_ type: WindowEventType, check: @escaping @Sendable (StoredTicket?) throws -> Void) -> WindowMove {
            WindowMove(windowId: window.id, staffId: staff.id, at: now, check: check, event: { t in
                WindowEvent(id: 0, type: type, windowId: window.id, at: now, ticket: eventTicket(t), staff: staff.summary)
            })
        }
        /// Allows a move only on a current ticket in one of `allowed`.
        func requiring(_ allowed: Set<TicketStatus>, _ verb: String) -> @Sendable (StoredTicket?) throws -> Void {
            { current in
                guard let c = current else {
                    throw HallError(.invalidTransition, "window \(window.id) has no called ticket to \(verb)")
                }
                guard allowed.contains(c.status) else {
                    throw HallError(.invalidTransition, "ticket \(c.number) is \(c.status.rawValue); cannot \(verb) it")
                }
            }
        }
        let result: WindowMoveResult?
        switch action {
        case .callNext:
            let idle: @Sendable (StoredTicket?) throws -> Void = { current in
                if let c = current {
                    throw HallError(.windowBusy,
                                    "ticket \(c.number) is still \(c.status.rawValue) at window \(window.id); complete it, mark it no-show or transfer it first")
                }
            }
            // A clerk on a break calls nobody; services whose share the window holds are not called here.
            let held = try await windowHolds(windowId: window.id, now: now)
            if let reason = held.breakReason {
                throw HallError(.invalidTransition, "window \(window.id) is on a break (\(reason)); resume service first (恢复服务)")
            }
            let serviceIds = window.serviceIds.filter { !held.serviceIds.contains($0) }
            guard !serviceIds.isEmpty else {
                throw HallError(.invalidTransition, "window \(window.id) holds every one of its services; resume one first (恢复本窗口办理)")
            }
            // Yesterday's queue first while the hall runs on past midnight (it has waited longest).
            result = try await store.callNext(move(.ticketCalled, check: idle), hallDays: openHallDays(now: now), serviceIds: serviceIds,
                                              appointmentsInARow: hall.appointments.appointmentsInARow)
        case .recall:
            let called = requiring([.called], "recall")
            let limit = hall.recallLimit
            result = try await store.recall(move(.ticketRecalled, check: { current in
                try called(current)
                if let c = current, c.recallCount >= limit {
                    throw HallError(.recallLimitReached, "ticket \(c.number) has been recalled \(c.recallCount) times, the hall's limit "
                                    + "([calling] recallLimit = \(limit)); mark it no-show (过号) or start serving it")
                }
            }))
        case .start:
            result = try await store.startService(move(.serviceStarted, check: requiring([.called], "start serving")))
        case .complete:
            result = try await store.complete(move(.serviceCompleted, check: requiring([.called, .serving], "complete")))
        case .noShow:
            let called = requiring([.called], "mark as no-show")
            let rules = hall.console
            result = try await store.noShow(move(.ticketNoShow, check: { current in
                try called(current)
                if let c = current, let refusal = Self.noShowRefusal(c, rules: rules, now: now) { throw refusal }
            }))
        case .transfer:
            let target = transferTo!
            let inQueue = requiring([.called, .serving], "transfer")
            result = try await store.transfer(move(.ticketTransferred, check: { current in
                try inQueue(current)
                if let c = current, c.serviceId == target {
                    throw HallError(.badRequest, "ticket \(c.number) is already in service '\(target)'").answered(with: 422)
                }
            }), toServiceId: target)
        }
        if let result {
            self.events.publish([result.event])
            if action == .complete, let started = result.ticket.startedAt, let completed = result.ticket.completedAt {
                let serviceId = result.ticket.serviceId
                serviceTimes.record(serviceId: serviceId, minutes: completed.timeIntervalSince(started) / 60)
                metrics.serviceCompleted(serviceId: serviceId)
            }
            logger.info("window action", metadata: ["window.id": "\(window.id)", "action": "\(action.rawValue)",
                                                    "ticket.number": "\(result.ticket.number)"])
        }
        let answeredAt = self.now
        let waiting = try await store.waitingCount(hallDays: openHallDays(now: answeredAt), serviceIds: window.serviceIds)
        var progress: TicketProgress? = nil
        if let id = result?.ticket.id, let view = try await store.ticketView(.id(id), at: answeredAt) {
            progress = try self.progress(view, now: answeredAt)
        }
        return WindowActionResult(windowId: window.id, ticket: progress, waitingForWindow: waiting)
    }

    /// The ticket called or being served at a window now, if any.
    public func currentTicket(windowId: String) async throws -> TicketProgress? {
        let now = self.now
        guard let view = try await store.ticketView(.current(windowId: windowId), at: now) else { return nil }
        return try progress(view, now: now)
    }

    /// Pauses or resumes issuing for a service.
    public func setPaused(_ paused: Bool, serviceId: String, by actor: String) async throws {
        guard hall.service(serviceId) != nil else {
            throw HallError(.unknownService, "no service has id '\(serviceId)'")
        }
        try await store.setServicePaused(paused, serviceId: serviceId, at: self.now, by: actor)
        logger.info(paused ? "service paused" : "service resumed", metadata: ["service.id": "\(serviceId)", "by": "\(actor)"])
    }

    /// How many events one backlog read returns.
    static let windowEventPageSize = 500

    /// Events of a window after `afterId`, oldest first, at most `windowEventPageSize` (for SSE resume).
    public func windowEvents(windowId: String, after afterId: Int64) async throws -> [WindowEvent] {
        try await store.windowEvents(windowId: windowId, after: afterId, limit: Self.windowEventPageSize).events
    }
}
