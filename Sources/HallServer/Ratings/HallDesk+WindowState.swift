import Foundation
import HallAPI

extension HallDesk {
    /// The idle screen of a window's rating device: window status, staff, current ticket, and the staff
    /// member's satisfaction when the hall shows it (`[ratings] showStaffSatisfaction`).
    public func windowState(windowId: String) async throws -> WindowState {
        guard let window = hall.window(windowId) else {
            throw HallError(.unknownWindow, "no window has id '\(windowId)'")
        }
        let now = self.now
        let today = clock.moment(now).day
        // Yesterday's hall day too while the hall runs on past midnight.
        let snapshot = try await store.windowSnapshot(windowId: windowId, hallDays: openHallDays(now: now), at: now)
        let staffId = snapshot.staffId
        var status = WindowStatus(id: window.id, name: window.name, serviceIds: window.serviceIds, isOpen: staffId != nil,
                                  staff: staffId.flatMap { hall.staffMember($0)?.summary }, currentTicketNumber: snapshot.currentNumber)
        status.breakReason = snapshot.breakReason
        var satisfaction: StaffSatisfaction? = nil
        if hall.showStaffSatisfaction, let staffId {
            let from = clock.moment(now.addingTimeInterval(-Double(hall.staffSatisfactionDays - 1) * 86400)).day
            let counts = try await store.staffRatingCounts(staffId: staffId, from: from, to: today)
            satisfaction = StaffSatisfaction(staffId: staffId, from: from, to: today, activeRatings: counts.active, goodRatings: counts.good)
        }
        return WindowState(window: status, staffSatisfaction: satisfaction, lastEventId: snapshot.lastEventId, serverTime: now)
    }

    /// One page of a window's events after `after` (nil: none, and the newest id to start from).
    public func windowEventPage(windowId: String, after: Int64?, limit: Int) async throws -> WindowEventPage {
        let slice = try await store.windowEvents(windowId: windowId, after: after, limit: limit + 1)
        guard let after else {
            return WindowEventPage(events: [], lastEventId: slice.latestId, hasMore: false)
        }
        // Every id up to the horizon is gone: a resume from before it starts there.
        let horizon = slice.prunedThrough
        let from = max(after, horizon)
        let page = Array(slice.events.prefix(limit))
        return WindowEventPage(events: page, lastEventId: page.last?.id ?? max(from, 0), hasMore: slice.events.count > limit,
                               prunedThrough: after < horizon ? horizon : nil)
    }

    /// Where a window's event stream starts: the newest event id and the prune horizon.
    func windowEventPosition(windowId: String) async throws -> (latestId: Int64, prunedThrough: Int64) {
        let slice = try await store.windowEvents(windowId: windowId, after: nil, limit: 0)
        return (slice.latestId, slice.prunedThrough)
    }
}
