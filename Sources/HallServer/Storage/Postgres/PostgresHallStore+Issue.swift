import Foundation
import HallAPI
import PostgresNIO

extension PostgresHallStore {
    /// Issues in the next batch of the ticket's hall day and service (`PostgresIssueBatcher`, `PostgresIssueBatch`).
    public func issueTicket(_ issue: TicketIssue, rules: @escaping @Sendable (IssueSnapshot) throws -> IssueDecision) async throws -> IssueOutcome {
        try await issuing.issue(IssueBatchMember(issue: issue, rules: rules))
    }

    /// Issues one batch: in one transaction with one insert for all, every member taken as a new request. When the
    /// database refuses that insert (a kiosk's retry of a committed request, a twin committed on another instance a
    /// moment ago, a refused row), the batch runs again with its committed tickets looked up first; if the insert is
    /// refused again, one ticket at a time, each in its own savepoint, so the refused one fails alone.
    static func issueBatch(_ members: [IssueBatchMember], database: PostgresDatabase, hallId: String) async throws -> [Result<IssueOutcome, any Error>] {
        let batch = PostgresIssueBatch(hallId: hallId, members: members)
        do {
            return try await database.transaction("issue tickets") { tx in try await batch.issue(tx, .allNew) }
        } catch is IssueBatchInsertRefused {
            do {
                return try await database.transaction("issue tickets, retries looked up") { tx in try await batch.issue(tx, .lookUpRetries) }
            } catch is IssueBatchInsertRefused {
                return try await database.transaction("issue tickets one by one") { tx in try await batch.issue(tx, .oneByOne) }
            }
        }
    }

    /// Adds one to the day's counter of a service and returns the new value, holding the row's lock until commit.
    func incrementCounter(_ tx: PostgresTransaction, day: String, serviceId: String) async throws -> Int {
        try await PostgresIssueBatch.incrementCounter(tx, hallId: hallId, day: day, serviceId: serviceId, by: 1)
    }

    public func setServicePaused(_ paused: Bool, serviceId: String, at: Date, by actor: String) async throws {
        let hallId = self.hallId
        try await database.transaction(paused ? "pause service" : "resume service") { tx in
            if paused {
                // A second pause keeps the first one's time, actor and note, unless that pause is over (its reopening passed).
                try await tx.execute("""
                    DELETE FROM service_pause WHERE hall_id = \(hallId) AND service_id = \(serviceId) AND until_at <= \(at)
                    """)
                _ = try await tx.unlessDuplicate("pause") {
                    try await tx.execute("""
                        INSERT INTO service_pause (hall_id, service_id, paused_at, paused_by) VALUES (\(hallId), \(serviceId), \(at), \(actor))
                        """)
                }
            } else {
                try await tx.execute("DELETE FROM service_pause WHERE hall_id = \(hallId) AND service_id = \(serviceId)")
            }
        }
    }
}

/// The multi-row insert of a batch was refused: the batch runs again more carefully (`IssueBatchMode`).
struct IssueBatchInsertRefused: Error {}

/// How carefully a batch is issued: each mode is the fallback of the one before when the database refuses the insert.
enum IssueBatchMode: Sendable {
    /// Every member is a new request (the common case): no look-up, one insert. A member whose kiosk and key already
    /// have a ticket makes the insert fail (`ticket_idempotency_key`), and the batch runs again as `lookUpRetries`.
    case allNew
    /// Members whose kiosk and key have a committed ticket are answered with it; one insert for the rest.
    case lookUpRetries
    /// As `lookUpRetries`, then each insert in its own savepoint: a refused row fails only its member.
    case oneByOne
}

/// The issue requests of one hall day and service, issued in one transaction (READ COMMITTED), in five statements
/// between BEGIN and COMMIT in the common case:
///
/// 1. (`lookUpRetries`, `oneByOne` only) Retries (kiosk + key already has a ticket) are answered with it, without the
///    rules, before any lock. In `allNew` a retry makes the insert fail instead, and the batch runs again this way.
/// 2. The open windows and the service's pause are read (one statement).
/// 3. The day's counter row is locked and advanced by the number of new requests (`UPDATE … RETURNING`): issuing for
///    this day and service is serialised here, across instances too, until commit.
/// 4. The service's waiting counts (`queue_count`, ranks up to the batch's highest) are locked and raised by the new
///    requests' ranks (`UPDATE … RETURNING`, `PostgresQueueCounts`); each member's rules then see what they would
///    have seen issued one after the other: the counter and the queue include the members before it. A member the
///    rules refuse uses up no number.
/// 5. One insert for every accepted member (or, one by one, each in its own savepoint); the counter and the waiting
///    counts give back what members that got no ticket had taken (a statement each, only then); one commit.
///
/// Numbers stay gap-free and unique (`ticket_number_key` behind them): they are counted in Swift from the locked
/// counter's value and written in the same transaction.
struct PostgresIssueBatch: Sendable {
    let hallId: String
    let members: [IssueBatchMember]

