import Foundation

/// `GET /api/v1/windows/{id}`: what a window's rating device shows while idle — the window, who
/// serves there, the ticket served now, and (when the hall enables it) that staff member's 好评率.
public struct WindowState: Codable, Hashable, Sendable {
    /// The window, its logged-in staff member (`isOpen == false` → show "window closed") and the
    /// ticket number called or served there now.
    public var window: WindowStatus
    /// The logged-in staff member's satisfaction figure; nil when the hall does not show it
    /// (`[ratings] showStaffSatisfaction`) or nobody is logged in.
    public var staffSatisfaction: StaffSatisfaction?
    /// The newest event id of this window: follow `GET /api/v1/windows/{id}/events` with this as
    /// `Last-Event-ID` so no event falls between this answer and the stream.
    public var lastEventId: Int64
    /// Server time of this answer.
    public var serverTime: Date

    public init(window: WindowStatus, staffSatisfaction: StaffSatisfaction?, lastEventId: Int64, serverTime: Date) {
        self.window = window
        self.staffSatisfaction = staffSatisfaction
        self.lastEventId = lastEventId
        self.serverTime = serverTime
    }
}

/// A staff member's 好评率 over recent hall days: active ratings only (`systemDefault` ones are
/// counted apart and not shown), 好评 = every level except 不满意 and 非常不满意.
public struct StaffSatisfaction: Codable, Hashable, Sendable {
    public var staffId: String
    /// First and last hall day covered (`YYYY-MM-DD`), today included.
    public var from: String
    public var to: String
    /// Active ratings in the period.
    public var activeRatings: Int
    /// Of those, 好评 (非常满意, 满意, 基本满意).
    public var goodRatings: Int
    /// 好评率 = goodRatings / activeRatings, 0…1; nil when there are no ratings yet (show "—", not 0 %).
    public var goodRate: Double?

    public init(staffId: String, from: String, to: String, activeRatings: Int, goodRatings: Int) {
        self.staffId = staffId
        self.from = from
        self.to = to
        self.activeRatings = activeRatings
        self.goodRatings = goodRatings
        self.goodRate = activeRatings > 0 ? Double(goodRatings) / Double(activeRatings) : nil
    }
}

/// `GET /api/v1/windows/{id}/recent-events?after=N`: the polling fallback of the event stream.
public struct WindowEventPage: Codable, Hashable, Sendable {
    /// Events with id > `after`, oldest first (at most one page).
    public var events: [WindowEvent]
    /// The id to ask `after` next time: the last event's id, or the window's newest id when there
    /// were none (without `after`, the page is empty and this is where following starts).
    public var lastEventId: Int64
    /// True when more events follow at once (ask again with `after = lastEventId`).
    public var hasMore: Bool
    /// Set when `after` is older than the oldest event kept (old events are pruned): events up to this id
    /// may be missing, so reload the window's state. Absent otherwise.
    public var prunedThrough: Int64?

    public init(events: [WindowEvent], lastEventId: Int64, hasMore: Bool, prunedThrough: Int64? = nil) {
        self.events = events
        self.lastEventId = lastEventId
        self.hasMore = hasMore
        self.prunedThrough = prunedThrough
    }
}
