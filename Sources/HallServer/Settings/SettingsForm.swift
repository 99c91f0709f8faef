import Foundation
import HallAPI

/// A settings page form, read: what the hall manager asked for. Pure; `HallDesk.changeSettings` performs it.
enum SettingsRequest: Sendable {
    /// A change to the settings document.
    case edit(SettingsEdit)
    /// A staff member to add with this PIN (hashed before it is stored).
    case addStaff(StaffConfig, pin: String)
    case resetPin(staffId: String, pin: String)
    /// Clears a staff member's wrong-PIN lock.
    case unlock(staffId: String)
    /// A device to add; its token is made by the server and shown once.
    case addDevice(id: String, role: DeviceRole, windowId: String?)
    /// Back to `hall.toml`'s settings.
    case resetToFile
    /// A photo uploaded for staff `staffId` (checked, then stored by its digest).
    case setStaffPhoto(staffId: String, bytes: Data)
    case removeStaffPhoto(staffId: String)
}

/// Reads the forms of `/admin/settings`; a field that is missing or malformed is refused naming it.
enum SettingsForm {
    /// The weekday fields of the hours form, Monday first.
    static let weekdays: [(key: String, zh: String, en: String)] = [
        ("monday", "星期一", "Monday"), ("tuesday", "星期二", "Tuesday"), ("wednesday", "星期三", "Wednesday"),
        ("thursday", "星期四", "Thursday"), ("friday", "星期五", "Friday"), ("saturday", "星期六", "Saturday"), ("sunday", "星期日", "Sunday"),
    ]

    static func parse(_ fields: [(String, String)], current: HallSettings) throws(ConfigProblem) -> SettingsRequest {
        func value(_ name: String) -> String { (fields.first { $0.0 == name }?.1 ?? "").trimmingCharacters(in: .whitespacesAndNewlines) }
        func values(_ name: String) -> [String] { fields.filter { $0.0 == name }.map(\.1) }
        func required(_ name: String, _ label: String) throws(ConfigProblem) -> String {
            let v = value(name)
            guard !v.isEmpty else { throw ConfigProblem("\(label): please fill it in") }
            return v
        }
        func optionalInt(_ name: String, _ label: String) throws(ConfigProblem) -> Int? {
            let v = value(name)
            if v.isEmpty { return nil }
            guard let n = Int(v) else { throw ConfigProblem("\(label): '\(v.prefix(20))' is not a whole number") }
            return n
        }
        func text(_ zh: String, _ en: String) -> LocalizedText? {
            let z = value(zh)
            return z.isEmpty ? nil : LocalizedText(zh: z, en: value(en))
        }
        switch value("action") {
        case "hours":
            var hours = WeeklyHours()
            for day in weekdays {
                let spans = value(day.key).split(whereSeparator: { $0 == "," || $0 == "，" || $0 == " " || $0 == "\n" })
                    .map(String.init).filter { !$0.isEmpty }
                switch day.key {
                case "monday": hours.monday = spans
                case "tuesday": hours.tuesday = spans
                case "wednesday": hours.wednesday = spans
                case "thursday": hours.thursday = spans
                case "friday": hours.friday = spans
                case "saturday": hours.saturday = spans
                default: hours.sunday = spans
                }
            }
            return .edit(.setHours(hours, stopIssuingMinutesBeforeClose: try optionalInt("stopIssuingMinutesBeforeClose", "stop issuing minutes")))
        case "dates":
            func dates(_ name: String) -> [String] {
                value(name).split(whereSeparator: { $0 == "," || $0 == "，" || $0.isWhitespace }).map(String.init).sorted()
            }
            return .edit(.setDates(closed: dates("closedDates"), work: dates("workDates")))
        case "notices":
            return .edit(.setNotices(kiosk: text("kioskZh", "kioskEn"), calling: text("callingZh", "callingEn")))
        case "service":
            let id = try required("id", "service id")
            var service = current.services.first { $0.id == id }
                ?? ServiceConfig(id: id, name: LocalizedText(zh: "", en: ""), prefix: "")
            service.name = LocalizedText(zh: try required("nameZh", "service name"), en: value("nameEn"))
            service.group = text("groupZh", "groupEn")
            service.prefix = try required("prefix", "prefix").uppercased()
            service.dailyQuota = try optionalInt("dailyQuota", "daily quota")
            let minutes = value("averageServiceMinutes")
            if minutes.isEmpty {
                service.averageServiceMinutes = nil
            } else {
                guard let m = Double(minutes) else { throw ConfigProblem("average service minutes: '\(minutes.prefix(20))' is not a number") }
                service.averageServiceMinutes = ConfigNumber(m)
            }
            // The form always lists the windows as checkboxes: none ticked means none.
            return .edit(.putService(service, windows: values("windows")))
        case "window":
            let id = try required("id", "window id")
            let number = value("number")
            return .edit(.putWindow(WindowConfig(id: id, name: LocalizedText(zh: try required("nameZh", "window name"), en: value("nameEn")),
                                                 services: values("services"), number: number.isEmpty ? nil : number)))
        case "removeWindow":
            return .edit(.removeWindow(id: try required("id", "window id")))
        case "addStaff":
            let employeeNo = try required("employeeNo", "employee number")
            let id = value("id").isEmpty ? "s" + employeeNo : value("id")
            let staff = StaffConfig(id: id, name: try required("name", "name"), employeeNo: employeeNo, photo: nil, pinHash: "")
            return .addStaff(staff, pin: try pin(value("pin")))
        case "disableStaff":
            return .edit(.setStaffDisabled(id: try required("id", "staff id"), disabled: true))
        case "enableStaff":
            return .edit(.setStaffDisabled(id: try required("id", "staff id"), disabled: false))
        case "resetPin":
            return .resetPin(staffId: try required("id", "staff id"), pin: try pin(value("pin")))
        case "removePhoto":
            return .removeStaffPhoto(staffId: try required("id", "staff id"))
        case "unlock":
            return .unlock(staffId: try required("id", "staff id"))
        case "addDevice":
            let role = value("role")
            guard let r = DeviceRole(rawValue: role) else { throw ConfigProblem("device role: '\(role.prefix(30))' is not a device role") }
            let window = value("window")
            return .addDevice(id: try required("id", "device id"), role: r, windowId: window.isEmpty ? nil : window)
        case "removeDevice":
            return .edit(.removeDevice(id: try required("id", "device id")))
        case "reset":
            guard value("confirm") == "yes" else { throw ConfigProblem("reset: tick the box to confirm going back to hall.toml") }
            return .resetToFile
        case let other:
            throw ConfigProblem("'\(other.prefix(30))' is not a settings action")
        }
    }

    /// A new PIN: 6–32 characters, not all the same.
    static func pin(_ text: String) throws(ConfigProblem) -> String {
        guard (6...32).contains(text.count) else { throw ConfigProblem("PIN: use 6–32 characters (digits are easiest at the console)") }
        guard Set(text).count > 1 else { throw ConfigProblem("PIN: '\(String(repeating: "•", count: text.count))' repeats one character; choose another") }
        return text
    }
}
