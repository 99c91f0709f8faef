import Crypto
import Foundation
import HallAPI

/// The validated hall: what the server runs on. Built once from `HallConfig`.
public struct Hall: Sendable {
    public struct Service: Sendable {
        public var id: String
        public var name: LocalizedText
        public var group: LocalizedText?
        public var prefix: String
        public var firstNumber: Int
        public var digits: Int
        public var dailyQuota: Int?
        public var schedule: WeeklySchedule
        public var stopIssuingMinutes: Int
        public var seedServiceMinutes: Double
        /// ID-card and per-person rules (`requiresIdCard`, `dailyLimitPerPerson`, `appointmentCapacity`).
        public var personRules = PersonRules()
        public var ref: ServiceRef { ServiceRef(id: id, name: name, prefix: prefix) }

        /// `A023` for sequence 23.
        public func number(forSequence seq: Int) -> String {
            let digitsText = String(seq)
            return prefix + String(repeating: "0", count: max(0, digits - digitsText.count)) + digitsText
        }

        /// The largest number the digits allow.
        public var lastNumber: Int { Int(pow(10.0, Double(digits))) - 1 }
    }

    public struct Window: Sendable {
        public var id: String
        public var name: LocalizedText
        public var serviceIds: [String]
        /// The short number the calling screens show and the voice says (`3`); nil: the name is used.
        public var number: String?
        public var ref: WindowRef { WindowRef(id: id, name: name) }
    }

    public struct Staff: Sendable {
        public var id: String
        public var name: String
        public var employeeNo: String
        /// The photo file (`photo` in hall.toml); nil for a photo uploaded on the settings page or none.
        public var photoPath: String?
        /// SHA-256 (hex) of the photo: of the uploaded photo kept in the store, or of the file; its start is the
        /// version in `photoUrl`, so devices cache a photo until it changes.
        public var photoSha256: String?
        public var pinHash: SecretHash
        /// Disabled in the settings: cannot log in.
        public var disabled = false
        public var summary: StaffSummary {
            StaffSummary(id: id, name: name, employeeNo: employeeNo, photoUrl: photoUrl)
        }
        /// `/staff-photos/{id}?v={first 16 hex digits of the photo's SHA-256}`; nil without a photo.
        public var photoUrl: String? {
            guard photoPath != nil || photoSha256 != nil else { return nil }
            let path = HallRoutes.staffPhoto.path(id)
            return photoSha256.map { path + "?v=" + $0.prefix(16) } ?? path
        }
    }

    public struct Device: Sendable {
        public var id: String
        public var role: DeviceRole
        public var windowId: String?
        /// SHA-256 of the bearer token.
        public var tokenDigest: [UInt8]
    }

    public var id: String
    public var name: LocalizedText
    public var timeZone: TimeZone
    public var publicBaseUrl: String
    public var adminTokenDigest: [UInt8]?
    /// SHA-256 of the token `/metrics` needs; nil: `/metrics` is open.
    public var metricsTokenDigest: [UInt8]?
    /// SHA-256 of `[city] token`: opens the city report page; nil: the page is closed.
    public var cityTokenDigest: [UInt8]?
    public var schedule: WeeklySchedule
    public var closedDates: Set<String>
    /// Make-up workdays (调休上班): open with the Monday hours.
    public var workDates: Set<String> = []
    /// The ticket kiosks' home-screen notice (`[hall] kioskNotice`).
    public var kioskNotice: LocalizedText?
    public var staffSessionSeconds: Double
    public var averageOverLast: Int
    public var ratableForDays: Int
    public var lateAfterHours: Double
    /// `[ratings] showStaffSatisfaction`: rating devices show the staff member's 好评率.
    public var showStaffSatisfaction: Bool
    /// `[ratings] staffSatisfactionDays`: days the staff figure covers.
    public var staffSatisfactionDays: Int
    /// In config order.
    public var services: [Service]
    public var windows: [Window]
    public var staff: [Staff]
    public var devices: [Device]
    /// How often a called ticket may be recalled (`[calling] recallLimit`, default 3).
    public var recallLimit: Int
    /// The calling screens' notice line (`[calling] notice`).
    public var notice: LocalizedText?
    /// The clerk console's rules (`[console]`).
    public var console = ConsoleRules()
    /// The identity key file (`[identity] keyFile`, resolved against the config folder); nil: card and appointment
    /// features are off.
    public var identityKeyFile: String?
    /// `[appointments]`.
    public var appointments = AppointmentRules()
    /// The priority lanes (绿色通道) kiosks offer (`[hall] kioskPriorityLanes`); empty: none.
    public var kioskPriorityLanes: [PriorityKind] = []

