import Foundation
import Logging

/// What the editable settings start from: the decoded `hall.toml` and its folder (photos are relative to it).
public struct SettingsSeed: Sendable {
    public var config: HallConfig
    public var configFolder: String

    public init(config: HallConfig, configFolder: String) {
        self.config = config
        self.configFolder = configFolder
    }
}

/// The hall the server runs on now, swapped whole when the settings change — by an edit on this instance
/// (`apply`) or by one another instance stored (`refresh`, run every few seconds by `SettingsFollower`).
///
/// Which wins: `hall.toml` seeds the settings. Once the hall manager edits them, the stored document (a new version
/// per change) wins over the file for the editable keys (`HallSettings`); every other key always comes from the file.
/// `hallserver settings reset` (or a reset on the page) stores "back to the file" as a new version.
public final class SettingsKeeper: @unchecked Sendable {
    /// The hall in force with the config it was made from and the stored version (0: nothing stored).
    public struct Current: Sendable {
        public var hall: Hall
        public var config: HallConfig
        public var version: Int
    }

    /// Nil when the server was built from a `Hall` alone (then the settings cannot be edited).
    public let seed: SettingsSeed?
    private let lock = NSLock()
    private var current: Current
    private var listeners: [@Sendable (Hall) -> Void] = []
    /// Why the stored settings were not used at start (they broke a rule); nil when they were, or none are stored.
    public private(set) var startProblem: String?

    /// A keeper on a fixed hall (no seed: not editable).
    public init(fixed hall: Hall, config: HallConfig? = nil) {
        seed = nil
        current = Current(hall: hall, config: config ?? HallConfig(hall: HallSection(id: hall.id, name: hall.name, publicBaseUrl: hall.publicBaseUrl,
                                                                                     hours: WeeklyHours()), services: [], windows: [], staff: [], devices: []),
                          version: 0)
    }

    /// A keeper starting on `stored` over `seed` (`fileHall`: the seed validated). Stored settings that break a rule
    /// now (the file changed under them) are not used: the file's are, and `startProblem` says why.
    public init(seed: SettingsSeed, fileHall: Hall, stored: StoredSettings?, logger: Logger) {
        self.seed = seed
        var start = Current(hall: fileHall, config: seed.config, version: stored?.version ?? 0)
        if let stored, let document = stored.document {
            do {
                let config = try HallSettings.decode(document, version: stored.version).applied(to: seed.config)
                start.hall = try config.validated(configFolder: seed.configFolder)
                start.config = config
                logger.info("hall settings: using the version edited in the browser", metadata: ["settings.version": "\(stored.version)"])
                if let digest = try? HallSettings(from: seed.config).digest(), stored.seedDigest != digest {
                    logger.warning("\("hall settings: hall.toml's services, windows, staff, devices or hours changed since the settings were edited in the browser; the browser's edits win. `hallserver settings reset --config FILE` goes back to the file")")
                }
            } catch {
                let problem = "stored settings version \(stored.version) are not used: \(error); running on hall.toml's settings. "
                    + "Fix it on the settings page or run `hallserver settings reset`"
                startProblem = problem
                logger.error("hall settings: \(problem)")
            }
        }
        current = start
    }

    /// The hall in force.
    public var hall: Hall { lock.withLock { current.hall } }
    /// The hall, its config and the settings version in force.
    public var now: Current { lock.withLock { current } }
    /// Whether the settings can be edited (the server knows its `hall.toml`).
    public var isEditable: Bool { seed != nil }

    /// Calls `body` with the new hall after every swap (on the swapping task).
    func onChange(_ body: @escaping @Sendable (Hall) -> Void) { lock.withLock { listeners.append(body) } }

    /// The settings document in force: the stored one, or the seed's.
    func document(_ stored: StoredSettings?) throws -> HallSettings {
        guard let seed else { throw ConfigProblem("the server was started without its hall.toml; settings cannot be edited") }
        if let stored, let document = stored.document { return try HallSettings.decode(document, version: stored.version) }
        return HallSettings(from: seed.config)
    }

