import Foundation
import HallAPI
import KioskApp
import KioskCore
import KioskHTTP
import KioskSDL
import Logging
#if canImport(Glibc)
import Glibc
#endif

/// `hallkiosk-lab soak`: many ticket + rating cycles through the real run loop of a ticket kiosk (touches injected
/// into the SDL event queue, as `hallkiosk-lab bench` does), against a real `hallserver` child process behind a
/// fault proxy, with faults drawn from a seeded generator: the server stopped (SIGTERM) or killed (SIGKILL) and
/// started again, frozen with SIGSTOP, requests answered 500 or garbage, hanging, answers lost. Each cycle:
/// take a number, the window calls and completes it (staff API), rate it at the kiosk by its number.
///
/// Every `sampleEvery` cycles the soak drains the rating outbox, checks the invariants against the server —
/// tickets shown == tickets issued (each number once), ratings stored == ratings on the server (each id once) —
/// and samples this process's RSS and open file descriptors (`/proc/self`). The process holds the kiosk (run loop,
/// renderer, HTTP client, outbox) and the soak's proxy and driver, so its growth is an upper bound on the kiosk's.
public enum KioskSoak {
    public struct Options: Sendable {
        public var kioskConfig: String
        public var hallserver: String
        public var hallConfig: String
        public var folder: String
        public var cycles = 1000
        public var seed: UInt64 = 1
        public var sampleEvery = 1000
        /// Chance per cycle of a fault.
        public var faultRate = 0.05
        /// Largest RSS growth allowed from the first checkpoint after warm-up to the last, kB.
        public var rssToleranceKB = 5 * 1024
        /// Largest open-descriptor growth allowed over the same span.
        public var fdTolerance = 3
        public var serviceLabel = LabDemoHall.serviceLabel
        public var serviceId = LabDemoHall.serviceId
        public var numberPrefix = LabDemoHall.numberPrefix
        public var windowId = LabDemoHall.windowId
        public var employeeNo = LabDemoHall.staffEmployeeNo
        public var pin = LabDemoHall.staffPin
        public var adminToken = LabDemoHall.adminToken
        public var kioskToken = LabDemoHall.kioskToken

        public init(kioskConfig: String, hallserver: String, hallConfig: String, folder: String) {
            self.kioskConfig = kioskConfig
            self.hallserver = hallserver
            self.hallConfig = hallConfig
            self.folder = folder
        }
    }

    public struct Sample: Sendable {
        public var cycle: Int
        public var rssKB: Int
        public var fds: Int
        public var threads: Int
        public var serverRssKB: Int
        public var seconds: Double
    }

    public struct Report: Sendable {
        public var cycles = 0
        public var ticketsShown = 0
        public var ratingsStored = 0
        public var samples: [Sample] = []
        public var faults: [String: Int] = [:]
        /// Tickets the kiosk gave up on (a non-retryable answer such as garbage): issuing none is the invariant.
        public var abandonedIntents = 0
        public var ticketRetries = 0
        public var lookupRetries = 0
        public var violations: [String] = []
        public var seconds = 0.0

        /// RSS growth from the first sample after warm-up (the second sample) to the last, kB.
        public var rssGrowthKB: Int { samples.count >= 3 ? samples.last!.rssKB - samples[1].rssKB : 0 }
        public var fdGrowth: Int { samples.count >= 3 ? samples.dropFirst().map(\.fds).max()! - samples[1].fds : 0 }
    }

