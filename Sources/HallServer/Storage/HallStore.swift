import Foundation
import HallAPI

/// Everything the hall server keeps, behind transactions named for what they do.
///
/// The queue and rating rules (`HallDesk`) are plain Swift over this protocol; every SQL statement lives in an
/// implementation (`SQLiteHallStore`, the embedded default; a PostgreSQL store for shared databases).
///
/// ## What every implementation guarantees
/// - **Atomic, durable transactions.** Each writing method is one transaction: all of it or none of it is
///   stored, and the method returns only once the outcome is durable (SQLite: `synchronous=FULL` and WAL).
/// - **Serialised where it matters.** `issueTicket` for one hall day and service never runs concurrently with
///   another for the same pair (numbers are gap-free and unique); window moves of one window never interleave;
///   a ticket is moved by one transaction at a time.
/// - **Rules run inside the transaction.** Closures passed in (`rules`, `check`, `event` …) are pure Swift from
///   `HallDesk`: they see the state the transaction will write over and may throw a domain error (`HallError`),
///   which rolls the transaction back and is rethrown unchanged. A store that retries a transaction (serialization
///   failure, lost connection) may call them again; they must not assume they run once.
/// - **Idempotency.** A repeated idempotency key (ticket: kiosk + key; rating: `ratingId`) returns what was stored
///   the first time, also when the two requests race (a unique constraint behind the lookup).
/// - **Times.** Dates are stored with at least millisecond precision; a date read back equals the one written
///   when it was whole milliseconds (`HallDesk.now` is).
/// - **Errors of the store itself** are `HallError`s the HTTP layer can answer: `diskFull` (SQLite),
///   `databaseUnavailable` (a server database that cannot be reached), both 503 with `Retry-After`.
/// - **Window events** get ids that grow with time, per store (not per window); `id` 0 means "none".
public protocol HallStore: ConsoleStore, SettingsStore, AlertStore, AppointmentStore {
    // MARK: Health

    /// The store's health as `/healthz` and `/metrics` report it, without a round trip to the database.
    var health: StoreHealth { get }

    /// While writes are refused (`health.refusingWrites`), tries to make them work again (SQLite: room back on
    /// the disk). Called every few seconds by the maintenance service. - Returns: true when writes work.
    func recoverWrites(now: Date) async -> Bool

    // MARK: Start

    /// The secret named `name`, made with `make` and stored the first time it is asked for; the same on every
    /// start and on every server instance sharing the store.
    func serverKey(named name: String, make: @escaping @Sendable () -> [UInt8]) async throws -> [UInt8]

    /// Minutes of each service's latest `perService` completed services (completed − started, or − called when
    /// never started), oldest first; services with none are absent or empty.
    func recentServiceMinutes(serviceIds: [String], perService: Int) async throws -> [String: [Double]]

    /// The newest ticket issue, ticket completion or rating receipt time stored (the clock guard's floor).
    func newestStoredTime() async throws -> Date?

    // MARK: Issuing

    /// Issues a ticket: or, when `issue.kioskId` + `issue.idempotencyKey` already has one, returns that one
    /// (`.existing`, `rules` not called; the caller compares fingerprints).
    ///
    /// In one transaction, serialised per hall day and service: reads the snapshot (`IssueSnapshot`), calls `rules`
    /// (which throws when the service cannot issue, else picks the number), inserts the ticket as `waiting`,
    /// adds one to the day's counter of `issue.serviceId` and one to the waiting count of its rank.
    func issueTicket(_ issue: TicketIssue, rules: @escaping @Sendable (IssueSnapshot) throws -> IssueDecision) async throws -> IssueOutcome

    /// Pauses (`paused`: true; a second pause keeps the first one's time, actor and note, unless that pause is over: its
    /// `until` passed) or resumes issuing for a service.
    func setServicePaused(_ paused: Bool, serviceId: String, at: Date, by actor: String) async throws

    // MARK: Window moves (staff actions; each appends one window event in the same transaction)

