import Foundation
import GRDB
import HallAPI

extension HallDesk {
    /// The satisfaction report for hall days `from`…`to` (inclusive), grouped by window, staff, service or day.
    /// Rates count active ratings only; `systemDefault` ratings are counted apart; 未评率 counts completed services
    /// with no active rating.
    public func satisfactionReport(from: String, to: String, by: ReportGrouping) async throws -> SatisfactionReport {
        guard HallClock.isValidDay(from), HallClock.isValidDay(to) else {
            throw HallError(400, APIErrorCode.badRequest, "from and to must be dates like 2026-11-01")
        }
        guard from <= to else { throw HallError(400, APIErrorCode.badRequest, "from (\(from)) is after to (\(to))") }
        return try await database.read { [self] db in
            struct Acc {
                var levels = LevelCounts()
                var systemDefault = 0
                var completed = 0
                var unrated = 0
                var expired = 0
            }
            func key(_ row: Row) -> String? {
                switch by {
                case .window: row["windowId"]
                case .staff: row["staffId"]
                case .service: row["serviceId"]
                case .day: row["hallDay"]
                }
            }
            var groups: [String: Acc] = [:]
            var total = Acc()
            // Completed services, and whether each has an active rating.
            for row in try Row.fetchAll(db, sql: """
                SELECT t.hallDay, t.windowId, t.staffId, t.serviceId,
                       EXISTS (SELECT 1 FROM rating r WHERE r.ticketId = t.id AND r.source = 'active') AS rated
                FROM ticket t WHERE t.status = 'completed' AND t.hallDay BETWEEN ? AND ?
                """, arguments: [from, to]) {
                let k = key(row) ?? "-"
                let rated: Bool = row["rated"]
                groups[k, default: Acc()].completed += 1
                total.completed += 1
                if !rated {
                    groups[k, default: Acc()].unrated += 1
                    total.unrated += 1
                }
            }
            // 未办理: expired tickets, and waiting ones of a hall day that is over (the sweep may not have run yet).
            let moment = clock.moment(self.now)
            for row in try Row.fetchAll(db, sql: """
                SELECT hallDay, windowId, staffId, serviceId, status FROM ticket
                WHERE status IN ('expired', 'waiting') AND hallDay BETWEEN ? AND ?
                """, arguments: [from, to]) {
                let status: String = row["status"]
                guard status == TicketStatus.expired.rawValue || !hall.isHallDayOpen(row["hallDay"], at: moment, clock: clock) else { continue }
                total.expired += 1
                if by == .service || by == .day { groups[key(row) ?? "-", default: Acc()].expired += 1 }
            }
            var bad: [BadRatingEntry] = []
            for row in try Row.fetchAll(db, sql: """
                SELECT hallDay, windowId, staffId, serviceId, level, source, record FROM rating WHERE hallDay BETWEEN ? AND ?
                ORDER BY receivedAt DESC
                """, arguments: [from, to]) {
                let k = key(row) ?? "-"
                guard let level = RatingLevel(rawValue: row["level"]) else { continue }
                if row["source"] as String == RatingSource.systemDefault.rawValue {
                    groups[k, default: Acc()].systemDefault += 1
                    total.systemDefault += 1
                    continue
                }
                groups[k, default: Acc()].levels[level] += 1
                total.levels[level] += 1
                if level.isBad, let record = try? Self.decodeRecord(row["record"]) {
                    bad.append(BadRatingEntry(ratingId: record.ratingId, ticketNumber: record.ticketNumber, hallDay: row["hallDay"],
                                              serviceId: record.serviceId, windowId: record.windowId, staffId: record.staffId,
                                              staffName: record.staffName, channel: record.channel, level: record.level,
                                              reasons: record.reasons, text: record.text, assessNumber: record.assessNumber,
                                              ratedAt: record.ratedAt))
                }
            }
            func name(_ k: String) -> LocalizedText {
                switch by {
                case .window: hall.window(k)?.name ?? LocalizedText(zh: k, en: k)
                case .staff: hall.staffMember(k).map { LocalizedText(zh: "\($0.name)（\($0.employeeNo)）", en: "\($0.name) (\($0.employeeNo))") }
                    ?? LocalizedText(zh: k, en: k)
                case .service: hall.service(k)?.name ?? LocalizedText(zh: k, en: k)
                case .day: LocalizedText(zh: k, en: k)
                }
            }
            func order(_ k: String) -> Int {
                switch by {
                case .window: hall.windowsById[k] ?? Int.max
                case .staff: hall.staffById[k] ?? Int.max
                case .service: hall.servicesById[k] ?? Int.max
                case .day: 0
                }
            }
            let rows = groups.sorted { a, b in
                let (oa, ob) = (order(a.key), order(b.key))
                return oa != ob ? oa < ob : a.key < b.key
            }.map { k, acc in
                SatisfactionGroup(key: k, name: name(k), levels: acc.levels, systemDefaultRatings: acc.systemDefault,
                                  completedServices: acc.completed, unratedServices: acc.unrated, expiredTickets: acc.expired)
            }
            let totalRow = SatisfactionGroup(key: "total", name: LocalizedText(zh: "合计", en: "Total"), levels: total.levels,
                                             systemDefaultRatings: total.systemDefault, completedServices: total.completed,
                                             unratedServices: total.unrated, expiredTickets: total.expired)
            return SatisfactionReport(from: from, to: to, by: by, groups: rows, total: totalRow, badRatings: bad)
        }
    }
}
