import Foundation
import HallAPI

extension Reducer {
    /// The 1-second clock: moves time on, fires deadlines (ticket screen, issuing timeout, idle),
    /// switches to offline after the grace period, and asks for the hall status periodically.
    func tick(_ state: inout KioskState, now: Date) -> [KioskEffect] {
        let step = now.timeIntervalSince(state.now)
        if step < -1 { shiftDeadlines(&state, by: step) }
        state.now = now
        var effects: [KioskEffect] = []
        if let last = state.lastStatusRequestAt, now.timeIntervalSince(last) < context.statusRefreshSeconds,
           now >= last {
            // Not due yet.
        } else {
            state.lastStatusRequestAt = now
            effects.append(.fetchHallStatus)
        }
        effects += windowStateDue(&state)
        effects += checkAdminLongPress(&state)
        effects += adminInfoDue(&state)
        checkTicketDeadline(&state)
        effects += checkRatingDeadline(&state)
        checkIssuingTimeout(&state)
        checkIdle(&state)
        refreshOutOfService(&state)
        return effects
    }

    /// Nobody touched the kiosk for the idle timeout: forget the citizen. The ticket and issuing
    /// screens have their own deadlines and finish first.
    func checkIdle(_ state: inout KioskState) {
        guard let deadline = state.idleDeadline, state.now >= deadline else { return }
        switch state.screen {
        case .ticket, .issuing, .rating, .ratingIdle:
            // The rating screens have their own deadline; the idle rating screen has nothing to forget.
            return
        case .home, .lookup, .lookupResult, .closed, .offline, .adminPin, .admin:
            resetForNextCitizen(&state)
        }
    }

    /// The system clock was set back (e.g. NTP after a boot without a real-time clock): move
    /// every deadline by the same amount so no screen stays up for hours.
    func shiftDeadlines(_ state: inout KioskState, by step: TimeInterval) {
        state.idleDeadline = state.idleDeadline?.addingTimeInterval(step)
        state.lastStatusRequestAt = state.lastStatusRequestAt?.addingTimeInterval(step)
        state.lastWindowStateRequestAt = state.lastWindowStateRequestAt?.addingTimeInterval(step)
        state.lastAdminInfoRequestAt = state.lastAdminInfoRequestAt?.addingTimeInterval(step)
        state.adminLockedUntil = state.adminLockedUntil?.addingTimeInterval(step)
        state.adminCornerDownAt = state.adminCornerDownAt?.addingTimeInterval(step)
        state.unreachableSince = state.unreachableSince?.addingTimeInterval(step)
        switch state.screen {
        case .ticket(var ticket):
            ticket.shownAt = ticket.shownAt.addingTimeInterval(step)
            ticket.returnAt = ticket.returnAt.addingTimeInterval(step)
            state.screen = .ticket(ticket)
        case .issuing(var intent):
            intent.startedAt = intent.startedAt.addingTimeInterval(step)
            state.screen = .issuing(intent)
        case .offline(let since):
            state.screen = .offline(since: since.addingTimeInterval(step))
        case .rating(var rating):
            rating.deadline = rating.deadline.addingTimeInterval(step)
            state.screen = .rating(rating)
        case .home, .lookup, .lookupResult, .closed, .ratingIdle, .adminPin, .admin:
            break
        }
    }
}
