import Foundation
/// What the SDL adapter holds: the state, the context and the frame on screen.
///
/// Feed it every event; draw `display` only when `handle` says the frame changed — a clock tick
/// changes the frame once a minute, so an idle kiosk redraws almost never.
///
///     var engine = KioskEngine(state: KioskState(now: Date(), uptime: clock.uptime, intentKeySeed: UUID().uuidString),
///                              context: context)
///     let outcome = engine.handle(.tick(now: Date(), uptime: clock.uptime))
///     for effect in outcome.effects { adapters.perform(effect) }
///     if outcome.frameChanged { renderer.draw(engine.display) }
public struct KioskEngine: Sendable {
    public private(set) var state: KioskState
    public private(set) var context: KioskContext
    /// The frame for the current state.
    public private(set) var display: DisplayList

    public init(state: KioskState, context: KioskContext) {
        self.state = state
        self.context = context
        self.display = view(state, in: context.display)
    }

    /// What one event did.
    public struct Outcome: Sendable {
        /// Work for the adapters, in order.
        public var effects: [KioskEffect]
        /// True when `display` differs from the previous frame.
        public var frameChanged: Bool
    }

    /// Applies `event` and recomputes the frame.
    public mutating func handle(_ event: KioskEvent) -> Outcome {
        let before = state
        let effects = reduce(&state, event, context: context)
        // Views show time only to the minute: a tick that changed nothing else cannot change the frame,
        // so the idle kiosk skips the layout entirely (one state comparison per second). The monotonic clock is
        // never drawn; a wall clock set to another minute is, at once.
        if case .tick = event, Self.sameExceptSeconds(before, state) {
            return Outcome(effects: effects, frameChanged: false)
        }
        let next = view(state, in: context.display)
        let changed = next != display
        display = next
        return Outcome(effects: effects, frameChanged: changed)
    }

    /// How long the run loop may sleep before a tick has work: 0 when a tick now would have work, else the first
    /// whole second (at most `horizon`) at which a tick would ask for work (a status refresh, an admin info refresh …),
    /// change the state beyond its clocks (a screen timer, the offline grace) or show a new minute — or the next
    /// minute itself, to the millisecond. Ticks in between would change nothing, so an idle kiosk sleeps until then
    /// instead of waking every second. `now` and `uptime` are the clocks read just now; a loop that turns more often
    /// asks again each turn and still meets every deadline (the answer is 0 once it has passed).
    public func secondsUntilDue(now: Date, uptime: Uptime, horizon: Int = 60) -> Double {
        let untilMinute = 60 - now.timeIntervalSince1970.truncatingRemainder(dividingBy: 60) + 0.005
        for second in 0...max(1, horizon) {
            let ahead = Double(second)
            if ahead >= untilMinute { return untilMinute }
            var probe = state
            let effects = reduce(&probe, .tick(now: now.addingTimeInterval(ahead), uptime: uptime + ahead), context: context)
            if !effects.isEmpty || !Self.sameExceptSeconds(state, probe) { return ahead }
        }
        return min(Double(horizon), untilMinute)
    }

    static func sameExceptSeconds(_ a: KioskState, _ b: KioskState) -> Bool {
        let minute = { (d: Date) in (d.timeIntervalSince1970 / 60).rounded(.down) }
        guard minute(a.now) == minute(b.now) else { return false }
        // A wall clock set within the minute moves the times drawn from deadlines (the admin lockout's end).
        let offset = { (s: KioskState) in s.now.timeIntervalSinceReferenceDate - s.uptime.seconds }
        guard abs(offset(a) - offset(b)) < 1 else { return false }
        var a = a
        a.now = b.now
        a.uptime = b.uptime
        return a == b
    }

    /// The window or rotation changed: lay out again for `size`.
    public mutating func resize(to size: Size) {
        context.display.size = size
        display = view(state, in: context.display)
    }
}
