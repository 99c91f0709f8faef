import Foundation

/// `GET /api/v1/hall/board`: everything a calling display (叫号屏) shows, as of hall event `lastEventId`.
///
/// A display loads this first, then follows `GET /api/v1/hall/calls/events` with `Last-Event-ID: lastEventId`, so
/// no event falls between the snapshot and the stream. After a reconnect whose `Last-Event-ID` the server can no
/// longer replay, it loads the snapshot again.
public struct HallBoard: Codable, Hashable, Sendable {
    /// The hall's name for the header.
    public var hallName: LocalizedText
    /// The hall's time zone (IANA name): the clock on the screen.
    public var timezone: String
    /// The newest calls (and recalls) of today, newest first; at most `HallBoard.recentCallLimit`.
    public var recentCalls: [BoardCall]
    /// Every window of the hall, in the hall's order, with what it does now.
    public var windows: [BoardWindow]
    /// Waiting counts per service that is offered today, in the hall's order.
    public var queues: [BoardQueue]
    /// The scrolling notice line (from `hall.toml` or the admin page); `nil` when there is none.
    public var notice: LocalizedText?
    /// The newest hall event this snapshot reflects (0 when there was none yet).
    public var lastEventId: Int64
    /// Server time of this answer.
    public var serverTime: Date

    /// How many recent calls a snapshot carries.
    public static let recentCallLimit = 12

    public init(hallName: LocalizedText, timezone: String, recentCalls: [BoardCall], windows: [BoardWindow],
                queues: [BoardQueue], notice: LocalizedText?, lastEventId: Int64, serverTime: Date) {
        self.hallName = hallName
        self.timezone = timezone
        self.recentCalls = recentCalls
        self.windows = windows
        self.queues = queues
        self.notice = notice
        self.lastEventId = lastEventId
        self.serverTime = serverTime
    }
}

/// One call of a ticket to a window, as the hall is told of it.
public struct BoardCall: Codable, Hashable, Sendable {
    /// The hall event that made the call (strictly increasing over the hall).
    public var eventId: Int64
    public var ticketId: String
    /// The ticket number as printed (`A023`).
    public var number: String
    public var service: ServiceRef
    public var windowId: String
    /// The window's name (`3号窗口` / `Window 3`).
    public var windowName: LocalizedText
    /// The window's short number for the big figure and the voice (`3`); `nil` when the window has none (its name
    /// is shown and spoken instead).
    public var windowNumber: String?
    /// 0 for the first call; 1, 2 … for the recalls (重呼) of the same ticket.
    public var recall: Int
    /// A priority ticket (老年人、残疾人、预约): shown in words, not only by colour.
    public var priority: PriorityKind?
    /// When the window made the call (server clock).
    public var at: Date

    public init(eventId: Int64, ticketId: String, number: String, service: ServiceRef, windowId: String,
                windowName: LocalizedText, windowNumber: String?, recall: Int, priority: PriorityKind?, at: Date) {
        self.eventId = eventId
        self.ticketId = ticketId
        self.number = number
        self.service = service
        self.windowId = windowId
        self.windowName = windowName
        self.windowNumber = windowNumber
        self.recall = recall
        self.priority = priority
        self.at = at
    }

    /// True for a recall (重呼).
    public var isRecall: Bool { recall > 0 }
}

/// What a window is doing, for the calling displays.
public enum BoardWindowActivity: String, Codable, Hashable, Sendable, CaseIterable {
    /// Nobody is logged in: 暂停服务.
    case closed
    /// A clerk is logged in and has asked for a break (暂停服务, with a reason).
    case paused
    /// A clerk is logged in and waits for the next citizen.
    case open
    /// A ticket has been called to the window and the citizen is on the way.
    case calling
    /// The window is serving a ticket.
    case serving
}

