import Foundation
import PostgresNIO

/// The settings document, its audit log and the alert states, shared by every instance of the hall.
extension PostgresHallStore {
    public func storedSettings() async throws -> StoredSettings? {
        let hallId = self.hallId
        return try await database.read("stored settings") { tx in
            try await tx.first("SELECT version, document, seed_digest FROM hall_settings WHERE hall_id = \(hallId)").map {
                let (version, document, digest) = try $0.decode((Int, String?, String?).self)
                return StoredSettings(version: version, document: document.map { Data($0.utf8) }, seedDigest: digest)
            }
        }
    }

    public func saveSettings(_ document: Data?, seedDigest: String?, replacing version: Int, audit: SettingsAuditEntry) async throws -> Bool {
        let hallId = self.hallId
        let text = document.map { String(decoding: $0, as: UTF8.self) }
        return try await database.transaction("save settings") { tx in
            // The hall's settings row, locked until commit: instances saving at once take turns and see each other's version.
            try await tx.lock(hallId: hallId, "settings")
            let stored = try await tx.first("SELECT version FROM hall_settings WHERE hall_id = \(hallId)")?.decode(Int.self) ?? 0
            guard stored == version else { return false }
            if version == 0 {
                try await tx.execute("""
                    INSERT INTO hall_settings (hall_id, version, document, seed_digest) VALUES (\(hallId), \(version + 1), \(text), \(seedDigest))
                    """)
            } else {
                try await tx.execute("""
                    UPDATE hall_settings SET version = \(version + 1), document = \(text), seed_digest = \(seedDigest) WHERE hall_id = \(hallId)
                    """)
            }
            try await Self.insertAudit(tx, hallId: hallId, audit)
            return true
        }
    }

    public func recordSettingsAudit(_ entry: SettingsAuditEntry) async throws {
        let hallId = self.hallId
        try await database.transaction("record settings audit") { tx in try await Self.insertAudit(tx, hallId: hallId, entry) }
    }

    public func settingsAudit(limit: Int) async throws -> [SettingsAuditEntry] {
        let hallId = self.hallId
        return try await database.read("settings audit") { tx in
            try await tx.rows("""
                SELECT version, at, actor, summary, before_json, after_json FROM settings_audit WHERE hall_id = \(hallId)
                ORDER BY id DESC LIMIT \(limit)
                """).map {
                let (version, at, actor, summary, before, after) = try $0.decode((Int, Date, String, String, String?, String?).self)
                return SettingsAuditEntry(version: version, at: at, actor: actor, summary: summary, before: before, after: after)
            }
        }
    }

    private static func insertAudit(_ tx: PostgresTransaction, hallId: String, _ e: SettingsAuditEntry) async throws {
        try await tx.execute("""
            INSERT INTO settings_audit (hall_id, version, at, actor, summary, before_json, after_json)
            VALUES (\(hallId), \(e.version), \(e.at), \(e.actor), \(e.summary), \(e.before), \(e.after))
            """)
    }

    public func saveStaffPhoto(_ photo: StaffPhoto, at: Date) async throws {
        let hallId = self.hallId
        try await database.transaction("save staff photo") { tx in
            try await tx.execute("""
                INSERT INTO staff_photo (hall_id, digest, content_type, width, height, bytes, stored_at)
                VALUES (\(hallId), \(photo.digest), \(photo.format.contentType), \(photo.width), \(photo.height), \(photo.bytes), \(at))
                ON CONFLICT (hall_id, digest) DO NOTHING
                """)
        }
    }

    public func staffPhoto(digest: String) async throws -> StaffPhoto? {
        let hallId = self.hallId
        return try await database.read("staff photo") { tx in
            try await tx.first("SELECT content_type, width, height, bytes FROM staff_photo WHERE hall_id = \(hallId) AND digest = \(digest)").map {
                let (type, width, height, bytes) = try $0.decode((String, Int, Int, Data).self)
                return StaffPhoto(format: type == "image/png" ? .png : .jpeg, width: width, height: height, bytes: bytes, digest: digest)
            }
        }
    }

    public func markAlert(key: String, active: Bool, at: Date) async throws -> Bool {
        let hallId = self.hallId
        return try await database.transaction("mark alert") { tx in
            try await tx.lock(hallId: hallId, "alert:" + key)
            let was = try await tx.first("SELECT active FROM alert_state WHERE hall_id = \(hallId) AND key = \(key)")?.decode(Bool.self)
            guard (was ?? false) != active else { return false }
            if was == nil {
                try await tx.execute("INSERT INTO alert_state (hall_id, key, active, since) VALUES (\(hallId), \(key), true, \(at))")
            } else if active {
                try await tx.execute("UPDATE alert_state SET active = true, since = \(at), resolved_at = NULL WHERE hall_id = \(hallId) AND key = \(key)")
            } else {
                try await tx.execute("UPDATE alert_state SET active = false, resolved_at = \(at) WHERE hall_id = \(hallId) AND key = \(key)")
            }
            return true
        }
    }

    public func activeAlerts() async throws -> [StoredAlert] {
        let hallId = self.hallId
        return try await database.read("active alerts") { tx in
            try await tx.rows("SELECT key, since FROM alert_state WHERE hall_id = \(hallId) AND active ORDER BY since, key").map {
                let (key, since) = try $0.decode((String, Date).self)
                return StoredAlert(key: key, since: since, resolvedAt: nil)
            }
        }
    }
}
