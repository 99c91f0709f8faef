import Foundation
import HallAPI

/// Appointments (预约) and the per-person facts of ID-card issuing (issue 21). Part of `HallStore`: every backend has
/// them, with the same guarantees as the rest of the store (one transaction each; rules run inside it and may throw a
/// `HallError`, which rolls back and is rethrown unchanged; a store that retries may call them again).
///
/// ## Personal data
/// The store never sees an ID number, a name or a phone in clear: only the keyed person key (`PersonKeyring.personKey`,
/// `k2:…`), the masked forms (`PersonalDataMask`) and the phone sealed with the keyring. Lookups by person take every
/// key of the ring (`personKeys`, current first), so a key rotation loses no one.
///
/// ## Race freedom
/// - A pushed appointment is unique by `source` + `externalId`; a replay changes nothing.
/// - A booking code is unique (a collision throws `AppointmentStoreError.bookingCodeTaken`; make a new code, try again).
/// - `checkIn` locks the appointment, issues its ticket and marks it checked in in one transaction: concurrent
///   check-ins of one appointment give one ticket; a repeated kiosk + idempotency key gives that same ticket.
/// - `bookAppointment` reads the slot's and the person's bookings and inserts in one transaction serialised with every
///   other booking of the hall (capacity and per-person limits hold under any concurrency).
public protocol AppointmentStore: Sendable {
    // MARK: Pushed by the platform (PUT / DELETE /api/v1/appointments/{source}/{externalId})

    /// Stores a pushed appointment: new → `.created`; the same `fingerprint` as stored → `.replayed` (nothing written);
    /// another fingerprint while `booked` or `cancelled` → the fields are replaced, status `booked`, `.changed`
    /// (id and booking code stay); another fingerprint once checked in or missed → `.locked` (nothing written).
    func pushAppointment(_ write: AppointmentWrite) async throws -> AppointmentPushOutcome

    /// Cancels a booked appointment (`cancelled`, `cancelledAt` = `at`). Returns it as it is now (already cancelled,
    /// checked in or missed: unchanged); nil when none has this source and external id.
    func cancelAppointment(source: String, externalId: String, at: Date) async throws -> StoredAppointment?

    // MARK: Reads

    /// One appointment, nil when none matches.
    func appointment(_ lookup: AppointmentLookup) async throws -> StoredAppointment?

    /// The appointments of a person (any of `personKeys`) with a slot starting in `from ..< to`, earliest first.
    func appointments(personKeys: [String], from: Date, to: Date) async throws -> [StoredAppointment]

    /// The appointments with a slot starting in `from ..< to`, of one service or (nil) all, by service then slot.
    func appointments(from: Date, to: Date, serviceId: String?) async throws -> [StoredAppointment]

    /// A person's tickets (any of `personKeys`): those still waiting or called, and how many were issued per issued
    /// service on `hallDay` (what the per-person rules and the card lookup need).
    func personTickets(personKeys: [String], hallDay: String) async throws -> PersonTickets

    /// How many stored rows still need key `keyId` and until when: tickets of `fromHallDay` or later or still waiting
    /// or called (the per-person rules read them), appointments booked, and no-shows with a slot ending after
    /// `noShowsEndingAfter` (the ban rules count them). `identity retire` refuses while any remain; older rows keep a
    /// key nobody can compute any more.
    func personKeyUsage(keyId: String, fromHallDay: String, noShowsEndingAfter: Date) async throws -> PersonKeyUsage

    // MARK: Check-in (POST /api/v1/checkins)

    /// Checks an appointment in, in one transaction:
    /// 1. a ticket with `checkin.issue.kioskId` + `idempotencyKey` exists → `.replayed` with it and its appointment;
    /// 2. the appointment (`checkin.lookup`) is read and locked; `plan` sees it (nil: none; it throws when the
    ///    check-in is refused: not found, not this person, cancelled, missed, too early, too late);
    /// 3. already checked in → `.reprint` with its ticket (`plan` is not called);
    /// 4. else the ticket is issued for the appointment's service with the plan's priority and rank (`issueRules`
    ///    pick its number as in `issueTicket`), and the appointment becomes `checkedIn` with its ticket id.
    func checkIn(_ checkin: CheckinWrite, plan: @escaping @Sendable (StoredAppointment?) throws -> CheckinPlan,
                 issueRules: @escaping @Sendable (IssueSnapshot) throws -> IssueDecision) async throws -> CheckinOutcome

    // MARK: The hall's booking page, CSV import, no-shows and bans (issue 21, items 5–6)

    /// Books an appointment (source `hall` or `csv`), in one transaction serialised with every other booking: `rules`
    /// see the slot's bookings, the person's bookings that day and no-shows since `query.noShowsSince` and throw when
    /// the booking is refused (`slotFull`, `bookingLimitReached`, `bookingBanned` …); then `write` is inserted as
    /// `booked`. A `source` + `externalId` already stored answers that appointment without calling `rules`.
    func bookAppointment(_ write: AppointmentWrite, query: BookingQuery,
                         rules: @escaping @Sendable (BookingFacts) throws -> Void) async throws -> StoredAppointment

