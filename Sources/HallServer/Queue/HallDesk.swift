import Foundation
import HallAPI
import Logging

/// The hall server's logic: issuing, calling, ratings, devices. No HTTP and no SQL here: routes call these
/// methods, and these keep everything in `store`.
public final class HallDesk: Sendable {
    /// The hall in force now (the settings pages swap it whole; see `SettingsKeeper`).
    public var hall: Hall { settings.hall }
    /// The running hall and its editable settings.
    public let settings: SettingsKeeper
    /// Where everything is kept (SQLite by default; see `HallStore`).
    public let store: any HallStore
    let nowSource: any NowSource
    /// Seconds that only move forward (the rate limiters' and the clock guard's time); a test clock drives both.
    let monotonic: any MonotonicSource
    let random: any RandomSource
    let clock: HallClock
    let serviceTimes: ServiceTimes
    public let events: WindowEventHub
    let logger: Logger
    let metrics: HallMetrics
    /// Who may try a PIN or the admin token now (bounded; see `LoginGuard`).
    let loginGuard: LoginGuard
    /// Admin page sessions (server-side, revocable; shared by the instances of a shared store).
    let adminSessions: AdminSessions
    /// Signs and checks the cookies of consoles that have logged a clerk in before.
    let trustedConsole: TrustedConsole
    /// One untrusted PIN check at a time (PBKDF2 is costly).
    let pinChecks = PinCheckGate()
    /// Wrong rating codes typed at kiosks, per device.
    let wrongCodes = WrongCodeLimiter()
    /// Whether the wall clock can be trusted to issue numbers.
    let clockGuard: ClockGuard
    /// Refused device tokens and outbox backlogs between heartbeats (for the device page).
    let deviceWatch = DeviceWatch()
    /// The alerts as last worked out, and the webhook sender (`AlertMonitor`).
    let alertBoard = AlertBoard()
    /// The identity keyring (`[identity] keyFile`): ID numbers become person keys with it (issue 21).
    public let identity: IdentityKeys

    /// A desk over `store`, with what `DeskStart.load` read from it.
    public init(hall: Hall, store: any HallStore, start: DeskStart, now: any NowSource = SystemNow(), random: any RandomSource = SystemRandom(),
                logger: Logger = Logger(label: "hallserver"), metrics: HallMetrics = HallMetrics(), settings: SettingsKeeper? = nil,
                identity: IdentityKeys? = nil) {
        let settings = settings ?? SettingsKeeper(fixed: hall)
        self.identity = identity ?? IdentityKeys(path: hall.identityKeyFile)
        self.settings = settings
        self.store = store
        self.nowSource = now
        self.monotonic = (now as? any MonotonicSource) ?? SystemMonotonic()
        self.random = random
        self.clock = HallClock(timeZone: hall.timeZone)
        self.serviceTimes = ServiceTimes(hall: hall)
        self.events = WindowEventHub()
        self.logger = logger
        self.metrics = metrics
        // A store several server instances share keeps sessions and login failures for all of them; else memory.
        let shared = store as? any SharedHallStore
        self.loginGuard = LoginGuard(staffCount: hall.staff.count, book: { shared?.loginFailureBook($0) ?? MemoryLoginFailures($0) })
        self.adminSessions = AdminSessions(book: shared?.adminSessionBook() ?? MemoryAdminSessions())
        // The cost most PINs have (one `hash-secret` default), so a made-up number takes as long as a real one.
        let rounds = Dictionary(grouping: hall.staff.map(\.pinHash.rounds), by: { $0 }).max { $0.value.count < $1.value.count }?.key ?? 210_000
        self.decoyPinHash = SecretHash("pbkdf2-sha256$\(rounds)$\(Data(random.bytes(16)).base64EncodedString())$"
            + Data(count: 32).base64EncodedString())!
        self.trustedConsole = TrustedConsole(key: start.consoleTrustKey)
        serviceTimes.load(recent: start.recentServiceMinutes)
        let serviceTimes = self.serviceTimes
        settings.onChange { serviceTimes.update(hall: $0) }
        self.clockGuard = ClockGuard(monotonic: monotonic, now: now.now(),
                                     newestStored: start.newestStoredTime, timeZone: hall.timeZone)
    }