/// A window on the calling displays.
public struct BoardWindow: Codable, Hashable, Sendable {
    public var id: String
    public var name: LocalizedText
    /// The short number for the big figure and the voice (`3`); `nil` when the window has none.
    public var number: String?
    public var activity: BoardWindowActivity
    /// The clerk on duty; `nil` when nobody is logged in.
    public var staff: StaffSummary?
    /// The ticket called or served there now (with `calling` and `serving`).
    public var ticketNumber: String?
    /// The break's reason (with `paused`), in the clerk's words or a configured reason.
    public var pauseReason: LocalizedText?

    public init(id: String, name: LocalizedText, number: String?, activity: BoardWindowActivity, staff: StaffSummary?,
                ticketNumber: String?, pauseReason: LocalizedText? = nil) {
        self.id = id
        self.name = name
        self.number = number
        self.activity = activity
        self.staff = staff
        self.ticketNumber = ticketNumber
        self.pauseReason = pauseReason
    }
}

/// How many citizens wait for a service, and whether staff paused issuing for it.
public struct BoardQueue: Codable, Hashable, Sendable {
    public var service: ServiceRef
    public var waiting: Int
    /// True while staff pause issuing (暂停取号); absent when not paused (and from servers before this field).
    public var paused: Bool?
    /// Why, in the clerk's words, when they said (with `paused`).
    public var pauseReason: String?
    /// When issuing reopens by itself, when the clerk said (with `paused`); a `queues` message follows then.
    public var pausedUntil: Date?

    public init(service: ServiceRef, waiting: Int, paused: Bool? = nil, pauseReason: String? = nil, pausedUntil: Date? = nil) {
        self.service = service
        self.waiting = waiting
        self.paused = paused
        self.pauseReason = pauseReason
        self.pausedUntil = pausedUntil
    }
}

/// Kinds of hall events on `GET /api/v1/hall/calls/events`.
public enum HallEventType: String, Codable, Hashable, Sendable, CaseIterable {
    case ticketCalled
    case ticketRecalled
    case serviceStarted
    case serviceCompleted
    case ticketNoShow
    case ticketTransferred
    /// A clerk logged in at the window.
    case windowOpened
    /// The clerk logged out: the window shows 暂停服务.
    case windowClosed
    case windowPaused
    case windowResumed
}

/// One hall event (SSE `event: hall`, `id:` = `id`): what happened, the window as it is after it, and the waiting
/// counts it changed. A display applies it by replacing the window, adding the call (for `ticketCalled` and
/// `ticketRecalled`) and replacing the queues given; events are never reordered, and one already applied (an id at
/// or below the display's last) is skipped.
public struct HallEvent: Codable, Hashable, Sendable {
    /// Strictly increasing over the hall, in commit order; the SSE event id.
    public var id: Int64
    public var type: HallEventType
    public var at: Date
    /// The window after the event.
    public var window: BoardWindow
    /// The call (with `ticketCalled` and `ticketRecalled`).
    public var call: BoardCall?
    /// Waiting counts of the services the event changed.
    public var queues: [BoardQueue]

    public init(id: Int64, type: HallEventType, at: Date, window: BoardWindow, call: BoardCall?, queues: [BoardQueue]) {
        self.id = id
        self.type = type
        self.at = at
        self.window = window
        self.call = call
        self.queues = queues
    }
}

/// SSE `event: queues` on the hall stream (no `id:`, not replayed): waiting counts changed by tickets issued,
/// sent at most once a second. A display that missed some gets the counts again with the next one or the snapshot.
public struct HallQueuesUpdate: Codable, Hashable, Sendable {
    public var queues: [BoardQueue]
    public init(queues: [BoardQueue]) { self.queues = queues }
}

/// SSE `event: notice` on the hall stream (no `id:`): the notice line changed (`nil`: none).
public struct HallNoticeUpdate: Codable, Hashable, Sendable {
    public var notice: LocalizedText?
    public init(notice: LocalizedText?) { self.notice = notice }
}
