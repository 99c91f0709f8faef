import Foundation
import HallAPI

extension HallDesk {
    /// The satisfaction report for hall days `from`…`to` (inclusive), grouped by window, staff, service or day.
    /// Rates count active ratings only; `systemDefault` ratings are counted apart; 未评率 counts completed services
    /// with no active rating.
    public func satisfactionReport(from: String, to: String, by: ReportGrouping) async throws -> SatisfactionReport {
        guard HallClock.isValidDay(from), HallClock.isValidDay(to) else {
            throw HallError(.badRequest, "from and to must be dates like 2026-11-01")
        }
        guard from <= to else { throw HallError(.badRequest, "from (\(from)) is after to (\(to))") }
        let facts = try await store.satisfactionFacts(from: from, to: to)
        struct Acc {
            var levels = LevelCounts()
            var systemDefault = 0
            var completed = 0
            var unrated = 0
            var expired = 0
        }
        func key(_ place: SatisfactionFacts.Place) -> String? {
            switch by {
            case .window: place.windowId
            case .staff: place.staffId
            case .service: place.serviceId
            case .day: place.hallDay
            }
        }
        var groups: [String: Acc] = [:]
        var total = Acc()
        // Completed services, and whether each has an active rating.
        for c in facts.completed {
            let k = key(c.place) ?? "-"
            groups[k, default: Acc()].completed += c.count
            total.completed += c.count
            if !c.rated {
                groups[k, default: Acc()].unrated += c.count
                total.unrated += c.count
            }
        }
        // 未办理: expired tickets, and waiting ones of a hall day that is over (the sweep may not have run yet).
        let moment = clock.moment(self.now)
        for u in facts.unserved {
            guard u.status == .expired || !hall.isHallDayOpen(u.place.hallDay, at: moment, clock: clock) else { continue }
            total.expired += u.count
            if by == .service || by == .day { groups[key(u.place) ?? "-", default: Acc()].expired += u.count }
        }
        var bad: [BadRatingEntry] = []
        for r in facts.ratings {
            let k = key(r.place) ?? "-"
            guard let level = RatingLevel(rawValue: r.level) else { continue }
            if r.source == RatingSource.systemDefault.rawValue {
                groups[k, default: Acc()].systemDefault += 1
                total.systemDefault += 1
                continue
            }
            groups[k, default: Acc()].levels[level] += 1
            total.levels[level] += 1
            if level.isBad, let record = r.record {
                bad.append(BadRatingEntry(ratingId: record.ratingId, ticketNumber: record.ticketNumber, hallDay: r.place.hallDay,
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
