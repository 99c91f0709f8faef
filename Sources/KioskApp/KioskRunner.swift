import Foundation
import HallAPI
import KioskCore
import KioskHTTP
import KioskSDL
import Logging
import ServiceLifecycle

/// The kiosk's run loop on the UI thread: SDL input and background answers → core → effects; draws only when the
/// frame changed; sleeps in the SDL wait otherwise — until input, an answer, or the next moment a tick has work (the
/// next minute on the clock, a screen timer, the status refresh), never on a fixed beat. Background work (heartbeat,
/// outbox sender, window follower, printer watch) runs as services in a `ServiceGroup` beside it.
public final class KioskRunner {
    private var engine: KioskEngine
    let window: KioskWindow
    let kiosk: KioskAssembly
    let inbox = EventInbox()
    private let board = KioskStatusBoard()
    let logger: Logger
    var settings: KioskSettings { kiosk.settings }
    private let clock: any KioskClockSource
    private let script: ScriptSession?
    /// Monotonic seconds at start (uptime in heartbeats and on the admin screen).
    let started: Double
    /// Wakes the heartbeat when what it reports changes.
    let heartbeatTrigger = HeartbeatTrigger()
    /// When the ID card reader last delivered a card (read or unreadable).
    let cardReadStamp = CardReadStamp()
    /// When the ID card reader last delivered a card: the reply's last byte decoded (for `hallkiosk-lab card-bench`).
    public var lastCardReadAt: ContinuousClock.Instant? { cardReadStamp.value }
    private var services: BackgroundServices?
    /// When the kiosk, done with a citizen and resting, gives memory back.
    private var settledMemory: SettledMemory
    /// How many times the kiosk has given memory back since it started (for `hallkiosk-lab bench`).
    public private(set) var memoryReturns = 0
    /// How long a kiosk done with a citizen rests at home before it gives memory back (`SettledMemory`).
    public static let restSecondsBeforeMemoryReturn = SettledMemory.quietSeconds

    init(kiosk: KioskAssembly, window: KioskWindow, scriptPath: String?, adjustContext: (inout KioskContext) -> Void) throws {
        self.kiosk = kiosk
        self.window = window
        self.logger = kiosk.logger
        self.clock = kiosk.clock
        self.script = try scriptPath.map(ScriptSession.load(path:))
        script?.attach(to: kiosk.activity)
        let settings = kiosk.settings
        var context = KioskContext.make(settings, size: window.layoutSize, strings: kiosk.strings, measurer: window.measurer)
        adjustContext(&context)
        let reading = clock.reading()
        started = reading.uptime.seconds
        settledMemory = SettledMemory(startedAt: reading.uptime.seconds)
        lastClock = reading
        pauseMarker = IssuingPauseMarker(settings: settings)
        let paused = settings.role == .ticketKiosk && pauseMarker.isSet
        engine = KioskEngine(state: KioskState(now: reading.wall, uptime: reading.uptime, language: settings.language,
                                               intentKeySeed: UUID().uuidString, issuingPaused: paused), context: context)
        if paused { logger.notice("issuing is paused at this kiosk (admin screen; \(pauseMarker.path)): resume it there") }
    }

    /// The frame on screen now.
    public var display: DisplayList { engine.display }

    /// The screen shown now.
    public var screenName: DeviceScreen { engine.state.screen.name }

    /// True while the ticket on screen is still being printed.
    public var ticketPrintPending: Bool {
        if case .ticket(let ticket) = engine.state.screen, ticket.printStatus == .printing { return true }
        return false
    }

    /// When the next tick is due (monotonic seconds).
    private var nextTick = 0.0
    /// The clocks at the last tick, to notice the wall clock being set.
    private var lastClock: ClockReading
    /// For the log line and event on every screen change (`screen rating`, `screen offline` …).
    private var lastScreenName = DeviceScreen.starting
    /// Whether the hall server answered the last request (`nil` before the first answer), for the event stream.
    private var hallReachable: Bool?
    /// Recent problems for the admin screen.
    let recentErrors = RecentErrors()
    /// Where hall IT's pause of issuing outlives the process.
    let pauseMarker: IssuingPauseMarker
    var admin: AdminServices {
        AdminServices(settings: settings, client: kiosk.client, printer: kiosk.printer, ratings: kiosk.ratings, errors: recentErrors,
                      started: started)
    }

