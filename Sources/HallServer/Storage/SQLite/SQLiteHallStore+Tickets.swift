import Foundation
import GRDB
import HallAPI

extension SQLiteHallStore {
    public func issueTicket(_ issue: TicketIssue, rules: @escaping @Sendable (IssueSnapshot) throws -> IssueDecision) async throws -> IssueOutcome {
        try await database.write { db in
            if let existing = try StoredTicket.fetch(db, where: "kioskId = ? AND idempotencyKey = ?", [issue.kioskId, issue.idempotencyKey]) {
                return .existing(existing)
            }
            return try Self.decideAndInsert(db, issue, rules)
        }
    }

    /// Reads the issue snapshot (with the card holder's tickets when `issue.personKeys` is not empty), lets `rules`
    /// decide, and inserts the ticket — inside the caller's write transaction.
    static func decideAndInsert(_ db: Database, _ issue: TicketIssue,
                                _ rules: @Sendable (IssueSnapshot) throws -> IssueDecision) throws -> IssueOutcome {
        let issued = try Int.fetchOne(db.cachedStatement(sql: "SELECT issued FROM dailyCounter WHERE hallDay = ? AND serviceId = ?"),
                                      arguments: [issue.hallDay, issue.serviceId]) ?? 0
        // A pause whose reopening time has passed is over (every instance reads it so, no one has to end it).
        let paused = try Bool.fetchOne(db.cachedStatement(sql: """
            SELECT EXISTS (SELECT 1 FROM servicePause WHERE serviceId = ? AND (until IS NULL OR until > ?))
            """), arguments: [issue.serviceId, issue.issuedAt]) ?? false
        let ahead = try QueueCounts.ahead(db, day: issue.hallDay, serviceId: issue.serviceId, rank: issue.rank)
        let open = try Self.openWindows(db, at: issue.issuedAt)
        var snapshot = IssueSnapshot(issuedToday: issued, paused: paused, waitingAhead: ahead, openWindows: open)
        if !issue.personKeys.isEmpty {
            // Read inside the write transaction (every write is serialised): two kiosks cannot both see "none".
            let person = try Self.personTickets(db, personKeys: issue.personKeys, hallDay: issue.hallDay)
            snapshot.personPending = person.pending.first { $0.issuedServiceId == issue.serviceId }
            snapshot.personIssuedToday = person.issuedToday[issue.serviceId] ?? 0
        }
        let decision = try rules(snapshot)
        return try Self.insertTicket(db, issue, decision, ahead: ahead)
    }

    /// Inserts a decided ticket as `waiting` and counts it (the day's counter, the waiting count of its rank).
    static func insertTicket(_ db: Database, _ issue: TicketIssue, _ decision: IssueDecision, ahead: Int) throws -> IssueOutcome {
        if let personKey = issue.personKey {
            try db.cachedStatement(sql: """
                INSERT INTO ticket (id, hallDay, issuedServiceId, serviceId, seq, number, token, kioskId, idempotencyKey,
                    requestFingerprint, priority, rank, status, issuedAt, aheadAtIssue, estimateAtIssue, personKey)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'waiting', ?, ?, ?, ?)
                """).execute(arguments: [issue.id, issue.hallDay, issue.serviceId, issue.serviceId, decision.seq, decision.number,
                                         issue.token, issue.kioskId, issue.idempotencyKey, issue.requestFingerprint,
                                         issue.priority?.rawValue, issue.rank, issue.issuedAt, ahead, decision.estimateMinutes,
                                         personKey])
        } else {
            try db.cachedStatement(sql: """
                INSERT INTO ticket (id, hallDay, issuedServiceId, serviceId, seq, number, token, kioskId, idempotencyKey,
                    requestFingerprint, priority, rank, status, issuedAt, aheadAtIssue, estimateAtIssue)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'waiting', ?, ?, ?)
                """).execute(arguments: [issue.id, issue.hallDay, issue.serviceId, issue.serviceId, decision.seq, decision.number,
                                         issue.token, issue.kioskId, issue.idempotencyKey, issue.requestFingerprint,
                                         issue.priority?.rawValue, issue.rank, issue.issuedAt, ahead, decision.estimateMinutes])
        }
        let serial = db.lastInsertedRowID
        try db.cachedStatement(sql: """
            INSERT INTO dailyCounter (hallDay, serviceId, issued) VALUES (?, ?, 1)
            ON CONFLICT (hallDay, serviceId) DO UPDATE SET issued = issued + 1
            """).execute(arguments: [issue.hallDay, issue.serviceId])
        try QueueCounts.add(db, day: issue.hallDay, serviceId: issue.serviceId, rank: issue.rank, 1)
        return .issued(StoredTicket(
            serial: serial, id: issue.id, hallDay: issue.hallDay, issuedServiceId: issue.serviceId, serviceId: issue.serviceId,
            seq: decision.seq, number: decision.number, token: issue.token, kioskId: issue.kioskId,
            idempotencyKey: issue.idempotencyKey, requestFingerprint: issue.requestFingerprint, priority: issue.priority,
            rank: issue.rank, status: .waiting, issuedAt: issue.issuedAt, aheadAtIssue: ahead,
            estimateAtIssue: decision.estimateMinutes))
    }