    /// A PIN hash of the staff's cost that no PIN matches in practice: checked for unknown employee numbers so a
    /// wrong number takes as long as a wrong PIN.
    let decoyPinHash: SecretHash

    /// Now, in whole milliseconds: what SQLite stores, so a value read back equals the one written.
    var now: Date {
        let t = nowSource.now().timeIntervalSince1970
        return Date(timeIntervalSince1970: (t * 1000).rounded() / 1000)
    }

    /// How many open windows serve `serviceId`.
    func openWindowCount(serviceId: String, open: [String: String]) -> Int {
        hall.windows.filter { open[$0.id] != nil && $0.serviceIds.contains(serviceId) }.count
    }

    /// A ticket's progress as the phone page and devices see it.
    func progress(_ view: TicketView, now: Date) throws -> TicketProgress {
        let t = view.ticket
        guard let service = hall.service(t.serviceId) else {
            throw HallError(.internalError, "ticket \(t.number) belongs to service '\(t.serviceId)', which is no longer configured")
        }
        var ahead: Int? = nil
        var estimate: Int? = nil
        let status = currentStatus(t, now: now)
        if status == .waiting {
            ahead = view.waitingAhead
            estimate = serviceTimes.estimateMinutes(serviceId: t.serviceId, ahead: view.waitingAhead,
                                                    openWindows: openWindowCount(serviceId: t.serviceId, open: view.openWindows))
        }
        var rated = false
        var canRate = false
        if t.status == .completed {
            rated = view.hasActiveRating
            let fresh = t.completedAt.map { now.timeIntervalSince($0) < Double(hall.ratableForDays) * 86400 } ?? false
            canRate = !view.hasFirstRating && fresh
        }
        var progress = TicketProgress(
            id: t.id, number: t.number, service: service.ref, status: status, hallDay: t.hallDay, issuedAt: t.issuedAt,
            priority: t.priority, waitingAhead: ahead, estimatedWaitMinutes: estimate,
            window: t.windowId.flatMap { hall.window($0)?.ref },
            staff: t.staffId.flatMap { hall.staffMember($0)?.summary },
            calledAt: t.calledAt, completedAt: t.completedAt,
            rating: TicketRatingState(canRate: canRate, rated: rated))
        if status == .called { progress.recallCount = t.recallCount }
        if t.transferCount > 0, t.issuedServiceId != t.serviceId { progress.transferredFrom = hall.service(t.issuedServiceId)?.ref }
        if status == .waiting, t.queueOrder != nil { progress.requeued = true }
        return progress
    }
}

/// What a desk reads from its store once, at start.
public struct DeskStart: Sendable {
    /// The key that signs console-trust cookies (`TrustedConsole`).
    public var consoleTrustKey: [UInt8]
    /// Recent service minutes per service, oldest first (`ServiceTimes`).
    public var recentServiceMinutes: [String: [Double]]
    /// The newest time stored (`ClockGuard`).
    public var newestStoredTime: Date?

    public init(consoleTrustKey: [UInt8], recentServiceMinutes: [String: [Double]], newestStoredTime: Date?) {
        self.consoleTrustKey = consoleTrustKey
        self.recentServiceMinutes = recentServiceMinutes
        self.newestStoredTime = newestStoredTime
    }

    /// Name of the console-trust key in the store.
    static let consoleTrustKeyName = "console-trust"

    /// Reads (and, the first time, makes) what a desk for `hall` starts with.
    public static func load(from store: any HallStore, hall: Hall, random: any RandomSource) async throws -> DeskStart {
        DeskStart(consoleTrustKey: try await store.serverKey(named: consoleTrustKeyName, make: { random.bytes(32) }),
                  recentServiceMinutes: try await store.recentServiceMinutes(serviceIds: hall.services.map(\.id), perService: hall.averageOverLast),
                  newestStoredTime: try await store.newestStoredTime())
    }
}
