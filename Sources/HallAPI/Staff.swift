import Foundation

/// `POST /api/v1/windows/{id}/login`.
/// At a window where another clerk is signed in the login is refused with 409 `windowBusy` naming them
/// (`WindowOccupiedBody`) unless `takeover` is true: then their session ends.
public struct StaffLoginRequest: Codable, Hashable, Sendable {
    /// Employee number (工号).
    public var employeeNo: String
    public var pin: String
    /// Take the window over from the clerk signed in there (absent: false, ask first).
    public var takeover: Bool?
    public init(employeeNo: String, pin: String, takeover: Bool? = nil) {
        self.employeeNo = employeeNo
        self.pin = pin
        self.takeover = takeover
    }
}

/// The answer to a staff login: a bearer token for staff actions at that window.
public struct StaffLoginResponse: Codable, Hashable, Sendable {
    public var staffToken: String
    public var staff: StaffSummary
    public var window: WindowRef
    public var expiresAt: Date
    public init(staffToken: String, staff: StaffSummary, window: WindowRef, expiresAt: Date) {
        self.staffToken = staffToken
        self.staff = staff
        self.window = window
        self.expiresAt = expiresAt
    }
}

/// `POST /api/v1/windows/{id}/transfer`: send the current ticket to another service's queue.
public struct TransferRequest: Codable, Hashable, Sendable {
    public var serviceId: String
    public init(serviceId: String) { self.serviceId = serviceId }
}

/// The answer to every window action: the ticket acted on (none when the queue was empty).
public struct WindowActionResult: Codable, Hashable, Sendable {
    public var windowId: String
    public var ticket: TicketProgress?
    /// Waiting tickets left for the services of this window.
    public var waitingForWindow: Int
    public init(windowId: String, ticket: TicketProgress?, waitingForWindow: Int) {
        self.windowId = windowId
        self.ticket = ticket
        self.waitingForWindow = waitingForWindow
    }
}

/// What staff can do at a window; the raw value is the last segment of its route (`POST /api/v1/windows/{id}/call-next`).
public enum WindowAction: String, Sendable, CaseIterable, Codable {
    case callNext = "call-next"
    case recall
    case start
    case complete
    case noShow = "no-show"
    case transfer
}
