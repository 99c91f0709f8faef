import Foundation
import HallAPI

/// The ticket side of a check-in, the same in every store (`AppointmentStore.checkIn`).
///
/// A check-in's ticket carries the person's key like a card walk-in's, so the one-pending-ticket rule
/// (`ticket_person_pending`) and the per-person daily count see both kinds inside their transactions. An appointment
/// ticket counts as a number taken that day (a later walk-in of the same person meets `dailyLimitPerPerson` sooner),
/// but a check-in itself is never refused by that walk-in limit (`HallDesk.issueRules(cardHolder: false)`).
enum CheckinTicket {
    /// The check-in's ticket for `appointment` under `plan`: the appointment's service, the plan's priority and rank;
    /// stored under the card holder's current key (`issue.personKey`, set by the desk) or, for a booking code, the
    /// appointment's key; the person's pending ticket is searched under every key of the card's ring and the
    /// appointment's key.
    ///
    /// Key rotation: an appointment keeps the key it was booked under. A card knows every key of the ring, so a card
    /// check-in finds the person's tickets under any of them. A booking code knows only the appointment's key: a
    /// walk-in number the same person took with their card after the rotation (under the new key) is not found by a
    /// booking-code check-in of an appointment booked before it, and the person can hold two numbers at the service
    /// until one ends. Only the ID number could join the two keys, and a booking code carries none; checking in by card
    /// closes the gap.
    static func issue(_ base: TicketIssue, appointment: StoredAppointment, plan: CheckinPlan) -> TicketIssue {
        var issue = base
        issue.serviceId = appointment.serviceId
        issue.priority = plan.priority
        issue.rank = plan.rank
        issue.personKey = base.personKey ?? appointment.personKey
        var keys = base.personKeys
        for key in [issue.personKey, appointment.personKey].compactMap({ $0 }) where !keys.contains(key) { keys.append(key) }
        issue.personKeys = keys
        return issue
    }

    /// `held` (the person's pending ticket at the service) moved into the plan's lane: only a waiting ticket in a
    /// lower lane (a walk-in number in the normal queue, the plan being the appointment lane); nil when it stays as
    /// it is (called, already in a priority lane, or a late arrival's normal queue).
    static func raised(_ held: StoredTicket, by plan: CheckinPlan) -> StoredTicket? {
        guard let priority = plan.priority, held.status == .waiting, plan.rank < held.rank else { return nil }
        var moved = held
        moved.priority = priority
        moved.rank = plan.rank
        return moved
    }

    /// `appointment` as its row reads once it is checked in with `ticket` at `at` (each store writes the same columns).
    static func checkedIn(_ appointment: StoredAppointment, ticket: StoredTicket, at: Date) -> StoredAppointment {
        var out = appointment
        out.status = .checkedIn
        out.ticketId = ticket.id
        out.checkedInAt = at
        out.updatedAt = at
        return out
    }
}