    var servicesById: [String: Int] = [:]
    var windowsById: [String: Int] = [:]
    var staffById: [String: Int] = [:]
    var staffByEmployeeNo: [String: Int] = [:]
    var devicesById: [String: Int] = [:]

    public func service(_ id: String) -> Service? { servicesById[id].map { services[$0] } }
    public func window(_ id: String) -> Window? { windowsById[id].map { windows[$0] } }
    public func staffMember(_ id: String) -> Staff? { staffById[id].map { staff[$0] } }
    public func staffMember(employeeNo: String) -> Staff? { staffByEmployeeNo[employeeNo].map { staff[$0] } }
    public func device(_ id: String) -> Device? { devicesById[id].map { devices[$0] } }

    /// Validates `config`; `configFolder` resolves relative photo paths.
    public init(config: HallConfig, configFolder: String) throws(ConfigProblem) {
        let h = config.hall
        try Self.requireId(h.id, key: "hall.id")
        id = h.id
        name = h.name
        try Self.requireText(h.name, key: "hall.name")
        let tzName = h.timezone ?? "Asia/Shanghai"
        guard let tz = TimeZone(identifier: tzName) else {
            throw ConfigProblem("hall.timezone: '\(tzName)' is not an IANA time zone such as \"Asia/Shanghai\"")
        }
        timeZone = tz
        guard let url = URL(string: h.publicBaseUrl), let scheme = url.scheme, ["http", "https"].contains(scheme),
              url.host != nil else {
            throw ConfigProblem("hall.publicBaseUrl: '\(h.publicBaseUrl)' is not an http(s) URL such as \"https://hall.example.gov.cn\"")
        }
        publicBaseUrl = h.publicBaseUrl.hasSuffix("/") ? String(h.publicBaseUrl.dropLast()) : h.publicBaseUrl
        adminTokenDigest = try Self.tokenDigest(plain: h.adminToken, hex: h.adminTokenSha256, key: "hall.adminToken")
        metricsTokenDigest = try Self.tokenDigest(plain: h.metricsToken, hex: h.metricsTokenSha256, key: "hall.metricsToken")
        cityTokenDigest = try config.city?.tokenDigest()
        if let city = cityTokenDigest, city == adminTokenDigest {
            throw ConfigProblem("city.token: must differ from hall.adminToken (the city administrator sees every hall; a hall's admin only theirs)")
        }
        schedule = try WeeklySchedule.make(h.hours, key: "hall.hours")
        let stopDefault = h.stopIssuingMinutesBeforeClose ?? 0
        guard (0...240).contains(stopDefault) else {
            throw ConfigProblem("hall.stopIssuingMinutesBeforeClose: \(stopDefault) is out of range 0…240")
        }
        var closed = Set<String>()
        for (i, d) in (h.closedDates ?? []).enumerated() {
            guard HallClock.isValidDay(d) else {
                throw ConfigProblem("hall.closedDates[\(i)]: '\(d)' is not a date like \"2026-10-01\"")
            }
            closed.insert(d)
        }
        closedDates = closed
        for (i, d) in (h.workDates ?? []).enumerated() {
            guard HallClock.isValidDay(d) else {
                throw ConfigProblem("hall.workDates[\(i)]: '\(d)' is not a date like \"2026-10-11\"")
            }
            guard !closed.contains(d) else {
                throw ConfigProblem("hall.workDates[\(i)]: '\(d)' is also in hall.closedDates; a day is either closed or a make-up workday")
            }
            workDates.insert(d)
        }
        kioskNotice = h.kioskNotice
        if let kioskNotice, kioskNotice.zh.count + kioskNotice.en.count > 300 {
            throw ConfigProblem("hall.kioskNotice: \(kioskNotice.zh.count + kioskNotice.en.count) characters; keep the kiosk notice under 300")
        }
        staffSessionSeconds = (h.staffSessionHours?.value ?? 12) * 3600
        guard staffSessionSeconds > 0 else { throw ConfigProblem("hall.staffSessionHours: must be more than 0") }
        averageOverLast = max(1, h.averageOverLastCompletions ?? 20)
        ratableForDays = max(1, config.ratings?.ratableForDays ?? 7)
        lateAfterHours = config.ratings?.lateAfterHours?.value ?? 24
        showStaffSatisfaction = config.ratings?.showStaffSatisfaction ?? false
        staffSatisfactionDays = config.ratings?.staffSatisfactionDays ?? 30
        guard (1...366).contains(staffSatisfactionDays) else {
            throw ConfigProblem("ratings.staffSatisfactionDays: \(staffSatisfactionDays) is out of range 1…366")
        }
        recallLimit = config.calling?.recallLimit ?? 3
        guard (0...20).contains(recallLimit) else {
            throw ConfigProblem("calling.recallLimit: \(recallLimit) is out of range 0…20 (recalls per called ticket; default 3)")
        }
        notice = config.calling?.notice
        console = try ConsoleRules(config.console)
        appointments = try AppointmentRules(config.appointments)
        if let file = config.identity?.keyFile {
            guard !file.trimmingCharacters(in: .whitespaces).isEmpty else {
                throw ConfigProblem("identity.keyFile: empty; name the key file, e.g. \"/var/lib/hallserver/identity.keys\"")
            }
            identityKeyFile = file.hasPrefix("/") ? file : configFolder + "/" + file
        }
        if let notice, notice.zh.count + notice.en.count > 500 {
            throw ConfigProblem("calling.notice: \(notice.zh.count + notice.en.count) characters; keep the notice line under 500")
        }

        kioskPriorityLanes = try Self.priorityLanes(h.kioskPriorityLanes ?? [])

        guard !config.services.isEmpty else { throw ConfigProblem("services: the hall needs at least one [[services]] entry") }
        services = []
        var prefixes: [String: String] = [:]
        for (i, s) in config.services.enumerated() {
            let key = "services[\(i)]"
            try Self.requireId(s.id, key: "\(key).id")
            try Self.requireText(s.name, key: "\(key).name")
            guard servicesById[s.id] == nil else { throw ConfigProblem("\(key).id: '\(s.id)' is used by two services") }
            guard s.prefix.count >= 1, s.prefix.count <= 2, s.prefix.allSatisfy({ $0.isASCII && $0.isUppercase }) else {
                throw ConfigProblem("\(key).prefix: '\(s.prefix)' must be one or two capital letters, e.g. \"A\"")
            }
            if let other = prefixes[s.prefix] {
                throw ConfigProblem("\(key).prefix: '\(s.prefix)' is already the prefix of service '\(other)'; numbers would repeat")
            }
            prefixes[s.prefix] = s.id
            let digits = s.digits ?? 3
            guard (1...6).contains(digits) else { throw ConfigProblem("\(key).digits: \(digits) is out of range 1…6") }
            let first = s.firstNumber ?? 1
            let last = Int(pow(10.0, Double(digits))) - 1
            guard first >= 0, first <= last else {
                throw ConfigProblem("\(key).firstNumber: \(first) does not fit in \(digits) digits")
            }
            if let quota = s.dailyQuota {
                guard quota >= 1 else { throw ConfigProblem("\(key).dailyQuota: \(quota) must be at least 1 (or leave it out for no quota)") }
                guard first + quota - 1 <= last else {
                    throw ConfigProblem("\(key).dailyQuota: \(quota) tickets from \(first) need more than \(digits) digits; raise digits or lower the quota")
                }
            }
            let minutes = s.averageServiceMinutes?.value ?? 10
            guard minutes > 0, minutes < 24 * 60 else {
                throw ConfigProblem("\(key).averageServiceMinutes: \(minutes) must be between 0 and 1440")
            }
            let stop = s.stopIssuingMinutesBeforeClose ?? stopDefault
            guard (0...240).contains(stop) else { throw ConfigProblem("\(key).stopIssuingMinutesBeforeClose: \(stop) is out of range 0…240") }
            let sched = try s.hours.map { hours throws(ConfigProblem) in try WeeklySchedule.make(hours, key: "\(key).hours") } ?? schedule
            servicesById[s.id] = services.count
            var service = Service(id: s.id, name: s.name, group: s.group, prefix: s.prefix, firstNumber: first,
                                  digits: digits, dailyQuota: s.dailyQuota, schedule: sched,
                                  stopIssuingMinutes: stop, seedServiceMinutes: minutes)
            service.personRules = try PersonRules(s, key: key)
            services.append(service)
        }

        windows = []
        for (i, w) in config.windows.enumerated() {
            let key = "windows[\(i)]"
            try Self.requireId(w.id, key: "\(key).id")
            try Self.requireText(w.name, key: "\(key).name")
            guard windowsById[w.id] == nil else { throw ConfigProblem("\(key).id: '\(w.id)' is used by two windows") }
            guard !w.services.isEmpty else { throw ConfigProblem("\(key).services: a window must serve at least one service") }
            for (j, sid) in w.services.enumerated() where servicesById[sid] == nil {
                throw ConfigProblem("\(key).services[\(j)]: no service has id '\(sid)'")
            }
            windowsById[w.id] = windows.count
            let number = w.number ?? String(w.name.zh.prefix { $0.isASCII && $0.isNumber })
            guard number.count <= 8, !number.contains(where: \.isNewline) else {
                throw ConfigProblem("\(key).number: '\(number)' is too long for the calling screens; use up to 8 characters, e.g. \"3\"")
            }
            windows.append(Window(id: w.id, name: w.name, serviceIds: w.services, number: number.isEmpty ? nil : number))
        }

        staff = []
        for (i, s) in config.staff.enumerated() {
            let key = "staff[\(i)]"
            try Self.requireId(s.id, key: "\(key).id")
            guard staffById[s.id] == nil else { throw ConfigProblem("\(key).id: '\(s.id)' is used twice") }
            guard LoginGuard.isWellFormedEmployeeNo(s.employeeNo) else {
                throw ConfigProblem("\(key).employeeNo: '\(s.employeeNo.prefix(40))' must be 1–32 letters, digits, '-' or '_'")
            }
            guard staffByEmployeeNo[s.employeeNo] == nil else {
                throw ConfigProblem("\(key).employeeNo: '\(s.employeeNo)' is used by two staff members")
            }
            guard let hash = SecretHash(s.pinHash) else {
                throw ConfigProblem("\(key).pinHash: not a hash made by `hallserver hash-secret` (pbkdf2-sha256$rounds$salt$hash)")
            }
            var photo: String? = nil
            var photoDigest: String? = nil
            if let digest = s.photoSha256 {
                // Uploaded on the settings page: kept in the store under this digest (it wins over a `photo` file).
                guard digest.count == 64, digest.allSatisfy({ $0.isHexDigit && !$0.isUppercase }) else {
                    throw ConfigProblem("\(key).photoSha256: '\(digest.prefix(70))' is not a SHA-256 in lower-case hex; "
                        + "it is set by uploading a photo on the settings page (in hall.toml use `photo = \"staff/1001.jpg\"`)")
                }
                photoDigest = digest
            } else if let p = s.photo {
                let full = p.hasPrefix("/") ? p : configFolder + "/" + p
                guard FileManager.default.isReadableFile(atPath: full), let data = FileManager.default.contents(atPath: full) else {
                    throw ConfigProblem("\(key).photo: cannot read '\(full)'; give a JPEG or PNG path relative to the config file")
                }
                photo = full
                photoDigest = Hex.encode(SHA256.hash(data: data))
            }
            staffById[s.id] = staff.count
            staffByEmployeeNo[s.employeeNo] = staff.count
            staff.append(Staff(id: s.id, name: s.name, employeeNo: s.employeeNo, photoPath: photo, photoSha256: photoDigest, pinHash: hash, disabled: s.disabled ?? false))
        }

        devices = []
        var digests = Set<[UInt8]>()
        for (i, d) in config.devices.enumerated() {
            let key = "devices[\(i)]"
            try Self.requireId(d.id, key: "\(key).id")
            guard devicesById[d.id] == nil else { throw ConfigProblem("\(key).id: '\(d.id)' is used twice") }
            if d.role == .ratingDevice {
                guard let w = d.window else { throw ConfigProblem("\(key).window: a ratingDevice must name its window") }
                guard windowsById[w] != nil else { throw ConfigProblem("\(key).window: no window has id '\(w)'") }
            }
            // A calling display may name a window (its window screen) or not (the hall screen).
            if d.role == .callingDisplay, let w = d.window, windowsById[w] == nil {
                throw ConfigProblem("\(key).window: no window has id '\(w)'; leave `window` out for a hall screen")
            }
            guard let digest = try Self.tokenDigest(plain: d.token, hex: d.tokenSha256, key: "\(key).token") else {
                throw ConfigProblem("\(key).token: every device needs `token` or `tokenSha256`")
            }
            guard digests.insert(digest).inserted else { throw ConfigProblem("\(key).token: two devices share one token") }
            devicesById[d.id] = devices.count
            devices.append(Device(id: d.id, role: d.role, windowId: d.window, tokenDigest: digest))
        }
    }

