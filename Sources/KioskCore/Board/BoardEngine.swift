import Foundation
import HallAPI

/// What the SDL adapter holds for a calling display: the state, the screen's environment and the frame on screen.
///
/// Feed it every event; draw `display` only when `handle` says the frame changed, and sleep until
/// `secondsUntilDue` says a frame may change (a blink, a highlight ending, the notice moving, the next minute).
public struct BoardEngine: Sendable {
    public private(set) var state: BoardState
    public let environment: DisplayEnvironment
    /// The frame for the current state.
    public private(set) var display: DisplayList

    public init(state: BoardState, environment: DisplayEnvironment) {
        self.state = state
        self.environment = environment
        self.display = boardView(state, in: environment)
    }

    /// What one event did.
    public struct Outcome: Sendable {
        /// Work for the adapters, in order.
        public var effects: [BoardEffect]
        /// True when `display` differs from the previous frame.
        public var frameChanged: Bool
    }

    /// Applies `event` and recomputes the frame.
    public mutating func handle(_ event: BoardEvent) -> Outcome {
        let effects = reduceBoard(&state, event)
        let next = boardView(state, in: environment)
        let changed = next != display
        display = next
        return Outcome(effects: effects, frameChanged: changed)
    }

    /// Seconds until the frame may next change by time alone (0 when it may have changed already), at most
    /// `horizon`: the next blink phase, the end of a highlight or of the featured call's dwell, the notice's next
    /// next page, the next minute on the clock.
    public func secondsUntilDue(now: Date, uptime: Uptime, horizon: Double = 60) -> Double {
        var due = 60 - now.timeIntervalSince1970.truncatingRemainder(dividingBy: 60) + 0.005
        func consider(_ moment: Uptime) {
            let wait = moment - uptime
            if wait > -BoardTiming.highlightSeconds { due = min(due, max(0, wait)) }
        }
        if let featured = state.featured, state.call(featured.eventId)?.live == true {
            let age = uptime - featured.since
            if featured.blinks, age < BoardTiming.blinkSeconds {
                let phase = (age / BoardTiming.blinkPhaseSeconds).rounded(.down) + 1
                consider(featured.since + phase * BoardTiming.blinkPhaseSeconds)
            }
            if age < BoardTiming.highlightSeconds { consider(featured.since + BoardTiming.highlightSeconds) }
            if !state.featureQueue.isEmpty { consider(featured.since + BoardTiming.featureDwellSeconds) }
        } else if !state.featureQueue.isEmpty {
            due = 0
        }
        for known in state.calls where known.live && uptime - known.learnedAt < BoardTiming.highlightSeconds {
            if case .window = state.role {
                let age = uptime - known.learnedAt
                if age < BoardTiming.blinkSeconds {
                    consider(known.learnedAt + ((age / BoardTiming.blinkPhaseSeconds).rounded(.down) + 1) * BoardTiming.blinkPhaseSeconds)
                }
            }
            consider(known.learnedAt + BoardTiming.highlightSeconds)
        }
        if noticePages {
            let step = BoardNotice.pageSeconds
            due = min(due, step - uptime.seconds.truncatingRemainder(dividingBy: step) + 0.001)
        }
        return max(0, min(due, horizon))
    }

    /// True when the notice is too long for its strip and turns its pages (every `BoardNotice.pageSeconds`).
    public var noticePages: Bool {
        guard state.board != nil, state.role == .hall,
              let notice = state.board?.notice, !notice.text(in: state.language).isEmpty else { return false }
        let metrics = Metrics(size: environment.size, largeText: false)
        let text = BoardNotice.line(notice, language: state.language)
        let width = TextFitter(measurer: environment.measurer).width(text, BoardLayout.noticeFont(metrics.size), bold: false)
        return width > metrics.size.width - 2 * metrics.margin
    }
}
