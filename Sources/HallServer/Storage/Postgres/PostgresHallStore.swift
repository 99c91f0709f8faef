import Foundation
import HallAPI
import Logging
import PostgresNIO

/// The hall's data in a PostgreSQL database (`--db postgres://…`): the same guarantees as the SQLite store, on a
/// database the city runs (with its standby), shared by several hall-server instances and by many halls (every row
/// carries `hall_id`).
///
/// How each guarantee is kept (all in READ COMMITTED, with SQL that openGauss-family servers also run):
/// - **Gap-free numbers**: the day's counter row is locked and advanced (`UPDATE … RETURNING`) in the tickets'
///   transaction, so a rollback gives the numbers back; the unique constraint `ticket_number_key` stands behind it.
///   The requests of a service that arrive together are issued in one transaction (`PostgresIssueBatcher`): one
///   counter update, one insert and one commit for all of them. The first ticket of a day inserts the row inside a
///   savepoint (a racing instance's insert → 23505 → update).
/// - **Idempotency**: `ticket_idempotency_key` / `rating_pkey`. A ticket batch inserts its members as new; a retry or
///   a racing duplicate makes the insert meet 23505, and the batch runs again with the committed tickets looked up first
///   (then, if refused again, one ticket at a time, each insert inside a savepoint); a rating's insert is inside one.
///   Either way the retry is answered with the row the other transaction committed.
/// - **People ahead**: `queue_count` keeps the waiting tickets per day, service and rank, changed in the transaction
///   of every move into or out of `waiting` (`PostgresQueueCounts`), so issuing reads a row or two, not the queue.
/// - **One window at a time**: a window's moves and logins lock its `hall_lock` row; a waiting ticket is called
///   with `UPDATE … WHERE status = 'waiting'`, so two windows never call the same ticket.
/// - **Retries**: serialization failures, deadlocks and connections lost before COMMIT rerun the transaction (the
///   rules closures may run again); a database that stays unreachable answers 503 `databaseUnavailable`.
public final class PostgresHallStore: HallStore {
    let database: PostgresDatabase
    let hallId: String
    let logger: Logger
    /// Issues tickets in batches per hall day and service (one transaction and one commit for the requests that
    /// arrive together).
    let issuing: PostgresIssueBatcher
    /// Whether the server has `pg_notify` (PostgreSQL does; openGauss-family servers may not), learnt at the first event.
    let notifications = NotifySupport()
    static let encoder = HallJSON.encoder()
    static let decoder = HallJSON.decoder()

    /// Connects to `location` (refusing to start with the host, the reason and the fix when it cannot), migrates the
    /// schema (refusing a newer one, naming both versions) and serves hall `hallId`.
    public static func open(_ location: PostgresLocation, hallId: String, options: PostgresOptions = PostgresOptions(),
                            logger: Logger = Logger(label: "hallserver")) async throws -> PostgresHallStore {
        let database = try await PostgresDatabase.connect(location, options: options, logger: logger)
        do {
            let applied = try await PostgresSchema.migrate(database)
            for name in applied { logger.notice("PostgreSQL schema migrated", metadata: ["migration": "\(name)", "db": "\(location.description)"]) }
        } catch {
            database.close()
            throw error
        }
        return PostgresHallStore(database: database, hallId: hallId, logger: logger)
    }

    init(database: PostgresDatabase, hallId: String, logger: Logger) {
        self.database = database
        self.hallId = hallId
        self.logger = logger
        issuing = PostgresIssueBatcher { members in try await Self.issueBatch(members, database: database, hallId: hallId) }
    }

    /// Closes the connections.
    public func close() { database.close() }

    /// Where the data is (no password), for logs.
    public var location: PostgresLocation { database.location }

    // MARK: Health

    public var health: StoreHealth {
        StoreHealth(refusingWrites: database.refusingWrites, problemAtOpen: nil, refusedWrites: database.refusedWrites)
    }