    /// Makes `edit` (checked with every `check-config` rule), stores it as a new version with its audit line and swaps
    /// the running hall. A rule broken throws `ConfigProblem` and changes nothing.
    /// - Returns: the new version.
    @discardableResult
    public func apply(_ edit: SettingsEdit, actor: String, at: Date, store: any SettingsStore) async throws -> Int {
        guard let seed else { throw ConfigProblem("the server was started without its hall.toml; settings cannot be edited") }
        for _ in 0..<5 {
            let stored = try await store.storedSettings()
            let (settings, record) = try edit.apply(to: try document(stored))
            let config = settings.applied(to: seed.config)
            let hall = try config.validated(configFolder: seed.configFolder)
            try Self.checkCoverage(of: hall, before: self.hall)
            let version = stored?.version ?? 0
            let audit = SettingsAuditEntry(version: version + 1, at: at, actor: actor, summary: record.summary, before: record.before, after: record.after)
            let digest = try stored?.seedDigest ?? HallSettings(from: seed.config).digest()
            if try await store.saveSettings(try settings.encoded(), seedDigest: digest, replacing: version, audit: audit) {
                swap(Current(hall: hall, config: config, version: version + 1))
                return version + 1
            }
            // Another instance saved first: make the edit again on top of its version.
        }
        throw ConfigProblem("the settings changed five times while this change was being saved; try again")
    }

    /// Goes back to `hall.toml`'s settings (stored as a new version, with an audit line).
    @discardableResult
    public func resetToFile(actor: String, at: Date, store: any SettingsStore) async throws -> Int {
        guard let seed else { throw ConfigProblem("the server was started without its hall.toml; settings cannot be edited") }
        let hall = try seed.config.validated(configFolder: seed.configFolder)
        for _ in 0..<5 {
            let stored = try await store.storedSettings()
            let version = stored?.version ?? 0
            let before = try? document(stored)
            let audit = SettingsAuditEntry(version: version + 1, at: at, actor: actor, summary: "reset the settings to hall.toml",
                                           before: before.map { SettingsEdit.json(Self.counts($0)) }, after: SettingsEdit.json(Self.counts(HallSettings(from: seed.config))))
            if try await store.saveSettings(nil, seedDigest: nil, replacing: version, audit: audit) {
                swap(Current(hall: hall, config: seed.config, version: version + 1))
                return version + 1
            }
        }
        throw ConfigProblem("the settings changed five times while resetting them; try again")
    }

    /// Takes the stored settings when another instance (or `hallserver settings reset`) changed them.
    /// - Returns: true when the running hall was swapped.
    @discardableResult
    public func refresh(store: any SettingsStore, logger: Logger) async throws -> Bool {
        guard let seed else { return false }
        let stored = try await store.storedSettings()
        let version = stored?.version ?? 0
        guard version != now.version else { return false }
        do {
            let config = try stored?.document.map { try HallSettings.decode($0, version: version).applied(to: seed.config) } ?? seed.config
            let hall = try config.validated(configFolder: seed.configFolder)
            swap(Current(hall: hall, config: config, version: version))
            logger.info("hall settings: took version \(version) saved by another instance")
            return true
        } catch {
            logger.error("hall settings: version \(version) breaks a rule and is not used: \(error)")
            return false
        }
    }

    /// `check-config`'s coverage rule for a change: refused when it leaves a service without a window that had one
    /// (a hall that already had such a service is not refused for unrelated changes).
    static func checkCoverage(of hall: Hall, before: Hall) throws(ConfigProblem) {
        let after = HallCoverage(hall)
        let worse = after.newlyUnserved(comparedWith: HallCoverage(before))
        if let refusal = HallCoverage.refusal(worse) { throw ConfigProblem(refusal.zh + " / " + refusal.en) }
    }

    /// How many items a document has, for the audit line of a reset.
    private static func counts(_ s: HallSettings) -> [String: Int] {
        ["services": s.services.count, "windows": s.windows.count, "staff": s.staff.count, "devices": s.devices.count]
    }

    private func swap(_ new: Current) {
        let listeners: [@Sendable (Hall) -> Void] = lock.withLock {
            // A slower save of an older version never replaces a newer one.
            guard new.version > current.version || (new.version == current.version && new.version == 0) else { return [] }
            current = new
            return self.listeners
        }
        for listener in listeners { listener(new.hall) }
    }
}