    /// Runs the soak; prints a line per checkpoint. Throws when the kiosk gets stuck (a screen that never
    /// comes back); invariant and flatness violations are in the report.
    public static func run(_ options: Options, print say: @escaping (String) -> Void) throws -> Report {
        let server = try SoakServer(binary: options.hallserver, config: options.hallConfig, folder: options.folder)
        defer { server.stop(kill: false) }
        let proxy = try SoakProxy(upstreamPort: server.port)
        defer { proxy.stop() }
        let events = SoakEvents()
        let logger = Logger(label: "hallkiosk.soak") { _ in SoakLogHandler(events: events) }
        let settings = try KioskSettings.load(path: options.kioskConfig,
                                              overrides: KioskOverrides(server: proxy.baseURL, video: "offscreen"))
        let kiosk = try buildKiosk(settings: settings, logger: logger, parts: [.ratings], printer: NoPrinter(),
                                   activity: ActivityLog(path: nil, observer: { events.observe($0) }, logger: logger), httpLogger: logger)
        defer {
            let done = DispatchSemaphore(value: 0)
            Task.detached { await kiosk.shutdown(); done.signal() }
            done.wait()
        }
        let window = try KioskWindow(options: kiosk.windowOptions(video: "offscreen"))
        defer { window.close() }
        guard let ratings = kiosk.ratings else { throw SoakFailure("the soak's kiosk has no rating outbox") }
        let runner = try kiosk.makeRunner(window: window, adjustContext: { context in
            // The driver presses 完成 at once and does not wait out "thank you".
            context.ticketTouchGraceSeconds = 0
            context.ratingThanksSeconds = 0
        })
        let driver = SoakDriver(options: options, runner: runner, window: window, ratings: ratings, proxy: proxy,
                                server: server, events: events, say: say)
        runner.start()
        defer { runner.stop() }
        return try driver.run()
    }
}

/// What the kiosk did that the soak checks (from its event stream): each rating queued in the outbox, and the
/// warnings it logged.
final class SoakEvents: @unchecked Sendable {
    private let lock = NSLock()
    private var stored: [String] = []
    private var storedTotal = 0
    private var warnings = 0

    /// Takes what the soak checks from the kiosk's event stream.
    func observe(_ activity: KioskActivity) {
        if case .ratingQueued(let id) = activity { ratingStored(id) }
    }

    func ratingStored(_ id: String) { lock.withLock { stored.append(id); storedTotal += 1 } }
    /// Every rating stored since the start.
    var totalStored: Int { lock.withLock { storedTotal } }
    func warning() { lock.withLock { warnings += 1 } }

    /// The ids stored since the last call.
    func takeStored() -> [String] { lock.withLock { defer { stored.removeAll(keepingCapacity: true) }; return stored } }
    var warningCount: Int { lock.withLock { warnings } }
}

/// Counts the kiosk's warnings; passes warnings and errors to stderr.
struct SoakLogHandler: LogHandler {
    let events: SoakEvents
    var logLevel: Logger.Level = .info
    var metadata: Logger.Metadata = [:]
    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    func log(event: LogEvent) {
        let text = event.message.description
        if event.level >= .warning {
            events.warning()
            let details = (event.metadata ?? [:]).map { "\($0.key)=\($0.value)" }.sorted().joined(separator: " ")
            FileHandle.standardError.write(Data("\(Date()) \(event.level) \(details) [\(event.source)] \(text)\n".utf8))
        }
    }
}

/// Drives the kiosk through the cycles and checks what it did.
final class SoakDriver {
    let options: KioskSoak.Options
    let runner: KioskRunner
    let window: KioskWindow
    let ratings: RatingServices
    let proxy: SoakProxy
    let server: SoakServer
    let events: SoakEvents
    let say: (String) -> Void
    var random: SoakRandom
    var report = KioskSoak.Report()
    var staffToken = ""
    /// Ticket numbers shown since the last checkpoint (each must be new).
    var blockNumbers = Set<String>()
    var lastNumber = 0
    var thanked = 0
    /// The QR payload shown with each ticket not yet rated (what a scanner would read from the paper).
    var ticketURLs: [String: String] = [:]
    var serverFault: Thread?
    let started = Date()

