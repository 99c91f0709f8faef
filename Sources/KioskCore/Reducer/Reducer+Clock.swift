import Foundation
import HallAPI

extension Reducer {
    /// The 1-second clock: moves time on, fires deadlines (ticket screen, issuing timeout, idle),
    /// switches to offline after the grace period, and asks for the hall status periodically.
    func tick(_ state: inout KioskState, now: Date) -> [KioskEffect] {
        state.now = now
        var effects: [KioskEffect] = []
        if let last = state.lastStatusRequestAt, now.timeIntervalSince(last) < context.statusRefreshSeconds,
           now >= last {
            // Not due yet.
        } else {
            state.lastStatusRequestAt = now
            effects.append(.fetchHallStatus)
        }
        checkTicketDeadline(&state)
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
        case .ticket, .issuing:
            return
        case .home, .lookup, .lookupResult, .closed, .offline:
            resetForNextCitizen(&state)
        }
    }
}