    /// Calls the first waiting ticket of `serviceIds` on `hallDays` (earlier days first, then rank, then issue order)
    /// to the window: `called`, window, staff, `calledAt` = `move.at`; the waiting count goes down by one. Except that
    /// a service calls at most `appointmentsInARow` appointment tickets in a row while a walk-in waits, then its
    /// longest-waiting walk-in (`AppointmentFairness`).
    /// `move.check` first sees the window's current ticket (throws when there is one). nil: nobody waits.
    func callNext(_ move: WindowMove, hallDays: [String], serviceIds: [String], appointmentsInARow: Int) async throws -> WindowMoveResult?

    /// Calls the window's current ticket again (`recallCount` + 1; nothing else changes).
    func recall(_ move: WindowMove) async throws -> WindowMoveResult

    /// The citizen of the current ticket is at the window: `serving`, `startedAt` = `move.at`, staff = `move.staffId`.
    func startService(_ move: WindowMove) async throws -> WindowMoveResult

    /// The service of the current ticket is done: `completed`; `startedAt` stays (or becomes `calledAt`, or
    /// `move.at` when never called); `completedAt` = `endedAt` = `move.at`; staff = `move.staffId`.
    func complete(_ move: WindowMove) async throws -> WindowMoveResult

    /// The citizen of the current ticket did not come: `noShow`, `endedAt` = `move.at`.
    func noShow(_ move: WindowMove) async throws -> WindowMoveResult

    /// Sends the current ticket to `serviceId`'s queue, keeping its number and its place by issue order: `waiting`,
    /// service = `serviceId`, window, staff, `calledAt`, `startedAt` cleared, `transferCount` + 1; the target
    /// service's waiting count goes up by one. The event is made from the ticket *before* the move (old service).
    func transfer(_ move: WindowMove, toServiceId serviceId: String) async throws -> WindowMoveResult

    // MARK: Expiry

    /// Hall days that still have waiting tickets, oldest first.
    func hallDaysWithWaitingTickets() async throws -> [String]

    /// Closes every waiting ticket of `hallDay`: `expired`, `endedAt` = `at`; the day's waiting counts go to zero.
    /// - Returns: tickets closed per service (empty when none were waiting).
    func expireWaitingTickets(hallDay: String, at: Date) async throws -> [String: Int]

    // MARK: Reading the queue

    /// One ticket with what its progress needs, read in one snapshot; nil when no ticket matches.
    func ticketView(_ lookup: TicketLookup, at: Date) async throws -> TicketView?

    /// Waiting tickets of `serviceIds` on `hallDays` (what a window has ahead of it).
    func waitingCount(hallDays: [String], serviceIds: [String]) async throws -> Int

    /// What every kiosk polls, read in one snapshot.
    func hallSnapshot(hallDays: [String], today: String, at: Date) async throws -> HallSnapshot

    /// A window's idle state, read in one snapshot.
    func windowSnapshot(windowId: String, hallDays: [String], at: Date) async throws -> WindowSnapshot

    // MARK: Staff sessions

    /// Logs a staff member in at a window: ends every open session (at `login.at`) at that window or of that staff
    /// member, appending `loggedOut(staffId, windowId)` for each, then opens the new one and appends `loggedIn`.
    /// `loggedOut` throwing (another clerk at the window, no takeover asked) leaves everything as it was.
    /// - Returns: the appended events with their ids, in order.
    func loginStaff(_ login: StaffLoginWrite, loggedOut: @escaping @Sendable (_ staffId: String, _ windowId: String) throws -> WindowEvent,
                    loggedIn: WindowEvent) async throws -> [WindowEvent]

    /// Ends the open session with `tokenHash` and appends `event`; nil (and no event) when none was open.
    func logoutStaff(tokenHash: String, at: Date, event: WindowEvent) async throws -> WindowEvent?

    /// The session with `tokenHash` when it is open (not ended, not expired at `at`).
    func openStaffSession(tokenHash: String, at: Date) async throws -> OpenStaffSession?