    private var day: String { members[0].issue.hallDay }
    private var serviceId: String { members[0].issue.serviceId }

    /// One answer per member, in order. `oneByOne`: each insert in its own savepoint, so one refused row fails only
    /// its member (and a duplicate key answers the committed ticket); else one insert for all, which throws
    /// `IssueBatchInsertRefused` when the database refuses it.
    func issue(_ tx: PostgresTransaction, _ mode: IssueBatchMode) async throws -> [Result<IssueOutcome, any Error>] {
        var results = [Result<IssueOutcome, any Error>?](repeating: nil, count: members.count)
        var fresh = Array(members.indices)
        if mode != .allNew {
            let committed = try await ticketsByKey(tx, members.map(\.key))
            fresh = []
            for (i, member) in members.enumerated() {
                if let ticket = committed[member.key] { results[i] = .success(.existing(ticket)) } else { fresh.append(i) }
            }
            if fresh.isEmpty { return results.map { $0! } }
        }

        let (sessions, paused) = try await sessionsAndPause(tx, from: fresh.map { members[$0].issue.issuedAt }.min()!)
        // The day's counter row, locked until commit.
        let counted = try await Self.incrementCounter(tx, hallId: hallId, day: day, serviceId: serviceId, by: fresh.count)
        // The waiting counts up to the batch's highest rank, locked until commit and raised by every new request.
        var raised: [Int: Int] = [:]
        for i in fresh { raised[members[i].issue.rank, default: 0] += 1 }
        let after = try await PostgresQueueCounts.add(tx, hallId: hallId, day: day, serviceId: serviceId, raised,
                                                      through: raised.keys.max()!, written: false)
        var waitingBefore: [Int: Int] = [:]
        for (rank, count) in after { waitingBefore[rank] = count - raised[rank, default: 0] }
        var issuing = IssueDay(issuedToday: counted - fresh.count, paused: paused, waitingByRank: waitingBefore, sessions: sessions)
        if fresh.contains(where: { !members[$0].issue.personKeys.isEmpty }) {
            // Read after the counter row's lock: issuing for this day and service is serialised, so the card holder's
            // pending ticket and today's count are what every later request will see too (READ COMMITTED).
            issuing.persons = try await personFacts(tx, fresh.flatMap { members[$0].issue.personKeys })
        }
        if mode == .oneByOne {
            for i in fresh { results[i] = try await insertAlone(tx, members[i], day: &issuing) }
        } else {
            var accepted: [(index: Int, decision: IssueDecision, ahead: Int)] = []
            var refused: [Int] = []
            for i in fresh {
                do {
                    let (decision, ahead) = try issuing.decide(members[i])
                    issuing.accept(members[i], ticket: ticket(members[i].issue, decision, ahead: ahead, serial: 0))
                    accepted.append((i, decision, ahead))
                } catch {
                    results[i] = .failure(error)
                    refused.append(i)
                }
            }
            if mode == .allNew, !refused.isEmpty {
                // A retry is answered with its ticket even when the rules would refuse a new request now (paused, quota).
                let committed = try await ticketsByKey(tx, refused.map { members[$0].key })
                for i in refused { if let ticket = committed[members[i].key] { results[i] = .success(.existing(ticket)) } }
            }
            let serials = try await insertAll(tx, accepted)
            for (a, serial) in zip(accepted, serials) {
                results[a.index] = .success(.issued(ticket(members[a.index].issue, a.decision, ahead: a.ahead, serial: serial)))
            }
        }
        // Numbers not used (refused by the rules, answered with a twin's ticket) go back to the counter, and their
        // places to the waiting counts.
        let unused = counted - issuing.issuedToday
        if unused > 0 {
            try await tx.execute("""
                UPDATE daily_counter SET issued = issued - \(unused)
                WHERE hall_id = \(hallId) AND hall_day = \(day) AND service_id = \(serviceId)
                """)
            var giveBack: [Int: Int] = [:]
            for (rank, count) in raised {
                let issued = issuing.waitingByRank[rank, default: 0] - waitingBefore[rank, default: 0]
                if issued < count { giveBack[rank] = issued - count }
            }
            _ = try await PostgresQueueCounts.add(tx, hallId: hallId, day: day, serviceId: serviceId, giveBack, written: true)
        }
        return results.map { $0! }
    }

