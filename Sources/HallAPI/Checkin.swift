import Foundation

// The check-in contract (issue 21): ID-card walk-ins, appointments pushed by the provincial platform or booked on
// the hall's own page, and the kiosk's check-in. The plain ID number travels only in the bodies of
// `CardLookupRequest`, `IssueTicketRequest.idNumber`, `CheckinRequest.idNumber` and `AppointmentPush.idNumber`
// (kiosk or platform → server, over the hall's link); the server turns it into a keyed HMAC on arrival and never
// answers, stores, logs or prints it. Every answer below carries at most the masked form.

/// `POST /api/v1/checkins/lookup` body (kiosk → server): "a card was placed; what is there for this person today?".
/// Sent by the kiosk right after a card read. Nothing is written.
public struct CardLookupRequest: Codable, Hashable, Sendable {
    public var kioskId: String
    /// The card's ID number in clear (18 characters, GB 11643 checked by the kiosk, checked again by the server).
    public var idNumber: String

    public init(kioskId: String, idNumber: String) {
        self.kioskId = kioskId
        self.idNumber = idNumber
    }
}

/// Where an appointment is in its life.
public enum AppointmentStatus: String, Codable, Hashable, Sendable, CaseIterable {
    /// Booked and not yet checked in.
    case booked
    /// Checked in: a ticket was issued for it (`ticketId`).
    case checkedIn
    /// Cancelled by the citizen, the platform (`DELETE`) or the admin.
    case cancelled
    /// The slot ended without a check-in.
    case noShow
}

/// One appointment as any client may see it: no ID number, no name, no phone — only the masked forms.
public struct AppointmentSummary: Codable, Hashable, Sendable {
    /// The hall server's id of the appointment.
    public var id: String
    /// Who made it: `hall` (the booking page), `csv` (admin import) or the platform's source name.
    public var source: String
    public var service: ServiceRef
    public var slotStart: Date
    public var slotEnd: Date
    public var status: AppointmentStatus
    /// When check-in opens and closes for it (the hall's check-in window around `slotStart`).
    public var checkinOpensAt: Date
    public var checkinClosesAt: Date
    /// The masked ID number, e.g. `4301**********1234`.
    public var maskedId: String
    /// The masked name, e.g. `张*`; shown only on the card holder's own screen.
    public var maskedName: String?
    /// The ticket it was checked in with, once `checkedIn`.
    public var ticketId: String?

    public init(id: String, source: String, service: ServiceRef, slotStart: Date, slotEnd: Date, status: AppointmentStatus,
                checkinOpensAt: Date, checkinClosesAt: Date, maskedId: String, maskedName: String? = nil, ticketId: String? = nil) {
        self.id = id
        self.source = source
        self.service = service
        self.slotStart = slotStart
        self.slotEnd = slotEnd
        self.status = status
        self.checkinOpensAt = checkinOpensAt
        self.checkinClosesAt = checkinClosesAt
        self.maskedId = maskedId
        self.maskedName = maskedName
        self.ticketId = ticketId
    }
}

/// Why a person may not take a number at one service right now (walk-in with a card).
public struct PersonServiceState: Codable, Hashable, Sendable {
    public var serviceId: String
    /// nil when the person may take a number; else the refusal's `APIErrorKind` raw value
    /// (e.g. `personDailyLimitReached`), which the kiosk words.
    public var refusal: String?

    public init(serviceId: String, refusal: String? = nil) {
        self.serviceId = serviceId
        self.refusal = refusal
    }
}

/// The answer to `CardLookupRequest`: what the kiosk offers the card holder.
public struct CardLookup: Codable, Hashable, Sendable {
    /// The masked ID number of the card holder.
    public var maskedId: String
    /// Today's appointments of this person (booked, checked in, or missed today), earliest first.
    public var appointments: [AppointmentSummary]
    /// The person's tickets still waiting or called today, one per service: offered for 补打 (reprint).
    public var pendingTickets: [IssuedTicket]
    /// Every service the kiosk shows, with the per-person refusal if any.
    public var services: [PersonServiceState]

    public init(maskedId: String, appointments: [AppointmentSummary], pendingTickets: [IssuedTicket], services: [PersonServiceState]) {
        self.maskedId = maskedId
        self.appointments = appointments
        self.pendingTickets = pendingTickets
        self.services = services
    }
}

/// `POST /api/v1/checkins` body, sent with an `Idempotency-Key` header (a retry after a lost answer gives the same
/// ticket). Either `bookingCode` (from the booking QR or typed on the keypad), or `idNumber` with the
/// `appointmentId` the card holder chose from `CardLookup.appointments`.
public struct CheckinRequest: Codable, Hashable, Sendable {
    public var kioskId: String
    public var bookingCode: String?
    public var idNumber: String?
    public var appointmentId: String?

    public init(kioskId: String, bookingCode: String? = nil, idNumber: String? = nil, appointmentId: String? = nil) {
        self.kioskId = kioskId
        self.bookingCode = bookingCode
        self.idNumber = idNumber
        self.appointmentId = appointmentId
    }
}

