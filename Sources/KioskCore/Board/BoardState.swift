import Foundation
import HallAPI

/// Which calling display this is.
public enum BoardRole: Hashable, Sendable {
    /// The hall screen (综合屏): the newest call large, the recent calls, every window, the waiting counts.
    case hall
    /// One window's screen (窗口屏) above window `id`.
    case window(id: String)
}

/// The link to the hall server's event stream, as the display sees it.
public enum BoardLink: Hashable, Sendable {
    /// Started, no snapshot yet (since `since`).
    case connecting(since: Uptime)
    /// Snapshot loaded and the stream open.
    case live
    /// The stream broke at `since`; `reason` names why, for the log and the banner's small print.
    case lost(since: Uptime, reason: String)
}

/// A call the display knows, with when the display learned it.
public struct KnownCall: Hashable, Sendable {
    public var call: BoardCall
    /// When the display learned of the call (its monotonic clock): the highlight runs from here.
    public var learnedAt: Uptime
    /// False for calls that were already old when learned (in a snapshot, or replayed after a reconnect more than
    /// `BoardTiming.liveCallAge` after the call): listed, never highlighted or spoken.
    public var live: Bool

    public init(call: BoardCall, learnedAt: Uptime, live: Bool) {
        self.call = call
        self.learnedAt = learnedAt
        self.live = live
    }
}

/// The calling display's timings (CALLING-NOTES: highlight ≥ 8 s, blink ≤ 3 times a second and stopped within 5 s).
public enum BoardTiming {
    /// A new call stays highlighted this long (in the featured area and in the list).
    public static let highlightSeconds: Double = 8
    /// The featured number blinks this long after it became featured, then holds.
    public static let blinkSeconds: Double = 4
    /// One blink phase (shown, then dimmed): 2 blinks a second.
    public static let blinkPhaseSeconds: Double = 0.25
    /// A call learned later than this after it was made (a replay after a reconnect) is listed but not announced.
    public static let liveCallAge: Double = 60
    /// The featured call shown without voice stays at least this long before a newer one replaces it.
    public static let featureDwellSeconds: Double = 8
}

/// Everything a calling display knows, as one value. Changed only by `reduceBoard`, drawn only by `boardView`.
public struct BoardState: Hashable, Sendable {
    public var role: BoardRole
    /// The language shown first (the other is shown beside it in smaller type).
    public var language: Language
    /// The last snapshot with every event since applied; `nil` until the first snapshot.
    public var board: HallBoard?
    /// The newest hall event applied (the stream resumes after it).
    public var lastEventId: Int64
    /// Recent calls, newest first (at most `HallBoard.recentCallLimit`).
    public var calls: [KnownCall]
    /// The call in the large featured area, and since when it is featured there.
    public var featured: FeaturedCall?
    /// Live calls that wait for their turn in the featured area (oldest first) when no voice leads it.
    public var featureQueue: [Int64]
    /// The call the voice is saying now (the featured area follows it).
    public var speaking: Int64?
    public var link: BoardLink
    /// Server clock minus display clock at the last snapshot (seconds): how old a replayed call really is.
    public var serverClockOffset: Double
    /// The wall clock (for the clock on screen), as given by the last tick.
    public var now: Date
    /// The monotonic clock, as given by the last tick: every highlight and timer.
    public var uptime: Uptime
    /// True when a voice is configured and working: the featured call follows what is spoken.
    public var voiceLeads: Bool
    /// Staff photos (by URL) the renderer has, and those asked for (once per URL and start): a window screen shows
    /// its clerk's photo.
    public var photosReady: Set<String> = []
    public var photosRequested: Set<String> = []

    public init(role: BoardRole, now: Date, uptime: Uptime, language: Language = .zh, voiceLeads: Bool = false) {
        self.role = role
        self.language = language
        self.board = nil
        self.lastEventId = 0
        self.calls = []
        self.featured = nil
        self.featureQueue = []
        self.speaking = nil
        self.link = .connecting(since: uptime)
        self.serverClockOffset = 0
        self.now = now
        self.uptime = uptime
        self.voiceLeads = voiceLeads
    }

    /// True when this display features and says `call`: every call on the hall screen, the window's own on a window
    /// screen.
    public func shows(_ call: BoardCall) -> Bool { concerns(role, call) }

    /// The known call with event id `id`.
    public func call(_ id: Int64) -> KnownCall? { calls.first { $0.call.eventId == id } }

    /// True while `call` is highlighted (a live call within `highlightSeconds` of being learned — or of being
    /// featured, when it waited for the featured area).
    public func isHighlighted(_ known: KnownCall) -> Bool {
        guard known.live else { return false }
        if uptime - known.learnedAt < BoardTiming.highlightSeconds { return true }
        if let featured, featured.eventId == known.call.eventId, uptime - featured.since < BoardTiming.highlightSeconds {
            return true
        }
        return known.call.eventId == speaking
    }
}

/// The call in the featured area.
public struct FeaturedCall: Hashable, Sendable {
    public var eventId: Int64
    /// When it became featured (the blink and dwell run from here).
    public var since: Uptime
    /// False for a call featured only because it is the newest one known (e.g. after a start): it does not blink.
    public var blinks: Bool

    public init(eventId: Int64, since: Uptime, blinks: Bool) {
        self.eventId = eventId
        self.since = since
        self.blinks = blinks
    }
}
