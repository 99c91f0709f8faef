/// The reader loop as a pure state machine: the adapter performs each `Step`, reports what happened as an `Input`,
/// and gets the next step and the events to deliver.
///
/// - Polls find-card every `pollInterval`; a found card is selected and read; one placement gives one
///   `.cardRead` (a card left on the reader gives no other until a find answers "no card").
/// - A read reply lost on the wire is retried once (select + read); a read that still fails, or a card lifted
///   during the read, gives one `.cardUnreadable` per placement ("place the card flat").
/// - Checks the SAM on connecting and every `samCheckInterval`; a failed SAM is re-checked every second.
/// - A port error (unplugged) or `silentLimit` timeouts in a row close the port; it is reopened every
///   `reconnectInterval` until the reader answers again.
public struct ReaderMachine: Sendable {
    /// How often and how long. Defaults: poll 100 ms, SAM check 3 s, reconnect 500 ms, reply timeout 500 ms, read
    /// timeout 1.5 s, 3 silent replies in a row → reconnect.
    public struct Timing: Sendable, Equatable {
        public var pollInterval: Duration = .milliseconds(100)
        public var samCheckInterval: Duration = .seconds(3)
        public var samRetryInterval: Duration = .seconds(1)
        public var reconnectInterval: Duration = .milliseconds(500)
        public var replyTimeout: Duration = .milliseconds(500)
        public var readTimeout: Duration = .milliseconds(1500)
        public var silentLimit = 3
        public init() {}
    }

    /// What the adapter does next.
    public enum Step: Sendable, Equatable {
        /// Open the port; answer `.connected` or `.connectFailed`.
        case connect
        /// Drop stale input, send the command, wait up to `timeout` for one reply; answer `.reply`,
        /// `.replyTimedOut` or `.ioFailed`.
        case send(SAMCommand, timeout: Duration)
        /// Wait; answer `.waitEnded`.
        case wait(Duration)
        /// Close the port; answer `.disconnected`.
        case disconnect
    }

    /// What happened to the last step.
    public enum Input: Sendable, Equatable {
        case connected
        case connectFailed(String)
        case reply(SAMReply)
        case replyTimedOut
        /// The reply arrived but was broken (bad checksum, impossible length): the reader is alive.
        case replyCorrupted
        case ioFailed(String)
        case waitEnded
        case disconnected
    }

    public struct Transition: Sendable, Equatable {
        public var events: [ReaderEvent]
        public var next: Step
    }

    enum Phase: Sendable, Equatable {
        case connecting, closing, reconnectWait
        case checkingSAM, finding, selecting, reading, pausing
    }

    public let timing: Timing
    public private(set) var health = ReaderHealth()
    var phase = Phase.connecting
    /// A card was read and has not been seen leaving the reader.
    var awaitingRemoval = false
    /// This placement already gave a `.cardUnreadable`.
    var reportedProblem = false
    /// The read reply of this placement was lost once and select + read are being retried.
    var retryingRead = false
    var silentReplies = 0
    var lastSAMCheck: Duration = .zero
    var now: Duration = .zero

    public init(timing: Timing = Timing()) { self.timing = timing }

    /// The first step: open the port.
    public mutating func start() -> Step {
        phase = .connecting
        return .connect
    }

    /// The next step after `input`, at `now` (monotonic time since any fixed origin).
    public mutating func handle(_ input: Input, now: Duration) -> Transition {
        self.now = now
        let before = health
        var events: [ReaderEvent] = []
        let next = step(after: input, events: &events)
        if health != before { events.insert(.healthChanged(health), at: 0) }
        return Transition(events: events, next: next)
    }