    /// Cancels the appointment with this booking code: `check` sees it first (nil: none; it throws when the
    /// cancellation is refused, e.g. `cancelTooLate`); a booked one becomes `cancelled` at `at`. Returns it as it is now.
    func cancelAppointment(bookingCode: String, at: Date,
                           check: @escaping @Sendable (StoredAppointment?) throws -> Void) async throws -> StoredAppointment

    /// Appointments of a person (any of `personKeys`) marked `noShow` whose slot started at or after `since`.
    func noShowCount(personKeys: [String], since: Date) async throws -> Int

    /// Marks every `booked` appointment whose slot ended at or before `slotsEndedBy` as `noShow` (`updatedAt` = `at`).
    /// - Returns: how many were marked, per service.
    func markNoShows(slotsEndedBy: Date, at: Date) async throws -> [String: Int]
}

// MARK: - Values

/// An appointment as stored: no ID number, name or phone in clear.
public struct StoredAppointment: Sendable, Equatable {
    public var id: String
    /// `hall` (booking page), `csv` (admin import) or the platform's source name.
    public var source: String
    public var externalId: String
    public var serviceId: String
    public var slotStart: Date
    public var slotEnd: Date
    /// The keyed HMAC of the ID number (`k2:…`).
    public var personKey: String
    /// `4301**********1234`.
    public var maskedId: String
    /// `张*`.
    public var maskedName: String?
    /// The phone sealed with the keyring (`PersonKeyring.seal`); never plain.
    public var sealedPhone: String?
    public var status: AppointmentStatus
    /// The PII-free one-time code of the booking QR (`BookingCode`).
    public var bookingCode: String
    /// What was pushed, keyed (`PersonKeyring`): a replay has the same, a change another.
    public var fingerprint: String
    public var ticketId: String?
    public var createdAt: Date
    public var updatedAt: Date
    public var checkedInAt: Date?
    public var cancelledAt: Date?

    public init(id: String, source: String, externalId: String, serviceId: String, slotStart: Date, slotEnd: Date, personKey: String,
                maskedId: String, maskedName: String?, sealedPhone: String?, status: AppointmentStatus, bookingCode: String,
                fingerprint: String, ticketId: String? = nil, createdAt: Date, updatedAt: Date, checkedInAt: Date? = nil,
                cancelledAt: Date? = nil) {
        self.id = id
        self.source = source
        self.externalId = externalId
        self.serviceId = serviceId
        self.slotStart = slotStart
        self.slotEnd = slotEnd
        self.personKey = personKey
        self.maskedId = maskedId
        self.maskedName = maskedName
        self.sealedPhone = sealedPhone
        self.status = status
        self.bookingCode = bookingCode
        self.fingerprint = fingerprint
        self.ticketId = ticketId
        self.createdAt = createdAt
        self.updatedAt = updatedAt
        self.checkedInAt = checkedInAt
        self.cancelledAt = cancelledAt
    }
}

/// An appointment to store (push, booking, import): everything already keyed, masked and sealed.
public struct AppointmentWrite: Sendable {
    /// Used when the appointment is new.
    public var id: String
    public var source: String
    public var externalId: String
    public var serviceId: String
    public var slotStart: Date
    public var slotEnd: Date
    /// The person key under the current key.
    public var personKey: String
    /// The person's key under every key of the ring, current first (booking rules count the person's rows).
    public var personKeys: [String]
    public var maskedId: String
    public var maskedName: String?
    public var sealedPhone: String?
    /// Used when the appointment is new.
    public var bookingCode: String
    public var fingerprint: String
    public var at: Date

    public init(id: String, source: String, externalId: String, serviceId: String, slotStart: Date, slotEnd: Date, personKey: String,
                personKeys: [String], maskedId: String, maskedName: String?, sealedPhone: String?, bookingCode: String,
                fingerprint: String, at: Date) {
        self.id = id
        self.source = source
        self.externalId = externalId
        self.serviceId = serviceId
        self.slotStart = slotStart
        self.slotEnd = slotEnd
        self.personKey = personKey
        self.personKeys = personKeys
        self.maskedId = maskedId
        self.maskedName = maskedName
        self.sealedPhone = sealedPhone
        self.bookingCode = bookingCode
        self.fingerprint = fingerprint
        self.at = at
    }
}

/// The answer of `pushAppointment`.
public enum AppointmentPushOutcome: Sendable, Equatable {
    case created(StoredAppointment)
    case replayed(StoredAppointment)
    case changed(StoredAppointment)
    /// Checked in or missed: a different push does not change it.
    case locked(StoredAppointment)

    public var appointment: StoredAppointment {
        switch self {
        case .created(let a), .replayed(let a), .changed(let a), .locked(let a): a
        }
    }
}

