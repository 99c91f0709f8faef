import Foundation
import HallAPI

/// The transactions and reads of the clerk's calling console (`/staff`) beyond the plain window moves: 特呼, undoing a
/// 过号, 过号重排 (back in the queue at a place), the window's break (暂停服务), the window's share of a service held,
/// a service paused with a reason, and the console's one-snapshot read. Part of `HallStore`: every backend has them,
/// with the same guarantees (one transaction each; rules run inside it).
public protocol ConsoleStore: Sendable {
    /// 特呼: calls ticket `ticketId` (waiting, or missed: a late citizen) to the window: `called`, window, staff,
    /// `calledAt` = `move.at`, `endedAt` cleared, `recallCount` 0; a waiting ticket leaves the waiting count.
    /// `move.check` sees the window's current ticket first (throws when there is one), then `target` the ticket
    /// (throws when it may not be called here). Appends `move.event`.
    func callTicket(_ move: WindowMove, ticketId: String,
                    target: @escaping @Sendable (StoredTicket?) throws -> Void) async throws -> WindowMoveResult

    /// Undoes a 过号: the missed ticket `ticketId` is back at the window being served (the citizen came after all):
    /// `serving`, `startedAt` = `move.at`, `endedAt` cleared. `move.check` sees the window's current ticket, `target`
    /// the ticket (throws when too late or not this window's). Appends `move.event`.
    func undoNoShow(_ move: WindowMove, ticketId: String,
                    target: @escaping @Sendable (StoredTicket?) throws -> Void) async throws -> WindowMoveResult

    /// 过号重排 / return to the queue: ticket `ticketId` becomes `waiting` again in its service and day, behind
    /// `behind` waiting tickets of its rank (fewer when fewer wait: then last), window, staff, `calledAt`, `startedAt`,
    /// `endedAt` cleared; it joins the waiting count. `check` sees the ticket first. `event`, when given, is appended
    /// (made from the ticket before the move) under the lock of the window the ticket was at.
    func requeue(ticketId: String, behind: Int, at: Date, check: @escaping @Sendable (StoredTicket?) throws -> Void,
                 event: (@Sendable (StoredTicket) -> WindowEvent)?) async throws -> RequeueResult

    /// Starts (`reason` non-nil) or ends (nil) the break of the window's open session and appends `event(staffId)`.
    /// nil (and no event) when nobody is logged in at the window, or when nothing changes (ending no break, starting
    /// the break the window is on with the same reason).
    func setWindowBreak(windowId: String, reason: String?, at: Date,
                        event: @escaping @Sendable (_ staffId: String) -> WindowEvent) async throws -> WindowEvent?

    /// Sets which of its services the window's open session does not call now (its share held), each with its note.
    /// False when nobody is logged in at the window.
    func setHeldServices(windowId: String, holds: [WindowServiceHold]) async throws -> Bool

    /// Pauses a service for every kiosk with a reason and an expected reopening (replacing an earlier note).
    func pauseService(serviceId: String, note: ServicePauseNote, at: Date, by actor: String) async throws

    /// What a window's console shows, read in one snapshot.
    func consoleSnapshot(_ query: ConsoleQuery) async throws -> ConsoleSnapshot
}

extension ConsoleStore {
    /// Holds `serviceIds` without a note.
    func setHeldServices(windowId: String, serviceIds: [String]) async throws -> Bool {
        try await setHeldServices(windowId: windowId, holds: serviceIds.map { WindowServiceHold(serviceId: $0) })
    }
}

/// How a session's held services are stored in one text column: a comma list when no hold has a note (as before
/// notes existed), else a JSON array of `WindowServiceHold`.
enum HeldServicesColumn {
    static func encode(_ holds: [WindowServiceHold]) -> String? {
        if holds.isEmpty { return nil }
        if holds.allSatisfy({ $0.reason == nil && $0.until == nil }) { return holds.map(\.serviceId).joined(separator: ",") }
        return (try? HallJSON.encoder().encode(holds)).map { String(decoding: $0, as: UTF8.self) }
    }

