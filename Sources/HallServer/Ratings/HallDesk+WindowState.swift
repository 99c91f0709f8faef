import Foundation
import GRDB
import HallAPI

extension HallDesk {
    /// The idle screen of a window's rating device: window status, staff, current ticket, and the staff
    /// member's satisfaction when the hall shows it (`[ratings] showStaffSatisfaction`).
    public func windowState(windowId: String) async throws -> WindowState {
        guard let window = hall.window(windowId) else {
            throw HallError(404, APIErrorCode.unknownWindow, "no window has id '\(windowId)'")
        }
        return try await database.read { [self] db in
            let now = self.now
            let today = clock.moment(now).day
            let staffId = try openWindows(db, at: now)[windowId]
            // Yesterday's hall day too while the hall runs on past midnight.
            let days = openHallDays(now: now)
            let current = try String.fetchOne(db, sql: """
                SELECT number FROM ticket WHERE hallDay IN (\(days.map { _ in "?" }.joined(separator: ","))) AND windowId = ?
                    AND status IN ('called', 'serving')
                ORDER BY calledAt DESC LIMIT 1
                """, arguments: StatementArguments(days) + [windowId])
            let status = WindowStatus(id: window.id, name: window.name, serviceIds: window.serviceIds, isOpen: staffId != nil,
                                      staff: staffId.flatMap { hall.staffMember($0)?.summary }, currentTicketNumber: current)
            var satisfaction: StaffSatisfaction? = nil
            if hall.showStaffSatisfaction, let staffId {
                let from = clock.moment(now.addingTimeInterval(-Double(hall.staffSatisfactionDays - 1) * 86400)).day
                let row = try Row.fetchOne(db, sql: """
                    SELECT COUNT(*) AS n, COALESCE(SUM(level NOT IN ('dissatisfied', 'veryDissatisfied')), 0) AS good
                    FROM rating WHERE staffId = ? AND source = 'active' AND hallDay BETWEEN ? AND ?
                    """, arguments: [staffId, from, today])
                satisfaction = StaffSatisfaction(staffId: staffId, from: from, to: today, activeRatings: row?["n"] ?? 0,
                                                 goodRatings: row?["good"] ?? 0)
            }
            return WindowState(window: status, staffSatisfaction: satisfaction,
                               lastEventId: try WindowEventStore.latestId(db, windowId: windowId), serverTime: now)
        }
    }

    /// One page of a window's events after `after` (nil: none, and the newest id to start from).
    public func windowEventPage(windowId: String, after: Int64?, limit: Int) async throws -> WindowEventPage {
        try await database.read { db in
            guard let after else {
                return WindowEventPage(events: [], lastEventId: try WindowEventStore.latestId(db, windowId: windowId), hasMore: false)
            }
            let horizon = try WindowEventStore.prunedThrough(db)
            let from = max(after, horizon)
            let events = try WindowEventStore.events(db, windowId: windowId, after: from, limit: limit + 1)
            let page = Array(events.prefix(limit))
            return WindowEventPage(events: page, lastEventId: page.last?.id ?? max(from, 0), hasMore: events.count > limit,
                                   prunedThrough: after < horizon ? horizon : nil)
        }
    }
}