    /// True when a session with `tokenHash` ever existed (an old console's token, not a guess).
    func isFormerStaffToken(tokenHash: String) async throws -> Bool

    // MARK: Window events

    /// Events of a window with id > `after`, oldest first, at most `limit`, with the window's newest id and the
    /// prune horizon, read in one snapshot. `after` nil: no events, only the two ids.
    func windowEvents(windowId: String, after: Int64?, limit: Int) async throws -> WindowEventSlice

    /// Deletes up to `batch` of the oldest events, all created before `cutoff` (and events from before event times
    /// were kept), and moves the prune horizon up to the last id deleted. - Returns: how many were deleted.
    func pruneWindowEvents(before cutoff: Date, batch: Int) async throws -> Int

    /// Events of every window with id > `after`, oldest first, at most `limit`, with the hall's newest event id and
    /// the prune horizon, read in one snapshot (the calling displays' stream). `after` nil: no events, only the ids.
    func hallEvents(after: Int64?, limit: Int) async throws -> WindowEventSlice

    /// The hall's newest events, newest first, at most `limit` (the calling displays' recent calls).
    func latestHallEvents(limit: Int) async throws -> [WindowEvent]

    // MARK: Ratings

    /// Stores a rating under the rules: or, when `attempt.ratingId` is stored already, returns it (`.existing`,
    /// `rules` not called; the caller compares fingerprints).
    ///
    /// In one transaction: finds the ticket (`attempt.ticket`; nil finds none), reads the rating already stored for
    /// that ticket and `assessNumber` and (for a follow-up, `assessNumber` 2) the first rating's level, calls
    /// `rules` (which throws when the rating is refused), then inserts the entry it returns.
    func rate(_ attempt: RatingAttempt, rules: @escaping @Sendable (RatingFacts) throws -> RatingEntry) async throws -> RatingOutcome

    /// A stored rating by id.
    func rating(id: String) async throws -> RatingRecord?

    /// What the satisfaction report counts for hall days `from`…`to` (inclusive), read in one snapshot.
    func satisfactionFacts(from: String, to: String) async throws -> SatisfactionFacts

    /// Active ratings of a staff member on hall days `from`…`to`, and how many of them are not bad.
    func staffRatingCounts(staffId: String, from: String, to: String) async throws -> StaffRatingCounts

    // MARK: Devices

    /// Keeps a device's latest heartbeat (replacing the one before).
    func recordHeartbeat(deviceId: String, at: Date, heartbeat: DeviceHeartbeat) async throws

    /// The latest heartbeat of every device that ever sent one, by device id.
    func lastHeartbeats() async throws -> [String: LastHeartbeat]
}

// MARK: - Values

/// The store's health, known without a round trip.
public struct StoreHealth: Sendable, Equatable {
    /// Why every write is refused now (SQLite: the disk is full; a server database: unreachable); nil when writes are taken.
    public var refusingWrites: String?
    /// A standing problem found at open (SQLite: `synchronous` is not FULL); nil when none.
    public var problemAtOpen: String?
    /// Writes refused because of `refusingWrites` since start.
    public var refusedWrites: Int

    public init(refusingWrites: String? = nil, problemAtOpen: String? = nil, refusedWrites: Int = 0) {
        self.refusingWrites = refusingWrites
        self.problemAtOpen = problemAtOpen
        self.refusedWrites = refusedWrites
    }

    /// What `/healthz` reports as the database's problem, nil when it is fine.
    public var problem: String? { refusingWrites ?? problemAtOpen }
}