    init(options: KioskSoak.Options, runner: KioskRunner, window: KioskWindow, ratings: RatingServices, proxy: SoakProxy,
         server: SoakServer, events: SoakEvents, say: @escaping (String) -> Void) {
        self.options = options
        self.runner = runner
        self.window = window
        self.ratings = ratings
        self.proxy = proxy
        self.server = server
        self.events = events
        self.say = say
        random = SoakRandom(seed: options.seed)
    }

    func run() throws -> KioskSoak.Report {
        try login()
        try until("the home screen with \(options.serviceLabel)", timeout: 60) { self.homeReady }
        let every = max(1, options.sampleEvery)
        try checkpoint(cycle: 0)
        for cycle in 1...options.cycles {
            try oneCycle(cycle)
            report.cycles = cycle
            if cycle % every == 0 || cycle == options.cycles { try checkpoint(cycle: cycle) }
        }
        report.seconds = Date().timeIntervalSince(started)
        if report.rssGrowthKB > options.rssToleranceKB {
            report.violations.append("RSS grew \(report.rssGrowthKB) kB after warm-up (tolerance \(options.rssToleranceKB) kB)")
        }
        if report.fdGrowth > options.fdTolerance {
            report.violations.append("open file descriptors grew by \(report.fdGrowth) after warm-up (tolerance \(options.fdTolerance))")
        }
        return report
    }

    // MARK: One cycle

    func oneCycle(_ cycle: Int) throws {
        if random.nextDouble() < options.faultRate { injectFault() }
        let number = try takeTicket()
        try finishServerFault()
        try serve(number)
        if random.nextDouble() < options.faultRate { injectFault() }
        try rate(number, cycle: cycle)
        try finishServerFault()
    }

    /// Touches the service until its ticket is on screen (再试一次 while the network fails; home and again
    /// when the kiosk could not get a number for another reason); returns the number shown.
    func takeTicket() throws -> String {
        let deadline = Date().addingTimeInterval(180)
        while Date() < deadline {
            switch runner.screenName {
            case .home where homeReady:
                try tap(options.serviceLabel)
                try until("leaving home", timeout: 10) { self.runner.screenName != .home }
            case .issuing:
                if runner.display.hitRegion(labelContaining: "再试一次")?.enabled == true {
                    // The same intent and key again; a retry that fails at once shows 再试一次 again within the step.
                    report.ticketRetries += 1
                    try tap("再试一次")
                } else if runner.display.hitRegion(labelContaining: "返回首页")?.enabled == true {
                    report.abandonedIntents += 1
                    try tap("返回首页")
                    try until("home after giving up", timeout: 10) { self.runner.screenName != .issuing }
                } else {
                    try step()
                }
            case .ticket:
                let numbers = runner.display.texts.map(\.string).filter(isTicketNumber)
                guard let number = numbers.first else { throw SoakFailure("no ticket number on the ticket screen") }
                report.ticketsShown += 1
                // The citizen holds the ticket: its QR code (what the scanner reads to rate it) is on screen too.
                ticketURLs[number] = runner.display.items.lazy.compactMap { item -> String? in
                    if case .qr(let payload, _) = item { return payload }
                    return nil
                }.first
                if !blockNumbers.insert(number).inserted || (Int(number.dropFirst(options.numberPrefix.count)) ?? 0) <= lastNumber {
                    report.violations.append("ticket \(number) shown again")
                }
                lastNumber = Int(number.dropFirst(options.numberPrefix.count)) ?? lastNumber
                try tap("完成")
                try until("home after the ticket", timeout: 10) { self.runner.screenName != .ticket }
                return number
            default:
                try step()
            }
        }
        throw SoakFailure("no ticket within 180 s (screen \(runner.screenName.rawValue): \(onScreen))")
    }