    /// Runs until the window closes, the script ends or SIGTERM/SIGINT arrives (exit 0 after the current
    /// step); returns the exit code. Under systemd: READY=1 after the first frame, WATCHDOG=1 from this
    /// loop while it turns, STATUS= on screen changes, STOPPING=1 on the way out.
    public func run() -> Int32 {
        let systemd = SystemdNotifier()
        let signals = SignalWatcher(onSignal: { _ in KioskWindow.wake() })
        defer { signals.cancel() }
        start()
        systemd.ready(status: "\(engine.state.screen.name.rawValue) screen on \(window.videoDriver)")
        if let ms = systemd.watchdogIntervalMilliseconds { logger.info("systemd watchdog on", metadata: ["ping.every.ms": "\(ms)"]) }
        defer { stop() }
        // Under systemd, wake at least twice per watchdog interval, so a ping is never late by a whole sleep; otherwise
        // sleep until there is something to do.
        let maxWait = systemd.watchdogIntervalMilliseconds.map { max(1, $0 / 2) } ?? 3_600_000
        while true {
            if let code = step(maxWaitMilliseconds: maxWait) {
                systemd.stopping(status: "exiting with code \(code)")
                finishRatingWrites()
                kiosk.activity.record(.stopping(code: code, reason: "run loop ended"))
                return code
            }
            systemd.watchdogIfDue()
            if let signal = signals.received {
                logger.notice("\(SignalWatcher.name(signal)) received: stopping cleanly")
                systemd.stopping(status: "stopping on \(SignalWatcher.name(signal))")
                finishRatingWrites()
                let code = scriptInterrupted(by: SignalWatcher.name(signal)) ?? 0
                kiosk.activity.record(.stopping(code: code, reason: SignalWatcher.name(signal)))
                return code
            }
            systemd.status(Self.statusLine(screen: engine.state.screen.name.rawValue, lastError: engine.state.lastHallError))
        }
    }

    /// On the way out: lets a rating write that has started reach the disk (the outbox waits at most 10 s for
    /// its lock, so 15 s is enough; the units give the whole stop TimeoutStopSec=30, so this wait always ends
    /// before systemd would kill the kiosk).
    private func finishRatingWrites() {
        guard let ratings = kiosk.ratings, ratings.writesInFlight > 0 else { return }
        logger.notice("waiting for \(ratings.writesInFlight) rating write(s) to finish before exiting")
        if ratings.finishWrites(timeoutSeconds: 15) {
            logger.notice("rating writes finished")
        } else {
            logger.error("a rating write did not finish within 15 s; exiting anyway (SQLite rolls it back: not stored, not thanked)")
        }
    }

    /// Draws the first frame and starts the background services.
    public func start() {
        logger.info("kiosk started", metadata: ["device.id": "\(settings.deviceId)", "server": "\(settings.serverURL)",
                                                "size": "\(Int(window.layoutSize.width))x\(Int(window.layoutSize.height))"])
        kiosk.activity.record(.started(deviceId: settings.deviceId, role: settings.role, video: window.videoDriver))
        for finding in StartupCheck.findings(videoDriver: window.videoDriver, touchDevices: window.touchDeviceCount) {
            logger.log(level: finding.severity == .warning ? .warning : .notice, "\(finding.text)")
        }
        // The screens know the printer from the start (a kiosk without one shows "not configured", not "unknown").
        inbox.post(.printerChanged(kiosk.printer.health))
        let services = BackgroundServices(services: backgroundServices(), logger: logger)
        self.services = services
        services.start()
        handle(clockTick(clock.reading()))
        window.draw(engine.display)
        let firstFrame = Int(ProcessClock.millisecondsSinceStart())
        logger.info("first frame drawn", metadata: ["ms.since.process.start": "\(firstFrame)"])
        kiosk.activity.record(.firstFrame(milliseconds: firstFrame))
        // Start-up code (arguments, config, TLS, SQLite and font set-up) never runs again: unmap it.
        let released = CodePageAdvice.releaseUnusedCodePages()
        logger.debug("start-up code pages released", metadata: ["kB": "\(released)"])
        scheduleNextTick(after: clock.reading())
    }

    /// The services of the background group.
    private func backgroundServices() -> [any Service] {
        // The ID card reader: ticket kiosks with `[idcard] device` only.
        let cardReader = settings.role == .ticketKiosk ? settings.idCardDevice.map {
            IDCardReaderWatch(device: $0, trigger: heartbeatTrigger, activity: kiosk.activity, logger: logger, inbox: inbox,
                              stamp: cardReadStamp)
        } : nil
        var services: [any Service] = [
            HeartbeatService(client: kiosk.client, board: board, printer: kiosk.printer, ratings: kiosk.ratings, errors: recentErrors,
                             trigger: heartbeatTrigger, activity: kiosk.activity, clock: clock, started: started, logger: logger,
                             cardReader: cardReader),
            PrinterWatchService(printer: kiosk.printer, inbox: inbox, trigger: heartbeatTrigger, activity: kiosk.activity),
        ]
        if let cardReader { services.append(cardReader) }
        if settings.role == .ticketKiosk, let scanner = settings.scannerDevice {
            services.append(ScannerGrab(path: scanner, inbox: inbox, logger: logger))
        }
        services += kiosk.ratings?.services(inbox: inbox) ?? []
        return services
    }

