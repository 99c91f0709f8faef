import Foundation
import HallAPI

extension HallDesk {
    /// `POST /api/v1/checkins/lookup`: what the kiosk offers a card holder — today's appointments, the tickets still
    /// waiting or called (补打), and every service with the per-person refusal if any. Nothing is written.
    public func lookUpCard(_ request: CardLookupRequest, deviceId: String) async throws -> CardLookup {
        guard request.kioskId == deviceId else {
            throw HallError(.forbidden, "kioskId '\(InputLength.quote(request.kioskId, maxScalars: 40))' is not the device this token belongs to")
        }
        let holder = try cardHolder(request.idNumber)
        let now = self.now
        let day = clock.moment(now).day
        let (start, end) = try dayBounds(day)
        let appointments = try await store.appointments(personKeys: holder.personKeys, from: start, to: end)
        // A check-in's ticket carries the person's key (`CheckinTicket`; migration v9/v10 gave it to the ones issued
        // before), so the appointment tickets still pending are among these.
        let tickets = try await store.personTickets(personKeys: holder.personKeys, hallDay: day)
        let pendingRows = tickets.pending
        let pending = pendingRows.filter { hall.service($0.issuedServiceId) != nil }.map { row -> IssuedTicket in
            var ticket = issued(row)
            ticket.existing = true
            return ticket
        }
        let services = hall.services.map { service -> PersonServiceState in
            let taken = tickets.issuedToday[service.id] ?? 0
            let pendingHere = pendingRows.contains { $0.issuedServiceId == service.id }
            if !pendingHere, let limit = service.personRules.dailyLimitPerPerson, taken >= limit {
                return PersonServiceState(serviceId: service.id, refusal: APIErrorKind.personDailyLimitReached.rawValue)
            }
            return PersonServiceState(serviceId: service.id)
        }
        return CardLookup(maskedId: holder.maskedId, appointments: appointments.map { summary($0, showName: true) },
                          pendingTickets: pending, services: services)
    }

