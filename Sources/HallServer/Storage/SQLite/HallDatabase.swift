import Foundation
import GRDB
import Logging

/// The hall server's SQLite database: WAL, `synchronous=FULL`, named migrations.
///
/// Reads go to `pool` (concurrent readers); every write goes through `writer`, which
/// commits concurrent requests together (one fsync for many tickets).
public final class HallDatabase: Sendable {
    public let pool: DatabasePool
    let writer: GroupCommitWriter
    /// Full-disk detection, the reserve file and recovery.
    let diskGuard: DiskGuard
    /// The `synchronous` setting of the writer connection, read once at open (2 = FULL; it cannot change later).
    public let synchronousAtOpen: Int

    /// Largest WAL file kept after a checkpoint (`PRAGMA journal_size_limit`): the WAL gives its room back.
    static let journalSizeLimit = 4 << 20
    /// Default size of the reserve file beside the database (see `DiskGuard`).
    public static let defaultReserveBytes = 16 << 20

    /// Opens (creating if needed) the database at `path` and migrates it.
    /// - Parameters:
    ///   - reserveBytes: size of the `<path>-reserve` file given back when the disk fills (0: none).
    ///   - retryAfterSeconds: `Retry-After` of the 503 answers while the disk is full.
    public init(path: String, reserveBytes: Int = HallDatabase.defaultReserveBytes, retryAfterSeconds: Int = 10,
                logger: Logger = Logger(label: "hallserver")) throws {
        var config = Configuration()
        config.busyMode = .timeout(10)
        config.label = "hallserver"
        pool = try DatabasePool(path: path, configuration: config)
        try Self.migrator.migrate(pool)
        // DatabasePool sets synchronous=NORMAL on its writer; FULL survives power loss.
        synchronousAtOpen = try pool.writeWithoutTransaction { db in
            try db.execute(sql: "PRAGMA synchronous = FULL")
            try db.execute(sql: "PRAGMA journal_size_limit = \(Self.journalSizeLimit)")
            return try Int.fetchOne(db, sql: "PRAGMA synchronous") ?? -1
        }
        let diskGuard = DiskGuard(databasePath: path, reserveBytes: reserveBytes, retryAfterSeconds: retryAfterSeconds, logger: logger)
        if !diskGuard.ensureReserve() {
            logger.warning("no room for the disk reserve beside the database: a full disk will be harder to recover from; free space",
                           metadata: ["reserve.path": "\(diskGuard.reservePath)", "reserve.bytes": "\(reserveBytes)"])
        }
        self.diskGuard = diskGuard
        writer = GroupCommitWriter(pool: pool, diskGuard: diskGuard)
    }

    /// The `synchronous` setting of the writer connection (2 = FULL), asked of the writer now.
    public func synchronousMode() throws -> Int {
        try pool.writeWithoutTransaction { db in try Int.fetchOne(db, sql: "PRAGMA synchronous") ?? -1 }
    }

    /// Why writes are refused now (the disk is full); nil when they are not.
    public var diskFullReason: String? { diskGuard.reason }

    /// Runs `body` inside the next group commit; returns once it is durable.
    public func write<T: Sendable>(_ body: @escaping @Sendable (Database) throws -> T) async throws -> T {
        try await writer.write(body)
    }

    /// Runs `body` on a reader connection.
    public func read<T: Sendable>(_ body: @escaping @Sendable (Database) throws -> T) async throws -> T {
        try await pool.read(body)
    }