    /// Adds `n` to the day's counter of a service and returns the new value, holding the row's lock until commit.
    /// The first tickets of the day make the row (inside a savepoint: another instance may make it at the same time).
    static func incrementCounter(_ tx: PostgresTransaction, hallId: String, day: String, serviceId: String, by n: Int) async throws -> Int {
        let update: PostgresQuery = """
            UPDATE daily_counter SET issued = issued + \(n)
            WHERE hall_id = \(hallId) AND hall_day = \(day) AND service_id = \(serviceId) RETURNING issued
            """
        if let row = try await tx.first(update) { return try row.decode(Int.self) }
        let made = try await tx.unlessDuplicate("counter_row") {
            try await tx.execute("INSERT INTO daily_counter (hall_id, hall_day, service_id, issued) VALUES (\(hallId), \(day), \(serviceId), \(n))")
        }
        if made != nil { return n }
        guard let row = try await tx.first(update) else { throw PostgresStoreError("counter row of \(serviceId) on \(day) vanished") }
        return try row.decode(Int.self)
    }

    // MARK: Reads

    /// The committed tickets of these kiosks and keys.
    private func ticketsByKey(_ tx: PostgresTransaction, _ keys: [IssueKey]) async throws -> [IssueKey: StoredTicket] {
        let kiosks = Array(Set(keys.map(\.kioskId)))
        let idempotencyKeys = Array(Set(keys.map(\.idempotencyKey)))
        let wanted = Set(keys)
        var out: [IssueKey: StoredTicket] = [:]
        for row in try await tx.rows("""
            SELECT \(unescaped: PostgresHallStore.ticketColumns) FROM ticket
            WHERE hall_id = \(hallId) AND kiosk_id = ANY(\(kiosks)) AND idempotency_key = ANY(\(idempotencyKeys))
            """) {
            let ticket = try PostgresHallStore.ticket(row)
            let key = IssueKey(kioskId: ticket.kioskId, idempotencyKey: ticket.idempotencyKey)
            if wanted.contains(key) { out[key] = ticket }
        }
        return out
    }

    /// The ticket of one kiosk and key, nil when none is committed.
    private func ticket(_ tx: PostgresTransaction, _ key: IssueKey) async throws -> StoredTicket? {
        try await tx.first("""
            SELECT \(unescaped: PostgresHallStore.ticketColumns) FROM ticket
            WHERE hall_id = \(hallId) AND kiosk_id = \(key.kioskId) AND idempotency_key = \(key.idempotencyKey)
            """).map(PostgresHallStore.ticket)
    }

    /// Staff sessions open at `from` (the earliest issue time of the batch), oldest first, with when each ends; and
    /// whether the service is paused (a row of NULLs after the sessions) — one statement.
    private func sessionsAndPause(_ tx: PostgresTransaction, from: Date) async throws -> (sessions: [IssueDay.Session], paused: Bool) {
        var sessions: [IssueDay.Session] = []
        var paused = false
        for row in try await tx.rows("""
            SELECT window_id, staff_id, expires_at, created_at FROM staff_session
            WHERE hall_id = \(hallId) AND ended_at IS NULL AND expires_at > \(from)
            UNION ALL
            SELECT NULL, NULL, NULL, NULL FROM service_pause
            WHERE hall_id = \(hallId) AND service_id = \(serviceId) AND (until_at IS NULL OR until_at > \(from))
            ORDER BY 4
            """) {
            let (window, staff, expires, _) = try row.decode((String?, String?, Date?, Date?).self)
            if let window, let staff, let expires {
                sessions.append(IssueDay.Session(windowId: window, staffId: staff, expiresAt: expires))
            } else {
                paused = true
            }
        }
        return (sessions, paused)
    }

    /// The pending tickets (waiting or called) of these person keys for the batch's service, and their tickets of the
    /// service on the batch's day, counted per key — one statement.
    private func personFacts(_ tx: PostgresTransaction, _ personKeys: [String]) async throws -> IssueDay.Persons {
        var persons = IssueDay.Persons()
        for row in try await tx.rows("""
            SELECT \(unescaped: PostgresHallStore.ticketColumns), person_key FROM ticket
            WHERE hall_id = \(hallId) AND person_key = ANY(\(Array(Set(personKeys)))) AND issued_service_id = \(serviceId)
                AND (status IN ('waiting', 'called') OR hall_day = \(day))
            """) {
            let ticket = try PostgresHallStore.ticket(row)
            let key = try row.makeRandomAccess()[26].decode(String.self)
            if ticket.status == .waiting || ticket.status == .called { persons.pending[key] = ticket }
            if ticket.hallDay == day { persons.issuedToday[key, default: 0] += 1 }
        }
        return persons
    }

