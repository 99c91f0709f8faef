import Foundation
import HallAPI
import PostgresNIO

extension PostgresHallStore {
    public func issueTicket(_ issue: TicketIssue, rules: @escaping @Sendable (IssueSnapshot) throws -> IssueDecision) async throws -> IssueOutcome {
        let hallId = self.hallId
        let byKey = TicketLookupByKey(kioskId: issue.kioskId, idempotencyKey: issue.idempotencyKey)
        return try await database.transaction("issue ticket") { tx in
            // A retry: answered before the counter's lock is taken, without the rules.
            if let existing = try await self.ticket(tx, byKey) { return .existing(existing) }
            let outcome = try await tx.unlessDuplicate("issue", constraint: "ticket_idempotency_key") { () -> IssueOutcome in
                // The day's counter row, locked until commit: issuing for this day and service is serialised here.
                let issued = try await self.incrementCounter(tx, day: issue.hallDay, serviceId: issue.serviceId) - 1
                // A twin request (same kiosk and key) that held the lock before us has committed its ticket by now:
                // give the number back and answer that ticket.
                if let twin = try await self.ticket(tx, byKey) {
                    try await tx.execute("""
                        UPDATE daily_counter SET issued = issued - 1
                        WHERE hall_id = \(hallId) AND hall_day = \(issue.hallDay) AND service_id = \(issue.serviceId)
                        """)
                    return .existing(twin)
                }
                let paused = try await tx.first("""
                    SELECT 1 FROM service_pause WHERE hall_id = \(hallId) AND service_id = \(issue.serviceId)
                    """) != nil
                let ahead = try await tx.first("""
                    SELECT COUNT(*) FROM ticket WHERE hall_id = \(hallId) AND hall_day = \(issue.hallDay) AND status = 'waiting'
                        AND service_id = \(issue.serviceId) AND rank <= \(issue.rank)
                    """)?.decode(Int.self) ?? 0
                let open = try await self.openWindows(tx, at: issue.issuedAt)
                let decision = try rules(IssueSnapshot(issuedToday: issued, paused: paused, waitingAhead: ahead, openWindows: open))
                guard let row = try await tx.first("""
                    INSERT INTO ticket (hall_id, id, hall_day, issued_service_id, service_id, seq, number, token, kiosk_id,
                        idempotency_key, request_fingerprint, priority, rank, status, issued_at, ahead_at_issue, estimate_at_issue)
                    VALUES (\(hallId), \(issue.id), \(issue.hallDay), \(issue.serviceId), \(issue.serviceId), \(decision.seq),
                        \(decision.number), \(issue.token), \(issue.kioskId), \(issue.idempotencyKey), \(issue.requestFingerprint),
                        \(issue.priority?.rawValue), \(issue.rank), 'waiting', \(issue.issuedAt), \(ahead), \(decision.estimateMinutes))
                    RETURNING serial
                    """) else { throw PostgresStoreError("ticket insert returned no serial") }
                return .issued(StoredTicket(
                    serial: try row.decode(Int64.self), id: issue.id, hallDay: issue.hallDay, issuedServiceId: issue.serviceId,
                    serviceId: issue.serviceId, seq: decision.seq, number: decision.number, token: issue.token, kioskId: issue.kioskId,
                    idempotencyKey: issue.idempotencyKey, requestFingerprint: issue.requestFingerprint, priority: issue.priority,
                    rank: issue.rank, status: .waiting, issuedAt: issue.issuedAt, aheadAtIssue: ahead,
                    estimateAtIssue: decision.estimateMinutes))
            }
            if let outcome { return outcome }
            // The same kiosk and key committed by a racing request (its insert held ours until it committed); the
            // savepoint gave our counter increment back.
            guard let existing = try await self.ticket(tx, byKey) else {
                throw PostgresStoreError("idempotency key refused as a duplicate but no ticket has it")
            }
            return .existing(existing)
        }
    }

    /// Adds one to the day's counter of a service and returns the new value, holding the row's lock until commit.
    /// The first ticket of the day makes the row (inside a savepoint: another instance may make it at the same time).
    func incrementCounter(_ tx: PostgresTransaction, day: String, serviceId: String) async throws -> Int {
        let hallId = self.hallId
        let update: PostgresQuery = """
            UPDATE daily_counter SET issued = issued + 1
            WHERE hall_id = \(hallId) AND hall_day = \(day) AND service_id = \(serviceId) RETURNING issued
            """
        if let row = try await tx.first(update) { return try row.decode(Int.self) }
        let made = try await tx.unlessDuplicate("counter_row") {
            try await tx.execute("INSERT INTO daily_counter (hall_id, hall_day, service_id, issued) VALUES (\(hallId), \(day), \(serviceId), 1)")
        }
        if made != nil { return 1 }
        guard let row = try await tx.first(update) else { throw PostgresStoreError("counter row of \(serviceId) on \(day) vanished") }
        return try row.decode(Int.self)
    }

    public func setServicePaused(_ paused: Bool, serviceId: String, at: Date, by actor: String) async throws {
        let hallId = self.hallId
        try await database.transaction(paused ? "pause service" : "resume service") { tx in
            if paused {
                // A second pause keeps the first one's time and actor.
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

    /// A ticket by kiosk and idempotency key.
    func ticket(_ tx: PostgresTransaction, _ key: TicketLookupByKey) async throws -> StoredTicket? {
        try await tx.first("""
            SELECT \(unescaped: Self.ticketColumns) FROM ticket
            WHERE hall_id = \(hallId) AND kiosk_id = \(key.kioskId) AND idempotency_key = \(key.idempotencyKey)
            """).map(Self.ticket)
    }
}

/// A ticket's kiosk and idempotency key.
struct TicketLookupByKey: Sendable {
    var kioskId: String
    var idempotencyKey: String
}
