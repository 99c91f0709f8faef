import Foundation
import GRDB
import HallAPI

/// What staff can do at a window.
public enum WindowAction: String, Sendable, CaseIterable {
    case callNext = "call-next"
    case recall
    case start
    case complete
    case noShow = "no-show"
    case transfer
}

extension HallDesk {
    /// Performs a staff action at the session's window. Every transition is checked against the ticket's state.
    public func act(_ action: WindowAction, session: StaffSession, transferTo: String? = nil) async throws -> WindowActionResult {
        guard let window = hall.window(session.windowId) else {
            throw HallError(404, APIErrorCode.unknownWindow, "no window has id '\(session.windowId)'")
        }
        if action == .transfer {
            guard let target = transferTo, hall.service(target) != nil else {
                throw HallError(404, APIErrorCode.unknownService, "transfer needs {\"serviceId\": ...} naming a configured service")
            }
        }
        let staff = session.staff
        let (ticket, events, completedMinutes): (TicketRow?, [WindowEvent], (String, Double)?) = try await database.write { [self] db in
            let now = self.now
            let current = try TicketRow.fetch(db, where: "windowId = ? AND status IN ('called', 'serving') ORDER BY calledAt DESC LIMIT 1",
                                              [window.id])
            func eventTicket(_ t: TicketRow) -> EventTicket {
                EventTicket(id: t.id, number: t.number, service: hall.service(t.serviceId)!.ref, completedAt: t.completedAt)
            }
            func requireCurrent(_ allowed: Set<TicketStatus>, _ verb: String) throws -> TicketRow {
                guard let c = current else {
                    throw HallError(409, APIErrorCode.invalidTransition, "window \(window.id) has no called ticket to \(verb)")
                }
                guard allowed.contains(c.status) else {
                    throw HallError(409, APIErrorCode.invalidTransition, "ticket \(c.number) is \(c.status.rawValue); cannot \(verb) it")
                }
                return c
            }
            switch action {
            case .callNext:
                if let c = current {
                    throw HallError(409, APIErrorCode.windowBusy,
                                    "ticket \(c.number) is still \(c.status.rawValue) at window \(window.id); complete it, mark it no-show or transfer it first")
                }
                // Yesterday's queue first while the hall runs on past midnight (it has waited longest).
                let days = openHallDays(now: now)
                let placeholders = window.serviceIds.map { _ in "?" }.joined(separator: ",")
                var args = StatementArguments(days)
                args += StatementArguments(window.serviceIds)
                guard var next = try TicketRow.fetch(db, where: """
                    hallDay IN (\(days.map { _ in "?" }.joined(separator: ","))) AND status = 'waiting' AND serviceId IN (\(placeholders))
                    ORDER BY hallDay, rank, serial LIMIT 1
                    """, args) else { return (nil, [], nil) }
                try db.execute(sql: "UPDATE ticket SET status = 'called', windowId = ?, staffId = ?, calledAt = ? WHERE serial = ?",
                               arguments: [window.id, staff.id, now, next.serial])
                try QueueCounts.add(db, day: next.hallDay, serviceId: next.serviceId, rank: next.rank, -1)
                next.status = .called
                next.windowId = window.id
                next.staffId = staff.id
                next.calledAt = now
                let e = try WindowEventStore.append(db, type: .ticketCalled, windowId: window.id, at: now, ticket: eventTicket(next),
                                                    staff: staff.summary)
                return (next, [e], nil)
            case .recall:
                let c = try requireCurrent([.called], "recall")
                try db.execute(sql: "UPDATE ticket SET recallCount = recallCount + 1 WHERE serial = ?", arguments: [c.serial])
                let e = try WindowEventStore.append(db, type: .ticketRecalled, windowId: window.id, at: now, ticket: eventTicket(c),
                                                    staff: staff.summary)
                return (c, [e], nil)
            case .start:
                var c = try requireCurrent([.called], "start serving")
                try db.execute(sql: "UPDATE ticket SET status = 'serving', startedAt = ?, staffId = ? WHERE serial = ?",
                               arguments: [now, staff.id, c.serial])
                c.status = .serving
                c.startedAt = now
                c.staffId = staff.id
                let e = try WindowEventStore.append(db, type: .serviceStarted, windowId: window.id, at: now, ticket: eventTicket(c),
                                                    staff: staff.summary)
                return (c, [e], nil)
            case .complete:
                var c = try requireCurrent([.called, .serving], "complete")
                let started = c.startedAt ?? c.calledAt ?? now
                try db.execute(sql: """
                    UPDATE ticket SET status = 'completed', startedAt = ?, completedAt = ?, endedAt = ?, staffId = ? WHERE serial = ?
                    """, arguments: [started, now, now, staff.id, c.serial])
                c.status = .completed
                c.startedAt = started
                c.completedAt = now
                c.staffId = staff.id
                let e = try WindowEventStore.append(db, type: .serviceCompleted, windowId: window.id, at: now, ticket: eventTicket(c),
                                                    staff: staff.summary)
                return (c, [e], (c.serviceId, now.timeIntervalSince(started) / 60))
            case .noShow:
                var c = try requireCurrent([.called], "mark as no-show")
                try db.execute(sql: "UPDATE ticket SET status = 'noShow', endedAt = ? WHERE serial = ?", arguments: [now, c.serial])
                c.status = .noShow
                let e = try WindowEventStore.append(db, type: .ticketNoShow, windowId: window.id, at: now, ticket: eventTicket(c),
                                                    staff: staff.summary)
                return (c, [e], nil)
            case .transfer:
                var c = try requireCurrent([.called, .serving], "transfer")
                let target = transferTo!
                guard target != c.serviceId else {
                    throw HallError(422, APIErrorCode.badRequest, "ticket \(c.number) is already in service '\(target)'")
                }
                // The ticket keeps its number and its place by original issue time in the new queue.
                let e = try WindowEventStore.append(db, type: .ticketTransferred, windowId: window.id, at: now, ticket: eventTicket(c),
                                                    staff: staff.summary)
                try db.execute(sql: """
                    UPDATE ticket SET status = 'waiting', serviceId = ?, windowId = NULL, staffId = NULL, calledAt = NULL,
                        startedAt = NULL, transferCount = transferCount + 1 WHERE serial = ?
                    """, arguments: [target, c.serial])
                try QueueCounts.add(db, day: c.hallDay, serviceId: target, rank: c.rank, 1)
                c.status = .waiting
                c.serviceId = target
                c.windowId = nil
                c.staffId = nil
                c.calledAt = nil
                c.startedAt = nil
                return (c, [e], nil)
            }
        }
        self.events.publish(events)
        if let (serviceId, minutes) = completedMinutes {
            serviceTimes.record(serviceId: serviceId, minutes: minutes)
            metrics.serviceCompleted(serviceId: serviceId)
        }
        if let ticket {
            logger.info("window action", metadata: ["window.id": "\(window.id)", "action": "\(action.rawValue)",
                                                    "ticket.number": "\(ticket.number)"])
        }
        return try await database.read { [self] db in
            let now = self.now
            let days = openHallDays(now: now)
            let placeholders = window.serviceIds.map { _ in "?" }.joined(separator: ",")
            var args = StatementArguments(days)
            args += StatementArguments(window.serviceIds)
            let waiting = try Int.fetchOne(db, sql: """
                SELECT COUNT(*) FROM ticket WHERE hallDay IN (\(days.map { _ in "?" }.joined(separator: ","))) AND status = 'waiting'
                    AND serviceId IN (\(placeholders))
                """, arguments: args) ?? 0
            let progress = try ticket.flatMap { t in try TicketRow.byId(db, t.id).map { try self.progress(db, $0, now: now) } }
            return WindowActionResult(windowId: window.id, ticket: progress, waitingForWindow: waiting)
        }
    }

