import Foundation
import GRDB
import HallAPI
import PostgresNIO

/// One value of a row on its way from SQLite to PostgreSQL.
enum MigrationValue: Sendable, Equatable {
    case text(String?)
    case int(Int?)
    case date(Date?)
    case bytes(Data?)
    case double(Double?)

    func bind(_ bindings: inout PostgresBindings) throws {
        switch self {
        case .text(let v): if let v { try bindings.append(v) } else { bindings.appendNull() }
        case .int(let v): if let v { try bindings.append(v) } else { bindings.appendNull() }
        case .date(let v): if let v { try bindings.append(v) } else { bindings.appendNull() }
        case .bytes(let v): if let v { try bindings.append(v) } else { bindings.appendNull() }
        case .double(let v): if let v { try bindings.append(v) } else { bindings.appendNull() }
        }
    }
}

/// How one column is read from the SQLite row.
enum MigrationColumnKind: Sendable {
    case text, int, date, bytes, double

    func read(_ row: Row, _ name: String) -> MigrationValue {
        switch self {
        case .text: .text(row[name])
        case .int: .int(row[name])
        case .date: .date(row[name])
        case .bytes: .bytes(row[name])
        case .double: .double(row[name])
        }
    }
}

/// One table of the hall's history: where it is in the SQLite file, where it goes in PostgreSQL, column by column.
///
/// Every table of the SQLite schema is either copied here or named in `MigrationTables.notCopied` with the reason;
/// every PostgreSQL table with a `hall_id` is either filled here, by `HallDirectory`, or named in `notCopied`.
struct MigrationTable: Sendable {
    /// SQLite table.
    var source: String
    /// PostgreSQL table (`hall_id` is added to every row).
    var target: String
    /// (SQLite column, PostgreSQL column, kind), in order.
    var columns: [(String, String, MigrationColumnKind)]
    /// The SQLite columns of a unique key: rows are read in this order, a batch at a time, each batch after the last
    /// key of the one before (`WHERE (k1, k2) > (?, ?)`), so a big table is read in one pass.
    var key: [String]
    /// SQLite rows to leave out (a `WHERE` condition), nil: all.
    var filter: String? = nil
    /// Fills in what an older SQLite row lacks (a window event from before v3 has no time: its payload's).
    var repair: (@Sendable ([MigrationValue]) -> [MigrationValue])? = nil

    var sourceCountSQL: String { "SELECT COUNT(*) FROM \(source)" + (filter.map { " WHERE \($0)" } ?? "") }
}

