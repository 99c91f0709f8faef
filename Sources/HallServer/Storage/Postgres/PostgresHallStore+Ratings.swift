import Foundation
import HallAPI
import PostgresNIO

extension PostgresHallStore {
    public func rate(_ attempt: RatingAttempt, rules: @escaping @Sendable (RatingFacts) throws -> RatingEntry) async throws -> RatingOutcome {
        let hallId = self.hallId
        return try await database.transaction("rate") { tx -> RatingOutcome in
            while true {
                // A retry (also one whose twin committed a moment ago): answered without the rules.
                if let same = try await self.storedRating(tx, id: attempt.ratingId) {
                    return .existing(same.record, fingerprint: same.fingerprint)
                }
                var ticket: StoredTicket? = nil
                if let lookup = attempt.ticket { ticket = try await self.ticket(tx, lookup) }
                var existing: RatingRecord? = nil
                var firstLevel: String? = nil
                if let t = ticket, let row = try await tx.first("""
                    SELECT record, request_fingerprint FROM rating
                    WHERE hall_id = \(hallId) AND ticket_id = \(t.id) AND assess_number = \(attempt.assessNumber)
                    """) {
                    let (json, fingerprint) = try row.decode((String, String).self)
                    let record = try Self.decodeRecord(json)
                    // Our own twin, committed between the lookup by id above and this read.
                    if record.ratingId == attempt.ratingId { return .existing(record, fingerprint: fingerprint) }
                    existing = record
                }
                if let t = ticket, attempt.assessNumber == 2 {
                    firstLevel = try await tx.first("""
                        SELECT level FROM rating WHERE hall_id = \(hallId) AND ticket_id = \(t.id) AND assess_number = 1
                        """)?.decode(String.self)
                }
                let entry = try rules(RatingFacts(ticket: ticket, existing: existing, firstLevel: firstLevel))
                let r = entry.record
                let json = String(decoding: try Self.encoder.encode(r), as: UTF8.self)
                let stored = try await tx.unlessDuplicate("rating") {
                    try await tx.execute("""
                        INSERT INTO rating (hall_id, rating_id, ticket_id, hall_day, assess_number, level, source, channel, window_id, staff_id,
                            service_id, request_fingerprint, record, received_at)
                        VALUES (\(hallId), \(r.ratingId), \(r.ticketId), \(entry.hallDay), \(r.assessNumber), \(r.level.rawValue),
                            \(r.source.rawValue), \(r.channel.rawValue), \(r.windowId), \(r.staffId), \(r.serviceId), \(attempt.fingerprint),
                            \(json), \(r.receivedAt))
                        """)
                }
                if stored != nil { return .stored(r) }
                // A racing request committed first: the same ratingId is answered with what it stored; the same ticket
                // and assessNumber under another id reads the facts again, and the rules refuse it (already rated).
            }
        }
    }

    public func rating(id: String) async throws -> RatingRecord? {
        try await database.read("rating") { tx in try await self.storedRating(tx, id: id)?.record }
    }

    private func storedRating(_ tx: PostgresTransaction, id: String) async throws -> (record: RatingRecord, fingerprint: String)? {
        guard let row = try await tx.first("""
            SELECT record, request_fingerprint FROM rating WHERE hall_id = \(hallId) AND rating_id = \(id)
            """) else { return nil }
        let (record, fingerprint) = try row.decode((String, String).self)
        return (try Self.decodeRecord(record), fingerprint)
    }

    static func decodeRecord(_ json: String) throws -> RatingRecord {
        try decoder.decode(RatingRecord.self, from: Data(json.utf8))
    }

