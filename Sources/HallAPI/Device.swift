import Foundation

/// What a device is.
public enum DeviceRole: String, Codable, Hashable, Sendable, CaseIterable {
    case ticketKiosk
    case ratingDevice
    /// A calling display (叫号屏): the hall screen, or one window's screen when it names a window.
    case callingDisplay

    /// Refuses an unknown role naming the ones there are (configs are typed by hand).
    public init(from decoder: any Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        guard let role = DeviceRole(rawValue: text) else {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription:
                "'\(text)' is not a device role; use \(Self.allCases.map { "\"\($0.rawValue)\"" }.joined(separator: " or "))"))
        }
        self = role
    }
}

/// The printer's condition as the kiosk last saw it.
public enum PrinterCondition: String, Codable, Hashable, Sendable {
    case ok
    case paperLow
    case paperOut
    case coverOpen
    case offline
    case stopped
    case notConfigured
    case unknown
}

/// Printer health reported by a kiosk.
public struct PrinterHealth: Codable, Hashable, Sendable {
    public var condition: PrinterCondition
    /// `printer-state-reasons` with `-report/-warning/-error` stripped.
    public var reasons: [String]
    public var message: String?
    public init(condition: PrinterCondition, reasons: [String] = [], message: String? = nil) {
        self.condition = condition
        self.reasons = reasons
        self.message = message
    }
}

/// `POST /api/v1/devices/{id}/heartbeat`: a device's health, every 30 s and on change.
public struct DeviceHeartbeat: Codable, Hashable, Sendable {
    public var version: String
    public var uptimeSeconds: Int
    public var printer: PrinterHealth?
    /// Ratings stored locally and not yet delivered.
    public var outboxDepth: Int
    /// Ratings the server rejected, kept for the admin screen.
    public var outboxRejected: Int
    public var lastError: String?
    /// The screen shown now (e.g. `home`, `offline`), for remote diagnosis: a `DeviceScreen` raw value
    /// (`deviceScreen` reads and writes it typed).
    public var screen: String?
    /// True when issuing was paused at the kiosk by hall IT.
    public var issuingPaused: Bool?
    /// Why this device cannot store ratings now (its outbox's disk is full, unwritable or corrupt), so it offers none;
    /// absent when it can.
    public var ratingsUnavailable: String?
    /// The device's own IP addresses (loopback and link-local left out), so IT can reach it on the hall network.
    public var addresses: [String]?
    /// The round trip of the device's previous heartbeat, in milliseconds: how quickly this device reaches the server.
    public var serverLatencyMs: Double?
    /// The device's own clock when it sent this heartbeat; the device page flags a device whose clock is far from
    /// the server's.
    public var deviceTime: Date?
    /// The ID card reader (身份证阅读器) of a kiosk that has one configured; absent otherwise. Health only: never card data.
    public var idCardReader: IDCardReaderHealth?

    /// `screen` of a kiosk that is running but cannot open its display (its `lastError` says why).
    public static let noDisplayScreen = DeviceScreen.noDisplay.rawValue

    public init(version: String, uptimeSeconds: Int, printer: PrinterHealth?, outboxDepth: Int, outboxRejected: Int,
                lastError: String?, screen: String?, issuingPaused: Bool? = nil, ratingsUnavailable: String? = nil,
                addresses: [String]? = nil, serverLatencyMs: Double? = nil, deviceTime: Date? = nil,
                idCardReader: IDCardReaderHealth? = nil) {
        self.version = version
        self.uptimeSeconds = uptimeSeconds
        self.printer = printer
        self.outboxDepth = outboxDepth
        self.outboxRejected = outboxRejected
        self.lastError = lastError
        self.screen = screen
        self.issuingPaused = issuingPaused
        self.ratingsUnavailable = ratingsUnavailable
        self.addresses = addresses
        self.serverLatencyMs = serverLatencyMs
        self.deviceTime = deviceTime
        self.idCardReader = idCardReader
    }
}

/// A kiosk's ID card reader as it last saw it: whether it answers, its SAM status, its last problem. Never card data.
public struct IDCardReaderHealth: Codable, Hashable, Sendable {
    /// The configured port (`/dev/ttyUSB0`, a udev link, or the automatic choice in words).
    public var device: String
    /// The port is open and the reader answers.
    public var connected: Bool
    /// Connected and the SAM passed its self-test (status 90): cards can be read.
    public var ready: Bool
    /// The last SAM status answer with its meaning, e.g. `90 (success)`; absent before the first.
    public var samStatus: String?
    /// The latest problem, absent while all is well.
    public var lastError: String?

    public init(device: String, connected: Bool, ready: Bool, samStatus: String? = nil, lastError: String? = nil) {
        self.device = device
        self.connected = connected
        self.ready = ready
        self.samStatus = samStatus
        self.lastError = lastError
    }
}

/// The answer to a heartbeat.
public struct HeartbeatAck: Codable, Hashable, Sendable {
    public var serverTime: Date
    public var hallDay: String
    public init(serverTime: Date, hallDay: String) {
        self.serverTime = serverTime
        self.hallDay = hallDay
    }
}

/// `GET /healthz`.
public struct HealthStatus: Codable, Hashable, Sendable {
    /// `ok` or `degraded`.
    public var status: String
    public var version: String
    public var database: String
    /// Why the server's clock cannot be trusted (no numbers are issued until it is fixed); absent when it is fine.
    public var clock: String?
    /// Why ID-card check-in and appointments are off (no identity key file, or one that cannot be used); absent when on.
    public var identity: String?
    public init(status: String, version: String, database: String, clock: String? = nil, identity: String? = nil) {
        self.status = status
        self.version = version
        self.database = database
        self.clock = clock
        self.identity = identity
    }
}

/// One device on `GET /api/v1/devices`: its last heartbeat and what needs a hand.
public struct DeviceStatusEntry: Codable, Hashable, Sendable {
    public var id: String
    public var role: DeviceRole
    public var windowId: String?
    public var lastSeen: Date?
    public var heartbeat: DeviceHeartbeat?
    /// Plain sentences, worst first; empty when the device is fine.
    public var alerts: [String]
    public init(id: String, role: DeviceRole, windowId: String?, lastSeen: Date?, heartbeat: DeviceHeartbeat?, alerts: [String]) {
        self.id = id
        self.role = role
        self.windowId = windowId
        self.lastSeen = lastSeen
        self.heartbeat = heartbeat
        self.alerts = alerts
    }
}
