import Foundation

/// `[maintenance]` in `hall.toml`: the hall server's own upkeep. Every key is optional.
///
/// | key | meaning | default |
/// |---|---|---|
/// | `windowEventDays` | window events are kept this many days for resuming event streams, then deleted (1 … 3650) | 30 |
/// | `diskReserveMiB` | size of the reserve file beside the database, given back when the disk fills so the database can recover (0 = none, … 1024) | 16 |
public struct MaintenanceSettings: Codable, Sendable, Equatable {
    public var windowEventDays: Int?
    public var diskReserveMiB: Int?

    public init(windowEventDays: Int? = nil, diskReserveMiB: Int? = nil) {
        self.windowEventDays = windowEventDays
        self.diskReserveMiB = diskReserveMiB
    }
}

/// Validated upkeep settings (see `MaintenanceSettings` for the `hall.toml` keys).
public struct Maintenance: Sendable, Equatable {
    /// Window events older than this many days are deleted. Default 30.
    public var windowEventDays: Int
    /// Reserve file size in bytes. Default 16 MiB.
    public var reserveBytes: Int
    /// Seconds between sweeps: closing ended hall days and pruning events. Default 60.
    public var sweepSeconds: Double
    /// Seconds between recovery attempts while the disk is full; also the `Retry-After` of the 503s. Default 5.
    public var diskCheckSeconds: Double

    /// The defaults.
    public init(windowEventDays: Int = 30, reserveBytes: Int = 16 << 20, sweepSeconds: Double = 60, diskCheckSeconds: Double = 5) {
        self.windowEventDays = windowEventDays
        self.reserveBytes = reserveBytes
        self.sweepSeconds = sweepSeconds
        self.diskCheckSeconds = diskCheckSeconds
    }

    /// Validates `[maintenance]`; the problem names the key.
    public init(_ settings: MaintenanceSettings?) throws(ConfigProblem) {
        self.init()
        if let days = settings?.windowEventDays {
            guard (1...3650).contains(days) else { throw ConfigProblem("maintenance.windowEventDays: \(days) must be 1 … 3650 (days)") }
            windowEventDays = days
        }
        if let mib = settings?.diskReserveMiB {
            guard (0...1024).contains(mib) else { throw ConfigProblem("maintenance.diskReserveMiB: \(mib) must be 0 (none) … 1024 (MiB)") }
            reserveBytes = mib << 20
        }
    }
}
