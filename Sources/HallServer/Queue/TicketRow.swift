import Foundation
import GRDB
import HallAPI

/// One row of the `ticket` table.
struct TicketRow: Sendable {
    var serial: Int64
    var id: String
    var hallDay: String
    var issuedServiceId: String
    var serviceId: String
    var seq: Int
    var number: String
    var token: String
    var kioskId: String
    var idempotencyKey: String
    var requestFingerprint: String
    var priority: PriorityKind?
    var rank: Int
    var status: TicketStatus
    var issuedAt: Date
    var aheadAtIssue: Int
    var estimateAtIssue: Int
    var calledAt: Date?
    var startedAt: Date?
    var completedAt: Date?
    var endedAt: Date?
    var windowId: String?
    var staffId: String?
    var recallCount: Int
    var transferCount: Int

    /// A ticket just inserted (no calls yet).
    init(serial: Int64, id: String, hallDay: String, issuedServiceId: String, serviceId: String, seq: Int, number: String,
         token: String, kioskId: String, idempotencyKey: String, requestFingerprint: String, priority: PriorityKind?, rank: Int,
         status: TicketStatus, issuedAt: Date, aheadAtIssue: Int, estimateAtIssue: Int) {
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
        recallCount = 0
        transferCount = 0
    }

    /// The columns `init(row:)` reads, in order. Select with `TicketRow.select` to match.
    static let columns = """
        serial, id, hallDay, issuedServiceId, serviceId, seq, number, token, kioskId, idempotencyKey, requestFingerprint,
        priority, rank, status, issuedAt, aheadAtIssue, estimateAtIssue, calledAt, startedAt, completedAt, endedAt,
        windowId, staffId, recallCount, transferCount
        """
    static let select = "SELECT \(columns) FROM ticket"

    /// Decodes by position (GRDB's by-name lookups are case-insensitive and cost a hash per column).
    init(row: Row) {
        serial = row[0]
        id = row[1]
        hallDay = row[2]
        issuedServiceId = row[3]
        serviceId = row[4]
        seq = row[5]
        number = row[6]
        token = row[7]
        kioskId = row[8]
        idempotencyKey = row[9]
        requestFingerprint = row[10]
        priority = (row[11] as String?).flatMap(PriorityKind.init(rawValue:))
        rank = row[12]
        status = TicketStatus(rawValue: row[13]) ?? .waiting
        issuedAt = row[14]
        aheadAtIssue = row[15]
        estimateAtIssue = row[16]
        calledAt = row[17]
        startedAt = row[18]
        completedAt = row[19]
        endedAt = row[20]
        windowId = row[21]
        staffId = row[22]
        recallCount = row[23]
        transferCount = row[24]
    }

    /// The first ticket matching `whereClause` (SQL after WHERE), with a cached statement.
    static func fetch(_ db: Database, where whereClause: String, _ arguments: StatementArguments = []) throws -> TicketRow? {
        let statement = try db.cachedStatement(sql: "\(select) WHERE \(whereClause)")
        return try Row.fetchOne(statement, arguments: arguments).map(TicketRow.init(row:))
    }

    static func byId(_ db: Database, _ id: String) throws -> TicketRow? {
        try fetch(db, where: "id = ?", [id])
    }

    static func byToken(_ db: Database, _ token: String) throws -> TicketRow? {
        try fetch(db, where: "token = ?", [token])
    }

    /// Waiting tickets of the same service and day that will be called before this one.
    func waitingAhead(_ db: Database) throws -> Int {
        try Int.fetchOne(db.cachedStatement(sql: """
            SELECT COUNT(*) FROM ticket
            WHERE hallDay = ? AND status = 'waiting' AND serviceId = ?
              AND (rank < ? OR (rank = ? AND serial < ?))
            """), arguments: [hallDay, serviceId, rank, rank, serial]) ?? 0
    }
}

/// Queue rank: priority lanes (绿色通道) are called before normal tickets of the same service.
enum QueueRank {
    static func of(_ priority: PriorityKind?) -> Int { priority == nil ? 1 : 0 }
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