    /// One turn of the loop: waits for input, an answer or the next due tick (at most `maxWaitMilliseconds`), feeds
    /// the core, redraws if the frame changed, advances the script. Returns an exit code when the kiosk should stop.
    public func step(maxWaitMilliseconds: Int = 1000) -> Int32? {
        var dirty = false
        let before = clock.reading()
        let untilTick = max(0, Int(((nextTick - before.uptime.seconds) * 1000).rounded(.up)))
        let scriptPoll = script?.pollMilliseconds(now: before.uptime.seconds) ?? Int.max
        let waitMs = min(maxWaitMilliseconds, untilTick, scriptPoll)
        let inputs = window.waitEvents(timeoutMilliseconds: waitMs)
        if inputs.contains(where: { $0 != .wake }) {
            settledMemory.noteActivity(at: clock.reading().uptime.seconds)
            // Time rules (double-tap grace, idle timeout) judge a touch by the time it happened, not by the last tick.
            dirty = handle(clockTick(clock.reading())) || dirty
        }
        for input in inputs {
            switch input {
            case .quit:
                logger.info("kiosk window closed")
                return scriptInterrupted(by: "the window closing") ?? 0
            case .wake:
                break
            case .touchDown(let p): dirty = handle(.touchDown(x: p.x, y: p.y)) || dirty
            case .touchUp(let p): dirty = handle(.touchUp(x: p.x, y: p.y)) || dirty
            case .touchCancel: dirty = handle(.touchCancel) || dirty
            case .text(let text): dirty = handle(.text(text)) || dirty
            case .key(let name): dirty = handle(.key(name)) || dirty
            }
        }
        for event in inbox.drain() {
            observe(event)
            dirty = handle(event) || dirty
        }
        if let (code, reason) = inbox.exitRequest {
            logger.notice("\(reason)")
            return code
        }
        let now = clock.reading()
        // A wall clock set back or forward shows at once; otherwise the tick comes when it has work.
        let ticked = now.uptime.seconds >= nextTick || now.wallClockJump(since: lastClock) != nil
        if ticked { dirty = handle(clockTick(now)) || dirty }
        if dirty { window.draw(engine.display) }
        let screenName = engine.state.screen.name
        if screenName != lastScreenName {
            logger.info("screen \(screenName.rawValue)", metadata: ["screen.previous": "\(lastScreenName == .starting ? "" : lastScreenName.rawValue)"])
            kiosk.activity.record(.screen(screenName, previous: lastScreenName))
            // The first screen is start-up's, whose pages went back with the first frame.
            if lastScreenName != .starting { settledMemory.noteActivity(at: now.uptime.seconds) }
            lastScreenName = screenName
            // A citizen is done: give freed memory back (RSS stays flat over months of tickets).
            if screenName == .home || screenName == .ratingIdle { MallocTuning.trim() }
        }
        if settledMemory.isDue(on: screenName, at: now.uptime.seconds) { returnMemory() }
        scheduleNextTick(after: clock.reading(), justTicked: ticked)
        if board.update(screen: screenName, lastError: engine.state.lastHallError, issuingPaused: engine.state.issuingPaused) {
            heartbeatTrigger.check()
        }
        if let script, case .finished(let code, let message) = script.step(display: engine.display, window: window, now: clock.uptimeSeconds) {
            if code == 0 { logger.info("\(message)") } else { logger.error("\(message)") }
            return code
        }
        return nil
    }

    /// The next tick: when the core next has work (a deadline, a refresh, the next minute on the clock). Right after a
    /// tick the next is at least a second away, as when the loop ticked every second (a core whose every tick changed
    /// something would otherwise spin).
    private func scheduleNextTick(after reading: ClockReading, justTicked: Bool = true) {
        let due = engine.secondsUntilDue(now: reading.wall, uptime: reading.uptime)
        nextTick = reading.uptime.seconds + (justTicked && due == 0 ? 1 : due)
        // The moment a resting kiosk gives memory back wakes the loop too (once per citizen).
        if let release = settledMemory.due(on: engine.state.screen.name) { nextTick = min(nextTick, max(release, reading.uptime.seconds)) }
    }

