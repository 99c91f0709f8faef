import HallAPI

/// Why the citizen opened the keypad.
public enum LookupPurpose: String, Hashable, Sendable {
    /// 进度查询.
    case progress
    /// 评价: find the ticket to rate (the rating screens come with the ratings work).
    case rating
}

/// The lookup keypad screen.
public struct LookupScreen: Hashable, Sendable {
    public var purpose: LookupPurpose
    /// What the citizen typed, upper-case letters and digits, e.g. `A023`.
    public var entry: String
    public var phase: LookupPhase
    public init(purpose: LookupPurpose = .progress, entry: String = "", phase: LookupPhase = .editing) {
        self.purpose = purpose
        self.entry = entry
        self.phase = phase
    }
}

/// Where a lookup stands.
public enum LookupPhase: Hashable, Sendable {
    case editing
    case pending(LookupQuery)
    case failed(LookupFailureKind)
}

/// What to look a ticket up by.
public enum LookupQuery: Hashable, Sendable {
    /// Today's ticket number, e.g. `A023` (`GET /api/v1/tickets?number=`).
    case number(String)
    /// The ticket's token from its QR code (`GET /api/v1/tickets/{token}`).
    case token(String)
}

/// Why a lookup found nothing.
public enum LookupFailureKind: String, Hashable, Sendable {
    case notFound
    case network
    case other
}

/// A ticket's progress on screen.
public struct LookupResultScreen: Hashable, Sendable {
    public var purpose: LookupPurpose
    public var progress: TicketProgress
    public init(purpose: LookupPurpose, progress: TicketProgress) {
        self.purpose = purpose
        self.progress = progress
    }
}