    public func recoverWrites(now: Date) async -> Bool {
        guard database.refusingWrites != nil else { return true }
        return await database.checkReachable()
    }

    // MARK: Start

    public func serverKey(named name: String, make: @escaping @Sendable () -> [UInt8]) async throws -> [UInt8] {
        let hallId = self.hallId
        return try await database.transaction("server key") { tx in
            let select: PostgresQuery = "SELECT secret FROM server_key WHERE hall_id = \(hallId) AND name = \(name)"
            if let row = try await tx.first(select) { return [UInt8](try row.decode(Data.self)) }
            let secret = make()
            let inserted = try await tx.unlessDuplicate("server_key") {
                try await tx.execute("INSERT INTO server_key (hall_id, name, secret) VALUES (\(hallId), \(name), \(Data(secret)))")
            }
            if inserted != nil { return secret }
            // Another instance made it first: everyone uses that one.
            guard let row = try await tx.first(select) else { throw PostgresStoreError("server key '\(name)' vanished") }
            return [UInt8](try row.decode(Data.self))
        }
    }

    public func recentServiceMinutes(serviceIds: [String], perService: Int) async throws -> [String: [Double]] {
        let hallId = self.hallId
        return try await database.read("recent service times") { tx in
            var out: [String: [Double]] = [:]
            for serviceId in serviceIds {
                let rows = try await tx.rows("""
                    SELECT called_at, started_at, completed_at FROM ticket
                    WHERE hall_id = \(hallId) AND service_id = \(serviceId) AND completed_at IS NOT NULL
                    ORDER BY completed_at DESC LIMIT \(perService)
                    """)
                let minutes = try rows.compactMap { row -> Double? in
                    let (called, started, completed) = try row.decode((Date?, Date?, Date?).self)
                    guard let end = completed?.wholeMilliseconds, let start = (started ?? called)?.wholeMilliseconds else { return nil }
                    return end.timeIntervalSince(start) / 60
                }
                out[serviceId] = minutes.reversed()
            }
            return out
        }
    }

    public func newestStoredTime() async throws -> Date? {
        let hallId = self.hallId
        return try await database.read("newest stored time") { tx in
            let row = try await tx.first("""
                SELECT (SELECT MAX(issued_at) FROM ticket WHERE hall_id = \(hallId)),
                       (SELECT MAX(completed_at) FROM ticket WHERE hall_id = \(hallId)),
                       (SELECT MAX(received_at) FROM rating WHERE hall_id = \(hallId))
                """)
            guard let row else { return nil }
            let (a, b, c) = try row.decode((Date?, Date?, Date?).self)
            return [a, b, c].compactMap { $0?.wholeMilliseconds }.max()
        }
    }

    // MARK: Tickets as rows

    /// The columns `ticket(_:)` reads, in order.
    static let ticketColumns = """
        serial, id, hall_day, issued_service_id, service_id, seq, number, token, kiosk_id, idempotency_key, request_fingerprint,
        priority, rank, status, issued_at, ahead_at_issue, estimate_at_issue, called_at, started_at, completed_at, ended_at,
        window_id, staff_id, recall_count, transfer_count, queue_order
        """

    static func ticket(_ row: PostgresRow) throws -> StoredTicket {
        let r = row.makeRandomAccess()
        let status = try r[13].decode(String.self)
        var ticket = StoredTicket(
            serial: try r[0].decode(Int64.self), id: try r[1].decode(String.self), hallDay: try r[2].decode(String.self),
            issuedServiceId: try r[3].decode(String.self), serviceId: try r[4].decode(String.self), seq: try r[5].decode(Int.self),
            number: try r[6].decode(String.self), token: try r[7].decode(String.self), kioskId: try r[8].decode(String.self),
            idempotencyKey: try r[9].decode(String.self), requestFingerprint: try r[10].decode(String.self),
            priority: try r[11].decode(String?.self).flatMap(PriorityKind.init(rawValue:)), rank: try r[12].decode(Int.self),
            status: TicketStatus(rawValue: status) ?? .waiting, issuedAt: try r[14].decode(Date.self).wholeMilliseconds,
            aheadAtIssue: try r[15].decode(Int.self), estimateAtIssue: try r[16].decode(Int.self),
            calledAt: try r[17].decode(Date?.self)?.wholeMilliseconds, startedAt: try r[18].decode(Date?.self)?.wholeMilliseconds,
            completedAt: try r[19].decode(Date?.self)?.wholeMilliseconds, endedAt: try r[20].decode(Date?.self)?.wholeMilliseconds,
            windowId: try r[21].decode(String?.self), staffId: try r[22].decode(String?.self),
            recallCount: try r[23].decode(Int.self), transferCount: try r[24].decode(Int.self))
        ticket.queueOrder = try r[25].decode(Double?.self)
        return ticket
    }