    /// A citizen is done and the kiosk has rested (`SettledMemory`): keeps only the textures of the screen on show,
    /// hands freed heap back and unmaps the code pages the citizen's visit ran (they stay in the page cache; the next
    /// touch maps back what it runs as minor faults).
    private func returnMemory() {
        settledMemory.released()
        let textureBytes = window.keepOnlyTexturesOnScreen()
        // Code first: reading smaps for it allocates (and frees) about a megabyte, which the trim then hands back too.
        let codeKB = CodePageAdvice.releaseUnusedCodePages()
        MallocTuning.trim()
        memoryReturns += 1
        logger.debug("memory given back", metadata: ["code.kB": "\(codeKB)", "textures.kB": "\(textureBytes / 1024)"])
        kiosk.activity.record(.memoryReturned(codeKB: codeKB))
    }

    /// Notes for the event stream, the admin screen and the heartbeat what a background answer says.
    private func observe(_ event: KioskEvent) {
        switch event {
        case .ratingStorageChanged(let problem):
            // Hall IT sees it on the admin screen and, with the next heartbeat, on the device page.
            if let problem { recentErrors.add("rating outbox: \(problem)") }
            heartbeatTrigger.sendNow()
        case .ratingStored:
            heartbeatTrigger.check()  // the outbox's depth
        case .hallStatusArrived:
            if hallReachable != true { kiosk.activity.record(.hallReachable) }
            hallReachable = true
        case .hallUnreachable(let error, _):
            kiosk.activity.record(.hallUnreachable(error: error))
            hallReachable = false
        case .windowEvent(let windowEvent):
            kiosk.activity.record(.windowEvent(kind: windowEvent.type.rawValue, ticketNumber: windowEvent.ticket?.number))
        default:
            break
        }
    }

    /// A script cut short fails (exit 2) and says at which line; `nil` without a script or when it had finished.
    private func scriptInterrupted(by reason: String) -> Int32? {
        guard let (code, message) = script?.interrupted(by: reason) else { return nil }
        logger.error("\(message)")
        return code
    }

    /// Stops the background services.
    public func stop() {
        services?.stop()
        services = nil
    }

    /// A tick with both clocks; logs it when the wall clock was set (the core's timers keep to the monotonic clock).
    private func clockTick(_ reading: ClockReading) -> KioskEvent {
        if let jump = reading.wallClockJump(since: lastClock) {
            logger.notice("\(ClockReading.describe(jump: jump)): screen timers keep to the monotonic clock")
        }
        lastClock = reading
        return .tick(now: reading.wall, uptime: reading.uptime)
    }

    /// Feeds one event to the core and starts the effects; returns whether the frame changed.
    @discardableResult
    private func handle(_ event: KioskEvent) -> Bool {
        let outcome = engine.handle(event)
        for effect in outcome.effects { perform(effect) }
        return outcome.frameChanged
    }

    /// The state the effects need (the hall's name for the paper ticket, the language on screen).
    var state: KioskState { engine.state }
}

extension KioskContext {
    /// The core's context from validated settings.
    public static func make(_ s: KioskSettings, size: Size, strings: Strings, measurer: any TextMeasurer) -> KioskContext {
        KioskContext(deviceId: s.deviceId, defaultLanguage: s.language, idleTimeoutSeconds: s.idleTimeoutSeconds,
                     ticketScreenSeconds: s.ticketScreenSeconds, ticketScreenSecondsWithoutPaper: s.ticketScreenSecondsWithoutPaper,
                     offlineGraceSeconds: s.offlineGraceSeconds, statusRefreshSeconds: s.statusRefreshSeconds,
                     display: DisplayEnvironment(size: size, strings: strings, measurer: measurer, ratingMode: s.ratingMode),
                     role: s.role, windowId: s.windowId, ratingPromptSeconds: s.ratingPromptSeconds,
                     ratingThanksSeconds: s.ratingThanksSeconds, systemDefaultOnTimeout: s.systemDefaultOnTimeout)
            .with { context in
                context.adminPinConfigured = s.adminPinHash != nil
                context.adminCorner = s.adminCorner
                context.adminLongPressSeconds = s.adminLongPressSeconds
                context.display.checkinOffered = s.role == .ticketKiosk && s.idCardDevice != nil
            }
    }
}

extension KioskContext {
    /// A copy changed by `change`.
    func with(_ change: (inout KioskContext) -> Void) -> KioskContext {
        var copy = self
        change(&copy)
        return copy
    }
}
