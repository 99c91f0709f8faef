import Foundation
import HallAPI

/// One change the hall manager makes on the settings page. Applying it to `HallSettings` is pure: the result is then
/// validated with every `check-config` rule (`HallConfig.validated`) before it is stored.
public enum SettingsEdit: Sendable {
    /// Adds a service, or replaces the one with the same id; `windows` (when given) are the windows that serve it: it is
    /// added to their `services` and taken off every other window's.
    case putService(ServiceConfig, windows: [String]?)
    /// Adds a window, or replaces the one with the same id.
    case putWindow(WindowConfig)
    case removeWindow(id: String)
    /// Adds a staff member (their PIN already hashed).
    case addStaff(StaffConfig)
    case setStaffDisabled(id: String, disabled: Bool)
    /// The photo stored under `digest` for staff `id` (nil: no photo); it replaces a `photo` file from hall.toml.
    case setStaffPhoto(id: String, digest: String?)
    /// A new PIN, already hashed (`SecretHash`).
    case resetPin(staffId: String, pinHash: String)
    /// The hall's weekly hours and how long before closing issuing stops.
    case setHours(WeeklyHours, stopIssuingMinutesBeforeClose: Int?)
    case setDates(closed: [String], work: [String])
    case setNotices(kiosk: LocalizedText?, calling: LocalizedText?)
    /// Adds a device whose token is already hashed (`tokenSha256`).
    case addDevice(DeviceConfig)
    case removeDevice(id: String)

    /// What the audit log says about a change: a line, and the item before and after (secrets left out).
    public struct Record: Sendable {
        public var summary: String
        public var before: String?
        public var after: String?
    }

    /// `settings` with this edit made, and its audit record; an edit naming what is not there is refused.
    public func apply(to settings: HallSettings) throws(ConfigProblem) -> (HallSettings, Record) {
        var s = settings
        switch self {
        case .putService(let service, let windows):
            let old = s.services.firstIndex { $0.id == service.id }
            if let old { s.services[old] = service } else { s.services.append(service) }
            let servedBefore = settings.windows.filter { $0.services.contains(service.id) }.map(\.id)
            if let windows {
                for id in windows where !s.windows.contains(where: { $0.id == id }) {
                    throw ConfigProblem("service \(service.id): no window has id '\(id.prefix(40))'")
                }
                for i in s.windows.indices {
                    let serves = s.windows[i].services.contains(service.id)
                    if windows.contains(s.windows[i].id), !serves { s.windows[i].services.append(service.id) }
                    if !windows.contains(s.windows[i].id), serves { s.windows[i].services.removeAll { $0 == service.id } }
                }
            }
            let servedAfter = s.windows.filter { $0.services.contains(service.id) }.map(\.id)
            return (s, Record(summary: "\(old == nil ? "added" : "changed") service \(service.id)"
                                  + (servedAfter == servedBefore ? "" : " (windows: \(servedAfter.joined(separator: ", ")))"),
                              before: old.map { Self.json(ServiceEntry(service: settings.services[$0], windows: servedBefore)) },
                              after: Self.json(ServiceEntry(service: service, windows: servedAfter))))
        case .putWindow(let window):
            let old = s.windows.firstIndex { $0.id == window.id }
            if let old { s.windows[old] = window } else { s.windows.append(window) }
            return (s, Record(summary: "\(old == nil ? "added" : "changed") window \(window.id)",
                              before: old.map { Self.json(settings.windows[$0]) }, after: Self.json(window)))
        case .removeWindow(let id):
            guard let old = s.windows.firstIndex(where: { $0.id == id }) else { throw ConfigProblem("windows: no window has id '\(id)'") }
            s.windows.remove(at: old)
            return (s, Record(summary: "removed window \(id)", before: Self.json(settings.windows[old]), after: nil))
        case .addStaff(let staff):
            s.staff.append(staff)
            return (s, Record(summary: "added staff \(staff.id) (\(staff.employeeNo))", before: nil, after: Self.json(Self.redacted(staff))))
        case .setStaffDisabled(let id, let disabled):
            let i = try Self.staffIndex(id, in: s)
            s.staff[i].disabled = disabled ? true : nil
            return (s, Record(summary: "\(disabled ? "disabled" : "enabled") staff \(id)",
                              before: Self.json(Self.redacted(settings.staff[i])), after: Self.json(Self.redacted(s.staff[i]))))
        case .setStaffPhoto(let id, let digest):
            let i = try Self.staffIndex(id, in: s)
            s.staff[i].photoSha256 = digest
            s.staff[i].photo = nil
            // The digest only: never the image.
            func entry(_ c: StaffConfig) -> [String: String?] { ["photoSha256": c.photoSha256, "photo": c.photo] }
            return (s, Record(summary: digest == nil ? "removed the photo of staff \(id)" : "changed the photo of staff \(id)",
                              before: Self.json(entry(settings.staff[i])), after: Self.json(entry(s.staff[i]))))
        case .resetPin(let staffId, let pinHash):
            let i = try Self.staffIndex(staffId, in: s)
            s.staff[i].pinHash = pinHash
            return (s, Record(summary: "reset the PIN of staff \(staffId)", before: nil, after: nil))
        case .setHours(let hours, let stop):
            s.hours = hours
            s.stopIssuingMinutesBeforeClose = stop
            return (s, Record(summary: "changed opening hours", before: Self.json(settings.hours), after: Self.json(hours)))
        case .setDates(let closed, let work):
            s.closedDates = closed
            s.workDates = work
            return (s, Record(summary: "changed closed dates and make-up workdays",
                              before: Self.json(["closedDates": settings.closedDates, "workDates": settings.workDates]),
                              after: Self.json(["closedDates": closed, "workDates": work])))
        case .setNotices(let kiosk, let calling):
            s.kioskNotice = kiosk
            s.callingNotice = calling
            return (s, Record(summary: "changed notices",
                              before: Self.json(["kiosk": settings.kioskNotice, "calling": settings.callingNotice]),
                              after: Self.json(["kiosk": kiosk, "calling": calling])))
        case .addDevice(let device):
            s.devices.append(device)
            return (s, Record(summary: "added device \(device.id)", before: nil, after: Self.json(Self.redacted(device))))
        case .removeDevice(let id):
            guard let old = s.devices.firstIndex(where: { $0.id == id }) else { throw ConfigProblem("devices: no device has id '\(id)'") }
            s.devices.remove(at: old)
            return (s, Record(summary: "removed device \(id)", before: Self.json(Self.redacted(settings.devices[old])), after: nil))
        }
    }

    private static func staffIndex(_ id: String, in s: HallSettings) throws(ConfigProblem) -> Int {
        guard let i = s.staff.firstIndex(where: { $0.id == id }) else { throw ConfigProblem("staff: no staff member has id '\(id)'") }
        return i
    }

    /// A service with the windows that serve it, for the audit log.
    private struct ServiceEntry: Encodable {
        var service: ServiceConfig
        var windows: [String]
    }

    /// A staff entry without its PIN hash (the audit log never holds secrets, not even hashed).
    static func redacted(_ staff: StaffConfig) -> StaffConfig {
        var s = staff
        s.pinHash = "(hidden)"
        return s
    }

    /// A device entry without its token hash.
    static func redacted(_ device: DeviceConfig) -> DeviceConfig {
        var d = device
        d.token = nil
        d.tokenSha256 = nil
        return d
    }

    /// Compact JSON with sorted keys, for the audit log.
    static func json<T: Encodable>(_ value: T) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return (try? encoder.encode(value)).map { String(decoding: $0, as: UTF8.self) } ?? "?"
    }
}
