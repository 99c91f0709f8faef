import Foundation
import HallAPI
import KioskCore
import KioskHTTP
import KioskSDL
import Logging

/// The kiosk's run loop on the UI thread: SDL input and background answers → core → effects;
/// draws only when the frame changed; sleeps in the SDL wait otherwise (idle = no CPU).
public final class KioskRunner {
    private var engine: KioskEngine
    private let window: KioskWindow
    private let client: HallClient
    private let printer: any TicketPrinter
    private let inbox = EventInbox()
    private let board = KioskStatusBoard()
    private let logger: Logger
    private let settings: KioskSettings
    private let script: ScriptSession?
    /// Monotonic seconds at start (uptime in heartbeats and on the admin screen).
    private let started = KioskClock.uptimeSeconds
    private var heartbeatTask: Task<Void, Never>?
    /// Sends a heartbeat at once when the printer's health changes.
    private let heartbeatNow = PrinterHeartbeatSignal()
    /// The outbox, window events, window state and photos; `nil` in tools that never rate (screenshots, bench).
    private let ratings: RatingServices?

    public init(settings: KioskSettings, window: KioskWindow, client: HallClient, printer: any TicketPrinter,
                strings: Strings, scriptPath: String? = nil, logger: Logger, ratings: RatingServices? = nil,
                adjustContext: (inout KioskContext) -> Void = { _ in }) throws {
        self.settings = settings
        self.ratings = ratings
        self.window = window
        self.client = client
        self.printer = printer
        self.logger = logger
        self.script = try scriptPath.map(ScriptSession.load(path:))
        var context = KioskContext.make(settings, size: window.layoutSize, strings: strings, measurer: window.measurer)
        adjustContext(&context)
        let clock = KioskClock.reading()
        lastClock = clock
        pauseMarker = IssuingPauseMarker(settings: settings)
        let paused = settings.role == .ticketKiosk && pauseMarker.isSet
        engine = KioskEngine(state: KioskState(now: clock.wall, uptime: clock.uptime, language: settings.language,
                                               intentKeySeed: UUID().uuidString, issuingPaused: paused), context: context)
        if paused { logger.notice("issuing is paused at this kiosk (admin screen; \(pauseMarker.path)): resume it there") }
    }

    /// The frame on screen now.
    public var display: DisplayList { engine.display }

    /// The screen shown now (`home`, `ticket`, …).
    public var screenName: String { engine.state.screen.name }

    /// True while the ticket on screen is still being printed.
    public var ticketPrintPending: Bool {
        if case .ticket(let ticket) = engine.state.screen, ticket.printStatus == .printing { return true }
        return false
    }

