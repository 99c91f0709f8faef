import Foundation

/// Where announcements are heard: the SDL speaker (`AnnouncementSpeaker` in KioskSDL).
public protocol AnnouncementPlayer: AnyObject, Sendable {
    /// Plays mono 16-bit `samples` at `VoicePack.sampleRate` after nothing else, and calls `finished` once the last
    /// sample has been played — or at once when nothing could be played (no sound card: the player logs why).
    func play(_ samples: [Int16], finished: @escaping @Sendable () -> Void)
}

/// A calling display's voice: takes calls as they are learnt, says them one at a time in call order through
/// `player`, and tells `observer` which call is being said (the one the screen highlights) and when it is done.
/// Thread-safe; `enqueue` returns as soon as the call's audio is handed to the player.
///
/// ```swift
/// let announcer = Announcer(settings: settings, pack: VoicePack.load(directory: dir), player: speaker,
///                           log: { logger.warning("\($0)") }, observer: { call in highlight(call) })
/// announcer.enqueue(Announcement(sequence: 12, ticketNumber: "A023", window: "3", calledAt: event.time))
/// ```
public final class Announcer: @unchecked Sendable {
    public let settings: VoiceSettings
    public let pack: VoicePack
    private let player: AnnouncementPlayer
    private let clock: @Sendable () -> Date
    private let log: @Sendable (String) -> Void
    private let observer: @Sendable (Announcement?) -> Void
    private let lock = NSLock()
    private var queue: AnnouncerQueue

    /// `clock` is the wall clock (compared with the calls' `calledAt`; a fake in tests); `timeZone` reads the quiet
    /// hours; `log` hears what could not be said and why; `observer` hears the call now being said, nil when silent
    /// (called on the enqueuing thread or the player's: hop to the screen's thread there).
    public init(settings: VoiceSettings, pack: VoicePack, player: AnnouncementPlayer, clock: @escaping @Sendable () -> Date = Date.init,
                timeZone: TimeZone = .current, log: @escaping @Sendable (String) -> Void,
                observer: @escaping @Sendable (Announcement?) -> Void = { _ in }) {
        self.settings = settings
        self.pack = pack
        self.player = player
        self.clock = clock
        self.log = log
        self.observer = observer
        self.queue = AnnouncerQueue(settings: settings, timeZone: timeZone)
    }

    /// Offers a call; says what becomes of it (said now, queued, merged, or not said and why).
    @discardableResult
    public func enqueue(_ call: Announcement) -> AnnouncerQueue.Outcome {
        let outcome = lock.withLock { queue.enqueue(call, now: clock()) }
        switch outcome {
        case .speakNow: start(call)
        case .tooOld(let age): log("announcement \(call) not said: learnt \(age) s after the call (limit \(Int(settings.staleAfterSeconds)) s)")
        default: break
        }
        return outcome
    }

    /// Reads the quiet hours in `timeZone` from now on (the hall's, once the display knows it).
    public func useTimeZone(_ timeZone: TimeZone) {
        lock.withLock { queue.timeZone = timeZone }
    }

    /// The time zone the quiet hours are read in.
    public var timeZone: TimeZone { lock.withLock { queue.timeZone } }

    /// The call being said now, nil when silent.
    public var speaking: Announcement? { lock.withLock { queue.speaking } }
    /// The calls waiting to be said, the next first.
    public var waiting: [Announcement] { lock.withLock { queue.waiting } }

    /// The samples `call` is said with (tests and the benchmark compare them with what reached the device).
    public func rendering(of call: Announcement) -> VoicePack.Rendering {
        pack.render(AnnouncementScript(call, settings: settings), volume: settings.volume)
    }

    /// Waits until nothing is being said or waiting (tests, the benchmark, a clean exit).
    public func waitUntilSilent(timeoutSeconds: Double) -> Bool {
        let deadline = Date().addingTimeInterval(timeoutSeconds)
        while Date() < deadline {
            if speaking == nil { return true }
            Thread.sleep(forTimeInterval: 0.005)
        }
        return speaking == nil
    }

    /// Joins `call`'s clips and hands them to the player, on the calling thread (the one that enqueued it, or the
    /// player's as the previous call ended): no thread hop between a call and its chime (≈ 1 ms for 13 s of audio).
    private func start(_ call: Announcement) {
        observer(call)
        let rendering = rendering(of: call)
        if let problem = pack.problem(rendering, call) { log(problem) }
        guard !rendering.samples.isEmpty else { return finished() }
        player.play(rendering.samples) { [self] in finished() }
    }

    private func finished() {
        let next = lock.withLock { queue.finishedSpeaking() }
        if let next { start(next) } else { observer(nil) }
    }
}
