import Foundation
import GRDB

/// `[backup]` in `hall.toml`: where `hallserver backup` (the daily `hallserver-backup.timer`) puts its copies.
///
/// Keys: `folder` (absolute path; default `/var/lib/hallserver/backups`), `keep` (newest copies kept,
/// 1…1000; default 14).
public struct BackupSettings: Codable, Sendable, Equatable {
    public var folder: String?
    public var keep: Int?

    public init(folder: String? = nil, keep: Int? = nil) {
        self.folder = folder
        self.keep = keep
    }

    public static let defaultFolder = "/var/lib/hallserver/backups"
    public static let defaultKeep = 14

    /// What hall IT must also do for `folder`: the `hallserver-backup` unit runs with `ProtectSystem=strict` and may
    /// only write under `/var/lib/hallserver`, so a folder elsewhere (a USB disk, a NAS mount) needs a drop-in.
    /// `nil` when the folder is the service's own.
    public var serviceWriteAccessAdvice: String? {
        let folder = URL(fileURLWithPath: self.folder ?? Self.defaultFolder).standardizedFileURL.path
        guard folder != "/var/lib/hallserver", !folder.hasPrefix("/var/lib/hallserver/") else { return nil }
        return "backup.folder '\(folder)' is outside /var/lib/hallserver: the daily hallserver-backup service may not write "
            + "there until you run `systemctl edit hallserver-backup` and add  [Service]  ReadWritePaths=\(folder)"
    }

    /// Checks the values; the problem names the key.
    public func validated() throws(ConfigProblem) -> (folder: String, keep: Int) {
        let folder = self.folder ?? Self.defaultFolder
        guard folder.hasPrefix("/") else { throw ConfigProblem("backup.folder: '\(folder)' must be an absolute path such as \"/var/lib/hallserver/backups\"") }
        let keep = self.keep ?? Self.defaultKeep
        guard (1...1000).contains(keep) else { throw ConfigProblem("backup.keep: \(keep) must be between 1 and 1000") }
        return (folder, keep)
    }
}

/// Why a backup failed: what, where, and what to do.
public struct HallBackupError: Error, CustomStringConvertible, Sendable {
    public var description: String
    public init(_ description: String) { self.description = description }
}

/// Online backups of the hall server's SQLite database.
///
/// Uses SQLite's backup API (through GRDB) in one step: it reads a consistent snapshot while the running
/// server keeps writing (WAL mode: readers never block the writer). The copy is written under a temporary
/// name, switched to `journal_mode=DELETE` (one self-contained file), checked with `PRAGMA integrity_check`,
/// then renamed to `hallserver-YYYYMMDDTHHMMSSZ.sqlite`; copies beyond `keep` are removed, oldest first.
public enum HallBackup {
    /// What one backup did.
    public struct Outcome: Sendable {
        /// The new copy.
        public var path: String
        public var bytes: Int64
        /// Older copies removed to keep `keep`.
        public var removed: [String]
        public var seconds: Double
    }

    /// Backs `databasePath` up into `folder` (created if missing) and keeps the newest `keep` copies.
    public static func run(databasePath: String, folder: String, keep: Int, now: Date = Date()) throws(HallBackupError) -> Outcome {
        let started = ContinuousClock.now
        let files = FileManager.default
        guard files.fileExists(atPath: databasePath) else {
            throw HallBackupError("no database at '\(databasePath)': check --db (the server creates it when it first starts)")
        }
        guard keep >= 1 else { throw HallBackupError("--keep \(keep): keep at least 1 copy") }
        do {
            try files.createDirectory(atPath: folder, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o750])
        } catch {
            throw HallBackupError("cannot create the backup folder '\(folder)': \(reason(error)); "
                + "it must be writable by the user running the backup (under systemd: ReadWritePaths= in hallserver-backup.service)")
        }
        let final = uniqueName(in: folder, stamp: stamp(now))
        let partial = folder + "/." + (final as NSString).lastPathComponent + ".partial"
        try? files.removeItem(atPath: partial)
        do {
            var sourceConfig = Configuration()
            sourceConfig.busyMode = .timeout(30)
            sourceConfig.label = "backup-source"
            let source = try DatabaseQueue(path: databasePath, configuration: sourceConfig)
            let copy = try DatabaseQueue(path: partial)
            try source.backup(to: copy)
            try source.close()
            let check: [String] = try copy.writeWithoutTransaction { db in
                try db.execute(sql: "PRAGMA journal_mode = DELETE")
                return try String.fetchAll(db, sql: "PRAGMA integrity_check")
            }
            try copy.close()
            guard check == ["ok"] else {
                try? files.removeItem(atPath: partial)
                throw HallBackupError("the copy of '\(databasePath)' failed PRAGMA integrity_check: "
                    + check.prefix(5).joined(separator: "; ") + " — the database itself may be damaged; keep the older backups")
            }
        } catch let error as HallBackupError {
            throw error
        } catch {
            try? files.removeItem(atPath: partial)
            throw HallBackupError("backup of '\(databasePath)' into '\(folder)' failed: \(reason(error))")
        }
        do {
            try files.moveItem(atPath: partial, toPath: final)
        } catch {
            throw HallBackupError("cannot rename the finished copy to '\(final)': \(reason(error))")
        }
        let bytes = ((try? files.attributesOfItem(atPath: final))?[.size] as? NSNumber)?.int64Value ?? 0
        let removed = prune(folder: folder, keep: keep)
        return Outcome(path: final, bytes: bytes, removed: removed, seconds: (ContinuousClock.now - started) / .seconds(1))
    }

    /// The copies in `folder`, newest first.
    public static func copies(in folder: String) -> [String] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []
        return names.filter(isCopyName).map { folder + "/" + $0 }.sorted { sortKey($0) > sortKey($1) }
    }

    /// `hallserver-20261001T023000Z.sqlite` (or with `-2`, `-3` … when several are made in one second).
    static func isCopyName(_ name: String) -> Bool {
        name.range(of: #"^hallserver-[0-9]{8}T[0-9]{6}Z(-[0-9]+)?\.sqlite$"#, options: .regularExpression) != nil
    }

    static func stamp(_ date: Date) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "yyyyMMdd'T'HHmmss'Z'"
        return formatter.string(from: date)
    }

    private static func uniqueName(in folder: String, stamp: String) -> String {
        var path = "\(folder)/hallserver-\(stamp).sqlite"
        var n = 2
        while FileManager.default.fileExists(atPath: path) {
            path = "\(folder)/hallserver-\(stamp)-\(n).sqlite"
            n += 1
        }
        return path
    }

    private static func prune(folder: String, keep: Int) -> [String] {
        // Names sort by time; "-2" copies of the same second sort after their first.
        let all = copies(in: folder)
        var removed: [String] = []
        for path in all.dropFirst(keep) where (try? FileManager.default.removeItem(atPath: path)) != nil {
            removed.append(path)
        }
        return removed
    }

    private static func sortKey(_ path: String) -> String {
        let name = (path as NSString).lastPathComponent.replacingOccurrences(of: ".sqlite", with: "")
        let parts = name.split(separator: "-")
        let suffix = parts.count == 3 ? Int(parts[2]) ?? 1 : 1
        return "\(parts.count > 1 ? String(parts[1]) : name)-\(String(format: "%06d", suffix))"
    }

    private static func reason(_ error: any Error) -> String {
        if let db = error as? DatabaseError { return db.message ?? "\(db.resultCode)" }
        return (error as NSError).localizedDescription
    }
}