/// A ticket as stored.
public struct StoredTicket: Sendable, Equatable {
    /// Issue order across the store (grows with every ticket issued; the queue's tie-breaker).
    public var serial: Int64
    public var id: String
    /// The hall day it was issued on (`yyyy-MM-dd` in the hall's time zone).
    public var hallDay: String
    /// The service it was issued for (its number's prefix and counter).
    public var issuedServiceId: String
    /// The service whose queue it is in now (differs after a transfer).
    public var serviceId: String
    /// Its place in the issued service's daily counter.
    public var seq: Int
    public var number: String
    /// The secret of the phone page.
    public var token: String
    public var kioskId: String
    public var idempotencyKey: String
    /// What the kiosk asked for, to tell a retry from a reused key.
    public var requestFingerprint: String
    public var priority: PriorityKind?
    /// 0 for priority lanes, 1 for the rest (`QueueRank`).
    public var rank: Int
    public var status: TicketStatus
    public var issuedAt: Date
    public var aheadAtIssue: Int
    public var estimateAtIssue: Int
    public var calledAt: Date?
    public var startedAt: Date?
    public var completedAt: Date?
    public var endedAt: Date?
    public var windowId: String?
    public var staffId: String?
    public var recallCount: Int
    public var transferCount: Int
    /// Its place in the queue when it was put back (过号重排, returned at sign-out): compared with the other waiting
    /// tickets' serials; nil: its serial (issue order).
    public var queueOrder: Double? = nil

    public init(serial: Int64, id: String, hallDay: String, issuedServiceId: String, serviceId: String, seq: Int, number: String,
                token: String, kioskId: String, idempotencyKey: String, requestFingerprint: String, priority: PriorityKind?,
                rank: Int, status: TicketStatus, issuedAt: Date, aheadAtIssue: Int, estimateAtIssue: Int,
                calledAt: Date? = nil, startedAt: Date? = nil, completedAt: Date? = nil, endedAt: Date? = nil,
                windowId: String? = nil, staffId: String? = nil, recallCount: Int = 0, transferCount: Int = 0) {
        self.serial = serial
        self.id = id
        self.hallDay = hallDay
        self.issuedServiceId = issuedServiceId
        self.serviceId = serviceId
        self.seq = seq
        self.number = number
        self.token = token
        self.kioskId = kioskId
        self.idempotencyKey = idempotencyKey
        self.requestFingerprint = requestFingerprint
        self.priority = priority
        self.rank = rank
        self.status = status
        self.issuedAt = issuedAt
        self.aheadAtIssue = aheadAtIssue
        self.estimateAtIssue = estimateAtIssue
        self.calledAt = calledAt
        self.startedAt = startedAt
        self.completedAt = completedAt
        self.endedAt = endedAt
        self.windowId = windowId
        self.staffId = staffId
        self.recallCount = recallCount
        self.transferCount = transferCount
    }
}

/// A ticket to issue: everything but its number and estimate, which `rules` decide inside the transaction.
public struct TicketIssue: Sendable {
    public var id: String
    public var token: String
    public var kioskId: String
    public var idempotencyKey: String
    public var requestFingerprint: String
    public var hallDay: String
    public var serviceId: String
    public var priority: PriorityKind?
    public var rank: Int
    public var issuedAt: Date
    /// The card holder's person key under the current identity key (`PersonKeyring.personKey`), stored on the ticket;
    /// nil for a ticket issued without an ID card.
    public var personKey: String? = nil
    /// The card holder's key under every key of the ring, current first: the issue transaction reads the person's
    /// pending ticket and today's count for the service with them (`IssueSnapshot.personPending`). Empty without a card.
    public var personKeys: [String] = []

    public init(id: String, token: String, kioskId: String, idempotencyKey: String, requestFingerprint: String, hallDay: String,
                serviceId: String, priority: PriorityKind?, rank: Int, issuedAt: Date) {
        self.id = id
        self.token = token
        self.kioskId = kioskId
        self.idempotencyKey = idempotencyKey
        self.requestFingerprint = requestFingerprint
        self.hallDay = hallDay
        self.serviceId = serviceId
        self.priority = priority
        self.rank = rank
        self.issuedAt = issuedAt
    }
}

