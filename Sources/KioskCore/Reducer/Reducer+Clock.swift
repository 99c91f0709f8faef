import Foundation
import HallAPI

extension Reducer {
    /// The 1-second clock: moves both clocks on, fires deadlines (ticket screen, issuing timeout, rating,
    /// idle, admin long press), switches to offline after the grace period, and asks for the hall status
    /// periodically. Every deadline is on the monotonic clock, so a wall clock set back or forward (NTP, hall
    /// IT) only changes the clock and date on screen — at once — never how long anything lasts.
    func tick(_ state: inout KioskState, now: Date, uptime: Uptime) -> [KioskEffect] {
        state.now = now
        // A monotonic clock never goes back; should a reading ever do so, time simply stands still.
        state.uptime = max(state.uptime, uptime)
        var effects: [KioskEffect] = []
        if let last = state.lastStatusRequestAt, state.uptime - last < context.statusRefreshSeconds,
           !staffPauseHasEnded(state) {
            // Not due yet.
        } else {
            state.lastStatusRequestAt = state.uptime
            effects.append(.hall(.fetchHallStatus))
        }
        effects += windowStateDue(&state)
        effects += checkAdminLongPress(&state)
        effects += adminInfoDue(&state)
        checkTicketDeadline(&state)
        effects += checkRatingDeadline(&state)
        checkIssuingTimeout(&state)
        checkCheckinTimeout(&state)
        checkIdle(&state)
        refreshOutOfService(&state)
        return effects
    }

    /// A service paused by staff "until" a time has passed that time (by a second, so the hall server agrees) since
    /// the status was last asked for: ask now, so its button opens at once rather than at the next refresh.
    func staffPauseHasEnded(_ state: KioskState) -> Bool {
        guard let end = state.staffPauseEndsAt else { return false }
        let due = end + 1
        return state.uptime >= due && (state.lastStatusRequestAt.map { $0 < due } ?? true)
    }

    /// Nobody touched the kiosk for the idle timeout: forget the citizen. The ticket screen and a request
    /// still in flight have their own deadlines and finish first; a failed request ("网络不通 / 再试一次",
    /// "号源已满") that nobody answers is left like any other screen, so the next citizen finds home.
    func checkIdle(_ state: inout KioskState) {
        guard let deadline = state.idleDeadline, state.uptime >= deadline else { return }
        switch state.screen {
        case .issuing(let intent) where intent.failure != nil:
            resetForNextCitizen(&state)
        case .checkin(let screen) where screen.pendingKey != nil:
            return  // the answer may be a ticket; the request has its own timeout
        case .checkin:
            resetForNextCitizen(&state)  // the card holder is forgotten with the screen
        case .ticket, .issuing, .rating, .ratingIdle:
            // The rating screens have their own deadline; the idle rating screen has nothing to forget.
            return
        case .home, .lookup, .lookupResult, .closed, .offline, .adminPin, .admin:
            resetForNextCitizen(&state)
        }
    }
}
