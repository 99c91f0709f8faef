import Foundation

/// The hall's settings as stored: the newest version of the document the settings pages edit.
public struct StoredSettings: Sendable, Equatable {
    /// 1 for the first change, one more for each change after it (a reset to `hall.toml` too).
    public var version: Int
    /// The `HallSettings` JSON in force; nil: `hall.toml`'s own settings are (nothing edited, or reset to the file).
    public var document: Data?
    /// Digest of the file's settings the edits started from (`HallSettings.digest`): tells when `hall.toml` has been
    /// changed since, which the server then says in its log.
    public var seedDigest: String?

    public init(version: Int, document: Data?, seedDigest: String?) {
        self.version = version
        self.document = document
        self.seedDigest = seedDigest
    }
}

/// One line of the settings audit log: who changed what, when, and the item before and after (never a secret).
public struct SettingsAuditEntry: Sendable, Equatable {
    /// The settings version the change made; for changes that are not settings (unlocking a staff member) the
    /// version that was in force.
    public var version: Int
    public var at: Date
    /// Who: `admin` (an admin page session, with the first characters of its id) or `hallserver settings reset`.
    public var actor: String
    public var summary: String
    /// JSON of the item before and after the change (nil: there was none / there is none now).
    public var before: String?
    public var after: String?

    public init(version: Int, at: Date, actor: String, summary: String, before: String?, after: String?) {
        self.version = version
        self.at = at
        self.actor = actor
        self.summary = summary
        self.before = before
        self.after = after
    }
}

/// Where the settings edited in the browser and their audit log are kept. Every `HallStore` is one; on a store several
/// server instances share, what one instance saves the others read (`SettingsKeeper.refresh`).
public protocol SettingsStore: Sendable {
    /// The newest stored settings; nil when they were never edited.
    func storedSettings() async throws -> StoredSettings?

    /// Stores `document` (nil: back to `hall.toml`) as version `replacing + 1` with its audit entry, in one transaction,
    /// only if the stored version is still `replacing` (0: none stored). Returns false, storing nothing, when another
    /// change came first.
    func saveSettings(_ document: Data?, seedDigest: String?, replacing version: Int, audit: SettingsAuditEntry) async throws -> Bool

    /// Adds a line to the audit log for a change that is not part of the settings document.
    func recordSettingsAudit(_ entry: SettingsAuditEntry) async throws

    /// The newest `limit` lines of the audit log, newest first.
    func settingsAudit(limit: Int) async throws -> [SettingsAuditEntry]

    /// Keeps a staff photo under its digest (kept once however often it is saved). The settings document then names
    /// the digest (`StaffConfig.photoSha256`).
    func saveStaffPhoto(_ photo: StaffPhoto, at: Date) async throws

    /// The photo stored under `digest`; nil when there is none.
    func staffPhoto(digest: String) async throws -> StaffPhoto?
}