    /// When the next once-a-second tick is due (monotonic seconds).
    private var nextTick = KioskClock.uptimeSeconds
    /// The clocks at the last tick, to notice the wall clock being set.
    private var lastClock: ClockReading
    /// For the log line on every screen change (`screen rating`, `screen offline` …).
    private var lastScreenName = ""
    /// Recent problems for the admin screen.
    private let recentErrors = RecentErrors()
    /// Where hall IT's pause of issuing outlives the process.
    private let pauseMarker: IssuingPauseMarker
    /// Set by the admin screen's restart / reload: `step` returns this exit code.
    private var exitRequested: Int32?
    private var admin: AdminServices {
        AdminServices(settings: settings, client: client, printer: printer, ratings: ratings, errors: recentErrors,
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
        systemd.ready(status: "\(engine.state.screen.name) screen on \(window.videoDriver)")
        if let ms = systemd.watchdogIntervalMilliseconds { logger.info("systemd watchdog on", metadata: ["ping.every.ms": "\(ms)"]) }
        defer { heartbeatTask?.cancel() }
        // Wake at least twice per watchdog interval, so a ping is never late by a whole sleep.
        let maxWait = min(1000, max(1, (systemd.watchdogIntervalMilliseconds ?? 2000) / 2))
        while true {
            if let code = step(maxWaitMilliseconds: maxWait) {
                systemd.stopping(status: "exiting with code \(code)")
                finishRatingWrites()
                return code
            }
            systemd.watchdogIfDue()
            if let signal = signals.received {
                logger.notice("\(SignalWatcher.name(signal)) received: stopping cleanly")
                systemd.stopping(status: "stopping on \(SignalWatcher.name(signal))")
                finishRatingWrites()
                return scriptInterrupted(by: SignalWatcher.name(signal)) ?? 0
            }
            systemd.status(Self.statusLine(screen: engine.state.screen.name, lastError: engine.state.lastHallError))
        }
    }

    /// On the way out: lets a rating write that has started reach the disk (the outbox waits at most 10 s for
    /// its lock, so 15 s is enough; the units give the whole stop TimeoutStopSec=30, so this wait always ends
    /// before systemd would kill the kiosk).
    private func finishRatingWrites() {
        guard let ratings, ratings.writesInFlight > 0 else { return }
        logger.notice("waiting for \(ratings.writesInFlight) rating write(s) to finish before exiting")
        if ratings.finishWrites(timeoutSeconds: 15) {
            logger.notice("rating writes finished")
        } else {
            logger.error("a rating write did not finish within 15 s; exiting anyway (SQLite rolls it back: not stored, not thanked)")
        }
    }

    /// Draws the first frame and starts the background work.
    public func start() {
        logger.info("kiosk started", metadata: ["device.id": "\(settings.deviceId)", "server": "\(settings.serverURL)",
                                                "size": "\(Int(window.layoutSize.width))x\(Int(window.layoutSize.height))"])
        for finding in StartupCheck.findings(videoDriver: window.videoDriver, touchDevices: window.touchDeviceCount) {
            logger.log(level: finding.severity == .warning ? .warning : .notice, "\(finding.text)")
        }
        startHeartbeat()
        let inbox = self.inbox, heartbeatNow = self.heartbeatNow
        // The screens know the printer from the start (a kiosk without one shows "not configured", not "unknown").
        inbox.post(.printerChanged(printer.health))
        printer.startWatching { health in
            inbox.post(.printerChanged(health))
            heartbeatNow.fire()
        }
        ratings?.start(inbox: inbox)
        handle(clockTick())
        window.draw(engine.display)
        logger.info("first frame drawn", metadata: ["ms.since.process.start": "\(Int(ProcessClock.millisecondsSinceStart()))"])
        // Start-up code (arguments, config, TLS, SQLite and font set-up) never runs again: unmap it.
        let released = CodePageAdvice.releaseStartupPages()
        logger.debug("start-up code pages released", metadata: ["kB": "\(released)"])
        nextTick = KioskClock.uptimeSeconds + 1
    }

    /// One turn of the loop: waits for input, an answer or the next clock tick (at most `maxWaitMilliseconds`),
    /// feeds the core, redraws if the frame changed, advances the script. Returns an exit code when the kiosk should stop.
    public func step(maxWaitMilliseconds: Int = 1000) -> Int32? {
        var dirty = false
        let untilTick = max(0, Int((nextTick - KioskClock.uptimeSeconds) * 1000) + 1)
        let scriptPoll = script?.pollMilliseconds(now: KioskClock.uptimeSeconds) ?? Int.max
        let waitMs = min(maxWaitMilliseconds, untilTick, scriptPoll)
        let inputs = window.waitEvents(timeoutMilliseconds: waitMs)
        if inputs.contains(where: { $0 != .wake }) {
            // Time rules (double-tap grace, idle timeout) judge a touch by the time it happened,
            // not by the last once-a-second tick.
            dirty = handle(clockTick()) || dirty
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
            if case .ratingStorageChanged(let problem) = event {
                // Hall IT sees it on the admin screen and, with the next heartbeat, on the device page.
                if let problem { recentErrors.add("rating outbox: \(problem)") }
                heartbeatNow.fire()
            }
            if case .adminCommandFinished(_, Self.restartMarker) = event {
                logger.notice("restarting at the admin screen's request")
                exitRequested = 0
                continue
            }
            dirty = handle(event) || dirty
        }
        if let code = exitRequested { return code }
        if KioskClock.uptimeSeconds >= nextTick {
            dirty = handle(clockTick()) || dirty
            nextTick = KioskClock.uptimeSeconds + 1
        }
        if dirty { window.draw(engine.display) }
        let screenName = engine.state.screen.name
        if screenName != lastScreenName {
            logger.info("screen \(screenName)", metadata: ["screen.previous": "\(lastScreenName)"])
            lastScreenName = screenName
            // A citizen is done: give freed memory back (RSS stays flat over months of tickets).
            if screenName == "home" || screenName == "ratingIdle" { MallocTuning.trim() }
        }
        board.update(screen: screenName, lastError: engine.state.lastHallError, issuingPaused: engine.state.issuingPaused)
        if let script, case .finished(let code, let message) = script.step(display: engine.display, window: window, now: KioskClock.uptimeSeconds) {
            if code == 0 { logger.info("\(message)") } else { logger.error("\(message)") }
            return code
        }
        return nil
    }

    /// A script cut short fails (exit 2) and says at which line; `nil` without a script or when it had finished.
    private func scriptInterrupted(by reason: String) -> Int32? {
        guard let (code, message) = script?.interrupted(by: reason) else { return nil }
        logger.error("\(message)")
        return code
    }

    /// Stops background work (heartbeats).
    public func stop() {
        heartbeatTask?.cancel()
        printer.stopWatching()
        ratings?.stop()
    }

    /// A tick with both clocks; logs it when the wall clock was set (the core's timers keep to the monotonic clock).
    private func clockTick() -> KioskEvent {
        let clock = KioskClock.reading()
        if let jump = clock.wallClockJump(since: lastClock) {
            logger.notice("\(ClockReading.describe(jump: jump)): screen timers keep to the monotonic clock")
        }
        lastClock = clock
        return .tick(now: clock.wall, uptime: clock.uptime)
    }

    /// Feeds one event to the core and starts the effects; returns whether the frame changed.
    @discardableResult
    private func handle(_ event: KioskEvent) -> Bool {
        let outcome = engine.handle(event)
        for effect in outcome.effects { perform(effect) }
        return outcome.frameChanged
    }

    private func perform(_ effect: KioskEffect) {
        let inbox = self.inbox
        switch effect {
        case .printTicket(let ticket):
            let printer = self.printer
            let context = TicketPrintContext(hall: engine.state.hall, language: engine.state.language)
            Task.detached {
                let outcome = await printer.print(ticket, context: context)
                inbox.post(.printFinished(ticketId: ticket.id, outcome: outcome))
            }
        case .playSound:
            break
        case .storeRating, .fetchWindowState, .fetchStaffPhoto:
            if let ratings {
                ratings.perform(effect, inbox: inbox, images: window.images)
            } else if case .storeRating(let submission) = effect {
                inbox.post(.ratingStoreFailed(ratingId: submission.ratingId, reason: "this program has no rating outbox"))
            }
        case .checkAdminPin(let pin):
            let admin = self.admin, logger = self.logger
            Task.detached {
                let accepted = await admin.checkPin(pin)
                if !accepted { logger.notice("admin screen: wrong PIN") }
                inbox.post(.adminPinChecked(accepted: accepted))
            }
        case .fetchAdminInfo:
            let admin = self.admin
            Task.detached { inbox.post(.adminInfoArrived(await admin.info())) }
        case .rememberIssuingPaused(let paused):
            do {
                try pauseMarker.set(paused)
                logger.notice(paused ? "issuing paused at this kiosk (kept across restarts)" : "issuing resumed at this kiosk")
            } catch {
                logger.error("the pause of issuing cannot be kept across a restart: \(error)")
                recentErrors.add("pause not saved: \(error)")
            }
        case .adminCommand(let command):
            let admin = self.admin, logger = self.logger
            logger.notice("admin screen: \(command.rawValue)")
            Task.detached {
                let (message, restart) = await admin.run(command)
                logger.notice("admin screen: \(command.rawValue): \(message)")
                inbox.post(.adminCommandFinished(command, message: message))
                if restart { inbox.post(.adminCommandFinished(command, message: KioskRunner.restartMarker)) }
            }
        case .issueTicket, .fetchHallStatus, .lookupTicket:
            let client = self.client
            let logger = self.logger
            let errors = self.recentErrors
            Task.detached {
                if let answer = await client.perform(effect) {
                    if case .hallUnreachable(let error, _) = answer {
                        logger.warning("hall server: \(error)")
                        errors.add("hall server: \(error)")
                    }
                    if case .ticketFailed(_, let failure) = answer {
                        logger.warning("ticket not issued: \(failure.kind.rawValue): \(failure.message)")
                        errors.add("ticket not issued: \(failure.kind.rawValue)"
                            + (failure.kind == .other ? " (\(failure.message.prefix(300)))" : ""))
                    }
                    if case .ticketIssued(_, let t) = answer {
                        logger.info("ticket shown", metadata: ["ticket.number": "\(t.number)", "service.id": "\(t.service.id)"])
                    }
                    inbox.post(answer)
                }
            }
        }
    }

    private func startHeartbeat() {
        let client = self.client
        let board = self.board
        let started = self.started
        let logger = self.logger
        let printer = self.printer, heartbeatNow = self.heartbeatNow
        let ratings = self.ratings
        let errors = self.recentErrors
        heartbeatTask = Task.detached {
            var refusal: String?  // the last refusal logged, so it is logged once, not every 30 s
            var latencyMs: Double?  // the previous heartbeat's round trip
            func digest() -> HeartbeatDigest {
                let snapshot = board.snapshot
                let outbox = ratings?.status
                return HeartbeatDigest(screen: snapshot.screen, issuingPaused: snapshot.issuingPaused,
                                       lastError: snapshot.lastError ?? outbox?.lastError,
                                       outboxPending: outbox?.pending ?? 0, outboxRejected: outbox?.heldForAdmin ?? 0,
                                       ratingsUnavailable: ratings?.storageProblem)
            }
            while !Task.isCancelled {
                let sent = digest()
                let snapshot = board.snapshot
                let outbox = ratings?.status
                let beat = DeviceHeartbeat(
                    version: KioskAppInfo.version, uptimeSeconds: Int(KioskClock.uptimeSeconds - started),
                    printer: printer.health,
                    outboxDepth: outbox?.pending ?? 0, outboxRejected: outbox?.heldForAdmin ?? 0,
                    lastError: snapshot.lastError ?? outbox?.lastError, screen: snapshot.screen,
                    issuingPaused: snapshot.issuingPaused, ratingsUnavailable: ratings?.storageProblem,
                    addresses: NetworkAddresses.current(), serverLatencyMs: latencyMs, deviceTime: Date()).fittingLimits()
                let sending = KioskClock.uptimeSeconds
                do {
                    _ = try await client.heartbeat(beat)
                    latencyMs = ((KioskClock.uptimeSeconds - sending) * 10_000).rounded() / 10
                    refusal = nil
                } catch {
                    if let refused = error as? HallClientError, case .rejected(let status, _, _) = refused, status < 500, status != 429 {
                        // Refused for good (wrong token, another device's token): retrying will not help, hall IT must act.
                        if refusal != "\(error)" {
                            refusal = "\(error)"
                            logger.warning("the hall server refuses this device's heartbeat: \(error); check device.id and the device token")
                            errors.add("heartbeat refused: \(error)")
                        }
                    } else {
                        logger.debug("heartbeat not delivered: \(error)")
                    }
                }
                // Every 30 s; within a second or two of a printer change (the first check after start included:
                // the start's beat goes before it); for other things staff act on at most every 5 s.
                let sentAt = KioskClock.uptimeSeconds
                try? await Task.sleep(for: .seconds(1))
                await heartbeatNow.wait(seconds: 29) { KioskClock.uptimeSeconds - sentAt >= 5 && digest() != sent }
            }
        }
    }
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
            }
    }
}

extension KioskRunner {
    /// Posted after a restart/reload command's own answer: the run loop exits (the service manager restarts it).
    static let restartMarker = "\u{1}restart"
}

extension KioskContext {
    /// A copy changed by `change`.
    func with(_ change: (inout KioskContext) -> Void) -> KioskContext {
        var copy = self
        change(&copy)
        return copy
    }
}
