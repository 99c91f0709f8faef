import Foundation

/// The five national rating levels (政务服务"好差评"). Stored and sent by name, never by number.
public enum RatingLevel: String, Codable, Hashable, Sendable, CaseIterable {
    /// 非常满意
    case verySatisfied
    /// 满意
    case satisfied
    /// 基本满意 (not a 差评)
    case basicallySatisfied
    /// 不满意 (差评)
    case dissatisfied
    /// 非常不满意 (差评)
    case veryDissatisfied

    /// True for 不满意 and 非常不满意: such a rating must carry at least one reason.
    public var isBad: Bool { self == .dissatisfied || self == .veryDissatisfied }

    /// The national data code (GB/T 39046): 1 = 非常满意 … 5 = 非常不满意. Only for exports.
    public var nationalCode: Int {
        switch self {
        case .verySatisfied: 1
        case .satisfied: 2
        case .basicallySatisfied: 3
        case .dissatisfied: 4
        case .veryDissatisfied: 5
        }
    }

    /// The level's official wording.
    public var label: LocalizedText {
        switch self {
        case .verySatisfied: LocalizedText(zh: "非常满意", en: "Very satisfied")
        case .satisfied: LocalizedText(zh: "满意", en: "Satisfied")
        case .basicallySatisfied: LocalizedText(zh: "基本满意", en: "Basically satisfied")
        case .dissatisfied: LocalizedText(zh: "不满意", en: "Dissatisfied")
        case .veryDissatisfied: LocalizedText(zh: "非常不满意", en: "Very dissatisfied")
        }
    }
}

/// Reasons for a 差评 (reason list version `RatingReason.listVersion`).
public enum RatingReason: String, Codable, Hashable, Sendable, CaseIterable {
    case attitude
    case efficiency
    case competence
    case explanation
    case process
    case environment
    case other

    /// Version of this reason list, sent as `reasonsVersion`.
    public static let listVersion = "2019.1"

    public var label: LocalizedText {
        switch self {
        case .attitude: LocalizedText(zh: "服务态度", en: "Attitude")
        case .efficiency: LocalizedText(zh: "办事效率", en: "Efficiency")
        case .competence: LocalizedText(zh: "业务水平", en: "Competence")
        case .explanation: LocalizedText(zh: "政策解释/一次性告知", en: "Explanation of policy")
        case .process: LocalizedText(zh: "办事流程与材料", en: "Process and documents")
        case .environment: LocalizedText(zh: "环境设施", en: "Environment and facilities")
        case .other: LocalizedText(zh: "其他", en: "Other")
        }
    }
}

/// Where a rating was made.
public enum RatingChannel: String, Codable, Hashable, Sendable, CaseIterable {
    case windowDevice
    case kiosk
    case phoneQr
}

/// Whether the citizen chose the rating or the hall's rules recorded a default after a timeout.
public enum RatingSource: String, Codable, Hashable, Sendable {
    case active
    case systemDefault
}

/// Marks the server keeps on a rating; a flagged rating is kept, never dropped.
public enum RatingFlag: String, Codable, Hashable, Sendable {
    /// Rated long after the service was completed.
    case late
    /// Looks like a repeated submission (e.g. same device and ticket in quick succession).
    case duplicate
    /// Details sent by the device disagree with the server's record.
    case suspect
    /// The claimed `ratedAt` was implausible (before the service was completed, ahead of the server's clock, or
    /// sent from the phone page, whose clock the hall does not know): `ratedAt` holds the server's time instead and
    /// `claimedRatedAt` what was sent.
    case ratedAtAdjusted
}

/// `POST /api/v1/ratings` body; `ratingId` is also the `Idempotency-Key`.
/// Level, reasons, channel and source travel as strings so the server can answer an unknown name with 422.
public struct RatingSubmission: Codable, Hashable, Sendable {
    public var ratingId: String
    /// The ticket's id (devices) …
    public var ticketId: String?
    /// … or its token (phone page, or a kiosk that scanned the ticket's QR code).
    public var ticketToken: String?
    /// The 4-digit rating code printed on the ticket, which a ticket kiosk sends with `ticketId` when the citizen
    /// typed the number instead of scanning the QR code: it proves the citizen holds the ticket.
    public var ratingCode: String?
    public var windowId: String?
    public var staffId: String?
    public var serviceId: String?
    public var channel: String
    public var deviceId: String?
    public var level: String
    public var reasons: [String]
    public var reasonsVersion: String?
    public var text: String?
    /// 1, or 2 for the follow-up rating after a 差评 was handled.
    public var assessNumber: Int?
    public var source: String?
    public var serviceCompletedAt: Date?
    /// Device clock when the citizen rated.
    public var ratedAt: Date?