    static var migrator: DatabaseMigrator {
        var m = DatabaseMigrator()
        m.registerMigration("v1: tickets, staff sessions, events, ratings, devices") { db in
            try db.execute(sql: """
                CREATE TABLE ticket (
                    serial INTEGER PRIMARY KEY,
                    id TEXT NOT NULL UNIQUE,
                    hallDay TEXT NOT NULL,
                    issuedServiceId TEXT NOT NULL,
                    serviceId TEXT NOT NULL,
                    seq INTEGER NOT NULL,
                    number TEXT NOT NULL,
                    token TEXT NOT NULL UNIQUE,
                    kioskId TEXT NOT NULL,
                    idempotencyKey TEXT NOT NULL,
                    requestFingerprint TEXT NOT NULL,
                    priority TEXT,
                    rank INTEGER NOT NULL,
                    status TEXT NOT NULL,
                    issuedAt DATETIME NOT NULL,
                    aheadAtIssue INTEGER NOT NULL,
                    estimateAtIssue INTEGER NOT NULL,
                    calledAt DATETIME,
                    startedAt DATETIME,
                    completedAt DATETIME,
                    endedAt DATETIME,
                    windowId TEXT,
                    staffId TEXT,
                    recallCount INTEGER NOT NULL DEFAULT 0,
                    transferCount INTEGER NOT NULL DEFAULT 0,
                    UNIQUE (hallDay, issuedServiceId, seq),
                    UNIQUE (kioskId, idempotencyKey)
                );
                CREATE INDEX ticket_queue ON ticket (hallDay, status, serviceId, rank, serial);
                CREATE INDEX ticket_number ON ticket (hallDay, number);
                CREATE INDEX ticket_window ON ticket (windowId, status);
                CREATE INDEX ticket_completed ON ticket (serviceId, completedAt);

                CREATE TABLE dailyCounter (
                    hallDay TEXT NOT NULL,
                    serviceId TEXT NOT NULL,
                    issued INTEGER NOT NULL,
                    PRIMARY KEY (hallDay, serviceId)
                ) WITHOUT ROWID;

                CREATE TABLE servicePause (
                    serviceId TEXT PRIMARY KEY,
                    pausedAt DATETIME NOT NULL,
                    pausedBy TEXT NOT NULL
                );

                CREATE TABLE staffSession (
                    tokenHash TEXT PRIMARY KEY,
                    staffId TEXT NOT NULL,
                    windowId TEXT NOT NULL,
                    createdAt DATETIME NOT NULL,
                    expiresAt DATETIME NOT NULL,
                    endedAt DATETIME
                );
                CREATE INDEX staffSession_window ON staffSession (windowId, endedAt);

                CREATE TABLE windowEvent (
                    id INTEGER PRIMARY KEY AUTOINCREMENT,
                    windowId TEXT NOT NULL,
                    payload TEXT NOT NULL
                );
                CREATE INDEX windowEvent_window ON windowEvent (windowId, id);

                CREATE TABLE rating (
                    ratingId TEXT PRIMARY KEY,
                    ticketId TEXT NOT NULL REFERENCES ticket(id),
                    hallDay TEXT NOT NULL,
                    assessNumber INTEGER NOT NULL,
                    level TEXT NOT NULL,
                    source TEXT NOT NULL,
                    channel TEXT NOT NULL,
                    windowId TEXT,
                    staffId TEXT,
                    serviceId TEXT NOT NULL,
                    requestFingerprint TEXT NOT NULL,
                    record TEXT NOT NULL,
                    receivedAt DATETIME NOT NULL,
                    UNIQUE (ticketId, assessNumber)
                );
                CREATE INDEX rating_day ON rating (hallDay);

                CREATE TABLE deviceHealth (
                    deviceId TEXT PRIMARY KEY,
                    receivedAt DATETIME NOT NULL,
                    payload TEXT NOT NULL
                );
                """)
        }
        m.registerMigration("v2: waiting counts per service and rank") { db in
            try db.execute(sql: """
                CREATE TABLE queueCount (
                    hallDay TEXT NOT NULL,
                    serviceId TEXT NOT NULL,
                    rank INTEGER NOT NULL,
                    waiting INTEGER NOT NULL,
                    PRIMARY KEY (hallDay, serviceId, rank)
                ) WITHOUT ROWID;
                INSERT INTO queueCount (hallDay, serviceId, rank, waiting)
                    SELECT hallDay, serviceId, rank, COUNT(*) FROM ticket WHERE status = 'waiting' GROUP BY hallDay, serviceId, rank;
                CREATE INDEX staffSession_open ON staffSession (endedAt, expiresAt);
                """)
        }
        m.registerMigration("v3: window event times, server state") { db in
            // Events written before v3 have no time; pruning removes them with the first newer event it removes.
            try db.execute(sql: """
                ALTER TABLE windowEvent ADD COLUMN createdAt DATETIME;
                CREATE INDEX windowEvent_created ON windowEvent (createdAt);
                CREATE TABLE serverState (
                    key TEXT PRIMARY KEY,
                    value TEXT NOT NULL
                ) WITHOUT ROWID;
                """)
        }
        m.registerMigration("v4: server keys") { db in
            try db.execute(sql: "CREATE TABLE serverKey (name TEXT PRIMARY KEY NOT NULL, secret BLOB NOT NULL) WITHOUT ROWID")
        }
        m.registerMigration("v5: console: queue places, breaks, held services, pause notes") { db in
            try db.execute(sql: """
                ALTER TABLE ticket ADD COLUMN queueOrder REAL;
                ALTER TABLE staffSession ADD COLUMN breakReason TEXT;
                ALTER TABLE staffSession ADD COLUMN breakSince DATETIME;
                ALTER TABLE staffSession ADD COLUMN heldServices TEXT;
                ALTER TABLE servicePause ADD COLUMN reason TEXT;
                ALTER TABLE servicePause ADD COLUMN until DATETIME;
                """)
        }
        m.registerMigration("v6: the hall settings edited in the browser, their audit log, alert states") { db in
            try db.execute(sql: SQLiteHallStore.settingsSchema)
        }
        m.registerMigration("v7: staff photos uploaded on the settings page") { db in
            try db.execute(sql: SQLiteHallStore.staffPhotoSchema)
        }
        m.registerMigration("v8: ID-card person keys on tickets, appointments") { db in
            try db.execute(sql: SQLiteHallStore.appointmentSchema)
        }
        m.registerMigration("v9: person keys on the tickets of checked-in appointments") { db in
            try db.execute(sql: SQLiteHallStore.checkinPersonKeySchema)
        }
        return m
    }

    /// The secret named `name`, made by `make` and stored the first time it is asked for; the same on every start.
    /// Used to sign values the server hands out and checks later (console trust cookies).
    public func serverKey(_ name: String, make: () -> [UInt8]) throws -> [UInt8] {
        try pool.write { db in
            if let existing = try Data.fetchOne(db, sql: "SELECT secret FROM serverKey WHERE name = ?", arguments: [name]) {
                return Array(existing)
            }
            let secret = make()
            try db.execute(sql: "INSERT INTO serverKey (name, secret) VALUES (?, ?)", arguments: [name, Data(secret)])
            return secret
        }
    }
}
