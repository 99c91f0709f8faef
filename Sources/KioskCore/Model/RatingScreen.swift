import Foundation
import HallAPI

/// How the rating choices look (a display setting; both store national level names).
public enum RatingMode: String, Hashable, Sendable, CaseIterable {
    /// Five faces: 非常满意 … 非常不满意.
    case fiveLevels
    /// Two buttons: 好评 (stored as 满意) and 差评 (stored as 不满意).
    case twoButtons
}

/// The service being rated: which ticket, where and by whom it was served.
public struct RatingSubject: Hashable, Sendable {
    public var ticketId: String
    public var ticketNumber: String
    public var service: ServiceRef
    public var window: WindowRef?
    public var staff: StaffSummary?
    public var completedAt: Date?
    /// How a ticket kiosk knows the citizen holds the ticket (nil on a window's rating device, which the window authorises).
    public var proof: RatingProof?

    public init(ticketId: String, ticketNumber: String, service: ServiceRef, window: WindowRef?, staff: StaffSummary?,
                completedAt: Date?, proof: RatingProof? = nil) {
        self.ticketId = ticketId
        self.ticketNumber = ticketNumber
        self.service = service
        self.window = window
        self.staff = staff
        self.completedAt = completedAt
        self.proof = proof
    }
}

/// What proves, at a ticket kiosk, that the citizen holds the ticket being rated; sent with the rating.
public enum RatingProof: Hashable, Sendable {
    /// The token from the ticket's QR code.
    case token(String)
    /// The 4-digit rating code printed on the ticket, typed after its number.
    case code(String)

    /// The proof a lookup carried: its token or its rating code; nil for a bare number.
    init?(_ query: LookupQuery) {
        switch query {
        case .token(let token): self = .token(token)
        case .numberWithCode(_, let code): self = .code(code)
        case .number: return nil
        }
    }

    /// The QR token, sent as `ticketToken`.
    public var token: String? { if case .token(let t) = self { t } else { nil } }
    /// The typed rating code, sent as `ratingCode`.
    public var code: String? { if case .code(let c) = self { c } else { nil } }
}

/// Where a rating stands on screen.
public enum RatingPhase: Hashable, Sendable {
    /// The level buttons (or 好评/差评).
    case choosing
    /// A 差评 was chosen: pick at least one reason, then 提交.
    case reasons(level: RatingLevel, selected: Set<RatingReason>)
    /// Written to the device's outbox under `ratingId`; "thank you" shows once it is stored.
    case storing(ratingId: String)
    /// Stored; "thank you" until the screen's deadline.
    case thanks
    /// The device could not store the rating (e.g. disk full): nothing was recorded, say so.
    case notStored
}

/// The rating screens (window rating device and ticket kiosk).
public struct RatingScreen: Hashable, Sendable {
    public var subject: RatingSubject
    public var channel: RatingChannel
    public var phase: RatingPhase
    /// When the prompt (or the current phase's message) ends by itself (monotonic clock).
    public var deadline: Uptime
    /// The short preset note chosen with a 差评 (index into `RatingScreen.presetNotes`), if any.
    public var presetNote: Int?

    /// The short notes a citizen may add to a 差评 with one touch (no typing at a kiosk).
    public static let presetNotes: [StringKey] = [.ratingPreset1, .ratingPreset2, .ratingPreset3]

    public init(subject: RatingSubject, channel: RatingChannel, phase: RatingPhase = .choosing, deadline: Uptime) {
        self.subject = subject
        self.channel = channel
        self.phase = phase
        self.deadline = deadline
    }

    /// True while the citizen has not finished (choosing a level or reasons).
    public var isOpen: Bool {
        switch phase {
        case .choosing, .reasons: true
        case .storing, .thanks, .notStored: false
        }
    }
}

/// What the window rating device shows while no rating is asked for.
public struct WindowPanel: Hashable, Sendable {
    public var window: WindowRef
    /// The staff member logged in; `nil` = window closed.
    public var staff: StaffSummary?
    /// The ticket called or served now.
    public var currentTicketNumber: String?
    /// The staff member's 好评率 (0…1) and the number of ratings it is made of, when the hall shows it.
    public var satisfaction: StaffSatisfactionFigure?
    /// True once the staff photo is available to the renderer as image `WindowPanel.photoImageName(photoUrl)`.
    public var photoReady: Bool
    /// The clerk's break reason (暂停服务, still logged in), in the clerk's words; nil when not on a break.
    public var breakReason: String? = nil

    public init(window: WindowRef, staff: StaffSummary?, currentTicketNumber: String?,
                satisfaction: StaffSatisfactionFigure? = nil, photoReady: Bool = false) {
        self.window = window
        self.staff = staff
        self.currentTicketNumber = currentTicketNumber
        self.satisfaction = satisfaction
        self.photoReady = photoReady
    }

    /// The image name under which the adapter registers the staff photo at `photoUrl` (cached by URL: a new photo
    /// comes with a new URL and is fetched again).
    public static func photoImageName(_ photoUrl: String) -> String { "staff-photo:" + photoUrl }
}

/// A staff member's satisfaction as shown on the rating device.
public struct StaffSatisfactionFigure: Hashable, Sendable {
    /// 好评率, 0…1.
    public var goodRate: Double
    public var ratings: Int
    public init(goodRate: Double, ratings: Int) {
        self.goodRate = goodRate
        self.ratings = ratings
    }
}

/// Why a ticket cannot be rated at the kiosk.
public enum RatingRefusal: String, Hashable, Sendable {
    case notFinished
    case alreadyRated
    case tooOld
}
