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
}

/// The ticket an event is about.
public struct EventTicket: Codable, Hashable, Sendable {
    public var id: String
    public var number: String
    public var service: ServiceRef
    /// When the service was completed (on `serviceCompleted`).
    public var completedAt: Date?
    public init(id: String, number: String, service: ServiceRef, completedAt: Date?) {
        self.id = id
        self.number = number
        self.service = service
        self.completedAt = completedAt
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
    public init(id: Int64, type: WindowEventType, windowId: String, at: Date, ticket: EventTicket?, staff: StaffSummary?) {
        self.id = id
        self.type = type
        self.windowId = windowId
        self.at = at
        self.ticket = ticket
        self.staff = staff
    }
}
