import Foundation
import GRDB
import HallAPI

extension SQLiteHallStore {
    public func rate(_ attempt: RatingAttempt, rules: @escaping @Sendable (RatingFacts) throws -> RatingEntry) async throws -> RatingOutcome {
        try await database.write { db in
            if let existing = try Row.fetchOne(db, sql: "SELECT requestFingerprint, record FROM rating WHERE ratingId = ?",
                                               arguments: [attempt.ratingId]) {
                return .existing(try Self.decodeRecord(existing["record"]), fingerprint: existing["requestFingerprint"])
            }
            let ticket = try attempt.ticket.flatMap { try StoredTicket.find(db, $0) }
            var facts = RatingFacts(ticket: ticket, existing: nil, firstLevel: nil)
            if let t = ticket {
                facts.existing = try String.fetchOne(db, sql: "SELECT record FROM rating WHERE ticketId = ? AND assessNumber = ?",
                                                     arguments: [t.id, attempt.assessNumber]).map(Self.decodeRecord)
                if attempt.assessNumber == 2 {
                    facts.firstLevel = try String.fetchOne(db, sql: "SELECT level FROM rating WHERE ticketId = ? AND assessNumber = 1",
                                                           arguments: [t.id])
                }
            }
            let entry = try rules(facts)
            let r = entry.record
            let json = String(decoding: try Self.recordEncoder.encode(r), as: UTF8.self)
            try db.execute(sql: """
                INSERT INTO rating (ratingId, ticketId, hallDay, assessNumber, level, source, channel, windowId, staffId, serviceId,
                    requestFingerprint, record, receivedAt)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """, arguments: [r.ratingId, r.ticketId, entry.hallDay, r.assessNumber, r.level.rawValue, r.source.rawValue,
                                 r.channel.rawValue, r.windowId, r.staffId, r.serviceId, attempt.fingerprint, json, r.receivedAt])
            return .stored(r)
        }
    }

    public func rating(id: String) async throws -> RatingRecord? {
        try await database.read { db in
            try String.fetchOne(db, sql: "SELECT record FROM rating WHERE ratingId = ?", arguments: [id]).map(Self.decodeRecord)
        }
    }

    public func satisfactionFacts(from: String, to: String) async throws -> SatisfactionFacts {
        try await database.read { db in
            func place(_ row: Row) -> SatisfactionFacts.Place {
                SatisfactionFacts.Place(hallDay: row["hallDay"], windowId: row["windowId"], staffId: row["staffId"], serviceId: row["serviceId"])
            }
            // Completed services, and whether each has an active rating.
            let completed = try Row.fetchAll(db, sql: """
                SELECT t.hallDay AS hallDay, t.windowId AS windowId, t.staffId AS staffId, t.serviceId AS serviceId,
                       EXISTS (SELECT 1 FROM rating r WHERE r.ticketId = t.id AND r.source = 'active') AS rated, COUNT(*) AS n
                FROM ticket t WHERE t.status = 'completed' AND t.hallDay BETWEEN ? AND ?
                GROUP BY 1, 2, 3, 4, 5
                """, arguments: [from, to]).map { SatisfactionFacts.CompletedCount(place: place($0), rated: $0["rated"], count: $0["n"]) }
            let unserved = try Row.fetchAll(db, sql: """
                SELECT hallDay, windowId, staffId, serviceId, status, COUNT(*) AS n FROM ticket
                WHERE status IN ('expired', 'waiting') AND hallDay BETWEEN ? AND ?
                GROUP BY 1, 2, 3, 4, 5
                """, arguments: [from, to]).map {
                SatisfactionFacts.UnservedCount(place: place($0), status: TicketStatus(rawValue: $0["status"]) ?? .waiting, count: $0["n"])
            }
            let ratings = try Row.fetchAll(db, sql: """
                SELECT hallDay, windowId, staffId, serviceId, level, source, record FROM rating WHERE hallDay BETWEEN ? AND ?
                ORDER BY receivedAt DESC
                """, arguments: [from, to]).map { row -> SatisfactionFacts.RatingFact in
                let level: String = row["level"]
                let source: String = row["source"]
                let listed = source == RatingSource.active.rawValue && RatingLevel(rawValue: level)?.isBad == true
                return SatisfactionFacts.RatingFact(place: place(row), level: level, source: source,
                                                    record: listed ? try? Self.decodeRecord(row["record"]) : nil)
            }
            return SatisfactionFacts(completed: completed, unserved: unserved, ratings: ratings)
        }
    }

    public func staffRatingCounts(staffId: String, from: String, to: String) async throws -> StaffRatingCounts {
        try await database.read { db in
            let row = try Row.fetchOne(db, sql: """
                SELECT COUNT(*) AS n, COALESCE(SUM(level NOT IN ('dissatisfied', 'veryDissatisfied')), 0) AS good
                FROM rating WHERE staffId = ? AND source = 'active' AND hallDay BETWEEN ? AND ?
                """, arguments: [staffId, from, to])
            return StaffRatingCounts(active: row?["n"] ?? 0, good: row?["good"] ?? 0)
        }
    }

    // MARK: Devices

    public func recordHeartbeat(deviceId: String, at: Date, heartbeat: DeviceHeartbeat) async throws {
        let json = String(decoding: try Self.recordEncoder.encode(heartbeat), as: UTF8.self)
        try await database.write { db in
            try db.execute(sql: """
                INSERT INTO deviceHealth (deviceId, receivedAt, payload) VALUES (?, ?, ?)
                ON CONFLICT (deviceId) DO UPDATE SET receivedAt = excluded.receivedAt, payload = excluded.payload
                """, arguments: [deviceId, at, json])
        }
    }

    public func lastHeartbeats() async throws -> [String: LastHeartbeat] {
        let rows: [String: (Date, String)] = try await database.read { db in
            var out: [String: (Date, String)] = [:]
            for row in try Row.fetchAll(db, sql: "SELECT deviceId, receivedAt, payload FROM deviceHealth") {
                out[row["deviceId"]] = (row["receivedAt"], row["payload"])
            }
            return out
        }
        return rows.mapValues { LastHeartbeat(receivedAt: $0.0, heartbeat: try? Self.recordDecoder.decode(DeviceHeartbeat.self, from: Data($0.1.utf8))) }
    }

    static func decodeRecord(_ json: String) throws -> RatingRecord {
        try recordDecoder.decode(RatingRecord.self, from: Data(json.utf8))
    }
}