    public func satisfactionFacts(from: String, to: String) async throws -> SatisfactionFacts {
        let hallId = self.hallId
        return try await database.read("satisfaction facts") { tx in
            var completed: [SatisfactionFacts.CompletedCount] = []
            for row in try await tx.rows("""
                SELECT t.hall_day, t.window_id, t.staff_id, t.service_id,
                       CASE WHEN EXISTS (SELECT 1 FROM rating r WHERE r.hall_id = t.hall_id AND r.ticket_id = t.id AND r.source = 'active')
                            THEN 1 ELSE 0 END AS rated,
                       COUNT(*)
                FROM ticket t WHERE t.hall_id = \(hallId) AND t.status = 'completed' AND t.hall_day BETWEEN \(from) AND \(to)
                GROUP BY 1, 2, 3, 4, 5
                """) {
                let (day, window, staff, service, rated, count) = try row.decode((String, String?, String?, String, Int, Int).self)
                completed.append(.init(place: .init(hallDay: day, windowId: window, staffId: staff, serviceId: service), rated: rated == 1,
                                       count: count))
            }
            var unserved: [SatisfactionFacts.UnservedCount] = []
            for row in try await tx.rows("""
                SELECT hall_day, window_id, staff_id, service_id, status, COUNT(*) FROM ticket
                WHERE hall_id = \(hallId) AND status IN ('expired', 'waiting') AND hall_day BETWEEN \(from) AND \(to)
                GROUP BY 1, 2, 3, 4, 5
                """) {
                let (day, window, staff, service, status, count) = try row.decode((String, String?, String?, String, String, Int).self)
                unserved.append(.init(place: .init(hallDay: day, windowId: window, staffId: staff, serviceId: service),
                                      status: TicketStatus(rawValue: status) ?? .expired, count: count))
            }
            var ratings: [SatisfactionFacts.RatingFact] = []
            for row in try await tx.rows("""
                SELECT hall_day, window_id, staff_id, service_id, level, source,
                       CASE WHEN source = 'active' AND level IN ('dissatisfied', 'veryDissatisfied') THEN record END
                FROM rating WHERE hall_id = \(hallId) AND hall_day BETWEEN \(from) AND \(to)
                ORDER BY received_at DESC, rating_id
                """) {
                let (day, window, staff, service, level, source, record) = try row.decode((String, String?, String?, String, String, String, String?).self)
                ratings.append(.init(place: .init(hallDay: day, windowId: window, staffId: staff, serviceId: service), level: level,
                                     source: source, record: record.flatMap { try? Self.decodeRecord($0) }))
            }
            return SatisfactionFacts(completed: completed, unserved: unserved, ratings: ratings)
        }
    }

    public func staffRatingCounts(staffId: String, from: String, to: String) async throws -> StaffRatingCounts {
        let hallId = self.hallId
        return try await database.read("staff rating counts") { tx in
            let row = try await tx.first("""
                SELECT COUNT(*), COALESCE(SUM(CASE WHEN level NOT IN ('dissatisfied', 'veryDissatisfied') THEN 1 ELSE 0 END), 0)
                FROM rating WHERE hall_id = \(hallId) AND staff_id = \(staffId) AND source = 'active' AND hall_day BETWEEN \(from) AND \(to)
                """)
            let (active, good) = try row?.decode((Int, Int).self) ?? (0, 0)
            return StaffRatingCounts(active: active, good: good)
        }
    }

    // MARK: Devices

    public func recordHeartbeat(deviceId: String, at: Date, heartbeat: DeviceHeartbeat) async throws {
        let hallId = self.hallId
        let payload = String(decoding: try Self.encoder.encode(heartbeat), as: UTF8.self)
        try await database.transaction("heartbeat") { tx in
            let update: PostgresQuery = """
                UPDATE device_health SET received_at = \(at), payload = \(payload) WHERE hall_id = \(hallId) AND device_id = \(deviceId)
                RETURNING device_id
                """
            if try await tx.first(update) != nil { return }
            let made = try await tx.unlessDuplicate("device_row") {
                try await tx.execute("""
                    INSERT INTO device_health (hall_id, device_id, received_at, payload) VALUES (\(hallId), \(deviceId), \(at), \(payload))
                    """)
            }
            if made == nil { _ = try await tx.first(update) }
        }
    }

    public func lastHeartbeats() async throws -> [String: LastHeartbeat] {
        let hallId = self.hallId
        return try await database.read("last heartbeats") { tx in
            var out: [String: LastHeartbeat] = [:]
            for row in try await tx.rows("SELECT device_id, received_at, payload FROM device_health WHERE hall_id = \(hallId)") {
                let (device, at, payload) = try row.decode((String, Date, String).self)
                out[device] = LastHeartbeat(receivedAt: at.wholeMilliseconds,
                                            heartbeat: try? Self.decoder.decode(DeviceHeartbeat.self, from: Data(payload.utf8)))
            }
            return out
        }
    }
}