    /// The ticket called or being served at a window now, if any.
    public func currentTicket(windowId: String) async throws -> TicketProgress? {
        try await database.read { [self] db in
            guard let row = try TicketRow.fetch(db, where: "windowId = ? AND status IN ('called', 'serving') ORDER BY calledAt DESC LIMIT 1",
                                                [windowId]) else { return nil }
            return try progress(db, row, now: now)
        }
    }

    /// Pauses or resumes issuing for a service.
    public func setPaused(_ paused: Bool, serviceId: String, by actor: String) async throws {
        guard hall.service(serviceId) != nil else {
            throw HallError(404, APIErrorCode.unknownService, "no service has id '\(serviceId)'")
        }
        let now = self.now
        try await database.write { db in
            if paused {
                try db.execute(sql: "INSERT OR IGNORE INTO servicePause (serviceId, pausedAt, pausedBy) VALUES (?, ?, ?)",
                               arguments: [serviceId, now, actor])
            } else {
                try db.execute(sql: "DELETE FROM servicePause WHERE serviceId = ?", arguments: [serviceId])
            }
        }
        logger.info(paused ? "service paused" : "service resumed", metadata: ["service.id": "\(serviceId)", "by": "\(actor)"])
    }

    /// Events of a window after `afterId` (for SSE resume).
    public func windowEvents(windowId: String, after afterId: Int64) async throws -> [WindowEvent] {
        try await database.read { db in try WindowEventStore.events(db, windowId: windowId, after: afterId) }
    }
}
