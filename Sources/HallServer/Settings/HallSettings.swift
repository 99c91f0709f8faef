import Crypto
import Foundation
import HallAPI

/// The part of `hall.toml` the hall manager edits in the browser: services, windows, staff, devices, opening hours,
/// closed dates and make-up workdays, and the notices of the kiosks and calling screens.
///
/// `hall.toml` seeds it; once edited, the stored document (a new version per change, see `SettingsKeeper`) wins over
/// the file for these keys, and the file keeps every other key (`[hall]` id, name, time zone, URL and tokens,
/// `[limits]`, `[database]`, `[tls]` …). Secrets are kept only as hashes: a device `token` becomes `tokenSha256`
/// when the document is made, and PINs are `pinHash` already.
public struct HallSettings: Codable, Sendable {
    public var hours: WeeklyHours
    public var stopIssuingMinutesBeforeClose: Int?
    public var closedDates: [String]
    public var workDates: [String]
    public var kioskNotice: LocalizedText?
    public var callingNotice: LocalizedText?
    public var services: [ServiceConfig]
    public var windows: [WindowConfig]
    public var staff: [StaffConfig]
    public var devices: [DeviceConfig]

    /// The editable part of `config`, with plain device tokens replaced by their SHA-256.
    public init(from config: HallConfig) {
        hours = config.hall.hours
        stopIssuingMinutesBeforeClose = config.hall.stopIssuingMinutesBeforeClose
        closedDates = config.hall.closedDates ?? []
        workDates = config.hall.workDates ?? []
        kioskNotice = config.hall.kioskNotice
        callingNotice = config.calling?.notice
        services = config.services
        windows = config.windows
        staff = config.staff
        devices = config.devices.map { device in
            var d = device
            if let plain = d.token {
                d.tokenSha256 = Hex.encode(SHA256.hash(data: Data(plain.utf8)))
                d.token = nil
            }
            return d
        }
    }

    /// `seed` with these settings in place of its editable keys.
    public func applied(to seed: HallConfig) -> HallConfig {
        var c = seed
        c.hall.hours = hours
        c.hall.stopIssuingMinutesBeforeClose = stopIssuingMinutesBeforeClose
        c.hall.closedDates = closedDates.isEmpty ? nil : closedDates
        c.hall.workDates = workDates.isEmpty ? nil : workDates
        c.hall.kioskNotice = kioskNotice
        if callingNotice != nil || c.calling != nil {
            var calling = c.calling ?? CallingSettings()
            calling.notice = callingNotice
            c.calling = calling
        }
        c.services = services
        c.windows = windows
        c.staff = staff
        c.devices = devices
        return c
    }

    /// The document as stored: JSON with sorted keys (the same settings always give the same bytes).
    public func encoded() throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return try encoder.encode(self)
    }

    /// A stored document back; a document this server cannot read is refused naming the version.
    public static func decode(_ data: Data, version: Int) throws -> HallSettings {
        do {
            return try JSONDecoder().decode(HallSettings.self, from: data)
        } catch {
            throw ConfigProblem("stored settings version \(version) cannot be read (\(error)); reset them to hall.toml with `hallserver settings reset`")
        }
    }

    /// SHA-256 (hex) of the encoded document: what a stored version was based on (see `StoredSettings.seedDigest`).
    public func digest() throws -> String { Hex.encode(SHA256.hash(data: try encoded())) }
}