/// Which queue a checked-in appointment's ticket went to.
public enum CheckinLane: String, Codable, Hashable, Sendable {
    /// On time: the appointment priority lane.
    case appointment
    /// Late, and the hall sends late arrivals to the normal queue (`[appointments] lateArrival = "normalQueue"`).
    case normalLate
}

/// The answer to `POST /api/v1/checkins`: the appointment is confirmed and its ticket issued, in one transaction.
public struct CheckinResult: Codable, Hashable, Sendable {
    public var ticket: IssuedTicket
    public var appointment: AppointmentSummary
    public var lane: CheckinLane
    /// True when `ticket` is a number the citizen already held: this appointment had been checked in before, or the
    /// card holder's walk-in number at the service was already called (or kept in the normal queue when late) and the
    /// appointment is now linked to it. Offered for 补打.
    public var reprint: Bool
    /// True when the citizen's waiting walk-in number at the service moved into the appointment lane at this check-in:
    /// the same number and phone page, now called with appointment priority. Absent otherwise.
    public var movedToAppointmentLane: Bool?

    public init(ticket: IssuedTicket, appointment: AppointmentSummary, lane: CheckinLane, reprint: Bool,
                movedToAppointmentLane: Bool? = nil) {
        self.ticket = ticket
        self.appointment = appointment
        self.lane = lane
        self.reprint = reprint
        self.movedToAppointmentLane = movedToAppointmentLane
    }
}

/// `PUT /api/v1/appointments/{source}/{externalId}` body (the provincial platform, with the integration token from
/// `hall.toml`, or the admin token). Idempotent: replaying a push changes nothing. Times are RFC 3339.
/// `idNumber`, `name` and `phone` are turned into an HMAC, masked forms and an encrypted phone on arrival.
public struct AppointmentPush: Codable, Hashable, Sendable {
    public var serviceId: String
    public var slotStart: Date
    public var slotEnd: Date
    public var idNumber: String
    public var name: String
    public var phone: String?

    public init(serviceId: String, slotStart: Date, slotEnd: Date, idNumber: String, name: String, phone: String? = nil) {
        self.serviceId = serviceId
        self.slotStart = slotStart
        self.slotEnd = slotEnd
        self.idNumber = idNumber
        self.name = name
        self.phone = phone
    }
}

/// The answer to a push (201 when created, 200 when it changed or replayed) and to `GET` of one appointment.
public struct AppointmentReceipt: Codable, Hashable, Sendable {
    public var appointment: AppointmentSummary
    /// The one-time booking code (also what the booking QR holds), e.g. `K7M2Q9XD`: PII-free.
    public var bookingCode: String

    public init(appointment: AppointmentSummary, bookingCode: String) {
        self.appointment = appointment
        self.bookingCode = bookingCode
    }
}

/// The masked forms of personal data that answers, screens and pages may show.
public enum PersonalDataMask {
    /// `430102199003071234` → `4301**********1234`: the first four and last four characters; anything shorter
    /// than nine characters is starred whole.
    public static func idNumber(_ number: String) -> String {
        let characters = Array(number)
        guard characters.count >= 9 else { return String(repeating: "*", count: characters.count) }
        return String(characters.prefix(4)) + String(repeating: "*", count: characters.count - 8) + String(characters.suffix(4))
    }

    /// `张伟` → `张*`, `欧阳娜娜` → `欧***`, `John Smith` → `J*********`: the first character only.
    public static func name(_ name: String) -> String {
        let trimmed = name.trimmingCharacters(in: .whitespaces)
        guard let first = trimmed.first else { return "" }
        return String(first) + String(repeating: "*", count: max(1, trimmed.count - 1))
    }
}

// The request bodies that carry an ID number describe themselves masked, so `print`, string interpolation and
// logging of a whole request never show it.

extension IssueTicketRequest: CustomStringConvertible, CustomDebugStringConvertible {
    public var description: String {
        "IssueTicketRequest(serviceId: \(serviceId), kioskId: \(kioskId), priority: \(priority?.rawValue ?? "none"), "
            + "idNumber: \(idNumber.map(PersonalDataMask.idNumber) ?? "none"))"
    }
    public var debugDescription: String { description }
}

extension CardLookupRequest: CustomStringConvertible, CustomDebugStringConvertible {
    public var description: String {
        "CardLookupRequest(kioskId: \(kioskId), idNumber: \(PersonalDataMask.idNumber(idNumber)))"
    }
    public var debugDescription: String { description }
}

extension CheckinRequest: CustomStringConvertible, CustomDebugStringConvertible {
    public var description: String {
        "CheckinRequest(kioskId: \(kioskId), bookingCode: \(bookingCode ?? "none"), "
            + "idNumber: \(idNumber.map(PersonalDataMask.idNumber) ?? "none"), appointmentId: \(appointmentId ?? "none"))"
    }
    public var debugDescription: String { description }
}

extension AppointmentPush: CustomStringConvertible, CustomDebugStringConvertible {
    public var description: String {
        "AppointmentPush(serviceId: \(serviceId), slotStart: \(slotStart), slotEnd: \(slotEnd), "
            + "idNumber: \(PersonalDataMask.idNumber(idNumber)), name: \(PersonalDataMask.name(name)), "
            + "phone: \(phone == nil ? "none" : "***"))"
    }
    public var debugDescription: String { description }
}