    /// `POST /api/v1/checkins`: confirms an appointment and issues its ticket in one transaction (`AppointmentStore.checkIn`).
    /// On time → the appointment lane; late → a normal ticket (`lateArrival = normalQueue`) or 409 `checkinTooLate`;
    /// too early → 409 `checkinTooEarly` with `at` = when check-in opens; checked in before → the same ticket with
    /// `reprint`; a retry with the same Idempotency-Key → the same answer.
    ///
    /// One person, one pending ticket per service, walk-in or appointment (`CheckinTicket`): when the person already
    /// holds a number at the service (taken with their card), the check-in takes it over in the same transaction — a
    /// waiting one moves into the appointment lane with its number and token (`movedToAppointmentLane`: the printed
    /// ticket and the phone page stay valid), a called one is given back as it is (`reprint`). A retry of such a
    /// check-in whose answer was lost finds the appointment checked in and answers that ticket with `reprint`.
    /// - Returns: the result and true when a new ticket was issued (201).
    public func checkIn(_ request: CheckinRequest, idempotencyKey: String, deviceId: String) async throws -> (CheckinResult, created: Bool) {
        guard request.kioskId == deviceId else {
            throw HallError(.forbidden, "kioskId '\(InputLength.quote(request.kioskId, maxScalars: 40))' is not the device this token belongs to")
        }
        _ = try identity.current()
        let lookup: AppointmentLookup
        let owner: CardHolder?
        if let code = request.bookingCode {
            guard let normalized = BookingCode.normalize(code) else {
                throw HallError(.appointmentNotFound, "'\(InputLength.quote(code, maxScalars: 16))' is not a booking code (10 letters and digits)")
            }
            lookup = .bookingCode(normalized)
            owner = nil
        } else if let idNumber = request.idNumber, let appointmentId = request.appointmentId {
            try InputLength.check(appointmentId, field: "appointmentId", maxScalars: 64, kind: .badRequest)
            owner = try cardHolder(idNumber)
            lookup = .id(appointmentId)
        } else {
            throw HallError(.badRequest, "send bookingCode, or idNumber with the appointmentId chosen from the card lookup")
        }
        try refuseOnImplausibleClock()
        let fingerprint: String = switch lookup {
        case .bookingCode(let code): "checkin|code|\(code)"
        case .id(let id): "checkin|id|\(id)"
        case .external(let source, let id): "checkin|external|\(source)|\(id)"
        }
        // The service decides the issuing rules; it is read again (locked) inside the transaction.
        guard let seen = try await store.appointment(lookup), owner.map({ $0.personKeys.contains(seen.personKey) }) ?? true,
              let service = hall.service(seen.serviceId) else {
            throw HallError(.appointmentNotFound, "no appointment matches; check the booking code or choose from the card's appointments")
        }
        let now = self.now
        let moment = clock.moment(now)
        let rules = hall.appointments
        let timeZone = hall.timeZone
        let token = random.urlSafeToken()
        var issue = TicketIssue(id: random.uuid(), token: token, kioskId: request.kioskId, idempotencyKey: idempotencyKey,
                                requestFingerprint: fingerprint, hallDay: moment.day, serviceId: service.id, priority: .appointment,
                                rank: QueueRank.of(.appointment), issuedAt: now)
        // A card: its current key goes on the ticket, every key of the ring finds the person's pending ticket. A booking
        // code: the appointment's key only (`CheckinTicket.issue`, with the key-rotation edge it leaves).
        issue.personKey = owner?.personKey
        issue.personKeys = owner?.personKeys ?? []
        let plan: @Sendable (StoredAppointment?) throws -> CheckinPlan = { appointment in
            guard let appointment, owner.map({ $0.personKeys.contains(appointment.personKey) }) ?? true else {
                throw HallError(.appointmentNotFound, "no appointment matches; check the booking code or choose from the card's appointments")
            }
            guard appointment.serviceId == service.id else {
                throw HallError(.invalidTransition, "the appointment was moved to another service a moment ago; check in again")
            }
            switch appointment.status {
            case .cancelled: throw HallError(.appointmentCancelled, "this appointment was cancelled")
            case .noShow: throw HallError(.appointmentMissed, "this appointment was missed (its slot ended without a check-in)").at(appointment.slotEnd)
            case .booked, .checkedIn: break
            }
            let window = rules.checkinWindow(slotStart: appointment.slotStart)
            if now < window.opens {
                throw HallError(.checkinTooEarly, "check-in for this appointment opens at \(RFC3339.format(window.opens, in: timeZone))").at(window.opens)
            }
            if now > window.closes {
                if rules.lateArrival == .refuse {
                    throw HallError(.checkinTooLate, "check-in for this appointment closed at \(RFC3339.format(window.closes, in: timeZone))").at(window.closes)
                }
                return CheckinPlan(lane: .normalLate, priority: nil, rank: QueueRank.of(nil))
            }
            return CheckinPlan(lane: .appointment, priority: .appointment, rank: QueueRank.of(.appointment))
        }
        let outcome = try await store.checkIn(CheckinWrite(lookup: lookup, issue: issue), plan: plan,
                                              issueRules: issueRules(service: service, moment: moment, cardHolder: false))
        switch outcome {
        case .checkedIn(let ticket, let appointment):
            events.publishQueuesChanged()
            metrics.ticketIssued(serviceId: ticket.issuedServiceId)
            logger.info("appointment checked in", metadata: ["appointment.id": "\(appointment.id)", "ticket.number": "\(ticket.number)",
                                                             "service.id": "\(ticket.issuedServiceId)", "device.id": "\(deviceId)"])
            return (checkinResult(ticket, appointment, reprint: false), true)
        case .reprint(let ticket, let appointment):
            return (checkinResult(ticket, appointment, reprint: true), false)
        case .joinedHeldTicket(let ticket, let appointment, let moved):
            logger.info(moved ? "appointment checked in, held number moved into its lane" : "appointment checked in with the held number",
                        metadata: ["appointment.id": "\(appointment.id)", "ticket.number": "\(ticket.number)",
                                   "service.id": "\(ticket.issuedServiceId)", "device.id": "\(deviceId)"])
            guard moved else {
                // Called already (or kept in the normal queue when late): the lane the check-in went by.
                var result = checkinResult(ticket, appointment, reprint: true)
                result.lane = now > rules.checkinWindow(slotStart: appointment.slotStart).closes ? .normalLate : .appointment
                return (result, false)
            }
            events.publishQueuesChanged()
            var result = checkinResult(ticket, appointment, reprint: false)
            result.movedToAppointmentLane = true
            // Its place now: fewer people ahead than when it was issued in the normal queue.
            if let view = try await store.ticketView(.id(ticket.id), at: now), view.ticket.status == .waiting {
                result.ticket.waitingAhead = view.waitingAhead
                result.ticket.estimatedWaitMinutes = serviceTimes.estimateMinutes(
                    serviceId: view.ticket.serviceId, ahead: view.waitingAhead,
                    openWindows: openWindowCount(serviceId: view.ticket.serviceId, open: view.openWindows))
            }
            return (result, false)
        case .replayed(let ticket, let appointment):
            guard ticket.requestFingerprint == fingerprint, let appointment else {
                throw HallError(.idempotencyKeyReused,
                                "Idempotency-Key '\(InputLength.quote(idempotencyKey, maxScalars: 64))' was already used for another request; use a new key per citizen intent")
            }
            return (checkinResult(ticket, appointment, reprint: false), false)
        }
    }

    func checkinResult(_ ticket: StoredTicket, _ appointment: StoredAppointment, reprint: Bool) -> CheckinResult {
        CheckinResult(ticket: issued(ticket), appointment: summary(appointment, showName: true),
                      lane: ticket.priority == .appointment ? .appointment : .normalLate, reprint: reprint)
    }

    /// The instants hall day `day` starts and ends.
    func dayBounds(_ day: String) throws -> (Date, Date) {
        guard let start = clock.startOfDay(day), let next = clock.nextDay(day), let end = clock.startOfDay(next) else {
            throw HallError(.internalError, "hall day \(day) has no bounds")
        }
        return (start, end)
    }
}
