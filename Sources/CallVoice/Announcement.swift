import Foundation

/// One call to be said: what the calling display learnt from the hall server's call event.
public struct Announcement: Sendable, Equatable, CustomStringConvertible {
    /// The call event's sequence number (strictly increasing on the server): the speaking order.
    public var sequence: Int
    /// The ticket number as printed, e.g. "A023".
    public var ticketNumber: String
    /// The window as it is said, e.g. "3" (read as a number: 十二 for "12").
    public var window: String
    /// A recall (重呼): said with the same words; merged into a waiting call of the same ticket.
    public var isRecall: Bool
    /// When the call was made (the server's clock).
    public var calledAt: Date

    public init(sequence: Int, ticketNumber: String, window: String, isRecall: Bool = false, calledAt: Date) {
        self.sequence = sequence
        self.ticketNumber = ticketNumber
        self.window = window
        self.isRecall = isRecall
        self.calledAt = calledAt
    }

    /// "#12 A023 → 3 (recall)", for logs.
    public var description: String { "#\(sequence) \(ticketNumber) → \(window)\(isRecall ? " (recall)" : "")" }
}
