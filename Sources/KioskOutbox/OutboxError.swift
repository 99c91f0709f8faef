import Foundation
import GRDB

/// Why the outbox could not store or read ratings. `description` is for the log (names the file and
/// the fix); `kind` lets the UI pick its own sentence for the citizen (e.g. "ratings are unavailable
/// at this device, please use the phone page").
public struct OutboxError: Error, Sendable, CustomStringConvertible {
    /// What kind of trouble.
    public enum Kind: String, Sendable {
        /// The disk (or the database's size limit) is full: new ratings cannot be stored.
        case diskFull
        /// The database file or its folder cannot be created or written (permissions, read-only mount, missing folder).
        case unwritable
        /// The database file is damaged or is not an outbox database.
        case corrupt
        /// The rating itself cannot be stored (e.g. a 差评 without a reason, an empty ratingId,
        /// or a ratingId already used for a different rating).
        case invalidRating
        /// Anything else SQLite reported.
        case storage
    }

    /// What kind of trouble (the UI picks its sentence by it).
    public var kind: Kind
    /// A sentence for the log: what went wrong, where, and how to fix it.
    public var description: String

    public init(kind: Kind, description: String) {
        self.kind = kind
        self.description = description
    }

    /// True when nothing can be stored until hall IT acts (disk full, unwritable, corrupt): the UI should
    /// stop offering ratings at this device.
    public var blocksNewRatings: Bool { kind != .invalidRating }

    /// Maps a SQLite error for the database at `path` while `doing` something.
    static func from(_ error: Error, path: String, doing: String) -> OutboxError {
        if let e = error as? OutboxError { return e }
        guard let db = error as? DatabaseError else {
            return OutboxError(kind: .storage, description: "rating outbox '\(path)': \(doing) failed: \(error)")
        }
        switch db.resultCode {
        case .SQLITE_FULL:
            return OutboxError(kind: .diskFull, description:
                "rating outbox '\(path)': \(doing) failed, the disk is full (\(db.message ?? "SQLITE_FULL")); free space on that file system — stored ratings are kept")
        case .SQLITE_READONLY, .SQLITE_CANTOPEN, .SQLITE_PERM, .SQLITE_AUTH:
            return OutboxError(kind: .unwritable, description:
                "rating outbox '\(path)': \(doing) failed, the database cannot be written (\(db.message ?? "\(db.resultCode)")); make the file and its folder writable by the kiosk user, or set outbox.path to a writable place")
        case .SQLITE_IOERR:
            return OutboxError(kind: .unwritable, description:
                "rating outbox '\(path)': \(doing) failed with an I/O error (\(db.message ?? "SQLITE_IOERR")); check the disk (dmesg) and free space")
        case .SQLITE_CORRUPT, .SQLITE_NOTADB:
            return OutboxError(kind: .corrupt, description:
                "rating outbox '\(path)': \(doing) failed, the file is damaged or not an outbox (\(db.message ?? "\(db.resultCode)")); move it aside (keep it for recovery) and restart")
        default:
            return OutboxError(kind: .storage, description: "rating outbox '\(path)': \(doing) failed: \(db.message ?? "\(db.resultCode)")")
        }
    }
}
