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

    init(row: Row) {
        serial = row["serial"]
        id = row["id"]
        hallDay = row["hallDay"]
        issuedServiceId = row["issuedServiceId"]
        serviceId = row["serviceId"]
        seq = row["seq"]
        number = row["number"]
        token = row["token"]
        kioskId = row["kioskId"]
        idempotencyKey = row["idempotencyKey"]
        requestFingerprint = row["requestFingerprint"]
        priority = (row["priority"] as String?).flatMap(PriorityKind.init(rawValue:))
        rank = row["rank"]
        status = TicketStatus(rawValue: row["status"]) ?? .waiting
        issuedAt = row["issuedAt"]
        aheadAtIssue = row["aheadAtIssue"]
        estimateAtIssue = row["estimateAtIssue"]
        calledAt = row["calledAt"]
        startedAt = row["startedAt"]
        completedAt = row["completedAt"]
        endedAt = row["endedAt"]
        windowId = row["windowId"]
        staffId = row["staffId"]
        recallCount = row["recallCount"]
        transferCount = row["transferCount"]
    }

    static func fetch(_ db: Database, sql: String, _ arguments: StatementArguments = []) throws -> TicketRow? {
        try Row.fetchOne(db, sql: sql, arguments: arguments).map(TicketRow.init(row:))
    }

    static func fetchAll(_ db: Database, sql: String, _ arguments: StatementArguments = []) throws -> [TicketRow] {
        try Row.fetchAll(db, sql: sql, arguments: arguments).map(TicketRow.init(row:))
    }

    static func byId(_ db: Database, _ id: String) throws -> TicketRow? {
        try fetch(db, sql: "SELECT * FROM ticket WHERE id = ?", [id])
    }

    static func byToken(_ db: Database, _ token: String) throws -> TicketRow? {
        try fetch(db, sql: "SELECT * FROM ticket WHERE token = ?", [token])
    }

    /// Waiting tickets of the same service and day that will be called before this one.
    func waitingAhead(_ db: Database) throws -> Int {
        try Int.fetchOne(db, sql: """
            SELECT COUNT(*) FROM ticket
            WHERE hallDay = ? AND status = 'waiting' AND serviceId = ?
              AND (rank < ? OR (rank = ? AND serial < ?))
            """, arguments: [hallDay, serviceId, rank, rank, serial]) ?? 0
    }
}

/// Queue rank: priority lanes (绿色通道) are called before normal tickets of the same service.
enum QueueRank {
    static func of(_ priority: PriorityKind?) -> Int { priority == nil ? 1 : 0 }
}
