import Foundation
import GRDB
import HallAPI

/// Reading tickets from the `ticket` table.
extension StoredTicket {
    /// The columns `init(row:)` reads, in order. Select with `StoredTicket.select` to match.
    static let columns = """
        serial, id, hallDay, issuedServiceId, serviceId, seq, number, token, kioskId, idempotencyKey, requestFingerprint,
        priority, rank, status, issuedAt, aheadAtIssue, estimateAtIssue, calledAt, startedAt, completedAt, endedAt,
        windowId, staffId, recallCount, transferCount, queueOrder
        """
    static let select = "SELECT \(columns) FROM ticket"

    /// Decodes by position (GRDB's by-name lookups are case-insensitive and cost a hash per column).
    init(row: Row) {
        self.init(serial: row[0], id: row[1], hallDay: row[2], issuedServiceId: row[3], serviceId: row[4], seq: row[5],
                  number: row[6], token: row[7], kioskId: row[8], idempotencyKey: row[9], requestFingerprint: row[10],
                  priority: (row[11] as String?).flatMap(PriorityKind.init(rawValue:)), rank: row[12],
                  status: TicketStatus(rawValue: row[13]) ?? .waiting, issuedAt: row[14], aheadAtIssue: row[15],
                  estimateAtIssue: row[16], calledAt: row[17], startedAt: row[18], completedAt: row[19], endedAt: row[20],
                  windowId: row[21], staffId: row[22], recallCount: row[23], transferCount: row[24])
        queueOrder = row[25]
    }

    /// Where the ticket stands in its queue among the same rank: its `queueOrder`, or its serial.
    var queuePlace: Double { queueOrder ?? Double(serial) }

    /// The first ticket matching `whereClause` (SQL after WHERE), with a cached statement.
    static func fetch(_ db: Database, where whereClause: String, _ arguments: StatementArguments = []) throws -> StoredTicket? {
        let statement = try db.cachedStatement(sql: "\(select) WHERE \(whereClause)")
        return try Row.fetchOne(statement, arguments: arguments).map(StoredTicket.init(row:))
    }

    /// The newest called or serving ticket at a window.
    static func current(_ db: Database, windowId: String) throws -> StoredTicket? {
        try fetch(db, where: "windowId = ? AND status IN ('called', 'serving') ORDER BY calledAt DESC LIMIT 1", [windowId])
    }

    static func find(_ db: Database, _ lookup: TicketLookup) throws -> StoredTicket? {
        switch lookup {
        case .token(let token): try fetch(db, where: "token = ?", [token])
        case .id(let id): try fetch(db, where: "id = ?", [id])
        case .number(let number, let from, let to):
            try fetch(db, where: "hallDay BETWEEN ? AND ? AND number = ? ORDER BY hallDay DESC, serial DESC LIMIT 1", [from, to, number])
        case .current(let windowId): try current(db, windowId: windowId)
        }
    }

    /// Waiting tickets of the same service and day that will be called before this one.
    func waitingAhead(_ db: Database) throws -> Int {
        try Int.fetchOne(db.cachedStatement(sql: """
            SELECT COUNT(*) FROM ticket
            WHERE hallDay = ? AND status = 'waiting' AND serviceId = ?
              AND (rank < ? OR (rank = ? AND COALESCE(queueOrder, serial) < ?))
            """), arguments: [hallDay, serviceId, rank, rank, queuePlace]) ?? 0
    }
}