    /// The holds stored in `text` that still hold at `at` (one whose `until` passed is over).
    static func decode(_ text: String?, at: Date) -> [WindowServiceHold] {
        guard let text, !text.isEmpty else { return [] }
        let holds: [WindowServiceHold] = text.hasPrefix("[")
            ? (try? HallJSON.decoder().decode([WindowServiceHold].self, from: Data(text.utf8))) ?? []
            : text.split(separator: ",").map { WindowServiceHold(serviceId: String($0)) }
        return holds.filter { $0.until.map { $0 > at } ?? true }
    }
}

/// The outcome of `requeue`.
public struct RequeueResult: Sendable {
    /// The ticket as the move left it (waiting).
    public var ticket: StoredTicket
    /// Waiting tickets of its rank now before it.
    public var ahead: Int
    /// The appended event, when one was asked for.
    public var event: WindowEvent?

    public init(ticket: StoredTicket, ahead: Int, event: WindowEvent?) {
        self.ticket = ticket
        self.ahead = ahead
        self.event = event
    }
}

/// Why a service is paused and when it may reopen.
public struct ServicePauseNote: Sendable, Equatable {
    /// The clerk's words, shown on the kiosk button ("系统维护").
    public var reason: String?
    /// When issuing resumes by itself: from then on the service reads as not paused (on every instance, without a
    /// write); the row stays until the next pause or resume replaces it.
    public var until: Date?

    public init(reason: String?, until: Date?) {
        self.reason = reason
        self.until = until
    }
}

/// What `consoleSnapshot` reads.
public struct ConsoleQuery: Sendable {
    public var windowId: String
    /// The open hall days (yesterday's queue first while the hall runs past midnight).
    public var hallDays: [String]
    /// The window's services.
    public var serviceIds: [String]
    /// How many waiting tickets to list.
    public var limit: Int
    /// Missed tickets of this window ended at or after this time are listed (undo, 过号重排, 特呼).
    public var missedSince: Date
    /// The day served tickets are counted for.
    public var today: String
    public var at: Date

    public init(windowId: String, hallDays: [String], serviceIds: [String], limit: Int, missedSince: Date, today: String, at: Date) {
        self.windowId = windowId
        self.hallDays = hallDays
        self.serviceIds = serviceIds
        self.limit = limit
        self.missedSince = missedSince
        self.today = today
        self.at = at
    }
}

/// A window's console, read in one snapshot.
public struct ConsoleSnapshot: Sendable {
    /// The first waiting tickets of the window's services, in calling order (days, rank, queue place).
    public var waiting: [StoredTicket]
    /// All waiting tickets of the window's services.
    public var waitingTotal: Int
    /// Tickets completed at this window today.
    public var servedToday: Int
    /// Tickets missed at this window since `missedSince`, newest first.
    public var missed: [StoredTicket]
    /// The open session's break: reason and start; nil when not on a break (or nobody is logged in).
    public var breakReason: String?
    public var breakSince: Date?
    /// The window's services its open session does not call now.
    public var heldServiceIds: [String]
    /// The same with their notes (reason, until).
    public var holds: [WindowServiceHold]

    public init(waiting: [StoredTicket], waitingTotal: Int, servedToday: Int, missed: [StoredTicket], breakReason: String?,
                breakSince: Date?, heldServiceIds: [String], holds: [WindowServiceHold]? = nil) {
        self.holds = holds ?? heldServiceIds.map { WindowServiceHold(serviceId: $0) }
        self.waiting = waiting
        self.waitingTotal = waitingTotal
        self.servedToday = servedToday
        self.missed = missed
        self.breakReason = breakReason
        self.breakSince = breakSince
        self.heldServiceIds = heldServiceIds
    }
}
