import Foundation

extension HallDesk {
    /// The booked slot (`09:00-09:30`) of each checked-in appointment whose ticket is among `tickets`, by ticket id: what
    /// the staff console shows beside an appointment ticket. Reads only when one of them is in the appointment lane.
    func appointmentSlots(of tickets: [StoredTicket]) async throws -> [String: String] {
        let wanted = Set(tickets.filter { $0.priority == .appointment }.map(\.id))
        guard !wanted.isEmpty else { return [:] }
        let clock = HallClock(timeZone: hall.timeZone)
        let days = Set(tickets.map(\.hallDay))
        var slots: [String: String] = [:]
        for day in days {
            guard let start = clock.startOfDay(day), let next = clock.nextDay(day), let end = clock.startOfDay(next) else { continue }
            for a in try await store.appointments(from: start, to: end, serviceId: nil) {
                guard let ticketId = a.ticketId, wanted.contains(ticketId) else { continue }
                slots[ticketId] = PageFormat.hhmm(a.slotStart, hall.timeZone) + "-" + PageFormat.hhmm(a.slotEnd, hall.timeZone)
            }
        }
        return slots
    }
}