    /// `moment` as opening hours see it: a make-up workday (`workDates`) has Monday's hours.
    public func scheduleMoment(_ moment: HallMoment) -> HallMoment {
        guard workDates.contains(moment.day) else { return moment }
        var m = moment
        m.weekday = 2
        return m
    }

    private static func requireId(_ id: String, key: String) throws(ConfigProblem) {
        guard !id.isEmpty, id.count <= 64,
              id.unicodeScalars.allSatisfy({ CharacterSet.alphanumerics.contains($0) && $0.isASCII || $0 == "-" || $0 == "_" })
        else { throw ConfigProblem("\(key): '\(id)' must be 1–64 letters, digits, '-' or '_'") }
    }

    private static func requireText(_ text: LocalizedText, key: String) throws(ConfigProblem) {
        guard !text.zh.trimmingCharacters(in: .whitespaces).isEmpty else { throw ConfigProblem("\(key).zh: must not be empty") }
    }

    static func tokenDigest(plain: String?, hex: String?, key: String) throws(ConfigProblem) -> [UInt8]? {
        if let plain {
            guard plain.count >= 16 else { throw ConfigProblem("\(key): tokens must be at least 16 characters (use `openssl rand -hex 24`)") }
            return Array(SHA256.hash(data: Data(plain.utf8)))
        }
        if let hex {
            guard let bytes = Hex.decode(hex), bytes.count == 32 else {
                throw ConfigProblem("\(key)Sha256: must be 64 hex digits (sha256sum of the token)")
            }
            return bytes
        }
        return nil
    }