    public func setServicePaused(_ paused: Bool, serviceId: String, at: Date, by actor: String) async throws {
        try await database.write { db in
            if paused {
                // A second pause keeps the first one's time, actor and note, unless that pause is over (its reopening passed).
                try db.execute(sql: """
                    INSERT INTO servicePause (serviceId, pausedAt, pausedBy) VALUES (?, ?, ?)
                    ON CONFLICT (serviceId) DO UPDATE SET pausedAt = excluded.pausedAt, pausedBy = excluded.pausedBy, reason = NULL, until = NULL
                    WHERE until IS NOT NULL AND until <= excluded.pausedAt
                    """, arguments: [serviceId, at, actor])
            } else {
                try db.execute(sql: "DELETE FROM servicePause WHERE serviceId = ?", arguments: [serviceId])
            }
        }
    }

    public func hallDaysWithWaitingTickets() async throws -> [String] {
        try await database.read { db in
            try String.fetchAll(db, sql: "SELECT hallDay FROM queueCount GROUP BY hallDay HAVING SUM(waiting) > 0 ORDER BY hallDay")
        }
    }

    public func expireWaitingTickets(hallDay: String, at: Date) async throws -> [String: Int] {
        try await database.write { db in
            var counts: [String: Int] = [:]
            for row in try Row.fetchAll(db, sql: """
                SELECT serviceId, COUNT(*) FROM ticket WHERE hallDay = ? AND status = 'waiting' GROUP BY serviceId
                """, arguments: [hallDay]) {
                counts[row[0]] = row[1]
            }
            try db.execute(sql: "UPDATE ticket SET status = 'expired', endedAt = ? WHERE hallDay = ? AND status = 'waiting'",
                           arguments: [at, hallDay])
            try db.execute(sql: "DELETE FROM queueCount WHERE hallDay = ?", arguments: [hallDay])
            return counts
        }
    }

    public func ticketView(_ lookup: TicketLookup, at: Date) async throws -> TicketView? {
        try await database.read { db in
            guard let ticket = try StoredTicket.find(db, lookup) else { return nil }
            var view = TicketView(ticket: ticket)
            if ticket.status == .waiting {
                view.waitingAhead = try ticket.waitingAhead(db)
                view.openWindows = try Self.openWindows(db, at: at)
            }
            if ticket.status == .completed {
                view.hasActiveRating = try Bool.fetchOne(db, sql: "SELECT EXISTS (SELECT 1 FROM rating WHERE ticketId = ? AND source = 'active')",
                                                         arguments: [ticket.id]) ?? false
                view.hasFirstRating = try Bool.fetchOne(db, sql: "SELECT EXISTS (SELECT 1 FROM rating WHERE ticketId = ? AND assessNumber = 1)",
                                                        arguments: [ticket.id]) ?? false
            }
            return view
        }
    }

    public func waitingCount(hallDays: [String], serviceIds: [String]) async throws -> Int {
        try await database.read { db in
            var args = StatementArguments(hallDays)
            args += StatementArguments(serviceIds)
            return try Int.fetchOne(db, sql: """
                SELECT COUNT(*) FROM ticket WHERE hallDay IN (\(Self.placeholders(hallDays.count))) AND status = 'waiting'
                    AND serviceId IN (\(Self.placeholders(serviceIds.count)))
                """, arguments: args) ?? 0
        }
    }