    /// The ticket `lookup` names, nil when none; `forUpdate` locks its row until the transaction ends.
    func ticket(_ tx: PostgresTransaction, _ lookup: TicketLookup, forUpdate: Bool = false) async throws -> StoredTicket? {
        let hallId = self.hallId
        var query: PostgresQuery
        switch lookup {
        case .token(let token):
            query = "SELECT \(unescaped: Self.ticketColumns) FROM ticket WHERE hall_id = \(hallId) AND token = \(token)"
        case .id(let id):
            query = "SELECT \(unescaped: Self.ticketColumns) FROM ticket WHERE hall_id = \(hallId) AND id = \(id)"
        case .number(let number, let from, let to):
            query = """
                SELECT \(unescaped: Self.ticketColumns) FROM ticket
                WHERE hall_id = \(hallId) AND number = \(number) AND hall_day BETWEEN \(from) AND \(to)
                ORDER BY hall_day DESC, serial DESC LIMIT 1
                """
        case .current(let windowId):
            query = """
                SELECT \(unescaped: Self.ticketColumns) FROM ticket
                WHERE hall_id = \(hallId) AND window_id = \(windowId) AND status IN ('called', 'serving')
                ORDER BY called_at DESC, serial DESC LIMIT 1
                """
        }
        if forUpdate { query.sql += " FOR UPDATE" }
        return try await tx.first(query).map(Self.ticket)
    }

    /// Windows with a staff member logged in at `at`: window id → staff id.
    func openWindows(_ tx: PostgresTransaction, at: Date) async throws -> [String: String] {
        var out: [String: String] = [:]
        for row in try await tx.rows("""
            SELECT window_id, staff_id FROM staff_session WHERE hall_id = \(hallId) AND ended_at IS NULL AND expires_at > \(at)
            ORDER BY created_at
            """) {
            let (window, staff) = try row.decode((String, String).self)
            out[window] = staff
        }
        return out
    }

    /// Appends a window event (its id from the store) in the current transaction, and announces it to the hall's other
    /// instances at commit (`notifyWindowEvent`). The caller holds the window's lock (`hall_lock` 'window:ID'); the
    /// hall's event lock (`hall_lock` 'events', taken here, after every other lock) makes the hall's events commit in id
    /// order too: the calling displays follow every window by one id (`GET /api/v1/hall/calls/events`), and a
    /// sequence alone hands out ids in insert order, not commit order. Window moves are a few a second: waiting for
    /// another window's commit costs nothing a clerk notices.
    func appendEvent(_ tx: PostgresTransaction, _ event: WindowEvent) async throws -> WindowEvent {
        try await tx.lock(hallId: hallId, "events")
        var event = event
        event.id = 0
        let payload = String(decoding: try Self.encoder.encode(event), as: UTF8.self)
        guard let row = try await tx.first("""
            INSERT INTO window_event (hall_id, window_id, payload, created_at) VALUES (\(hallId), \(event.windowId), \(payload), \(event.at))
            RETURNING id
            """) else { throw PostgresStoreError("window event insert returned no id") }
        event.id = try row.decode(Int64.self)
        try await notifyWindowEvent(tx, event)
        return event
    }
}