    public init(ratingId: String, ticketId: String? = nil, ticketToken: String? = nil, ratingCode: String? = nil, windowId: String? = nil,
                staffId: String? = nil, serviceId: String? = nil, channel: RatingChannel, deviceId: String? = nil,
                level: RatingLevel, reasons: [RatingReason] = [], reasonsVersion: String? = RatingReason.listVersion,
                text: String? = nil, assessNumber: Int = 1, source: RatingSource = .active,
                serviceCompletedAt: Date? = nil, ratedAt: Date? = nil) {
        self.ratingId = ratingId
        self.ticketId = ticketId
        self.ticketToken = ticketToken
        self.ratingCode = ratingCode
        self.windowId = windowId
        self.staffId = staffId
        self.serviceId = serviceId
        self.channel = channel.rawValue
        self.deviceId = deviceId
        self.level = level.rawValue
        self.reasons = reasons.map(\.rawValue)
        self.reasonsVersion = reasonsVersion
        self.text = text
        self.assessNumber = assessNumber
        self.source = source.rawValue
        self.serviceCompletedAt = serviceCompletedAt
        self.ratedAt = ratedAt
    }

    private enum CodingKeys: String, CodingKey {
        case ratingId, ticketId, ticketToken, ratingCode, windowId, staffId, serviceId, channel, deviceId, level, reasons, reasonsVersion, text
        case assessNumber, source, serviceCompletedAt, ratedAt
    }

    /// Decodes a submission; `reasons` may be left out when there are none.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        ratingId = try c.decode(String.self, forKey: .ratingId)
        ticketId = try c.decodeIfPresent(String.self, forKey: .ticketId)
        ticketToken = try c.decodeIfPresent(String.self, forKey: .ticketToken)
        ratingCode = try c.decodeIfPresent(String.self, forKey: .ratingCode)
        windowId = try c.decodeIfPresent(String.self, forKey: .windowId)
        staffId = try c.decodeIfPresent(String.self, forKey: .staffId)
        serviceId = try c.decodeIfPresent(String.self, forKey: .serviceId)
        channel = try c.decode(String.self, forKey: .channel)
        deviceId = try c.decodeIfPresent(String.self, forKey: .deviceId)
        level = try c.decode(String.self, forKey: .level)
        reasons = try c.decodeIfPresent([String].self, forKey: .reasons) ?? []
        reasonsVersion = try c.decodeIfPresent(String.self, forKey: .reasonsVersion)
        text = try c.decodeIfPresent(String.self, forKey: .text)
        assessNumber = try c.decodeIfPresent(Int.self, forKey: .assessNumber)
        source = try c.decodeIfPresent(String.self, forKey: .source)
        serviceCompletedAt = try c.decodeIfPresent(Date.self, forKey: .serviceCompletedAt)
        ratedAt = try c.decodeIfPresent(Date.self, forKey: .ratedAt)
    }
}

/// A stored rating, as the hall server holds it.
public struct RatingRecord: Codable, Hashable, Sendable {
    public var ratingId: String
    public var ticketId: String
    public var ticketNumber: String
    public var hallId: String
    public var windowId: String?
    public var staffId: String?
    public var staffName: String?
    public var serviceId: String
    public var channel: RatingChannel
    public var deviceId: String?
    public var level: RatingLevel
    public var reasons: [RatingReason]
    public var reasonsVersion: String?
    public var text: String?
    public var assessNumber: Int
    public var source: RatingSource
    public var serviceCompletedAt: Date
    /// When the citizen rated: the device's clock, or the server's when that was implausible (flag `ratedAtAdjusted`).
    public var ratedAt: Date
    public var receivedAt: Date
    public var flags: [RatingFlag]
    /// The `ratedAt` the client sent, kept when the server replaced it (flag `ratedAtAdjusted`).
    public var claimedRatedAt: Date?

    public init(ratingId: String, ticketId: String, ticketNumber: String, hallId: String, windowId: String?,
                staffId: String?, staffName: String?, serviceId: String, channel: RatingChannel, deviceId: String?,
                level: RatingLevel, reasons: [RatingReason], reasonsVersion: String?, text: String?, assessNumber: Int,
                source: RatingSource, serviceCompletedAt: Date, ratedAt: Date, receivedAt: Date, flags: [RatingFlag],
                claimedRatedAt: Date? = nil) {
        self.ratingId = ratingId
        self.ticketId = ticketId
        self.ticketNumber = ticketNumber
        self.hallId = hallId
        self.windowId = windowId
        self.staffId = staffId
        self.staffName = staffName
        self.serviceId = serviceId
        self.channel = channel
        self.deviceId = deviceId
        self.level = level
        self.reasons = reasons
        self.reasonsVersion = reasonsVersion
        self.text = text
        self.assessNumber = assessNumber
        self.source = source
        self.serviceCompletedAt = serviceCompletedAt
        self.ratedAt = ratedAt
        self.receivedAt = receivedAt
        self.flags = flags
        self.claimedRatedAt = claimedRatedAt
    }
}

/// The answer to 409 `alreadyRated`: the error plus the rating already stored.
public struct AlreadyRatedBody: Codable, Hashable, Sendable {
    public var error: APIErrorBody.Detail
    public var existing: RatingRecord
    public init(error: APIErrorBody.Detail, existing: RatingRecord) {
        self.error = error
        self.existing = existing
    }
}