/// What the issuing rules see, read inside the issuing transaction.
public struct IssueSnapshot: Sendable, Equatable {
    /// Tickets already issued today for the service (its daily counter).
    public var issuedToday: Int
    /// Whether staff paused the service (a pause whose `until` passed is over).
    public var paused: Bool
    /// Waiting tickets of the service on the ticket's hall day that a new ticket of its rank queues behind
    /// (rank ≤ its rank).
    public var waitingAhead: Int
    /// Windows with a staff member logged in at `issuedAt`: window id → staff id.
    public var openWindows: [String: String]
    /// The card holder's ticket still waiting or called for this service (`TicketIssue.personKeys`); nil without a card.
    public var personPending: StoredTicket? = nil
    /// Tickets the card holder got for this service on the ticket's hall day (0 without a card).
    public var personIssuedToday = 0

    public init(issuedToday: Int, paused: Bool, waitingAhead: Int, openWindows: [String: String]) {
        self.issuedToday = issuedToday
        self.paused = paused
        self.waitingAhead = waitingAhead
        self.openWindows = openWindows
    }
}

/// What the issuing rules decided.
public struct IssueDecision: Sendable, Equatable {
    /// The counter value (`firstNumber + issuedToday`).
    public var seq: Int
    /// The printed number (prefix + digits).
    public var number: String
    /// Estimated wait in minutes, shown on the ticket.
    public var estimateMinutes: Int

    public init(seq: Int, number: String, estimateMinutes: Int) {
        self.seq = seq
        self.number = number
        self.estimateMinutes = estimateMinutes
    }
}

/// The answer of `issueTicket`.
public enum IssueOutcome: Sendable {
    /// Issued now.
    case issued(StoredTicket)
    /// Issued before under the same kiosk and idempotency key.
    case existing(StoredTicket)
}

/// A staff action at a window.
public struct WindowMove: Sendable {
    public var windowId: String
    /// Who acts (`staffId` of the ticket where the move sets it).
    public var staffId: String
    public var at: Date
    /// Sees the window's current ticket (the newest called or serving one at the window; nil when none) before
    /// anything changes; throws when the move is not allowed.
    public var check: @Sendable (StoredTicket?) throws -> Void
    /// The event the move appends, made from the ticket after the move (except `transfer`: before it); its `id` is
    /// ignored and assigned by the store.
    public var event: @Sendable (StoredTicket) -> WindowEvent

    public init(windowId: String, staffId: String, at: Date, check: @escaping @Sendable (StoredTicket?) throws -> Void,
                event: @escaping @Sendable (StoredTicket) -> WindowEvent) {
        self.windowId = windowId
        self.staffId = staffId
        self.at = at
        self.check = check
        self.event = event
    }
}

/// The outcome of a window move.
public struct WindowMoveResult: Sendable {
    /// The ticket as the move left it.
    public var ticket: StoredTicket
    /// The appended event, with its id.
    public var event: WindowEvent

    public init(ticket: StoredTicket, event: WindowEvent) {
        self.ticket = ticket
        self.event = event
    }
}

/// Which ticket to read.
public enum TicketLookup: Sendable, Equatable {
    /// By the phone page's secret token.
    case token(String)
    /// By id.
    case id(String)
    /// The newest ticket with this number (exact, upper case) on hall days `from`…`to` (latest day first, then the
    /// latest issued).
    case number(String, from: String, to: String)
    /// The newest called or serving ticket at a window.
    case current(windowId: String)
}

/// A ticket and what its progress needs.
public struct TicketView: Sendable {
    public var ticket: StoredTicket
    /// For a waiting ticket: waiting tickets of its service and day called before it (lower rank, or same rank and
    /// earlier serial). 0 otherwise.
    public var waitingAhead: Int
    /// For a waiting ticket: windows open at the read's time (window id → staff id). Empty otherwise.
    public var openWindows: [String: String]
    /// For a completed ticket: whether it has an active (not `systemDefault`) rating.
    public var hasActiveRating: Bool
    /// For a completed ticket: whether it has a first rating (assessNumber 1).
    public var hasFirstRating: Bool

    public init(ticket: StoredTicket, waitingAhead: Int = 0, openWindows: [String: String] = [:], hasActiveRating: Bool = false,
                hasFirstRating: Bool = false) {
        self.ticket = ticket
        self.waitingAhead = waitingAhead
        self.openWindows = openWindows
        self.hasActiveRating = hasActiveRating
        self.hasFirstRating = hasFirstRating
    }
}