/// How to find one appointment.
public enum AppointmentLookup: Sendable, Equatable {
    case id(String)
    case bookingCode(String)
    case external(source: String, externalId: String)
}

/// A person's tickets as the per-person rules see them.
public struct PersonTickets: Sendable, Equatable {
    /// Waiting or called tickets, oldest first.
    public var pending: [StoredTicket]
    /// Tickets issued on the hall day, per issued service.
    public var issuedToday: [String: Int]

    public init(pending: [StoredTicket] = [], issuedToday: [String: Int] = [:]) {
        self.pending = pending
        self.issuedToday = issuedToday
    }
}

/// Stored rows made with one identity key.
public struct PersonKeyUsage: Sendable, Equatable {
    public var tickets: Int
    public var appointments: Int
    /// The newest hall day of a ticket made with the key.
    public var lastTicketDay: String?
    /// The latest slot end of an appointment made with the key.
    public var lastSlotEnd: Date?

    public init(tickets: Int = 0, appointments: Int = 0, lastTicketDay: String? = nil, lastSlotEnd: Date? = nil) {
        self.tickets = tickets
        self.appointments = appointments
        self.lastTicketDay = lastTicketDay
        self.lastSlotEnd = lastSlotEnd
    }

    public var isEmpty: Bool { tickets == 0 && appointments == 0 }
}

/// A check-in to perform.
public struct CheckinWrite: Sendable {
    public var lookup: AppointmentLookup
    /// The ticket to issue: id, token, kiosk, idempotency key, fingerprint, hall day and time; its service, priority
    /// and rank are the appointment's and the plan's (the values here are replaced). Its `personKey` (the card
    /// holder's under the current identity key) is stored on the ticket, or the appointment's own key when nil (a
    /// booking code); its `personKeys` (every key of the ring for a card) are searched for the person's pending ticket
    /// at the service together with the appointment's key.
    public var issue: TicketIssue

    public init(lookup: AppointmentLookup, issue: TicketIssue) {
        self.lookup = lookup
        self.issue = issue
    }
}

/// What the check-in rules decided for an appointment.
public struct CheckinPlan: Sendable, Equatable {
    public var lane: CheckinLane
    public var priority: PriorityKind?
    public var rank: Int

    public init(lane: CheckinLane, priority: PriorityKind?, rank: Int) {
        self.lane = lane
        self.priority = priority
        self.rank = rank
    }
}

/// The answer of `checkIn`.
public enum CheckinOutcome: Sendable {
    /// Checked in now with this new ticket.
    case checkedIn(StoredTicket, StoredAppointment)
    /// Checked in before: its ticket (补打).
    case reprint(StoredTicket, StoredAppointment)
    /// Checked in now with the ticket the person already held at the service (a walk-in number taken with the card):
    /// `movedToAppointmentLane` when it was waiting and now has the appointment's priority (same number and token);
    /// false when it was already called, or stays in its queue (a late arrival sent to the normal queue).
    case joinedHeldTicket(StoredTicket, StoredAppointment, movedToAppointmentLane: Bool)
    /// The kiosk's idempotency key already has this ticket (a retry after a lost answer); the appointment when found.
    case replayed(StoredTicket, StoredAppointment?)
}

/// What `bookAppointment` reads for its rules.
public struct BookingQuery: Sendable {
    /// The booked day, as instants (the person's bookings that day are counted in `dayStart ..< dayEnd`).
    public var dayStart: Date
    public var dayEnd: Date
    /// No-shows of the person with a slot starting at or after this are counted.
    public var noShowsSince: Date

    public init(dayStart: Date, dayEnd: Date, noShowsSince: Date) {
        self.dayStart = dayStart
        self.dayEnd = dayEnd
        self.noShowsSince = noShowsSince
    }
}

/// What the booking rules see, read inside the booking transaction.
public struct BookingFacts: Sendable, Equatable {
    /// Appointments not cancelled in the same service and slot (same `slotStart`).
    public var slotTaken: Int
    /// The person's appointments not cancelled with a slot that day (any service).
    public var personThatDay: Int
    /// The person's no-shows since `BookingQuery.noShowsSince`.
    public var personNoShows: Int

    public init(slotTaken: Int, personThatDay: Int, personNoShows: Int) {
        self.slotTaken = slotTaken
        self.personThatDay = personThatDay
        self.personNoShows = personNoShows
    }
}

/// The card holder already has `ticket` waiting or called at the service: the per-person rules (`HallDesk`) throw it
/// from `issueTicket`'s rules when `IssueSnapshot.personPending` is set, and a store throws it when the pending index
/// refuses a ticket. The desk answers it with that ticket, `existing: true` (补打).
public struct PersonHasPendingTicket: Error, Sendable {
    public var ticket: StoredTicket

    public init(ticket: StoredTicket) {
        self.ticket = ticket
    }
}

/// Errors of the appointment store itself.
public enum AppointmentStoreError: Error, Equatable {
    /// Another appointment holds this booking code: make a new one and try again.
    case bookingCodeTaken
}