    // MARK: Writes

    /// One insert for every accepted member; their serials, in the same order. Throws `IssueBatchInsertRefused`
    /// when the database refuses the statement (the transaction is then unusable: it rolls back and runs one by one).
    private func insertAll(_ tx: PostgresTransaction, _ accepted: [(index: Int, decision: IssueDecision, ahead: Int)]) async throws -> [Int64] {
        guard !accepted.isEmpty else { return [] }
        var binds = PostgresBindings(capacity: 3 + accepted.count * 13)
        binds.append(hallId)
        binds.append(day)
        binds.append(serviceId)
        var rows: [String] = []
        rows.reserveCapacity(accepted.count)
        for a in accepted {
            let issue = members[a.index].issue
            let first = binds.count + 1
            binds.append(issue.id)
            binds.append(a.decision.seq)
            binds.append(a.decision.number)
            binds.append(issue.token)
            binds.append(issue.kioskId)
            binds.append(issue.idempotencyKey)
            binds.append(issue.requestFingerprint)
            binds.append(issue.priority?.rawValue)
            binds.append(issue.rank)
            binds.append(issue.issuedAt)
            binds.append(a.ahead)
            binds.append(a.decision.estimateMinutes)
            binds.append(issue.personKey)
            let p = (first..<first + 13).map { "$\($0)" }
            rows.append("($1, \(p[0]), $2, $3, $3, \(p[1]), \(p[2]), \(p[3]), \(p[4]), \(p[5]), \(p[6]), \(p[7]), \(p[8]), 'waiting', \(p[9]), \(p[10]), \(p[11]), \(p[12]))")
        }
        let query = PostgresQuery(unsafeSQL: """
            INSERT INTO ticket (hall_id, id, hall_day, issued_service_id, service_id, seq, number, token, kiosk_id,
                idempotency_key, request_fingerprint, priority, rank, status, issued_at, ahead_at_issue, estimate_at_issue, person_key)
            VALUES \(rows.joined(separator: ", "))
            RETURNING id, serial
            """, binds: binds)
        let returned: [PostgresRow]
        do {
            returned = try await tx.rows(query)
        } catch {
            switch PostgresProblem(error) {
            case .uniqueViolation, .other: throw IssueBatchInsertRefused()
            default: throw error
            }
        }
        var serialById: [String: Int64] = [:]
        for row in returned {
            let (id, serial) = try row.decode((String, Int64).self)
            serialById[id] = serial
        }
        return try accepted.map { a in
            guard let serial = serialById[members[a.index].issue.id] else { throw PostgresStoreError("ticket insert returned no serial") }
            return serial
        }
    }

    /// Decides and inserts one member inside its own savepoint: refused by the rules → its error, no number used;
    /// its key committed meanwhile by a twin (23505 on `ticket_idempotency_key`) → that ticket; another refused row
    /// → its error; the rest of the batch carries on either way.
    private func insertAlone(_ tx: PostgresTransaction, _ member: IssueBatchMember, day: inout IssueDay) async throws -> Result<IssueOutcome, any Error> {
        let decided: (decision: IssueDecision, ahead: Int)
        do {
            decided = try day.decide(member)
        } catch {
            return .failure(error)
        }
        let issue = member.issue
        let (decision, ahead) = decided
        let inserted = try await tx.inSavepoint("issue") { () -> Int64 in
            guard let row = try await tx.first("""
                INSERT INTO ticket (hall_id, id, hall_day, issued_service_id, service_id, seq, number, token, kiosk_id,
                    idempotency_key, request_fingerprint, priority, rank, status, issued_at, ahead_at_issue, estimate_at_issue, person_key)
                VALUES (\(hallId), \(issue.id), \(issue.hallDay), \(issue.serviceId), \(issue.serviceId), \(decision.seq),
                    \(decision.number), \(issue.token), \(issue.kioskId), \(issue.idempotencyKey), \(issue.requestFingerprint),
                    \(issue.priority?.rawValue), \(issue.rank), 'waiting', \(issue.issuedAt), \(ahead), \(decision.estimateMinutes),
                    \(issue.personKey))
                RETURNING serial
                """) else { throw PostgresStoreError("ticket insert returned no serial") }
            return try row.decode(Int64.self)
        }
        switch inserted {
        case .success(let serial):
            let issued = ticket(issue, decision, ahead: ahead, serial: serial)
            day.accept(member, ticket: issued)
            return .success(.issued(issued))
        case .failure(let refusal):
            switch PostgresProblem(refusal) {
            case .uniqueViolation(constraint: "ticket_idempotency_key"?):
                // The same kiosk and key, committed by a racing request (for another service, or on another instance).
                guard let existing = try await ticket(tx, member.key) else {
                    return .failure(PostgresStoreError("idempotency key refused as a duplicate but no ticket has it"))
                }
                return .success(.existing(existing))
            case .uniqueViolation(constraint: "ticket_person_pending"?):
                // The card holder's pending ticket, committed by another hall day's issue a moment ago.
                if let pending = try await personFacts(tx, issue.personKeys).pending[issue.personKey ?? ""] {
                    return .failure(PersonHasPendingTicket(ticket: pending))
                }
                return .failure(PostgresStoreError("issue ticket: the card holder's pending ticket was refused as a duplicate but not found"))
            case .uniqueViolation(let constraint):
                return .failure(PostgresStoreError("issue ticket: unique constraint \(constraint ?? "?") refused ticket \(decision.number)"))
            case let problem:
                return .failure(PostgresStoreError("issue ticket: the database refused ticket \(decision.number): \(problem)"))
            }
        }
    }