/// What `/api/v1/hall` is made from.
public struct HallSnapshot: Sendable, Equatable {
    /// Waiting tickets per service, summed over the open hall days.
    public var waiting: [String: Int]
    /// Tickets issued today per service (the daily counters of `today`).
    public var issuedToday: [String: Int]
    /// Services paused by staff now (a pause whose `until` passed is over: every instance reads it so at once).
    public var paused: Set<String>
    /// Windows with a staff member logged in: window id → staff id.
    public var openWindows: [String: String]
    /// The number called or served at each window on the open hall days (the latest called when several).
    public var currentNumbers: [String: String]
    /// Why paused services are paused and when they may reopen (services paused with a note).
    public var pauseNotes: [String: ServicePauseNote] = [:]
    /// Windows whose clerk is on a break: window id → reason.
    public var breaks: [String: String] = [:]

    public init(waiting: [String: Int] = [:], issuedToday: [String: Int] = [:], paused: Set<String> = [],
                openWindows: [String: String] = [:], currentNumbers: [String: String] = [:]) {
        self.waiting = waiting
        self.issuedToday = issuedToday
        self.paused = paused
        self.openWindows = openWindows
        self.currentNumbers = currentNumbers
    }
}

/// A window's idle state.
public struct WindowSnapshot: Sendable, Equatable {
    /// The staff member logged in now, if any.
    public var staffId: String?
    /// The number called or served at the window on the open hall days (the latest called).
    public var currentNumber: String?
    /// The window's newest event id (0: none).
    public var lastEventId: Int64
    /// The break reason when the clerk logged in is on a break (暂停服务).
    public var breakReason: String? = nil

    public init(staffId: String?, currentNumber: String?, lastEventId: Int64) {
        self.staffId = staffId
        self.currentNumber = currentNumber
        self.lastEventId = lastEventId
    }
}

/// A staff login to store.
public struct StaffLoginWrite: Sendable {
    /// SHA-256 (hex) of the staff token; the token itself is never stored.
    public var tokenHash: String
    public var staffId: String
    public var windowId: String
    public var at: Date
    public var expiresAt: Date

    public init(tokenHash: String, staffId: String, windowId: String, at: Date, expiresAt: Date) {
        self.tokenHash = tokenHash
        self.staffId = staffId
        self.windowId = windowId
        self.at = at
        self.expiresAt = expiresAt
    }
}

/// An open staff session.
public struct OpenStaffSession: Sendable, Equatable {
    public var staffId: String
    public var windowId: String

    public init(staffId: String, windowId: String) {
        self.staffId = staffId
        self.windowId = windowId
    }
}

/// Some of a window's events.
public struct WindowEventSlice: Sendable {
    /// Events after the asked id, oldest first.
    public var events: [WindowEvent]
    /// The window's newest event id (0: none).
    public var latestId: Int64
    /// Every event id up to this one may have been pruned (0: nothing pruned yet).
    public var prunedThrough: Int64

    public init(events: [WindowEvent], latestId: Int64, prunedThrough: Int64) {
        self.events = events
        self.latestId = latestId
        self.prunedThrough = prunedThrough
    }
}

/// A rating to store.
public struct RatingAttempt: Sendable {
    public var ratingId: String
    /// What was submitted, to tell a retry from a reused id.
    public var fingerprint: String
    /// The ticket rated; nil when the submission names none that can exist (the rules then see no ticket).
    public var ticket: TicketLookup?
    public var assessNumber: Int

    public init(ratingId: String, fingerprint: String, ticket: TicketLookup?, assessNumber: Int) {
        self.ratingId = ratingId
        self.fingerprint = fingerprint
        self.ticket = ticket
        self.assessNumber = assessNumber
    }
}