    private mutating func step(after input: Input, events: inout [ReaderEvent]) -> Step {
        switch input {
        case .connected:
            health.connected = true
            silentReplies = 0
            return checkSAM()
        case let .connectFailed(why):
            health.connected = false
            health.samStatus = nil
            health.lastError = why
            phase = .reconnectWait
            return .wait(timing.reconnectInterval)
        case let .ioFailed(why):
            health.connected = false
            health.samStatus = nil
            health.lastError = why
            return disconnect()
        case .disconnected:
            phase = .reconnectWait
            return .wait(timing.reconnectInterval)
        case .waitEnded:
            if phase == .reconnectWait {
                phase = .connecting
                return .connect
            }
            let samDue = health.samStatus != .success || now - lastSAMCheck >= timing.samCheckInterval
            return samDue ? checkSAM() : find()
        case .replyCorrupted:
            return lostReply(events: &events)
        case .replyTimedOut:
            silentReplies += 1
            if silentReplies >= timing.silentLimit {
                if phase == .reading { report(.removedDuringRead, into: &events) }
                health.lastError = "the reader stopped answering (\(silentReplies) commands without a reply)"
                health.connected = false
                health.samStatus = nil
                return disconnect()
            }
            return lostReply(events: &events)
        case let .reply(reply):
            silentReplies = 0
            return step(after: reply, events: &events)
        }
    }

    private mutating func step(after reply: SAMReply, events: inout [ReaderEvent]) -> Step {
        // A SAM that failed its self-test answers every command so: note it now, not at the next SAM check.
        if reply.status == .samSelfTestFailed || reply.status == .samUnauthorised {
            health.samStatus = reply.status
            health.lastError = "SAM status \(reply.status)"
            return pause(timing.samRetryInterval)
        }
        switch phase {
        case .checkingSAM:
            health.samStatus = reply.status
            guard reply.isSuccess(for: .samStatus) else {
                health.lastError = "SAM status \(reply.status)"
                return pause(timing.samRetryInterval)
            }
            health.lastError = nil
            return find()
        case .finding:
            if reply.isSuccess(for: .findCard) {
                // A card read before and not yet lifted: nothing new.
                if awaitingRemoval { return pause(timing.pollInterval) }
                retryingRead = false
                phase = .selecting
                return .send(.selectCard, timeout: timing.replyTimeout)
            }
            // No card (80), or a frame error the reader reported: the field is empty as far as we know.
            awaitingRemoval = false
            reportedProblem = false
            return pause(timing.pollInterval)
        case .selecting:
            guard reply.isSuccess(for: .selectCard) else {
                report(retryingRead ? .removedDuringRead : .selectFailed(reply.status), into: &events)
                return pause(timing.pollInterval)
            }
            phase = .reading
            return .send(.readBaseInfo, timeout: timing.readTimeout)
        case .reading:
            guard reply.isSuccess(for: .readBaseInfo) else {
                report(.readFailed(reply.status), into: &events)
                return pause(timing.pollInterval)
            }
            do {
                let card = try CardTextParser.parse(textBlock: CardTextParser.textBlock(inReadReply: reply.data))
                events.append(.cardRead(card))
                awaitingRemoval = true
                reportedProblem = false
                retryingRead = false
            } catch {
                report(.invalidCard(error), into: &events)
            }
            return pause(timing.pollInterval)
        case .connecting, .closing, .reconnectWait, .pausing:
            // A reply nobody asked for; keep going.
            return pause(timing.pollInterval)
        }
    }

    /// A reply that timed out or arrived broken. A lost read reply is retried once with select + read (an
    /// edge-triggered reader answers find with "no card" after it sent the data once); the second loss means the
    /// card left during the read.
    private mutating func lostReply(events: inout [ReaderEvent]) -> Step {
        switch phase {
        case .reading where !retryingRead:
            retryingRead = true
            phase = .selecting
            return .send(.selectCard, timeout: timing.replyTimeout)
        case .reading:
            report(.removedDuringRead, into: &events)
            return pause(timing.pollInterval)
        case .checkingSAM:
            return pause(timing.samRetryInterval)
        default:
            return pause(timing.pollInterval)
        }
    }

    private mutating func report(_ problem: CardProblem, into events: inout [ReaderEvent]) {
        guard !reportedProblem else { return }
        reportedProblem = true
        events.append(.cardUnreadable(problem))
    }

    private mutating func checkSAM() -> Step {
        phase = .checkingSAM
        lastSAMCheck = now
        return .send(.samStatus, timeout: timing.replyTimeout)
    }

    private mutating func find() -> Step {
        phase = .finding
        return .send(.findCard, timeout: timing.replyTimeout)
    }

    private mutating func pause(_ duration: Duration) -> Step {
        phase = .pausing
        return .wait(duration)
    }

    private mutating func disconnect() -> Step {
        phase = .closing
        return .disconnect
    }
}
