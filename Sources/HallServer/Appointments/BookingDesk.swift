import Crypto
import Foundation
import HallAPI

/// The hall's own booking page on top of the desk: offers, booking, cancelling. A thin adapter: the rules are
/// `BookingRules` (pure), the writes `AppointmentStore.bookAppointment` / `cancelAppointment` (one transaction each),
/// the ID number becomes a keyed HMAC here and goes no further.
struct BookingDesk: Sendable {
    let desk: HallDesk

    /// Services offered on the page (`appointmentCapacity` > 0), in config order.
    var services: [Hall.Service] { desk.hall.services.filter { $0.personRules.appointmentCapacity > 0 } }

    /// The days bookable now.
    func days() -> [String] { BookingCalendar(hall: desk.hall).bookableDays(now: desk.now) }

    /// The slots of `service` on `day` with the places left (capacity minus bookings not cancelled).
    func offers(service: Hall.Service, day: String) async throws -> [BookingSlotOffer] {
        let slots = BookingCalendar(hall: desk.hall).slots(of: service, on: day)
        guard let first = slots.first, let last = slots.last else { return [] }
        var taken: [Date: Int] = [:]
        for a in try await desk.store.appointments(from: first.start, to: last.end, serviceId: service.id) where a.status != .cancelled {
            taken[a.slotStart, default: 0] += 1
        }
        return slots.map { BookingSlotOffer(slot: $0, remaining: max(0, $0.capacity - (taken[$0.start] ?? 0))) }
    }

    /// A booking as the citizen asked for it on the page.
    struct Request: Sendable {
        var serviceId: String
        var slotStart: Date
        var idNumber: String
        var name: String
        var phone: String?
    }

    /// Books, or throws a `BookingRefusal` (the rules) or a `HallError` (identity off: `identityUnavailable`; a bad ID
    /// number: `invalidIDNumber`). `again`: the person had already booked this very slot (a second submit of the form
    /// answers the same booking).
    func book(_ request: Request) async throws -> (appointment: StoredAppointment, again: Bool) {
        let now = desk.now
        // GB 11643 (422 `invalidIDNumber`) and the keyring (503 `identityUnavailable`); the number goes no further.
        let holder = try desk.cardHolder(request.idNumber)
        let ring = try desk.identity.current()
        let name = request.name.trimmingCharacters(in: .whitespaces)
        guard !name.isEmpty, name.count <= 50 else { throw BookingRefusal(.badRequest, "the name must be 1–50 characters") }
        let phone = request.phone?.trimmingCharacters(in: .whitespaces).nilIfEmpty
        if let phone, !(phone.count <= 20 && phone.allSatisfy({ $0.isNumber || "+- ".contains($0) })) {
            throw BookingRefusal(.badRequest, "the phone must be at most 20 digits, '+', '-' or spaces")
        }
        let rules = BookingRules(hall: desk.hall)
        let slot = try rules.slot(serviceId: request.serviceId, start: request.slotStart, now: now)
        let keys = holder.personKeys
        let ban = NoShowBan(rules: desk.hall.appointments)
        let mine = try await desk.store.appointments(personKeys: keys, from: ban.lookBack(from: now), to: slot.end.addingTimeInterval(86_400))
        try rules.checkBan(noShows: mine.filter { $0.status == .noShow }.map(\.slotStart), now: now)
        // The same person, service and slot is the same booking (a double submit); after a cancellation it is a new one.
        let cancelledBefore = mine.filter { $0.serviceId == request.serviceId && $0.slotStart == slot.start && $0.status == .cancelled }.count
        let personKey = holder.personKey
        let identity = "\(personKey)|\(request.serviceId)|\(Int(slot.start.timeIntervalSince1970))|\(cancelledBefore)"
        let externalId = "h" + String(Hex.encode(SHA256.hash(data: Data(identity.utf8))).prefix(31))
        let clock = HallClock(timeZone: desk.hall.timeZone)
        guard let dayStart = clock.startOfDay(slot.day), let next = clock.nextDay(slot.day), let dayEnd = clock.startOfDay(next) else {
            throw BookingRefusal(.bookingOutOfRange, "the day \(slot.day) cannot be read")
        }
        let fingerprint = ring.personKey(["booking", request.serviceId, String(Int(slot.start.timeIntervalSince1970)), personKey, name,
                                          phone ?? ""].joined(separator: "\u{1F}"))
        for _ in 0..<5 {
            let write = AppointmentWrite(id: desk.random.uuid(), source: "hall", externalId: externalId, serviceId: request.serviceId,
                                         slotStart: slot.start, slotEnd: slot.end, personKey: personKey, personKeys: keys,
                                         maskedId: holder.maskedId, maskedName: PersonalDataMask.name(name),
                                         sealedPhone: phone.map(ring.seal), bookingCode: BookingCode.make(desk.random),
                                         fingerprint: fingerprint, at: now)
            do {
                let stored = try await desk.store.bookAppointment(write, query: BookingQuery(dayStart: dayStart, dayEnd: dayEnd,
                                                                                             noShowsSince: ban.lookBack(from: now))) { facts in
                    try rules.checkPlace(slot, slotTaken: facts.slotTaken, personThatDay: facts.personThatDay)
                }
                return (stored, stored.id != write.id)
            } catch AppointmentStoreError.bookingCodeTaken {
                continue
            }
        }
        throw HallError(.internalError, "no free booking code after 5 tries")
    }

    /// Cancels the booking with `code` when `idNumber` is the one it was made with and the deadline has not passed.
    func cancel(code: String, idNumber: String) async throws -> StoredAppointment {
        let now = desk.now
        let keys = Set(try desk.cardHolder(idNumber).personKeys)
        let rules = BookingRules(hall: desk.hall)
        guard let normalized = BookingCode.normalize(code) else { throw BookingRefusal(.appointmentNotFound, "no booking has this code") }
        do {
            return try await desk.store.cancelAppointment(bookingCode: normalized, at: now) { found in
                // Someone else's code reads as no booking at all: the page tells nothing about other people's bookings.
                guard let found, keys.contains(found.personKey) else {
                    throw BookingRefusal(.appointmentNotFound, "no booking has this code and ID number")
                }
                switch found.status {
                case .cancelled: throw BookingRefusal(.appointmentCancelled, "the booking was already cancelled")
                case .checkedIn: throw BookingRefusal(.appointmentNotFound, "the booking was checked in; there is nothing to cancel")
                case .noShow: throw BookingRefusal(.appointmentMissed, "the booking's slot was missed")
                case .booked: try rules.checkCancel(slotStart: found.slotStart, now: now)
                }
            }
        }
    }
}

private extension String {
    var nilIfEmpty: String? { isEmpty ? nil : self }
}
