import Foundation

/// `POST /api/v1/windows/{id}/call-number` (特呼): calls the ticket with this number to the window out of turn — a
/// waiting ticket of one of the window's services, or one missed earlier (a late citizen). Answers
/// `WindowActionResult`; `windowBusy` while the window still has a ticket, `unknownTicket` for a number not issued
/// today, `invalidTransition` for a ticket neither waiting nor missed, `serviceNotAtWindow` for another window's service.
public struct CallNumberRequest: Codable, Hashable, Sendable {
    /// The number as the citizen says or types it: `A003`, `a003`, `Ａ００３`.
    public var number: String
    public init(number: String) {
        self.number = number
    }
}

/// `POST /api/v1/windows/{id}/undo-no-show` and `POST /api/v1/windows/{id}/requeue`: which ticket missed (过号) at
/// this window. Undoing answers `WindowActionResult` (the ticket is being served at the window again) and is allowed
/// within `[console] noShowUndoMinutes` of the 过号; 过号重排 answers `RequeueAnswer`. A ticket that is not missed
/// at this window (any more) answers `invalidTransition`, so a repeated request changes nothing.
public struct MissedTicketRequest: Codable, Hashable, Sendable {
    /// The ticket's id (`TicketProgress.id`, `EventTicket.id`).
    public var ticketId: String
    public init(ticketId: String) {
        self.ticketId = ticketId
    }
}

/// The answer to 过号重排 (`POST /api/v1/windows/{id}/requeue`): the ticket waits again, behind
/// `[console] requeueBehind` citizens of its lane (fewer when fewer wait).
public struct RequeueAnswer: Codable, Hashable, Sendable {
    public var windowId: String
    /// The ticket as it is now (`waiting`).
    public var ticket: TicketProgress
    /// Waiting tickets of its lane before it now.
    public var ahead: Int
    public init(windowId: String, ticket: TicketProgress, ahead: Int) {
        self.windowId = windowId
        self.ticket = ticket
        self.ahead = ahead
    }
}

/// `POST /api/v1/windows/{id}/break` (暂停服务): the clerk takes a break and stays signed in; the window screen and
/// the rating device say why, and call-next is refused until `POST /api/v1/windows/{id}/end-break`. Refused with
/// `windowBusy` while a ticket is called or served at the window, `badRequest` for an empty or over-long reason.
/// Starting the break the window is already on, or ending none, changes nothing and answers the same.
public struct WindowBreakRequest: Codable, Hashable, Sendable {
    /// Why, in the clerk's words (午休, 系统维护); at most 40 characters.
    public var reason: String
    public init(reason: String) {
        self.reason = reason
    }
}

/// A window's break now: the answer of `…/break` and `…/end-break`.
public struct WindowBreakState: Codable, Hashable, Sendable {
    public var windowId: String
    /// Why the window is on a break; absent when it is not.
    public var breakReason: String?
    /// Since when; absent when not on a break.
    public var since: Date?
    public init(windowId: String, breakReason: String?, since: Date?) {
        self.windowId = windowId
        self.breakReason = breakReason
        self.since = since
    }
}

/// `POST /api/v1/services/{id}/pause` with a body (the body is optional: without one the service is paused with no
/// note, as before). Kiosks show the reason on the service's button (`ServiceStatus.pauseReason`) and when it reopens
/// (`ServiceStatus.pausedUntil`); at `until` the service reopens by itself.
public struct ServicePauseRequest: Codable, Hashable, Sendable {
    /// Why, shown to citizens (系统维护); at most 40 characters.
    public var reason: String?
    /// When the service reopens by itself (RFC 3339); must be later than now and within 7 days.
    public var until: Date?
    public init(reason: String?, until: Date?) {
        self.reason = reason
        self.until = until
    }
}

/// Who is signed in at a window: the public work identity a window screen shows, nothing more.
public struct WindowOccupant: Codable, Hashable, Sendable {
    public var name: String
    /// Employee number (工号).
    public var employeeNo: String
    public init(name: String, employeeNo: String) {
        self.name = name
        self.employeeNo = employeeNo
    }
}

/// The 409 `windowBusy` answer of `POST /api/v1/windows/{id}/login` when another clerk is signed in at the window:
/// the error and who would be signed out. Log in again with `"takeover": true` to take the window over (the other
/// clerk's session ends; their `staffLoggedOut` event names who took over, `WindowEvent.displacedBy`).
public struct WindowOccupiedBody: Codable, Hashable, Sendable {
    public var error: APIErrorBody.Detail
    public var signedIn: WindowOccupant
    public init(error: APIErrorBody.Detail, signedIn: WindowOccupant) {
        self.error = error
        self.signedIn = signedIn
    }
}

/// One of a window's services whose share the window holds (本窗口暂停办理): the window does not call it, while
/// kiosks keep issuing and other windows serve it. With `until` the hold ends by itself then.
public struct WindowServiceHold: Codable, Hashable, Sendable {
    public var serviceId: String
    /// Why, in the clerk's words, when they said.
    public var reason: String?
    /// When the window calls the service again by itself, when the clerk said.
    public var until: Date?
    public init(serviceId: String, reason: String? = nil, until: Date? = nil) {
        self.serviceId = serviceId
        self.reason = reason
        self.until = until
    }
}

/// `POST /api/v1/windows/{id}/hold`: the window stops calling `serviceId` (one of its services), optionally saying
/// why and until when (later than now, at most 7 days ahead); holding it again replaces the note.
/// `POST /api/v1/windows/{id}/unhold` (`reason` and `until` ignored): it calls the service again. Both answer
/// `WindowHolds`; `serviceNotAtWindow` for a service the window does not serve.
public struct WindowHoldRequest: Codable, Hashable, Sendable {
    public var serviceId: String
    public var reason: String?
    public var until: Date?
    public init(serviceId: String, reason: String? = nil, until: Date? = nil) {
        self.serviceId = serviceId
        self.reason = reason
        self.until = until
    }
}

/// The services a window holds now (holds whose `until` passed are over).
public struct WindowHolds: Codable, Hashable, Sendable {
    public var windowId: String
    public var holds: [WindowServiceHold]
    public init(windowId: String, holds: [WindowServiceHold]) {
        self.windowId = windowId
        self.holds = holds
    }
}
