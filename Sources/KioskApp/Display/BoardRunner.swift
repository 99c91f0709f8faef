import CallVoice
import Foundation
import HallAPI
import KioskCore
import KioskHTTP
import KioskSDL
import Logging

/// A calling display's run loop on the UI thread (`role = "callingDisplay"`): the hall's board and calls arrive from
/// `HallClient.followHall` on a background task and are handed over through an inbox; the core turns them into frames;
/// the loop draws only when the frame changed and sleeps in the SDL wait until input, an update, or the next moment a
/// frame can change by time (a blink, a highlight ending, the notice's scroll step, the next minute).
public final class BoardRunner {
    private var engine: BoardEngine
    let window: KioskWindow
    let kiosk: KioskAssembly
    let logger: Logger
    private let clock: any KioskClockSource
    private let script: ScriptSession?
    private let inbox = BoardInbox()
    private var follower: Task<Void, Never>?
    private var nextTick = 0.0
    /// When freed memory was last given back (monotonic seconds).
    private var lastTrim = 0.0
    /// The newest call when memory was last given back (the next time needs a call after it).
    private var lastTrimCall: Int64?
    /// At most this often an idle display gives memory back (each time costs the next call a few ms of page faults).
    static let settledTrimIntervalSeconds = 30.0
    /// Calls already reported on the event stream (each once).
    private var shownCalls = Set<Int64>()
    /// Says the calls (nil: `[voice] enabled = false`).
    private let voice: DisplayVoice?

    init(kiosk: KioskAssembly, window: KioskWindow, scriptPath: String?) throws {
        self.kiosk = kiosk
        self.window = window
        self.logger = kiosk.logger
        self.clock = kiosk.clock
        self.script = try scriptPath.map(ScriptSession.load(path:))
        let settings = kiosk.settings
        let inbox = self.inbox
        let activity = kiosk.activity
        voice = DisplayVoice.make(settings: settings.voice, logger: kiosk.logger) { said in
            if let said { activity.record(.callSaid(number: said.ticketNumber, eventId: Int64(said.sequence))) }
            inbox.post(.speaking(said.map { Int64($0.sequence) }))
        }
        let role: BoardRole = settings.windowId.map { .window(id: $0) } ?? .hall
        let reading = clock.reading()
        let environment = DisplayEnvironment(size: window.layoutSize, strings: kiosk.strings, measurer: window.measurer)
        engine = BoardEngine(state: BoardState(role: role, now: reading.wall, uptime: reading.uptime, language: settings.language),
                             environment: environment)
    }

    /// The frame on screen now.
    public var display: DisplayList { engine.display }

    /// Runs until the window closes, the script ends or SIGTERM/SIGINT arrives; returns the exit code.
    public func run() -> Int32 {
        let systemd = SystemdNotifier()
        let signals = SignalWatcher(onSignal: { _ in KioskWindow.wake() })
        defer { signals.cancel() }
        start()
        systemd.ready(status: "calling display on \(window.videoDriver)")
        defer { stop() }
        let maxWait = systemd.watchdogIntervalMilliseconds.map { max(1, $0 / 2) } ?? 3_600_000
        while true {
            if let code = step(maxWaitMilliseconds: maxWait) {
                systemd.stopping(status: "exiting with code \(code)")
                kiosk.activity.record(.stopping(code: code, reason: "run loop ended"))
                return code
            }
            systemd.watchdogIfDue()
            if let signal = signals.received {
                logger.notice("\(SignalWatcher.name(signal)) received: stopping cleanly")
                systemd.stopping(status: "stopping on \(SignalWatcher.name(signal))")
                let code = script?.interrupted(by: SignalWatcher.name(signal)).map(\.code) ?? 0
                kiosk.activity.record(.stopping(code: code, reason: SignalWatcher.name(signal)))
                return code
            }
        }
    }

    /// Draws the first frame and starts following the hall.
    public func start() {
        let settings = kiosk.settings
        logger.info("calling display started", metadata: [
            "device.id": "\(settings.deviceId)", "server": "\(settings.serverURL)", "screen": "\(settings.windowId.map { "window \($0)" } ?? "hall")",
            "size": "\(Int(window.layoutSize.width))x\(Int(window.layoutSize.height))"])
        kiosk.activity.record(.started(deviceId: settings.deviceId, role: settings.role, video: window.videoDriver))
        let updates = kiosk.client.followHall(logger: logger)
        let inbox = self.inbox
        follower = Task.detached {
            for await update in updates { inbox.post(.update(update)) }
        }
        handle(.tick(now: clock.reading().wall, uptime: clock.reading().uptime))
        updateVoiceLead()
        window.draw(engine.display)
        let firstFrame = Int(ProcessClock.millisecondsSinceStart())
        kiosk.activity.record(.firstFrame(milliseconds: firstFrame))
        // Start-up code (arguments, config, TLS, font set-up) never runs again: give its pages back, as the kiosk does.
        let released = CodePageAdvice.releaseUnusedCodePages()
        logger.debug("start-up code pages released", metadata: ["kB": "\(released)"])
        scheduleNextTick()
    }

    /// Stops following the hall.
    public func stop() {
        follower?.cancel()
        follower = nil
    }