    public func hallSnapshot(hallDays: [String], today: String, at: Date) async throws -> HallSnapshot {
        try await database.read { db in
            var snapshot = HallSnapshot()
            for day in hallDays {
                snapshot.waiting.merge(try QueueCounts.waiting(db, day: day), uniquingKeysWith: +)
            }
            for row in try Row.fetchAll(db, sql: "SELECT serviceId, issued FROM dailyCounter WHERE hallDay = ?", arguments: [today]) {
                snapshot.issuedToday[row["serviceId"]] = row["issued"]
            }
            // Pauses whose reopening time has passed are over.
            for row in try Row.fetchAll(db, sql: "SELECT serviceId, reason, until FROM servicePause WHERE until IS NULL OR until > ?",
                                        arguments: [at]) {
                snapshot.paused.insert(row[0])
                let note = ServicePauseNote(reason: row[1], until: row[2])
                if note.reason != nil || note.until != nil { snapshot.pauseNotes[row[0]] = note }
            }
            snapshot.openWindows = try Self.openWindows(db, at: at)
            for row in try Row.fetchAll(db, sql: """
                SELECT windowId, breakReason FROM staffSession WHERE endedAt IS NULL AND expiresAt > ? AND breakReason IS NOT NULL
                """, arguments: [at]) {
                snapshot.breaks[row[0]] = row[1]
            }
            for row in try Row.fetchAll(db, sql: """
                SELECT windowId, number FROM ticket
                WHERE hallDay IN (\(Self.placeholders(hallDays.count))) AND status IN ('called', 'serving') AND windowId IS NOT NULL
                ORDER BY calledAt
                """, arguments: StatementArguments(hallDays)) {
                snapshot.currentNumbers[row["windowId"]] = row["number"]
            }
            return snapshot
        }
    }

    public func windowSnapshot(windowId: String, hallDays: [String], at: Date) async throws -> WindowSnapshot {
        try await database.read { db in
            let staffId = try Self.openWindows(db, at: at)[windowId]
            let current = try String.fetchOne(db, sql: """
                SELECT number FROM ticket WHERE hallDay IN (\(Self.placeholders(hallDays.count))) AND windowId = ?
                    AND status IN ('called', 'serving')
                ORDER BY calledAt DESC LIMIT 1
                """, arguments: StatementArguments(hallDays) + [windowId])
            var snapshot = WindowSnapshot(staffId: staffId, currentNumber: current, lastEventId: try WindowEventStore.latestId(db, windowId: windowId))
            snapshot.breakReason = try String.fetchOne(db, sql: """
                SELECT breakReason FROM staffSession WHERE windowId = ? AND endedAt IS NULL AND expiresAt > ? AND breakReason IS NOT NULL
                """, arguments: [windowId, at])
            return snapshot
        }
    }
}

/// Waiting counts per hall day, service and rank, kept in the same transactions that move tickets
/// in and out of `waiting` (so "people ahead" costs one lookup, not a scan of the queue).
enum QueueCounts {
    static func add(_ db: Database, day: String, serviceId: String, rank: Int, _ delta: Int) throws {
        try db.cachedStatement(sql: """
            INSERT INTO queueCount (hallDay, serviceId, rank, waiting) VALUES (?, ?, ?, ?)
            ON CONFLICT (hallDay, serviceId, rank) DO UPDATE SET waiting = waiting + excluded.waiting
            """).execute(arguments: [day, serviceId, rank, delta])
    }

    /// Waiting tickets of a service with rank ≤ `rank` (i.e. called before a new ticket of that rank).
    static func ahead(_ db: Database, day: String, serviceId: String, rank: Int) throws -> Int {
        try Int.fetchOne(db.cachedStatement(sql: """
            SELECT COALESCE(SUM(waiting), 0) FROM queueCount WHERE hallDay = ? AND serviceId = ? AND rank <= ?
            """), arguments: [day, serviceId, rank]) ?? 0
    }

    /// Waiting tickets per service on a day.
    static func waiting(_ db: Database, day: String) throws -> [String: Int] {
        var out: [String: Int] = [:]
        for row in try Row.fetchAll(db.cachedStatement(sql: """
            SELECT serviceId, SUM(waiting) FROM queueCount WHERE hallDay = ? GROUP BY serviceId
            """), arguments: [day]) {
            out[row[0]] = row[1]
        }
        return out
    }
}