/// What the rating rules see, read inside the rating transaction.
public struct RatingFacts: Sendable {
    /// The ticket rated, nil when none matched.
    public var ticket: StoredTicket?
    /// The rating already stored for this ticket and assessNumber.
    public var existing: RatingRecord?
    /// For a follow-up (assessNumber 2): the level of the ticket's first rating, as stored.
    public var firstLevel: String?

    public init(ticket: StoredTicket?, existing: RatingRecord?, firstLevel: String?) {
        self.ticket = ticket
        self.existing = existing
        self.firstLevel = firstLevel
    }
}

/// A rating the rules accepted, to insert.
public struct RatingEntry: Sendable {
    /// The full record (answered to clients, shown in reports); its `receivedAt` is the time stored.
    public var record: RatingRecord
    /// The hall day of the ticket rated (reports group by it).
    public var hallDay: String

    public init(record: RatingRecord, hallDay: String) {
        self.record = record
        self.hallDay = hallDay
    }
}

/// The answer of `rate`.
public enum RatingOutcome: Sendable {
    /// Stored now.
    case stored(RatingRecord)
    /// Stored before under the same `ratingId`, with the fingerprint it was stored with.
    case existing(RatingRecord, fingerprint: String)
}

/// What the satisfaction report counts.
public struct SatisfactionFacts: Sendable {
    /// Completed services, counted by day, window, staff, service and whether they have an active rating.
    public var completed: [CompletedCount]
    /// Tickets never served: `expired`, or `waiting` (of a day the rules may find over), counted likewise.
    public var unserved: [UnservedCount]
    /// Every rating, newest received first.
    public var ratings: [RatingFact]

    public init(completed: [CompletedCount], unserved: [UnservedCount], ratings: [RatingFact]) {
        self.completed = completed
        self.unserved = unserved
        self.ratings = ratings
    }

    /// Where a ticket was served (nil fields: never at a window / no staff).
    public struct Place: Sendable, Hashable {
        public var hallDay: String
        public var windowId: String?
        public var staffId: String?
        public var serviceId: String

        public init(hallDay: String, windowId: String?, staffId: String?, serviceId: String) {
            self.hallDay = hallDay
            self.windowId = windowId
            self.staffId = staffId
            self.serviceId = serviceId
        }
    }

    /// Completed services at one place.
    public struct CompletedCount: Sendable, Equatable {
        public var place: Place
        public var rated: Bool
        public var count: Int

        public init(place: Place, rated: Bool, count: Int) {
            self.place = place
            self.rated = rated
            self.count = count
        }
    }

    /// Unserved tickets at one place.
    public struct UnservedCount: Sendable, Equatable {
        public var place: Place
        /// `expired` or `waiting`.
        public var status: TicketStatus
        public var count: Int

        public init(place: Place, status: TicketStatus, count: Int) {
            self.place = place
            self.status = status
            self.count = count
        }
    }

    /// One rating.
    public struct RatingFact: Sendable {
        public var place: Place
        /// As stored (`RatingLevel` raw value).
        public var level: String
        /// As stored (`RatingSource` raw value).
        public var source: String
        /// The full record for bad (`RatingLevel.isBad`) active ratings, which the report lists; nil for the others.
        public var record: RatingRecord?

        public init(place: Place, level: String, source: String, record: RatingRecord?) {
            self.place = place
            self.level = level
            self.source = source
            self.record = record
        }
    }
}

/// A staff member's active ratings over some days.
public struct StaffRatingCounts: Sendable, Equatable {
    public var active: Int
    /// Active ratings that are not bad (not dissatisfied or very dissatisfied).
    public var good: Int

    public init(active: Int, good: Int) {
        self.active = active
        self.good = good
    }
}

/// A device's latest heartbeat.
public struct LastHeartbeat: Sendable {
    public var receivedAt: Date
    /// nil when what is stored cannot be read as a heartbeat (an older format).
    public var heartbeat: DeviceHeartbeat?

    public init(receivedAt: Date, heartbeat: DeviceHeartbeat?) {
        self.receivedAt = receivedAt
        self.heartbeat = heartbeat
    }
}
