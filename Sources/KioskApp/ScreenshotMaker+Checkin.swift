import Foundation
import HallAPI
import KioskCore

/// The check-in screens of issue 21 for `hallkiosk screenshot`: home with "刷身份证取号", the card holder's appointment,
/// their services with per-person refusals, 补打, the booking code keypad, refusals and the appointment ticket (fresh,
/// 补打, or the walk-in number moved into the appointment lane). The sample card holder is made up
/// (`11010519491231002X`, the GB 11643 example).
extension ScreenshotMaker {
    /// The screens this file adds to `--screen`.
    public static let checkinScreens = [
        "checkin-home", "checkin-looking-up", "checkin-appointment", "checkin-services", "checkin-reprint", "checkin-keypad",
        "checkin-too-early", "checkin-too-late", "checkin-banned", "checkin-daily-limit", "checkin-id-required",
        "checkin-place-again", "checkin-unknown-code", "checkin-offline", "checkin-ticket", "checkin-ticket-reprint",
        "checkin-ticket-moved",
    ]

    static let sampleCard = CardHolder(idNumber: "11010519491231002X", maskedName: "张*")

    /// The state for one of `checkinScreens`, or nil when `screen` is none of them.
    static func checkinState(screen: String, state: KioskState, ticket: IssuedTicket, uptime: Uptime) -> KioskState? {
        guard checkinScreens.contains(screen) else { return nil }
        var state = state
        let hall = state.hall
        let now = state.now
        func on(_ phase: CheckinPhase, card: CardHolder? = sampleCard) -> KioskScreen {
            .checkin(CheckinScreen(card: card, phase: phase, requestStartedAt: uptime))
        }
        func refused(_ refusal: CheckinRefusal) -> KioskScreen { on(.refused(refusal), card: nil) }
        let slotStart = now.addingTimeInterval(20 * 60)
        let appointment = AppointmentSummary(
            id: "apt-1", source: "hall", service: ticket.service, slotStart: slotStart, slotEnd: slotStart.addingTimeInterval(30 * 60),
            status: .booked, checkinOpensAt: slotStart.addingTimeInterval(-3600), checkinClosesAt: slotStart.addingTimeInterval(900),
            maskedId: sampleCard.maskedIdNumber, maskedName: sampleCard.maskedName)
        let services = (hall?.services ?? []).map { service -> PersonServiceState in
            switch service.id {
            case "idcard": PersonServiceState(serviceId: service.id, refusal: APIErrorKind.personDailyLimitReached.rawValue)
            case "real-estate": PersonServiceState(serviceId: service.id, refusal: APIErrorKind.bookingBanned.rawValue)
            default: PersonServiceState(serviceId: service.id)
            }
        }
        var pending = ticket
        pending.existing = true
        switch screen {
        case "checkin-home":
            state.screen = .home(HomePosition())
        case "checkin-looking-up":
            state.screen = on(.lookingUp(requestKey: "screenshot-1"))
        case "checkin-appointment":
            state.screen = on(.offer(CheckinOffer(lookup: CardLookup(maskedId: sampleCard.maskedIdNumber, appointments: [appointment],
                                                                     pendingTickets: [], services: services))))
        case "checkin-services":
            state.screen = on(.offer(CheckinOffer(lookup: CardLookup(maskedId: sampleCard.maskedIdNumber, appointments: [],
                                                                     pendingTickets: [], services: services))))
        case "checkin-reprint":
            state.screen = on(.offer(CheckinOffer(lookup: CardLookup(maskedId: sampleCard.maskedIdNumber, appointments: [],
                                                                     pendingTickets: [pending], services: services))))
        case "checkin-keypad":
            state.screen = on(.keypad(entry: "K7M2Q9"), card: nil)
        case "checkin-too-early":
            state.screen = refused(.tooEarly(opensAt: slotStart.addingTimeInterval(-3600 + 2 * 3600)))
        case "checkin-too-late":
            state.screen = refused(.tooLate)
        case "checkin-banned":
            state.screen = refused(.banned(until: now.addingTimeInterval(30 * 86400)))
        case "checkin-daily-limit":
            state.screen = refused(.dailyLimit)
        case "checkin-id-required":
            state.screen = refused(.idCardRequired)
        case "checkin-place-again":
            state.screen = refused(.placeCardAgain)
        case "checkin-unknown-code":
            state.screen = refused(.unknownBookingCode)
        case "checkin-offline":
            state.screen = refused(.offline)
        case "checkin-ticket", "checkin-ticket-reprint", "checkin-ticket-moved":
            var appointmentTicket = ticket
            appointmentTicket.priority = .appointment
            let notice: TicketNotice? = switch screen {
            case "checkin-ticket-reprint": .reprint
            case "checkin-ticket-moved": .movedToAppointmentLane
            default: nil
            }
            state.screen = .ticket(TicketScreen(ticket: appointmentTicket, printStatus: .printed, shownAt: uptime, returnAt: uptime + 20,
                                                notice: notice))
        default:
            return nil
        }
        return state
    }
}
