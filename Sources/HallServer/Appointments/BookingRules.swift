import Foundation
import HallAPI

/// A refusal of the booking rules: the API code, a sentence naming the problem and what to do, and the moment it refers
/// to when it has one (when a ban ends).
public struct BookingRefusal: Error, Sendable, Equatable {
    public var kind: APIErrorKind
    public var message: String
    public var at: Date?

    public init(_ kind: APIErrorKind, _ message: String, at: Date? = nil) {
        self.kind = kind
        self.message = message
        self.at = at
    }
}

/// The hall booking page's rules (`[appointments]`), pure. The order of the checks is the order a citizen can fix
/// them in: the slot itself first, then the person.
public struct BookingRules: Sendable {
    public let calendar: BookingCalendar
    public var rules: AppointmentRules { calendar.hall.appointments }

    public init(hall: Hall) { calendar = BookingCalendar(hall: hall) }

    /// The slot a citizen asks for at `now`, or why not: an unknown or unbookable service, a time that is not one of
    /// its slots, a day outside the horizon.
    public func slot(serviceId: String, start: Date, now: Date) throws(BookingRefusal) -> BookingSlot {
        guard let service = calendar.hall.service(serviceId) else {
            throw BookingRefusal(.unknownService, "no service has id '\(serviceId)'")
        }
        guard service.personRules.appointmentCapacity > 0 else {
            throw BookingRefusal(.bookingOutOfRange, "service '\(serviceId)' cannot be booked on the hall's page (appointmentCapacity is 0)")
        }
        let days = calendar.bookableDays(now: now)
        guard let slot = calendar.slot(of: service, startingAt: start) else {
            throw BookingRefusal(.bookingOutOfRange, "\(start) is not the start of a bookable slot of '\(serviceId)'; pick one of the slots offered")
        }
        guard days.contains(slot.day) else {
            throw BookingRefusal(.bookingOutOfRange, "\(slot.day) is outside the booking horizon (from tomorrow, "
                                 + "\(rules.horizonWorkingDays) working days: \(days.first ?? "none")…\(days.last ?? "none"))")
        }
        return slot
    }

    /// Whether the person's no-shows (their slots' starts, any order) block new bookings at `now` (`NoShowBan`).
    /// Read before the booking's transaction: a no-show marked meanwhile is seen by the next booking.
    public func checkBan(noShows: [Date], now: Date) throws(BookingRefusal) {
        if let until = NoShowBan(rules: rules).bannedUntil(noShows: noShows, now: now) {
            throw BookingRefusal(.bookingBanned, "new bookings are blocked after \(rules.noShowLimit) missed appointments within "
                                 + "\(rules.noShowWindowDays) days, until \(until)", at: until)
        }
    }

    /// Whether the slot has a place and the person may book another that day, given what the booking's transaction
    /// read: `slotTaken` bookings in the slot and `personThatDay` bookings of the person that day (not cancelled).
    public func checkPlace(_ slot: BookingSlot, slotTaken: Int, personThatDay: Int) throws(BookingRefusal) {
        guard personThatDay < rules.perPersonPerDay else {
            throw BookingRefusal(.bookingLimitReached, "the person already has \(personThatDay) booking(s) on \(slot.day); "
                                 + "the hall allows \(rules.perPersonPerDay) per day — cancel it or pick another day")
        }
        guard slotTaken < slot.capacity else {
            throw BookingRefusal(.slotFull, "the slot \(slot.day) \(slot.label) is full (\(slot.capacity) places); pick another slot")
        }
    }

    /// Whether a booking of a slot starting at `slotStart` may be cancelled at `now`.
    public func checkCancel(slotStart: Date, now: Date) throws(BookingRefusal) {
        let deadline = calendar.cancelDeadline(slotStart: slotStart)
        guard now <= deadline else {
            throw BookingRefusal(.cancelTooLate, "bookings can be cancelled until \(Int(rules.cancelBeforeSeconds / 60)) minutes "
                                 + "before their slot (here until \(deadline))", at: deadline)
        }
    }
}

/// The no-show ban: `noShowLimit` (N) no-shows within `noShowWindowDays` (M) days block new bookings for `banDays` (D)
/// days from the last of them. Every no-show that closes such a run starts a ban; the latest ban still running counts.
public struct NoShowBan: Sendable {
    public let rules: AppointmentRules

    public init(rules: AppointmentRules) { self.rules = rules }

    /// How far back a store must read no-shows to decide at `now`: a ban running now ends after `now`, so its last
    /// no-show is within D days, and the run before it within M more.
    public func lookBack(from now: Date) -> Date {
        now.addingTimeInterval(-Double(rules.banDays + rules.noShowWindowDays) * 86_400)
    }

    /// Until when new bookings are blocked at `now`; nil: not blocked.
    public func bannedUntil(noShows: [Date], now: Date) -> Date? {
        guard rules.noShowLimit > 0, noShows.count >= rules.noShowLimit else { return nil }
        let sorted = noShows.sorted()
        let window = Double(rules.noShowWindowDays) * 86_400
        var until: Date?
        for (i, last) in sorted.enumerated() where i + 1 >= rules.noShowLimit {
            // The N no-shows ending at `last`: the first of them must lie within M days before it.
            let first = sorted[i + 1 - rules.noShowLimit]
            guard last.timeIntervalSince(first) < window else { continue }
            let end = last.addingTimeInterval(Double(rules.banDays) * 86_400)
            if end > now, until.map({ end > $0 }) ?? true { until = end }
        }
        return until
    }
}
