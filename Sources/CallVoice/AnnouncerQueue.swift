import Foundation

/// The one queue of a calling display's announcements, as a value: calls go in, the next one to say comes out.
/// Never two at once (one is `speaking` until `finishedSpeaking`), in call order (by sequence number, also when a
/// replay after a reconnect brings an older call late), a recall of a ticket still waiting is merged into it, a call
/// learnt more than `staleAfterSeconds` after it was made is not said, nothing new is said in quiet hours, and a
/// call event seen twice (a replay) is said once. Pure: time comes in as arguments.
public struct AnnouncerQueue: Sendable {
    /// What became of a call offered to the queue.
    public enum Outcome: Sendable, Equatable {
        /// Nothing was being said: this one starts now (the caller plays it, then calls `finishedSpeaking`).
        case speakNow
        /// Waiting behind the one being said and `ahead - 1` others.
        case queued(ahead: Int)
        /// A recall of a ticket still waiting: said once, at the waiting call's place (sequence given).
        case merged(into: Int)
        /// The same call event again (a replay after a reconnect): ignored.
        case duplicate
        /// Learnt `ageSeconds` after it was made (more than the limit): shown, not said.
        case tooOld(ageSeconds: Int)
        /// Made in the quiet hours: shown, not said.
        case quietHours
        /// `[voice] enabled = false`.
        case voiceOff

        /// Whether the call will be said.
        public var willBeSaid: Bool {
            switch self {
            case .speakNow, .queued, .merged: true
            default: false
            }
        }
    }

    public let settings: VoiceSettings
    /// The time zone of the quiet hours (the hall's local time; a display learns it with the board).
    public var timeZone: TimeZone
    /// The call being said now (the one the screen highlights), nil when silent.
    public private(set) var speaking: Announcement?
    /// The calls waiting, the next first.
    public private(set) var waiting: [Announcement] = []
    /// Sequence numbers seen lately (bounded), to ignore replays.
    private var seen: [Int] = []
    private var seenSet: Set<Int> = []
    private static let seenLimit = 1_024

    public init(settings: VoiceSettings, timeZone: TimeZone = .current) {
        self.settings = settings
        self.timeZone = timeZone
    }

    /// Offers a call learnt at `now`.
    public mutating func enqueue(_ call: Announcement, now: Date) -> Outcome {
        guard settings.enabled else { return .voiceOff }
        guard !seenSet.contains(call.sequence) else { return .duplicate }
        remember(call.sequence)
        let age = now.timeIntervalSince(call.calledAt)
        if age > settings.staleAfterSeconds { return .tooOld(ageSeconds: Int(age.rounded())) }
        if let quiet = settings.quietHours, quiet.contains(now, timeZone: timeZone) { return .quietHours }
        if call.isRecall, let index = waiting.firstIndex(where: { $0.ticketNumber == call.ticketNumber }) {
            waiting[index].window = call.window
            return .merged(into: waiting[index].sequence)
        }
        guard speaking != nil else {
            speaking = call
            return .speakNow
        }
        let index = waiting.firstIndex(where: { $0.sequence > call.sequence }) ?? waiting.count
        waiting.insert(call, at: index)
        return .queued(ahead: index + 1)
    }

    /// The call being said has been heard to its end; returns the next one to say (now `speaking`), nil when none.
    public mutating func finishedSpeaking() -> Announcement? {
        speaking = waiting.isEmpty ? nil : waiting.removeFirst()
        return speaking
    }

    private mutating func remember(_ sequence: Int) {
        seen.append(sequence)
        seenSet.insert(sequence)
        if seen.count > Self.seenLimit { seenSet.remove(seen.removeFirst()) }
    }
}
