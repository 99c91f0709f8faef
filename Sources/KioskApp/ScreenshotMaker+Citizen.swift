import Foundation
import HallAPI
import KioskCore

/// The citizen's screens of issue 20 for `hallkiosk screenshot`: the home screen with its instruction, the
/// printer banner, 绿色通道, honest waits and next openings; the ticket while printing; a missed ticket at rating.
extension ScreenshotMaker {
    /// The screens this file adds to `--screen`.
    public static let citizenScreens = ["home-citizen", "home-priority", "home-openings", "ticket-printing", "rating-missed"]

    /// The sample hall as a citizen meets it on an awkward day: lanes offered, the ID card window not staffed, one
    /// service closed until tomorrow, one open on Saturdays only, the printer out of paper.
    static func citizenHall(_ hall: HallStatus) -> HallStatus {
        var hall = hall
        hall.kioskPriorityLanes = [.elderly, .disabled]
        for index in hall.services.indices {
            var service = hall.services[index]
            service.openWindows = 1
            switch service.id {
            case "idcard":
                service.openWindows = 0
            case "sole-trader":
                service.state = .closed
                service.reason = .afterClosing
                service.nextOpening = NextOpening(day: "2026-11-23", weekday: 2, inDays: 1, start: "08:30")
                service.openWeekdays = [2, 3, 4, 5, 6]
            case "housing-fund":
                service.state = .closed
                service.reason = .noSessionToday
                service.nextOpening = NextOpening(day: "2026-11-28", weekday: 7, inDays: 6, start: "09:00")
                service.openWeekdays = [7]
            default:
                break
            }
            hall.services[index] = service
        }
        return hall
    }

    /// The state for one of `citizenScreens`, or nil when `screen` is none of them.
    static func citizenState(screen: String, state: KioskState, ticket: IssuedTicket, progress: TicketProgress,
                             uptime: Uptime) -> KioskState? {
        guard citizenScreens.contains(screen) else { return nil }
        var state = state
        state.hall = state.hall.map(citizenHall)
        state.printer = PrinterHealth(condition: .paperOut, reasons: ["media-empty"], message: "out of paper")
        switch screen {
        case "home-priority":
            state.priorityLane = .elderly
        case "home-openings":
            // The services whose words changed, few enough to show on one screen in either language.
            let shown: Set = ["hukou", "idcard", "business-startup", "sole-trader", "housing-fund"]
            state.hall?.services.removeAll { !shown.contains($0.id) }
            state.printer = PrinterHealth(condition: .ok)
        case "ticket-printing":
            var ticket = ticket
            ticket.priority = .elderly
            state.printer = PrinterHealth(condition: .ok)
            state.screen = .ticket(TicketScreen(ticket: ticket, printStatus: .printing, shownAt: uptime, returnAt: uptime + 20))
        case "rating-missed":
            var missed = progress
            missed.status = .noShow
            missed.waitingAhead = nil
            missed.estimatedWaitMinutes = nil
            state.screen = .lookupResult(LookupResultScreen(purpose: .rating, progress: missed))
        default:
            break
        }
        return state
    }
}
