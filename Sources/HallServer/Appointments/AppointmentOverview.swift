import Foundation
import HallAPI

/// A hall day's appointments for the admin: per service, by status, and the list (masked ID numbers only).
struct AppointmentOverview: Sendable {
    var counts: [AppointmentDayCount]
    var rows: [AppointmentAdminRow]
    var previousDay: String?
    var nextDay: String?

    static func day(_ day: String, desk: HallDesk) async throws -> AppointmentOverview {
        let hall = desk.hall
        let clock = HallClock(timeZone: hall.timeZone)
        guard let start = clock.startOfDay(day), let next = clock.nextDay(day), let end = clock.startOfDay(next) else {
            return AppointmentOverview(counts: [], rows: [], previousDay: nil, nextDay: nil)
        }
        let appointments = try await desk.store.appointments(from: start, to: end, serviceId: nil)
        var counts: [String: AppointmentDayCount] = [:]
        for a in appointments {
            let name = hall.service(a.serviceId)?.name ?? LocalizedText(zh: a.serviceId, en: a.serviceId)
            var c = counts[a.serviceId] ?? AppointmentDayCount(serviceId: a.serviceId, serviceName: name)
            switch a.status {
            case .booked: c.booked += 1
            case .checkedIn: c.checkedIn += 1
            case .noShow: c.noShow += 1
            case .cancelled: c.cancelled += 1
            }
            counts[a.serviceId] = c
        }
        // Services in config order, then any the config no longer has.
        let order = Dictionary(uniqueKeysWithValues: hall.services.enumerated().map { ($1.id, $0) })
        let sorted = counts.values.sorted { (order[$0.serviceId] ?? .max, $0.serviceId) < (order[$1.serviceId] ?? .max, $1.serviceId) }
        var numbers: [String: String] = [:]
        for a in appointments {
            if let ticketId = a.ticketId, let view = try await desk.store.ticketView(.id(ticketId), at: desk.now) { numbers[ticketId] = view.ticket.number }
        }
        let rows = appointments.sorted { ($0.slotStart, order[$0.serviceId] ?? .max) < ($1.slotStart, order[$1.serviceId] ?? .max) }.map { a in
            AppointmentAdminRow(slotStart: a.slotStart, slotEnd: a.slotEnd, serviceName: hall.service(a.serviceId)?.name
                                    ?? LocalizedText(zh: a.serviceId, en: a.serviceId),
                                source: a.source, maskedId: a.maskedId, status: a.status, ticketNumber: a.ticketId.flatMap { numbers[$0] })
        }
        let previous = clock.startOfDay(day).flatMap { clock.moment($0.addingTimeInterval(-3600)).day }
        return AppointmentOverview(counts: sorted, rows: rows, previousDay: previous, nextDay: next)
    }
}
