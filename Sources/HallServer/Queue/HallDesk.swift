import Foundation
import GRDB
import HallAPI
import Logging

/// The hall server's logic: issuing, calling, ratings, devices. No HTTP here; routes call these methods.
public final class HallDesk: Sendable {
    public let hall: Hall
    public let database: HallDatabase
    let nowSource: any NowSource
    let random: any RandomSource
    let clock: HallClock
    let serviceTimes: ServiceTimes
    public let events: WindowEventHub
    let logger: Logger
    let metrics: HallMetrics
    /// Who may try a PIN or the admin token now (bounded; see `LoginGuard`).
    let loginGuard: LoginGuard
    /// Admin page sessions (server-side, revocable).
    let adminSessions = AdminSessions()
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

    public init(hall: Hall, database: HallDatabase, now: any NowSource = SystemNow(), random: any RandomSource = SystemRandom(),
                logger: Logger = Logger(label: "hallserver"), metrics: HallMetrics = HallMetrics()) throws {
        self.hall = hall
        self.database = database
        self.nowSource = now
        self.random = random
        self.clock = HallClock(timeZone: hall.timeZone)
        self.serviceTimes = ServiceTimes(hall: hall)
        self.events = WindowEventHub()
        self.logger = logger
        self.metrics = metrics
        self.loginGuard = LoginGuard(staffCount: hall.staff.count)
        // The cost most PINs have (one `hash-secret` default), so a made-up number takes as long as a real one.
        let rounds = Dictionary(grouping: hall.staff.map(\.pinHash.rounds), by: { $0 }).max { $0.value.count < $1.value.count }?.key ?? 210_000
        self.decoyPinHash = SecretHash("pbkdf2-sha256$\(rounds)$\(Data(random.bytes(16)).base64EncodedString())$"
            + Data(count: 32).base64EncodedString())!
        self.trustedConsole = TrustedConsole(key: try database.serverKey("console-trust", random: random))
        let times = self.serviceTimes
        let newest = try database.pool.read { db in
            try times.load(from: db)
            return try ClockGuard.newestStoredTime(db)
        }
        self.clockGuard = ClockGuard(monotonic: (now as? any MonotonicSource) ?? SystemMonotonic(), now: now.now(),
                                     newestStored: newest, timeZone: hall.timeZone)
    }

    /// A PIN hash of the staff's cost that no PIN matches in practice: checked for unknown employee numbers so a
    /// wrong number takes as long as a wrong PIN.
    let decoyPinHash: SecretHash

    /// Now, in whole milliseconds: what SQLite stores, so a value read back equals the one written.
    var now: Date {
        let t = nowSource.now().timeIntervalSince1970
        return Date(timeIntervalSince1970: (t * 1000).rounded() / 1000)
    }

    /// Ids of windows with a staff member logged in now, with who it is.
    func openWindows(_ db: Database, at now: Date) throws -> [String: String] {
        var out: [String: String] = [:]
        for row in try Row.fetchAll(db.cachedStatement(sql: """
            SELECT windowId, staffId FROM staffSession WHERE endedAt IS NULL AND expiresAt > ?
            """), arguments: [now]) {
            out[row[0]] = row[1]
        }
        return out
    }

    /// How many open windows serve `serviceId`.
    func openWindowCount(serviceId: String, open: [String: String]) -> Int {
        hall.windows.filter { open[$0.id] != nil && $0.serviceIds.contains(serviceId) }.count
    }

    func pausedServices(_ db: Database) throws -> Set<String> {
        Set(try String.fetchAll(db, sql: "SELECT serviceId FROM servicePause"))
    }

    func issuedToday(_ db: Database, day: String, serviceId: String) throws -> Int {
        try Int.fetchOne(db.cachedStatement(sql: "SELECT issued FROM dailyCounter WHERE hallDay = ? AND serviceId = ?"),
                         arguments: [day, serviceId]) ?? 0
    }

    /// A ticket's progress as the phone page and devices see it.
    func progress(_ db: Database, _ t: TicketRow, now: Date) throws -> TicketProgress {
        guard let service = hall.service(t.serviceId) else {
            throw HallError(500, APIErrorCode.internalError, "ticket \(t.number) belongs to service '\(t.serviceId)', which is no longer configured")
        }
        var ahead: Int? = nil
        var estimate: Int? = nil
        let status = currentStatus(t, now: now)
        if status == .waiting {
            let a = try t.waitingAhead(db)
            ahead = a
            let open = try openWindows(db, at: now)
            estimate = serviceTimes.estimateMinutes(serviceId: t.serviceId, ahead: a,
                                                    openWindows: openWindowCount(serviceId: t.serviceId, open: open))
        }
        var rated = false
        var canRate = false
        if t.status == .completed {
            rated = try Bool.fetchOne(db, sql: "SELECT EXISTS (SELECT 1 FROM rating WHERE ticketId = ? AND source = 'active')",
                                      arguments: [t.id]) ?? false
            let hasFirst = try Bool.fetchOne(db, sql: "SELECT EXISTS (SELECT 1 FROM rating WHERE ticketId = ? AND assessNumber = 1)",
                                             arguments: [t.id]) ?? false
            let fresh = t.completedAt.map { now.timeIntervalSince($0) < Double(hall.ratableForDays) * 86400 } ?? false
            canRate = !hasFirst && fresh
        }
        return TicketProgress(
            id: t.id, number: t.number, service: service.ref, status: status, hallDay: t.hallDay, issuedAt: t.issuedAt,
            priority: t.priority, waitingAhead: ahead, estimatedWaitMinutes: estimate,
            window: t.windowId.flatMap { hall.window($0)?.ref },
            staff: t.staffId.flatMap { hall.staffMember($0)?.summary },
            calledAt: t.calledAt, completedAt: t.completedAt,
            rating: TicketRatingState(canRate: canRate, rated: rated))
    }
}

