/// What the reader tells the kiosk.
public enum ReaderEvent: Sendable, Equatable, CustomStringConvertible {
    /// A card was placed and read: once per placement.
    case cardRead(IDCard)
    /// A card is on the reader but could not be read: once per placement, until it reads or is lifted.
    case cardUnreadable(CardProblem)
    /// The reader's health changed (connected, SAM status, last error).
    case healthChanged(ReaderHealth)

    public var description: String {
        switch self {
        case let .cardRead(card): "card read: \(card)"
        case let .cardUnreadable(problem): "card unreadable: \(problem.reason)"
        case let .healthChanged(health): "reader health: \(health)"
        }
    }
}

/// Why a card on the reader gave no identity, with what to tell the person in front of the kiosk.
public enum CardProblem: Sendable, Equatable {
    /// The card left the field before the read reply was complete.
    case removedDuringRead
    /// The reader found a card but could not select it (usually not flat, or moving).
    case selectFailed(SAMStatus)
    /// The read command failed.
    case readFailed(SAMStatus)
    /// The card was read but its text is not a valid card (e.g. the check character does not match).
    case invalidCard(CardTextError)

    /// For logs: what went wrong (no personal data).
    public var reason: String {
        switch self {
        case .removedDuringRead: "the card was removed during the read"
        case let .selectFailed(status): "select failed: \(status)"
        case let .readFailed(status): "read failed: \(status)"
        case let .invalidCard(error): "invalid card: \(error)"
        }
    }

    /// Whether the person should simply place the card again, flat (rather than go to a counter).
    public var placeAgain: Bool {
        if case .invalidCard = self { return false }
        return true
    }

    /// The screen's sentence in Chinese.
    public var messageZH: String { placeAgain ? "请将身份证平放在读卡区" : "无法识别此证件，请到窗口办理" }
    /// The screen's sentence in English.
    public var messageEN: String { placeAgain ? "Place the card flat on the reader" : "This card cannot be read here; please go to a counter" }
}

/// The reader's health for the heartbeat, `/admin/devices` and `hallkiosk doctor`.
public struct ReaderHealth: Sendable, Equatable, CustomStringConvertible {
    /// Whether the serial port is open and the reader answers.
    public var connected: Bool
    /// The last SAM status answer (90 = ready), nil before the first.
    public var samStatus: SAMStatus?
    /// The latest problem, nil while all is well.
    public var lastError: String?

    public init(connected: Bool = false, samStatus: SAMStatus? = nil, lastError: String? = nil) {
        self.connected = connected
        self.samStatus = samStatus
        self.lastError = lastError
    }

    /// Connected and the SAM passed its self-test.
    public var isReady: Bool { connected && samStatus == .success }

    /// `connected, SAM 90 (success)` or `disconnected: …`.
    public var description: String {
        var text = connected ? "connected" : "disconnected"
        if let samStatus { text += ", SAM \(samStatus)" }
        if let lastError { text += "; last error: \(lastError)" }
        return text
    }
}
