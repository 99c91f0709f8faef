import Foundation
import HallAPI

extension Reducer {
    /// A fresh hall status: the server is reachable again; closed and offline screens recover
    /// by themselves, and home turns into the closed screen when the hall closes.
    func hallStatusArrived(_ state: inout KioskState, _ status: HallStatus, at: Date) -> [KioskEffect] {
        state.hall = status
        state.hallStatusAt = at
        // Only an end still ahead by the server's own clock: one already past is the server's to apply.
        state.staffPauseEndsAt = status.services.compactMap(\.pausedUntil).filter { $0 > status.now }.min()
            .map { state.uptime + $0.timeIntervalSince(status.now) }
        state.unreachableSince = nil
        state.lastHallError = nil
        refreshOutOfService(&state)
        return []
    }

    /// The hall server did not answer. After `offlineGraceSeconds` without an answer (monotonic clock, counted
    /// from the last tick; `at` is only the wall clock) the home screen gives way to the offline screen.
    func hallUnreachable(_ state: inout KioskState, error: String, at: Date) -> [KioskEffect] {
        if state.unreachableSince == nil { state.unreachableSince = state.uptime }
        state.lastHallError = error
        refreshOutOfService(&state)
        return []
    }
}
