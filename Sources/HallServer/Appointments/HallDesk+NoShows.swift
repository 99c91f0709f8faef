import Foundation

extension HallDesk {
    /// Marks every booked appointment whose slot has ended as a no-show (run by the maintenance sweep, so within
    /// `sweepSeconds` of each slot's end). The no-shows then count towards the booking ban (`NoShowBan`).
    /// - Returns: how many were marked, per service.
    @discardableResult
    public func markMissedAppointments() async throws -> [String: Int] {
        let at = now
        let marked = try await store.markNoShows(slotsEndedBy: at, at: at)
        if !marked.isEmpty {
            logger.info("appointments marked no-show", metadata: ["per.service": "\(marked.sorted { $0.key < $1.key })"])
        }
        return marked
    }
}
