import Foundation
import HallAPI

/// What the phone page says about calls besides the ticket itself: when the window last recalled it, and which
/// number its service is calling now. No personal data: numbers and times only.
struct PhoneCallFacts: Sendable, Hashable {
    /// When the window last recalled (重呼) this ticket, while it is called.
    var recalledAt: Date?
    /// The number most recently called for the ticket's service today (while the ticket waits), e.g. `A005`.
    var nowCalling: String?
}

extension HallDesk {
    /// How many of the hall's newest events the phone page reads for its call facts.
    static let phoneCallEventWindow = 200

    /// The call facts for a ticket's phone page; nothing is read for tickets neither waiting nor called.
    func phoneCallFacts(_ progress: TicketProgress) async throws -> PhoneCallFacts {
        var facts = PhoneCallFacts()
        let recalled = progress.status == .called && (progress.recallCount ?? 0) > 0
        guard recalled || progress.status == .waiting else { return facts }
        let events = try await store.latestHallEvents(limit: Self.phoneCallEventWindow)
        for event in events {
            guard let ticket = event.ticket else { continue }
            if recalled, event.type == .ticketRecalled, ticket.id == progress.id {
                facts.recalledAt = event.at
                break
            }
            if progress.status == .waiting, event.type == .ticketCalled || event.type == .ticketRecalled,
               ticket.service.id == progress.service.id, clock.moment(event.at).day == progress.hallDay {
                facts.nowCalling = ticket.number
                break
            }
        }
        return facts
    }
}
