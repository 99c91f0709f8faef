import HallAPI

/// Why the citizen opened the keypad.
public enum LookupPurpose: String, Hashable, Sendable {
    /// 进度查询.
    case progress
    /// 评价: find the ticket to rate. A typed number must be followed by the ticket's 4-digit rating code
    /// (numbers are sequential and prove nothing); a scanned QR code needs nothing more.
    case rating
}

/// Which box the keypad types into.
public enum LookupStep: String, Hashable, Sendable {
    /// The ticket number, e.g. `A023`.
    case number
    /// Rating by number: the 4-digit rating code printed next to the number on the ticket.
    case code
}

/// The lookup keypad screen.
public struct LookupScreen: Hashable, Sendable {
    public var purpose: LookupPurpose
    /// What the citizen typed, upper-case letters and digits, e.g. `A023`.
    public var entry: String
    public var phase: LookupPhase
    /// Which box the keypad types into (always `number` for a progress lookup).
    public var step: LookupStep
    /// The rating code typed so far (`step == .code`).
    public var code: String
    public init(purpose: LookupPurpose = .progress, entry: String = "", phase: LookupPhase = .editing,
                step: LookupStep = .number, code: String = "") {
        self.purpose = purpose
        self.entry = entry
        self.phase = phase
        self.step = step
        self.code = code
    }

    /// Digits in a ticket's rating code.
    public static let codeDigits = 4
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
    /// Today's ticket number with the rating code printed on the ticket (`GET /api/v1/tickets?number=&ratingCode=`):
    /// the server checks the code and counts wrong ones against this kiosk.
    case numberWithCode(String, code: String)
}

/// Why a lookup found nothing.
public enum LookupFailureKind: String, Hashable, Sendable {
    case notFound
    case network
    case other
    /// The rating code is not the ticket's.
    case wrongCode
    /// This kiosk typed too many wrong rating codes; it must wait (or the citizen scans the QR code).
    case tooManyWrongCodes
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
