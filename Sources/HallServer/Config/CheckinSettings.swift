import Foundation

/// `[identity]`: where the hall server's identity keys live (`PersonKeyring`): the key that turns ID numbers into a
/// keyed HMAC and seals phone numbers. The file must sit outside the database and its backups, mode 600.
public struct IdentitySettings: Codable, Sendable {
    /// The key file, absolute or relative to hall.toml's folder; create it with `hallserver identity new-key --file …`.
    /// Absent: ID-card check-in and appointments are off (their endpoints answer `identityUnavailable`).
    public var keyFile: String?
}

/// `[appointments]`: check-in of appointments (预约签到), the hall's own booking page, and no-show bans.
public struct AppointmentSettings: Codable, Sendable {
    /// Check-in opens this many minutes before the slot starts. Default 60, 0…240.
    public var checkinOpensMinutesBefore: Int?
    /// Check-in closes this many minutes after the slot starts. Default 15, 0…240.
    public var checkinClosesMinutesAfter: Int?
    /// A citizen later than that: `"normalQueue"` (a normal ticket, the screen says so; default) or `"refuse"`.
    public var lateArrival: String?
    /// The provincial platform's token for `PUT/DELETE /api/v1/appointments/…`: plain (≥ 16 characters) or its SHA-256 hex.
    /// The admin token is always accepted too.
    public var integrationToken: String?
    public var integrationTokenSha256: String?
    /// Length of a booking slot on the hall's booking page, minutes. Default 30, 5…240.
    public var slotMinutes: Int?
    /// How many working days ahead citizens may book (from tomorrow). Default 5, 1…60.
    public var horizonWorkingDays: Int?
    /// Bookings per person per day. Default 1, 1…10.
    public var perPersonPerDay: Int?
    /// A booking can be cancelled until this many minutes before its slot. Default 120, 0…2880.
    public var cancelBeforeMinutes: Int?
    /// After this many no-shows within `noShowWindowDays`, new bookings are blocked for `banDays`. Default 2; 0: never.
    public var noShowLimit: Int?
    /// Default 30, 1…366.
    public var noShowWindowDays: Int?
    /// Default 30, 1…366.
    public var banDays: Int?
    /// Fairness: at most this many appointment tickets are called in a row at a service while a walk-in waits. Default 2, 1…20.
    public var appointmentsInARow: Int?
}

/// What a late citizen gets.
public enum LateArrivalPolicy: String, Sendable, Equatable {
    case normalQueue
    case refuse
}

/// The `[appointments]` rules, checked, with their defaults.
public struct AppointmentRules: Sendable, Equatable {
    public var checkinOpensSecondsBefore: Double = 60 * 60
    public var checkinClosesSecondsAfter: Double = 15 * 60
    public var lateArrival: LateArrivalPolicy = .normalQueue
    /// SHA-256 of the integration token, when one is set.
    public var integrationTokenDigest: [UInt8]?
    public var slotMinutes: Int = 30
    public var horizonWorkingDays: Int = 5
    public var perPersonPerDay: Int = 1
    public var cancelBeforeSeconds: Double = 120 * 60
    public var noShowLimit: Int = 2
    public var noShowWindowDays: Int = 30
    public var banDays: Int = 30
    public var appointmentsInARow: Int = 2

    public init() {}

