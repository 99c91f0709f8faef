import Foundation

/// Kinds of events a window publishes on `GET /api/v1/windows/{id}/events` (server-sent events).
public enum WindowEventType: String, Codable, Hashable, Sendable, CaseIterable {
    case ticketCalled
    case ticketRecalled
    case serviceStarted
    case serviceCompleted
    case ticketNoShow
    case ticketTransferred
    case staffLoggedIn
    case staffLoggedOut
    /// The clerk started a break (暂停服务, `breakReason` says why); still logged in. Older clients skip it.
    case windowPaused
    /// The clerk's break ended. Older clients skip it.
    case windowResumed
}

/// The ticket an event is about.
public struct EventTicket: Codable, Hashable, Sendable {
    public var id: String
    public var number: String
    public var service: ServiceRef
    /// When the service was completed (on `serviceCompleted`).
    public var completedAt: Date?
    /// The ticket's priority lane, if any (events before calling displays existed carry none).
    public var priority: PriorityKind?
    /// How often the ticket has been recalled (重呼) so far (absent in old events).
    public var recallCount: Int?
    public init(id: String, number: String, service: ServiceRef, completedAt: Date?, priority: PriorityKind? = nil,
                recallCount: Int? = nil) {
        self.id = id
        self.number = number
        self.service = service
        self.completedAt = completedAt
        self.priority = priority
        self.recallCount = recallCount
    }
}

/// One window event. `id` increases strictly and is the SSE event id (resume with `Last-Event-ID`).
public struct WindowEvent: Codable, Hashable, Sendable {
    public var id: Int64
    public var type: WindowEventType
    public var windowId: String
    public var at: Date
    public var ticket: EventTicket?
    public var staff: StaffSummary?
    /// With `windowPaused`: the break's reason.
    public var breakReason: String?
    /// With `staffLoggedOut`: the clerk who took the window over from `staff` (absent for a plain sign-out).
    public var displacedBy: StaffSummary?
    public init(id: Int64, type: WindowEventType, windowId: String, at: Date, ticket: EventTicket?, staff: StaffSummary?,
                breakReason: String? = nil, displacedBy: StaffSummary? = nil) {
        self.displacedBy = displacedBy
        self.id = id
        self.type = type
        self.windowId = windowId
        self.at = at
        self.ticket = ticket
        self.staff = staff
        self.breakReason = breakReason
    }
}

/// The `reset` message of `GET /api/v1/windows/{id}/events` (SSE `event: reset`, `id:` = `prunedThrough`):
/// the stream was resumed from before the oldest event the server still keeps (old events are pruned after
/// `[maintenance] windowEventDays`), so some events cannot be replayed. Reload the window's state
/// (`GET /api/v1/windows/{id}`) instead of relying on the missed events; the stream goes on with the events
/// after `prunedThrough`. Clients that do not know it skip it as an unreadable event (its id still counts).
public struct WindowEventsReset: Codable, Hashable, Sendable {
    public var windowId: String
    /// Events up to this id may be gone; the stream continues after it.
    public var prunedThrough: Int64
    /// A sentence for logs.
    public var message: String

    public init(windowId: String, prunedThrough: Int64, message: String) {
        self.windowId = windowId
        self.prunedThrough = prunedThrough
        self.message = message
    }
}