enum MigrationTables {
    /// The tables copied, parents first (a rating refers to its ticket).
    static let all: [MigrationTable] = [
        MigrationTable(source: "ticket", target: "ticket", columns: [
            ("serial", "serial", .int), ("id", "id", .text), ("hallDay", "hall_day", .text),
            ("issuedServiceId", "issued_service_id", .text), ("serviceId", "service_id", .text), ("seq", "seq", .int),
            ("number", "number", .text), ("token", "token", .text), ("kioskId", "kiosk_id", .text),
            ("idempotencyKey", "idempotency_key", .text), ("requestFingerprint", "request_fingerprint", .text),
            ("priority", "priority", .text), ("rank", "rank", .int), ("status", "status", .text), ("issuedAt", "issued_at", .date),
            ("aheadAtIssue", "ahead_at_issue", .int), ("estimateAtIssue", "estimate_at_issue", .int), ("calledAt", "called_at", .date),
            ("startedAt", "started_at", .date), ("completedAt", "completed_at", .date), ("endedAt", "ended_at", .date),
            ("windowId", "window_id", .text), ("staffId", "staff_id", .text), ("recallCount", "recall_count", .int),
            ("transferCount", "transfer_count", .int), ("queueOrder", "queue_order", .double),
        ], key: ["serial"]),
        MigrationTable(source: "dailyCounter", target: "daily_counter", columns: [
            ("hallDay", "hall_day", .text), ("serviceId", "service_id", .text), ("issued", "issued", .int),
        ], key: ["hallDay", "serviceId"]),
        MigrationTable(source: "queueCount", target: "queue_count", columns: [
            ("hallDay", "hall_day", .text), ("serviceId", "service_id", .text), ("rank", "rank", .int), ("waiting", "waiting", .int),
        ], key: ["hallDay", "serviceId", "rank"]),
        MigrationTable(source: "servicePause", target: "service_pause", columns: [
            ("serviceId", "service_id", .text), ("pausedAt", "paused_at", .date), ("pausedBy", "paused_by", .text),
            ("reason", "reason", .text), ("until", "until_at", .date),
        ], key: ["serviceId"]),
        MigrationTable(source: "staffSession", target: "staff_session", columns: [
            ("tokenHash", "token_hash", .text), ("staffId", "staff_id", .text), ("windowId", "window_id", .text),
            ("createdAt", "created_at", .date), ("expiresAt", "expires_at", .date), ("endedAt", "ended_at", .date),
            ("breakReason", "break_reason", .text), ("breakSince", "break_since", .date), ("heldServices", "held_services", .text),
        ], key: ["tokenHash"]),
        MigrationTable(source: "windowEvent", target: "window_event", columns: [
            ("id", "id", .int), ("windowId", "window_id", .text), ("payload", "payload", .text), ("createdAt", "created_at", .date),
        ], key: ["id"], repair: { values in
            guard case .date(nil) = values[3], case .text(let payload?) = values[2],
                  let event = try? HallJSON.decoder().decode(WindowEvent.self, from: Data(payload.utf8)) else { return values }
            var repaired = values
            repaired[3] = .date(event.at)
            return repaired
        }),
        MigrationTable(source: "rating", target: "rating", columns: [
            ("ratingId", "rating_id", .text), ("ticketId", "ticket_id", .text), ("hallDay", "hall_day", .text),
            ("assessNumber", "assess_number", .int), ("level", "level", .text), ("source", "source", .text),
            ("channel", "channel", .text), ("windowId", "window_id", .text), ("staffId", "staff_id", .text),
            ("serviceId", "service_id", .text), ("requestFingerprint", "request_fingerprint", .text), ("record", "record", .text),
            ("receivedAt", "received_at", .date),
        ], key: ["ratingId"]),
        MigrationTable(source: "deviceHealth", target: "device_health", columns: [
            ("deviceId", "device_id", .text), ("receivedAt", "received_at", .date), ("payload", "payload", .text),
        ], key: ["deviceId"]),
        // 'diskProbe' is the SQLite store's scratch row for its full-disk check, not data.
        MigrationTable(source: "serverState", target: "server_state", columns: [
            ("key", "key", .text), ("value", "value", .text),
        ], key: ["key"], filter: "key <> 'diskProbe'"),
        MigrationTable(source: "serverKey", target: "server_key", columns: [
            ("name", "name", .text), ("secret", "secret", .bytes),
        ], key: ["name"]),
        MigrationTable(source: "hallSettings", target: "hall_settings", columns: [
            ("version", "version", .int), ("document", "document", .text), ("seedDigest", "seed_digest", .text),
        ], key: ["version"]),
        MigrationTable(source: "settingsAudit", target: "settings_audit", columns: [
            ("id", "id", .int), ("version", "version", .int), ("at", "at", .date), ("actor", "actor", .text),
            ("summary", "summary", .text), ("before", "before_json", .text), ("after", "after_json", .text),
        ], key: ["id"]),
        MigrationTable(source: "staffPhoto", target: "staff_photo", columns: [
            ("digest", "digest", .text), ("contentType", "content_type", .text), ("width", "width", .int), ("height", "height", .int),
            ("bytes", "bytes", .bytes), ("storedAt", "stored_at", .date),
        ], key: ["digest"]),
    ]

    /// SQLite tables not copied, and why.
    static let notCopiedFromSQLite: [String: String] = [
        "grdb_migrations": "the SQLite schema's own version list",
        "sqlite_sequence": "SQLite's own bookkeeping",
        "alertState": "which alerts hold; the alert monitor works them out again within a minute",
    ]

    /// PostgreSQL tables with a `hall_id` that are not copied, and why.
    static let notCopiedToPostgres: [String: String] = [
        "hall_lock": "lock rows, made when first needed",
        "hall": "the hall's name, written from the hall's config (HallDirectory)",
        "hall_service": "the hall's services and departments, written from the hall's config (HallDirectory)",
        "hall_window": "the hall's windows, written from the hall's config (HallDirectory)",
        "hall_staff": "the hall's staff names and numbers, written from the hall's config (HallDirectory)",
        "city_day_ticket": "the city report's day summaries, rebuilt by the report (migrate drops the hall's days from them)",
        "city_day_rating": "the city report's day summaries, rebuilt by the report (migrate drops the hall's days from them)",
        "admin_session": "admin page sessions shared by the instances; a move to PostgreSQL logs the admin out once",
        "login_failure": "recent wrong PINs and tokens shared by the instances; they expire within 15 minutes anyway",
        "alert_state": "which alerts hold; the alert monitor works them out again within a minute",
    ]
}