    /// The window calls the number, starts and completes it (straight at the server: staff are not the kiosk).
    func serve(_ number: String) throws {
        var called: String?
        var orphans = 0
        while called != number {
            let result: WindowActionResult = try staff("call-next")
            guard let ticket = result.ticket else { throw SoakFailure("call-next found nobody waiting; \(number) was shown") }
            called = ticket.number
            if called != number {
                // A ticket issued that the kiosk never showed (nobody holds it).
                orphans += 1
                report.violations.append("ticket \(ticket.number) was issued but not shown (before \(number))")
                // 过号 is allowed after two recalls ([console] noShowAfterRecalls, default 2).
                let _: WindowActionResult = try staff("recall")
                let _: WindowActionResult = try staff("recall")
                let _: WindowActionResult = try staff("no-show")
            }
            if orphans > 5 { throw SoakFailure("too many tickets issued but not shown") }
        }
        let _: WindowActionResult = try staff("start")
        let _: WindowActionResult = try staff("complete")
    }

    /// Rates the ticket at the kiosk by scanning its QR code (评价 → scan → level → thanks), again from home when
    /// the lookup fails. (A number alone cannot rate: it needs the rating code printed on the paper ticket.)
    func rate(_ number: String, cycle: Int) throws {
        guard let url = ticketURLs.removeValue(forKey: number) else { throw SoakFailure("no QR code was shown with ticket \(number)") }
        let levels = ["非常满意", "基本满意", "非常不满意"]
        let level = levels[Int(random.next() % UInt64(levels.count))]
        let deadline = Date().addingTimeInterval(180)
        while Date() < deadline {
            try until("home before rating", timeout: 120) { self.homeReady }
            try tap("评价")
            try until("the number keypad", timeout: 10) { self.runner.screenName == .lookup }
            window.inject(.text(url))
            window.inject(.key("Return"))
            try until("the lookup's answer", timeout: 30) {
                self.runner.screenName == .rating || self.has("网络不通") || self.has("暂时查不到")
                    || self.has("今天没有这个号码") || self.has("已经评价") || self.runner.screenName == .home
            }
            if runner.screenName == .rating {
                let before = events.totalStored
                try tap(level)
                if level == "非常不满意" {
                    try until("the reasons", timeout: 10) { self.has("请选择不满意的原因") }
                    try tap("服务态度")
                    try tap("提交")
                }
                // "Thank you" lasts no time here: the loop may pass it and be home within one step, so the outbox's
                // "rating stored" counts too (it comes before "thank you").
                try until("thank you", timeout: 15) {
                    self.has("感谢您的评价") || self.has("评价暂时无法保存") || self.events.totalStored > before
                }
                if has("评价暂时无法保存") { throw SoakFailure("the outbox could not store a rating") }
                thanked += 1
                // The outbox logs before the loop hears of it: wait for "thank you" (or home, if it already passed),
                // then touch — "thank you" has no minimum here, and a touch lets the clock move on at once.
                try until("thank you on screen", timeout: 10) { self.has("感谢您的评价") || self.runner.screenName == .home }
                if runner.screenName != .home { window.inject(.touchCancel) }
                try until("home after thank you", timeout: 10) { self.runner.screenName == .home }
                return
            }
            if has("已经评价") { report.violations.append("\(number) was already rated before the kiosk rated it"); return }
            if has("今天没有这个号码") { report.violations.append("\(number) unknown to the server") }
            report.lookupRetries += 1
            if runner.display.hitRegion(labelContaining: "返回首页") != nil { try tap("返回首页") }
            try until("home after a failed lookup", timeout: 120) { self.runner.screenName == .home || self.runner.screenName == .offline }
        }
        throw SoakFailure("could not rate \(number) within 180 s (screen \(runner.screenName.rawValue): \(onScreen))")
    }

    // MARK: Faults

