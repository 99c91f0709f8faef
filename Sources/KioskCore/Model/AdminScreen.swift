import Foundation
import HallAPI

/// The hidden admin screen's PIN entry.
public struct AdminPinScreen: Hashable, Sendable {
    /// Digits typed (never drawn, only counted).
    public var entry: String
    public var phase: AdminPinPhase
    public init(entry: String = "", phase: AdminPinPhase = .editing) {
        self.entry = entry
        self.phase = phase
    }
}

/// Where a PIN entry stands.
public enum AdminPinPhase: Hashable, Sendable {
    case editing
    /// The adapter is checking the PIN against the configured hash.
    case checking
    /// The last PIN was wrong; `remaining` tries before the lockout.
    case wrong(remaining: Int)
    /// Too many wrong PINs: no tries until `until` (monotonic clock; drawn as a wall-clock time).
    case locked(until: Uptime)
    /// No PIN hash is configured: the admin screen cannot be opened on this device.
    case notConfigured
}

/// The admin screen: device facts gathered by the adapter, and the outcome of the last action.
public struct AdminScreen: Hashable, Sendable {
    public var info: AdminInfo?
    /// What the last action did, in plain words (e.g. "test ticket printed").
    public var message: String?
    public init(info: AdminInfo? = nil, message: String? = nil) {
        self.info = info
        self.message = message
    }
}

/// What hall IT sees on the admin screen.
public struct AdminInfo: Hashable, Sendable {
    public var deviceId: String
    public var version: String
    /// This device's IP addresses.
    public var addresses: [String]
    public var serverURL: String
    /// Round trip of `GET /healthz` in milliseconds; nil when the server did not answer.
    public var serverLatencyMilliseconds: Int?
    public var outboxPending: Int
    /// Ratings the server rejected (kept for hall IT).
    public var outboxHeld: Int
    /// Recent problems, newest first.
    public var recentErrors: [String]
    public var uptimeSeconds: Int
    /// True when the server answered `/healthz` as degraded (its database or its clock; the reason is in `recentErrors`).
    public var serverDegraded: Bool

    public init(deviceId: String, version: String, addresses: [String], serverURL: String, serverLatencyMilliseconds: Int?,
                outboxPending: Int, outboxHeld: Int, recentErrors: [String], uptimeSeconds: Int, serverDegraded: Bool = false) {
        self.deviceId = deviceId
        self.version = version
        self.addresses = addresses
        self.serverURL = serverURL
        self.serverLatencyMilliseconds = serverLatencyMilliseconds
        self.outboxPending = outboxPending
        self.outboxHeld = outboxHeld
        self.recentErrors = recentErrors
        self.uptimeSeconds = uptimeSeconds
        self.serverDegraded = serverDegraded
    }
}

/// What the admin screen's buttons ask the adapter to do.
public enum AdminCommand: String, Hashable, Sendable, CaseIterable {
    /// Print a sample ticket and report the job's outcome.
    case testPrint
    /// Post every rating waiting in the outbox now.
    case resendOutbox
    /// Check the config file and restart with it (the service manager starts the program again).
    case reloadConfig
    /// Exit cleanly; the service manager starts the program again.
    case restart
}

/// Which corner opens the admin PIN entry on a long press.
public enum AdminCorner: String, Hashable, Sendable, CaseIterable {
    case topLeft, topRight, bottomLeft, bottomRight
}