    /// One turn of the loop; returns an exit code when the display should stop.
    public func step(maxWaitMilliseconds: Int = 1000) -> Int32? {
        var dirty = false
        let before = clock.reading()
        let untilTick = max(0, Int(((nextTick - before.uptime.seconds) * 1000).rounded(.up)))
        let scriptPoll = script?.pollMilliseconds(now: before.uptime.seconds) ?? Int.max
        let inputs = window.waitEvents(timeoutMilliseconds: min(maxWaitMilliseconds, untilTick, scriptPoll))
        if inputs.contains(.quit) {
            logger.info("display window closed")
            return script?.interrupted(by: "the window closing").map(\.code) ?? 0
        }
        let reading = clock.reading()
        dirty = handle(.tick(now: reading.wall, uptime: reading.uptime)) || dirty
        dirty = updateVoiceLead() || dirty
        for input in inbox.drain() {
            switch input {
            case .update(let update):
                dirty = handle(event(for: update)) || dirty
                if let zone = engine.state.board?.timezone { voice?.useHallTimeZone(zone) }
            case .speaking(let eventId): dirty = handle(.speaking(eventId: eventId)) || dirty
            case .photoReady(let path): dirty = handle(.photoReady(path: path)) || dirty
            }
        }
        if dirty {
            window.draw(engine.display)
            reportShownCalls()
            // Once the calls of a busy moment have settled, give freed heap and the code pages that moment ran back:
            // an idle screen holds only what it uses (PSS flat over months). The pages stay in the page cache, so
            // the next call maps them again as minor faults (a few milliseconds in all).
            // Only after calls: a quiet hall's screen does not pay for it every minute.
            if let highlight = engine.state.calls.first, !engine.state.isHighlighted(highlight), highlight.call.eventId != lastTrimCall,
               reading.uptime.seconds - lastTrim > Self.settledTrimIntervalSeconds {
                lastTrim = reading.uptime.seconds
                lastTrimCall = highlight.call.eventId
                window.releaseUnusedTextures()
                MallocTuning.trim()
                kiosk.activity.record(.memoryReturned(codeKB: CodePageAdvice.releaseUnusedCodePages()))
            }
        }
        scheduleNextTick()
        if let script, case .finished(let code, let message) = script.step(display: engine.display, window: window, now: clock.uptimeSeconds) {
            if code == 0 { logger.info("\(message)") } else { logger.error("\(message)") }
            return code
        }
        return nil
    }

    private func event(for update: HallBoardUpdate) -> BoardEvent {
        switch update {
        case .snapshot(let board):
            kiosk.activity.record(.boardLink(up: true, reason: nil))
            return .snapshot(board)
        case .event(let event): return .hallEvent(event)
        case .queues(let queues): return .queues(queues)
        case .lost(let reason):
            kiosk.activity.record(.boardLink(up: false, reason: reason))
            return .linkLost(reason: reason)
        }
    }

    /// Feeds one event to the core and performs its effects; returns whether the frame changed.
    @discardableResult
    private func handle(_ event: BoardEvent) -> Bool {
        let outcome = engine.handle(event)
        for effect in outcome.effects {
            switch effect {
            case .announce(let call): voice?.say(call)
            case .fetchPhoto(let path): fetchPhoto(path)
            }
        }
        return outcome.frameChanged
    }

    /// Loads a staff photo over the device's authenticated client and decodes it on a background task (never the frame
    /// loop); a photo that cannot be fetched or decoded is logged with the reason and the screen keeps its layout.
    private func fetchPhoto(_ path: String) {
        let client = kiosk.client, images = window.images, logger = logger, inbox = inbox
        Task.detached {
            do {
                let data = try await client.staffPhoto(path: path)
                let size = try images.register(WindowPanel.photoImageName(path), data: data)
                logger.info("staff photo loaded", metadata: ["photo.url": "\(path)", "photo.size": "\(size.width)x\(size.height)"])
                inbox.post(.photoReady(path))
            } catch {
                logger.notice("staff photo not shown (the screen keeps its layout without it): \(error)", metadata: ["photo.url": "\(path)"])
            }
        }
    }

    /// Each call on screen, once, on the event stream (after the frame with it was drawn).
    private func reportShownCalls() {
        for known in engine.state.calls where engine.state.shows(known.call) && !shownCalls.contains(known.call.eventId) {
            shownCalls.insert(known.call.eventId)
            kiosk.activity.record(.callShown(number: known.call.number, windowId: known.call.windowId, eventId: known.call.eventId,
                                             recall: known.call.recall, live: known.live))
        }
        if shownCalls.count > 4096 { shownCalls = Set(engine.state.calls.map(\.call.eventId)) }
    }

    /// The featured call follows the voice while it can speak (on, with audio, outside its quiet hours); returns
    /// whether the frame changed.
    @discardableResult
    private func updateVoiceLead() -> Bool {
        let leads = voice?.canSpeak(at: clock.reading().wall) ?? false
        guard leads != engine.state.voiceLeads else { return false }
        return handle(.voiceLeads(leads))
    }

    private func scheduleNextTick() {
        let reading = clock.reading()
        nextTick = reading.uptime.seconds + engine.secondsUntilDue(now: reading.wall, uptime: reading.uptime)
    }
}

/// What background work hands the UI thread: the follower's updates, the voice's "now saying".
enum BoardInput: Sendable {
    case update(HallBoardUpdate)
    /// The voice started saying the call of this event (nil: it fell silent).
    case speaking(Int64?)
    /// A staff photo is decoded and registered.
    case photoReady(String)
}

/// Inputs from background work, handed to the UI thread; wakes the window's wait.
final class BoardInbox: @unchecked Sendable {
    private let lock = NSLock()
    private var updates: [BoardInput] = []

    func post(_ update: BoardInput) {
        lock.withLock { updates.append(update) }
        KioskWindow.wake()
    }

    func drain() -> [BoardInput] {
        lock.withLock {
            let out = updates
            updates.removeAll()
            return out
        }
    }
}