    func injectFault() {
        let kinds = ["500", "garbage", "hang", "lostAnswer", "serverRestart", "serverKill", "serverPause"]
        let kind = kinds[Int(random.next() % UInt64(kinds.count))]
        let targets = SoakProxy.Target.allCases
        let target = targets[Int(random.next() % UInt64(targets.count))]
        let count = 1 + Int(random.next() % 4)
        let delay = random.nextDouble() * 0.3
        switch kind {
        case "500": proxy.inject(.error500, target: target, count: count)
        case "garbage": proxy.inject(.garbage, target: target, count: count)
        case "hang": proxy.inject(.hang(seconds: 1 + random.nextDouble() * 2), target: target, count: 1)
        case "lostAnswer": proxy.inject(.loseAnswer, target: [.tickets, .ratings, .any][Int(random.next() % 3)], count: 1)
        default:
            // The server faults land somewhere in the next few hundred ms of the cycle, on their own thread.
            let server = self.server
            let pause = 1 + random.nextDouble() * 2
            let thread = Thread {
                Thread.sleep(forTimeInterval: delay)
                switch kind {
                case "serverRestart": try? server.restart(kill: false)
                case "serverKill": try? server.restart(kill: true)
                default: server.pause(seconds: pause)
                }
            }
            serverFault = thread
            thread.start()
        }
        report.faults[kind == "500" || kind == "garbage" || kind == "hang" ? "\(kind) (\(target.rawValue))" : kind, default: 0] += 1
    }

    /// Waits until a server fault has run its course (the staff calls and checks need the server).
    func finishServerFault() throws {
        guard let thread = serverFault else { return }
        try until("the server fault to end", timeout: 60) { thread.isFinished }
        serverFault = nil
        if server.pid == 0 || kill(server.pid, 0) != 0 { try server.start() }
    }

    // MARK: Checkpoints

    func checkpoint(cycle: Int) throws {
        try finishServerFault()
        proxy.clearFaults()
        // Deliver everything stored so far, then compare with the server.
        let deadline = Date().addingTimeInterval(300)
        while ratings.status.pending > 0 {
            guard Date() < deadline else { throw SoakFailure("the outbox still holds \(ratings.status.pending) ratings after 300 s") }
            ratings.sender?.sendNow()
            try step()
        }
        let stored = events.takeStored()
        report.ratingsStored += stored.count
        if Set(stored).count != stored.count { report.violations.append("a rating id stored twice before cycle \(cycle)") }
        if report.ratingsStored != thanked {
            report.violations.append("\(thanked) ratings thanked, \(report.ratingsStored) stored")
        }
        if ratings.status.heldForAdmin > 0 { report.violations.append("\(ratings.status.heldForAdmin) ratings refused by the server") }
        for id in stored {
            let answer = try SoakHTTP.request("GET", port: server.port, "/api/v1/ratings/\(id)", token: options.adminToken)
            if answer.status != 200 { report.violations.append("rating \(id) not on the server (HTTP \(answer.status))") }
        }
        let reportAnswer = try SoakHTTP.request("GET", port: server.port, "/api/v1/reports/satisfaction?by=window",
                                                token: options.adminToken)
        let onServer = try HallJSON.decoder().decode(SatisfactionReport.self, from: reportAnswer.body).total.activeRatings
        if onServer != report.ratingsStored {
            report.violations.append("cycle \(cycle): \(report.ratingsStored) ratings stored, \(onServer) on the server")
        }
        let hallAnswer = try SoakHTTP.request("GET", port: server.port, "/api/v1/hall", token: options.kioskToken)
        let hall = try HallJSON.decoder().decode(HallStatus.self, from: hallAnswer.body)
        let issued = hall.services.first { $0.id == options.serviceId }?.issuedToday ?? -1
        if issued != report.ticketsShown {
            report.violations.append("cycle \(cycle): \(report.ticketsShown) tickets shown, \(issued) issued")
        }
        blockNumbers.removeAll(keepingCapacity: true)
        // Let the loop settle, then measure.
        for _ in 0..<20 { try step() }
        let pid = getpid()
        let sample = KioskSoak.Sample(cycle: cycle, rssKB: SoakProbe.rssKB(pid: pid), fds: SoakProbe.openFiles(pid: pid),
                                      threads: SoakProbe.threads(pid: pid), serverRssKB: server.rssKB,
                                      seconds: Date().timeIntervalSince(started))
        report.samples.append(sample)
        ProcessClock.dumpMemory(to: "\(options.folder)/memory-\(cycle)")
        let faults = report.faults.values.reduce(0, +)
        say("SOAK cycle=\(cycle) rss_kb=\(sample.rssKB) fds=\(sample.fds) threads=\(sample.threads) server_rss_kb=\(sample.serverRssKB) "
            + "tickets_shown=\(report.ticketsShown) tickets_issued=\(issued) ratings_stored=\(report.ratingsStored) "
            + "ratings_on_server=\(onServer) faults=\(faults) ticket_retries=\(report.ticketRetries) "
            + "abandoned=\(report.abandonedIntents) lookup_retries=\(report.lookupRetries) "
            + "violations=\(report.violations.count) seconds=\(Int(sample.seconds))")
    }

