import Foundation

/// An alert as stored: raised at `since`, resolved at `resolvedAt` (nil while it holds).
public struct StoredAlert: Sendable, Equatable {
    /// What and where, e.g. `printer.paperOut|kiosk-1` (never personal data).
    public var key: String
    public var since: Date
    public var resolvedAt: Date?

    public init(key: String, since: Date, resolvedAt: Date?) {
        self.key = key
        self.since = since
        self.resolvedAt = resolvedAt
    }
}

/// Which alerts hold, kept where every server instance of the hall sees it: each alert is announced once and its
/// resolution once, by whichever instance notices first.
public protocol AlertStore: Sendable {
    /// Marks `key` raised (`active`) or resolved at `at`. Returns true when this call changed the stored state, so the
    /// caller announces it; false when it was already so (another instance, or before a restart, announced it).
    func markAlert(key: String, active: Bool, at: Date) async throws -> Bool

    /// Every alert that holds now, oldest first.
    func activeAlerts() async throws -> [StoredAlert]
}
