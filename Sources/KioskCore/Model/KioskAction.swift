import HallAPI

/// What touching a hit region does. Also the region's identity for press feedback.
public enum KioskAction: Hashable, Sendable {
    /// Take a number for a service (home).
    case takeNumber(serviceId: String)
    /// Show one department's services (home, when grouped).
    case selectGroup(Int)
    case previousPage
    case nextPage
    case toggleLanguage
    case toggleLargeText
    case toggleHighContrast
    /// Open the progress lookup (进度查询).
    case openLookup
    /// Open the rating entry (评价).
    case openRating
    /// A key of the on-screen keypad.
    case keypad(KeypadKey)
    /// Leave the current screen for home (完成 / 返回首页).
    case backHome
    /// Ask for the same ticket again, with the same idempotency key, after a network failure.
    case retryIssue
    /// From a lookup result, look up another ticket.
    case lookupAnother
    /// Rate with this level (five-level mode; 好评 = satisfied and 差评 = dissatisfied in two-button mode).
    case rate(RatingLevel)
    /// Select or unselect a 差评 reason.
    case toggleReason(RatingReason)
    /// 提交: submit the 差评 with the selected reasons.
    case submitRating
    /// Back from the reasons to the levels.
    case changeLevel
    /// Choose (or drop) a short preset note for a 差评 (index into `RatingScreen.presetNotes`).
    case togglePresetNote(Int)
    /// An admin screen command.
    case admin(AdminCommand)
    /// Pause or resume issuing numbers at this kiosk (admin screen).
    case toggleIssuingPaused
    /// 绿色通道: choose (or drop) a priority lane before choosing the service (home).
    case choosePriority(PriorityKind)
    /// Check-in: check the card holder's appointment in (one button).
    case checkInAppointment(String)
    /// Check-in: take a number with the card placed (walk-in).
    case takeNumberWithCard(serviceId: String)
    /// Check-in: print the card holder's pending ticket again (补打).
    case reprint(ticketId: String)
    /// Home: type a booking code on the keypad (预约签到).
    case openBookingCode
    /// Check-in: a page of the services open to the card holder.
    case checkinPage(Int)

    /// A stable identifier, e.g. `service:hukou`, `group:2`, `keypad:A`.
    public var id: String {
        switch self {
        case .takeNumber(let serviceId): "service:\(serviceId)"
        case .selectGroup(let index): "group:\(index)"
        case .previousPage: "page:previous"
        case .nextPage: "page:next"
        case .toggleLanguage: "toggle:language"
        case .toggleLargeText: "toggle:largeText"
        case .toggleHighContrast: "toggle:highContrast"
        case .openLookup: "open:lookup"
        case .openRating: "open:rating"
        case .keypad(let key): "keypad:\(key.id)"
        case .backHome: "home"
        case .retryIssue: "issue:retry"
        case .lookupAnother: "lookup:another"
        case .rate(let level): "rate:\(level.rawValue)"
        case .toggleReason(let reason): "reason:\(reason.rawValue)"
        case .submitRating: "rating:submit"
        case .changeLevel: "rating:changeLevel"
        case .togglePresetNote(let index): "rating:note:\(index)"
        case .admin(let command): "admin:\(command.rawValue)"
        case .toggleIssuingPaused: "admin:toggleIssuing"
        case .choosePriority(let lane): "priority:\(lane.rawValue)"
        case .checkInAppointment(let id): "checkin:appointment:\(id)"
        case .takeNumberWithCard(let serviceId): "checkin:service:\(serviceId)"
        case .reprint(let ticketId): "checkin:reprint:\(ticketId)"
        case .openBookingCode: "open:bookingCode"
        case .checkinPage(let page): "checkin:page:\(page)"
        }
    }
}

/// Keys of the lookup keypad.
public enum KeypadKey: Hashable, Sendable {
    /// A letter or digit of a ticket number.
    case character(Character)
    case backspace
    case clear
    /// 查询 / Look up.
    case submit

    var id: String {
        switch self {
        case .character(let character): String(character)
        case .backspace: "backspace"
        case .clear: "clear"
        case .submit: "submit"
        }
    }
}