    /// Checks `[appointments]`; nil: the defaults.
    public init(_ settings: AppointmentSettings?) throws(ConfigProblem) {
        guard let s = settings else { return }
        func ranged(_ value: Int?, _ range: ClosedRange<Int>, _ key: String, _ what: String) throws(ConfigProblem) -> Int? {
            guard let value else { return nil }
            guard range.contains(value) else {
                throw ConfigProblem("appointments.\(key): \(value) is out of range \(range.lowerBound)…\(range.upperBound) (\(what))")
            }
            return value
        }
        if let m = try ranged(s.checkinOpensMinutesBefore, 0...240, "checkinOpensMinutesBefore", "minutes before the slot check-in opens; default 60") {
            checkinOpensSecondsBefore = Double(m) * 60
        }
        if let m = try ranged(s.checkinClosesMinutesAfter, 0...240, "checkinClosesMinutesAfter", "minutes after the slot starts check-in closes; default 15") {
            checkinClosesSecondsAfter = Double(m) * 60
        }
        if let late = s.lateArrival {
            guard let policy = LateArrivalPolicy(rawValue: late) else {
                throw ConfigProblem("appointments.lateArrival: '\(late)' must be \"normalQueue\" (a normal ticket) or \"refuse\"")
            }
            lateArrival = policy
        }
        integrationTokenDigest = try Hall.tokenDigest(plain: s.integrationToken, hex: s.integrationTokenSha256,
                                                      key: "appointments.integrationToken")
        slotMinutes = try ranged(s.slotMinutes, 5...240, "slotMinutes", "minutes per booking slot; default 30") ?? slotMinutes
        horizonWorkingDays = try ranged(s.horizonWorkingDays, 1...60, "horizonWorkingDays", "working days ahead; default 5") ?? horizonWorkingDays
        perPersonPerDay = try ranged(s.perPersonPerDay, 1...10, "perPersonPerDay", "bookings per person per day; default 1") ?? perPersonPerDay
        if let m = try ranged(s.cancelBeforeMinutes, 0...2880, "cancelBeforeMinutes", "minutes before the slot a booking can still be cancelled; default 120") {
            cancelBeforeSeconds = Double(m) * 60
        }
        noShowLimit = try ranged(s.noShowLimit, 0...20, "noShowLimit", "no-shows before new bookings are blocked; 0 = never; default 2") ?? noShowLimit
        noShowWindowDays = try ranged(s.noShowWindowDays, 1...366, "noShowWindowDays", "days the no-shows are counted over; default 30") ?? noShowWindowDays
        banDays = try ranged(s.banDays, 1...366, "banDays", "days new bookings stay blocked; default 30") ?? banDays
        appointmentsInARow = try ranged(s.appointmentsInARow, 1...20, "appointmentsInARow",
                                        "appointment tickets called in a row while a walk-in waits; default 2") ?? appointmentsInARow
    }

    /// When check-in for a slot starting at `slotStart` opens and closes.
    public func checkinWindow(slotStart: Date) -> (opens: Date, closes: Date) {
        (slotStart.addingTimeInterval(-checkinOpensSecondsBefore), slotStart.addingTimeInterval(checkinClosesSecondsAfter))
    }
}

/// Per-person rules of one service (`[[services]]` keys `requiresIdCard`, `dailyLimitPerPerson`, `appointmentCapacity`).
/// One pending ticket per person per service always holds when the citizen is known (by card or appointment): a
/// second request gives the same ticket back for 补打.
public struct PersonRules: Sendable, Equatable {
    /// Numbers for this service only with an ID card placed.
    public var requiresIdCard = false
    /// Numbers per person per hall day at this service; nil: no limit.
    public var dailyLimitPerPerson: Int?
    /// Bookings per slot on the hall's booking page; 0: not bookable there (platform pushes are still accepted).
    public var appointmentCapacity = 0

    public init(requiresIdCard: Bool = false, dailyLimitPerPerson: Int? = nil, appointmentCapacity: Int = 0) {
        self.requiresIdCard = requiresIdCard
        self.dailyLimitPerPerson = dailyLimitPerPerson
        self.appointmentCapacity = appointmentCapacity
    }

    /// Checks one service's keys.
    public init(_ service: ServiceConfig, key: String) throws(ConfigProblem) {
        requiresIdCard = service.requiresIdCard ?? false
        if let limit = service.dailyLimitPerPerson {
            guard (1...50).contains(limit) else {
                throw ConfigProblem("\(key).dailyLimitPerPerson: \(limit) is out of range 1…50 (numbers per person per day; leave it out for no limit)")
            }
            dailyLimitPerPerson = limit
        }
        if let capacity = service.appointmentCapacity {
            guard (0...500).contains(capacity) else {
                throw ConfigProblem("\(key).appointmentCapacity: \(capacity) is out of range 0…500 (bookings per slot; 0 = not bookable online)")
            }
            appointmentCapacity = capacity
        }
    }
}
