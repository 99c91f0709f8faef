import Crypto
import Foundation
import HallAPI
import HallSecrets

extension HallDesk {
    /// Whether `bearer` is the platform's integration token (`[appointments] integrationToken`) or the admin token.
    public func mayPushAppointments(bearer token: String?) -> Bool {
        guard let token else { return false }
        if isAdmin(bearer: token) { return true }
        guard let wanted = hall.appointments.integrationTokenDigest else { return false }
        return constantTimeEqual(wanted, Array(SHA256.hash(data: Data(token.utf8))))
    }

    /// Stores a pushed appointment (`PUT /api/v1/appointments/{source}/{externalId}`): the ID number becomes person
    /// keys, the name a masked form, the phone a sealed value; nothing else of them is kept. Replaying a push changes
    /// nothing. - Returns: the receipt, and true when the appointment is new (201).
    public func pushAppointment(source: String, externalId: String, _ push: AppointmentPush) async throws -> (AppointmentReceipt, created: Bool) {
        try Self.checkExternalName(source, field: "source")
        try Self.checkExternalName(externalId, field: "externalId")
        // Neither answer repeats the citizen's data sent in the wrong field (PersonalDataEcho).
        guard !push.holdsPersonalData(externalId) else {
            throw HallError(.badRequest, "externalId holds the citizen's ID number or phone; use the booking system's own id").answered(with: 422)
        }
        guard hall.service(push.serviceId) != nil else {
            throw HallError(.unknownService, "no service has id \(PersonalDataEcho.quote(push.redacting(push.serviceId)))").answered(with: 422)
        }
        guard push.slotEnd > push.slotStart, push.slotEnd.timeIntervalSince(push.slotStart) <= 12 * 3600 else {
            throw HallError(.badRequest, "slotEnd must be after slotStart and the slot at most 12 hours long").answered(with: 422)
        }
        guard push.name.unicodeScalars.count <= 60 else {
            throw HallError(.badRequest, "name is longer than 60 characters").answered(with: 422)
        }
        if let phone = push.phone, phone.count > 24 || !phone.allSatisfy({ $0.isNumber || "+- ".contains($0) }) {
            throw HallError(.badRequest, "phone must be at most 24 digits (with + - or spaces)").answered(with: 422)
        }
        let holder = try cardHolder(push.idNumber)
        let ring = try identity.current()
        let ms = { (d: Date) in String(Int64((d.timeIntervalSince1970 * 1000).rounded())) }
        let fingerprint = ring.personKey(["push", push.serviceId, ms(push.slotStart), ms(push.slotEnd), push.idNumber, push.name,
                                          push.phone ?? ""].joined(separator: "\u{1F}"))
        let name = push.name.trimmingCharacters(in: .whitespaces)
        let now = self.now
        var write = AppointmentWrite(id: random.uuid(), source: source, externalId: externalId, serviceId: push.serviceId,
                                     slotStart: push.slotStart, slotEnd: push.slotEnd, personKey: holder.personKey,
                                     personKeys: holder.personKeys, maskedId: holder.maskedId,
                                     maskedName: name.isEmpty ? nil : PersonalDataMask.name(name),
                                     sealedPhone: push.phone.map(ring.seal), bookingCode: BookingCode.make(random),
                                     fingerprint: fingerprint, at: now)
        let outcome = try await withFreshBookingCode(&write) { try await self.store.pushAppointment($0) }
        switch outcome {
        case .locked(let stored):
            throw HallError(.invalidTransition, "appointment \(source)/\(externalId) is \(stored.status.rawValue) and can no longer change")
        case .created(let stored):
            logger.info("appointment pushed", metadata: ["appointment.id": "\(stored.id)", "service.id": "\(stored.serviceId)"])
            return (receipt(stored), true)
        case .changed(let stored):
            logger.info("appointment changed", metadata: ["appointment.id": "\(stored.id)", "service.id": "\(stored.serviceId)"])
            return (receipt(stored), false)
        case .replayed(let stored):
            return (receipt(stored), false)
        }
    }

    /// Runs `body` with `write`, making a new booking code while the store says the code is taken (≈ never).
    func withFreshBookingCode<T>(_ write: inout AppointmentWrite, _ body: (AppointmentWrite) async throws -> T) async throws -> T {
        for _ in 0..<4 {
            do { return try await body(write) } catch AppointmentStoreError.bookingCodeTaken {
                write.bookingCode = BookingCode.make(random)
            }
        }
        return try await body(write)
    }

    /// Cancels a pushed appointment (`DELETE`); 404 when none has this source and external id.
    public func cancelPushedAppointment(source: String, externalId: String) async throws -> AppointmentReceipt {
        try Self.checkExternalName(source, field: "source")
        try Self.checkExternalName(externalId, field: "externalId")
        _ = try identity.current()
        guard let stored = try await store.cancelAppointment(source: source, externalId: externalId, at: now) else {
            throw HallError(.appointmentNotFound, "no appointment \(source)/\(externalId) was pushed")
        }
        logger.info("appointment cancelled", metadata: ["appointment.id": "\(stored.id)", "appointment.status": "\(stored.status.rawValue)"])
        return receipt(stored)
    }

    /// The appointments of hall day `day` (`YYYY-MM-DD`), of one service or all: PII-free summaries (admin).
    public func appointments(day: String, serviceId: String?) async throws -> [AppointmentSummary] {
        guard HallClock.isValidDay(day), let start = clock.startOfDay(day), let next = clock.nextDay(day), let end = clock.startOfDay(next) else {
            throw HallError(.badRequest, "day must be a date written YYYY-MM-DD, e.g. 2026-12-07")
        }
        if let serviceId, hall.service(serviceId) == nil {
            throw HallError(.unknownService, "no service has id '\(InputLength.quote(serviceId, maxScalars: 40))'")
        }
        return try await store.appointments(from: start, to: end, serviceId: serviceId).map { summary($0, showName: false) }
    }

    /// What clients may see of an appointment; the masked name only for the card holder's own screen.
    func summary(_ a: StoredAppointment, showName: Bool) -> AppointmentSummary {
        let window = hall.appointments.checkinWindow(slotStart: a.slotStart)
        let ref = hall.service(a.serviceId)?.ref ?? ServiceRef(id: a.serviceId, name: LocalizedText(zh: a.serviceId, en: a.serviceId), prefix: "")
        return AppointmentSummary(id: a.id, source: a.source, service: ref, slotStart: a.slotStart, slotEnd: a.slotEnd, status: a.status,
                                  checkinOpensAt: window.opens, checkinClosesAt: window.closes, maskedId: a.maskedId,
                                  maskedName: showName ? a.maskedName : nil, ticketId: a.ticketId)
    }

    func receipt(_ a: StoredAppointment) -> AppointmentReceipt {
        AppointmentReceipt(appointment: summary(a, showName: false), bookingCode: a.bookingCode)
    }

    /// A source or external id: 1–64 of `A–Z a–z 0–9 . _ -` (they appear in paths and logs).
    static func checkExternalName(_ value: String, field: String) throws {
        guard (1...64).contains(value.utf8.count), value.utf8.allSatisfy({
            ($0 >= 48 && $0 <= 57) || ($0 >= 65 && $0 <= 90) || ($0 >= 97 && $0 <= 122) || $0 == 45 || $0 == 95 || $0 == 46
        }) else {
            throw HallError(.badRequest, "\(field) must be 1–64 characters of A–Z, a–z, 0–9, '.', '_' or '-'")
        }
    }
}