    // MARK: Kiosk and server helpers

    var homeReady: Bool {
        runner.screenName == .home && runner.display.hitRegion(labelContaining: options.serviceLabel)?.enabled == true
    }

    var onScreen: String { runner.display.texts.map(\.string).prefix(12).joined(separator: " | ") }

    func has(_ text: String) -> Bool { runner.display.containsText(text) }

    func isTicketNumber(_ s: String) -> Bool {
        s.hasPrefix(options.numberPrefix) && s.count > options.numberPrefix.count
            && s.dropFirst(options.numberPrefix.count).allSatisfy(\.isNumber)
    }

    /// One turn of the kiosk's loop. SDL turns SIGTERM/SIGINT into a quit event: the soak stops there.
    func step() throws {
        if let code = runner.step(maxWaitMilliseconds: 5) { throw SoakFailure("the run loop stopped (exit code \(code); SIGTERM or SIGINT?)") }
    }

    func until(_ what: String, timeout: Double, _ condition: () -> Bool) throws {
        let deadline = Date().addingTimeInterval(timeout)
        while !condition() {
            guard Date() < deadline else {
                throw SoakFailure("timed out after \(Int(timeout)) s waiting for \(what) (screen \(runner.screenName.rawValue): \(onScreen))")
            }
            try step()
        }
    }

    func tap(_ label: String) throws {
        guard let point = runner.display.tapPoint(forLabelContaining: label) else {
            throw SoakFailure("no '\(label)' to touch on screen \(runner.screenName.rawValue): \(onScreen)")
        }
        window.inject(.touchDown(point))
        window.inject(.touchUp(point))
        try step()
    }

    /// Signs the soak's clerk in at its window, taking it over from anyone signed in there.
    func login() throws {
        let answer = try SoakHTTP.request("POST", port: server.port, "/api/v1/windows/\(options.windowId)/login",
                                          body: #"{"employeeNo":"\#(options.employeeNo)","pin":"\#(options.pin)","takeover":true}"#)
        guard answer.status == 200 else { throw SoakFailure("staff login: HTTP \(answer.status)") }
        staffToken = try HallJSON.decoder().decode(StaffLoginResponse.self, from: answer.body).staffToken
    }

    func staff<T: Decodable>(_ action: String) throws -> T {
        for attempt in 1...3 {
            let answer = try SoakHTTP.request("POST", port: server.port, "/api/v1/windows/\(options.windowId)/\(action)",
                                              token: staffToken, body: "{}")
            if answer.status == 401 && attempt < 3 { try login(); continue }
            guard answer.status == 200 else {
                throw SoakFailure("\(action): HTTP \(answer.status) \(String(decoding: answer.body.prefix(300), as: UTF8.self))")
            }
            return try HallJSON.decoder().decode(T.self, from: answer.body)
        }
        throw SoakFailure("\(action): staff login keeps failing")
    }
}

extension SoakRandom {
    /// Uniform in [0, 1).
    mutating func nextDouble() -> Double { Double(next() >> 11) / Double(1 << 53) }
}