    private func ticket(_ issue: TicketIssue, _ decision: IssueDecision, ahead: Int, serial: Int64) -> StoredTicket {
        StoredTicket(
            serial: serial, id: issue.id, hallDay: issue.hallDay, issuedServiceId: issue.serviceId, serviceId: issue.serviceId,
            seq: decision.seq, number: decision.number, token: issue.token, kioskId: issue.kioskId,
            idempotencyKey: issue.idempotencyKey, requestFingerprint: issue.requestFingerprint, priority: issue.priority,
            rank: issue.rank, status: .waiting, issuedAt: issue.issuedAt, aheadAtIssue: ahead, estimateAtIssue: decision.estimateMinutes)
    }
}

/// What a batch's members see of their day and service, advanced member by member as each is accepted: the
/// snapshot each member's rules get is the one it would have got issued alone after the members before it.
struct IssueDay {
    struct Session {
        var windowId: String
        var staffId: String
        var expiresAt: Date
    }

    /// The counter: tickets issued today before the next member.
    private(set) var issuedToday: Int
    let paused: Bool
    /// Waiting tickets by rank, the accepted members included.
    private(set) var waitingByRank: [Int: Int]
    /// Open staff sessions, oldest first.
    let sessions: [Session]

    /// The card holders' tickets for the batch's service, by person key (empty when no member has a card).
    struct Persons {
        /// Waiting or called tickets, the accepted members' included.
        var pending: [String: StoredTicket] = [:]
        /// Tickets on the batch's day, the accepted members' included.
        var issuedToday: [String: Int] = [:]
    }
    var persons = Persons()

    init(issuedToday: Int, paused: Bool, waitingByRank: [Int: Int], sessions: [Session]) {
        self.issuedToday = issuedToday
        self.paused = paused
        self.waitingByRank = waitingByRank
        self.sessions = sessions
    }

    /// The member's snapshot and its rules' decision (throws what the rules throw), with the waiting count ahead.
    func decide(_ member: IssueBatchMember) throws -> (IssueDecision, ahead: Int) {
        let issue = member.issue
        let ahead = waitingByRank.reduce(0) { $0 + ($1.key <= issue.rank ? $1.value : 0) }
        var open: [String: String] = [:]
        for session in sessions where session.expiresAt.wholeMilliseconds > issue.issuedAt.wholeMilliseconds {
            open[session.windowId] = session.staffId
        }
        var snapshot = IssueSnapshot(issuedToday: issuedToday, paused: paused, waitingAhead: ahead, openWindows: open)
        if !issue.personKeys.isEmpty {
            snapshot.personPending = issue.personKeys.lazy.compactMap { persons.pending[$0] }.first
            snapshot.personIssuedToday = issue.personKeys.reduce(0) { $0 + persons.issuedToday[$1, default: 0] }
        }
        let decision = try member.rules(snapshot)
        return (decision, ahead)
    }

    /// The member got its number: the next one counts it and queues behind it when its rank is not lower.
    /// A card holder's member makes `ticket` their pending ticket for the members after it.
    mutating func accept(_ member: IssueBatchMember, ticket: @autoclosure () -> StoredTicket) {
        issuedToday += 1
        waitingByRank[member.issue.rank, default: 0] += 1
        if let personKey = member.issue.personKey {
            persons.pending[personKey] = ticket()
            persons.issuedToday[personKey, default: 0] += 1
        }
    }
}