    /// `[hall] kioskPriorityLanes = ["elderly", "disabled"]`: each a lane a citizen may choose at a kiosk, once.
    static func priorityLanes(_ names: [String]) throws(ConfigProblem) -> [PriorityKind] {
        var lanes: [PriorityKind] = []
        for (i, name) in names.enumerated() {
            guard let lane = PriorityKind(rawValue: name), lane != .appointment else {
                throw ConfigProblem("hall.kioskPriorityLanes[\(i)]: '\(name)' is not a lane a kiosk offers; use \"elderly\" or \"disabled\"")
            }
            if !lanes.contains(lane) { lanes.append(lane) }
        }
        return lanes
    }
}

/// Hex encoding helpers.
enum Hex {
    static func decode(_ s: String) -> [UInt8]? {
        let chars = Array(s.utf8)
        guard chars.count % 2 == 0 else { return nil }
        var out: [UInt8] = []
        out.reserveCapacity(chars.count / 2)
        func v(_ c: UInt8) -> UInt8? {
            switch c {
            case 48...57: c - 48
            case 97...102: c - 87
            case 65...70: c - 55
            default: nil
            }
        }
        var i = 0
        while i < chars.count {
            guard let hi = v(chars[i]), let lo = v(chars[i + 1]) else { return nil }
            out.append(hi << 4 | lo)
            i += 2
        }
        return out
    }

    static func encode(_ bytes: some Sequence<UInt8>) -> String {
        let digits = Array("0123456789abcdef".utf8)
        var out: [UInt8] = []
        for b in bytes {
            out.append(digits[Int(b >> 4)])
            out.append(digits[Int(b & 15)])
        }
        return String(decoding: out, as: UTF8.self)
    }

}
