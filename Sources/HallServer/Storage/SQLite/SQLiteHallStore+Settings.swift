import Foundation
import GRDB

/// The settings document, its audit log and the alert states in the SQLite file.
extension SQLiteHallStore {
    /// Tables of the migration "settings: …" (`HallDatabase.migrator`).
    static let settingsSchema = """
        CREATE TABLE hallSettings (
            id INTEGER PRIMARY KEY CHECK (id = 1),
            version INTEGER NOT NULL,
            document TEXT,
            seedDigest TEXT
        );
        CREATE TABLE settingsAudit (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            version INTEGER NOT NULL,
            at DATETIME NOT NULL,
            actor TEXT NOT NULL,
            summary TEXT NOT NULL,
            before TEXT,
            after TEXT
        );
        CREATE TABLE alertState (
            key TEXT PRIMARY KEY NOT NULL,
            active INTEGER NOT NULL,
            since DATETIME NOT NULL,
            resolvedAt DATETIME
        ) WITHOUT ROWID;
        """

    /// Table of the migration "v7: staff photos …" (`HallDatabase.migrator`).
    static let staffPhotoSchema = """
        CREATE TABLE staffPhoto (
            digest TEXT PRIMARY KEY NOT NULL,
            contentType TEXT NOT NULL,
            width INTEGER NOT NULL,
            height INTEGER NOT NULL,
            bytes BLOB NOT NULL,
            storedAt DATETIME NOT NULL
        ) WITHOUT ROWID;
        """

    public func saveStaffPhoto(_ photo: StaffPhoto, at: Date) async throws {
        try await database.write { db in
            try db.execute(sql: """
                INSERT INTO staffPhoto (digest, contentType, width, height, bytes, storedAt) VALUES (?, ?, ?, ?, ?, ?)
                ON CONFLICT (digest) DO NOTHING
                """, arguments: [photo.digest, photo.format.contentType, photo.width, photo.height, photo.bytes, at])
        }
    }

    public func staffPhoto(digest: String) async throws -> StaffPhoto? {
        try await database.read { db in
            try Row.fetchOne(db, sql: "SELECT contentType, width, height, bytes FROM staffPhoto WHERE digest = ?", arguments: [digest]).map {
                StaffPhoto(format: ($0["contentType"] as String) == "image/png" ? .png : .jpeg, width: $0["width"], height: $0["height"],
                           bytes: $0["bytes"], digest: digest)
            }
        }
    }

    public func storedSettings() async throws -> StoredSettings? { try storedSettingsNow() }

    /// `storedSettings`, read now on the calling thread (at start, before the desk exists).
    func storedSettingsNow() throws -> StoredSettings? {
        try database.pool.read { db in
            try Row.fetchOne(db, sql: "SELECT version, document, seedDigest FROM hallSettings WHERE id = 1").map {
                StoredSettings(version: $0["version"], document: ($0["document"] as String?).map { Data($0.utf8) }, seedDigest: $0["seedDigest"])
            }
        }
    }

    public func saveSettings(_ document: Data?, seedDigest: String?, replacing version: Int, audit: SettingsAuditEntry) async throws -> Bool {
        try await database.write { db in
            let stored = try Int.fetchOne(db, sql: "SELECT version FROM hallSettings WHERE id = 1") ?? 0
            guard stored == version else { return false }
            try db.execute(sql: """
                INSERT INTO hallSettings (id, version, document, seedDigest) VALUES (1, ?, ?, ?)
                ON CONFLICT (id) DO UPDATE SET version = excluded.version, document = excluded.document, seedDigest = excluded.seedDigest
                """, arguments: [version + 1, document.map { String(decoding: $0, as: UTF8.self) }, seedDigest])
            try Self.insertAudit(db, audit)
            return true
        }
    }

    public func recordSettingsAudit(_ entry: SettingsAuditEntry) async throws {
        try await database.write { db in try Self.insertAudit(db, entry) }
    }

    public func settingsAudit(limit: Int) async throws -> [SettingsAuditEntry] {
        try await database.read { db in
            try Row.fetchAll(db, sql: "SELECT version, at, actor, summary, before, after FROM settingsAudit ORDER BY id DESC LIMIT ?",
                             arguments: [limit]).map {
                SettingsAuditEntry(version: $0["version"], at: $0["at"], actor: $0["actor"], summary: $0["summary"],
                                   before: $0["before"], after: $0["after"])
            }
        }
    }

    private static func insertAudit(_ db: Database, _ e: SettingsAuditEntry) throws {
        try db.execute(sql: "INSERT INTO settingsAudit (version, at, actor, summary, before, after) VALUES (?, ?, ?, ?, ?, ?)",
                       arguments: [e.version, e.at, e.actor, e.summary, e.before, e.after])
    }

    public func markAlert(key: String, active: Bool, at: Date) async throws -> Bool {
        try await database.write { db in
            let was = try Bool.fetchOne(db, sql: "SELECT active FROM alertState WHERE key = ?", arguments: [key]) ?? false
            guard was != active else { return false }
            if active {
                try db.execute(sql: """
                    INSERT INTO alertState (key, active, since, resolvedAt) VALUES (?, 1, ?, NULL)
                    ON CONFLICT (key) DO UPDATE SET active = 1, since = excluded.since, resolvedAt = NULL
                    """, arguments: [key, at])
            } else {
                try db.execute(sql: "UPDATE alertState SET active = 0, resolvedAt = ? WHERE key = ?", arguments: [at, key])
            }
            return true
        }
    }

    public func activeAlerts() async throws -> [StoredAlert] {
        try await database.read { db in
            try Row.fetchAll(db, sql: "SELECT key, since FROM alertState WHERE active = 1 ORDER BY since, key").map {
                StoredAlert(key: $0["key"], since: $0["since"], resolvedAt: nil)
            }
        }
    }
}
