import Foundation
import HallAPI
import PostgresNIO

/// Appointments and per-person ticket facts in PostgreSQL (issue 21). A push or a check-in locks the appointment's
/// row (`FOR UPDATE`); bookings take the hall's `booking` lock row (`PostgresTransaction.lock`), so capacity and
/// per-person limits hold across instances; the unique constraints (`appointment_external`, `appointment_code`,
/// `ticket_person_pending`) stand behind every read-then-write.
extension PostgresHallStore {
    static let appointmentColumns = """
        id, source, external_id, service_id, slot_start, slot_end, person_key, masked_id, masked_name, sealed_phone, status,
        booking_code, fingerprint, ticket_id, created_at, updated_at, checked_in_at, cancelled_at
        """

    static func appointment(_ row: PostgresRow) throws -> StoredAppointment {
        let r = row.makeRandomAccess()
        return StoredAppointment(
            id: try r[0].decode(String.self), source: try r[1].decode(String.self), externalId: try r[2].decode(String.self),
            serviceId: try r[3].decode(String.self), slotStart: try r[4].decode(Date.self).wholeMilliseconds,
            slotEnd: try r[5].decode(Date.self).wholeMilliseconds, personKey: try r[6].decode(String.self),
            maskedId: try r[7].decode(String.self), maskedName: try r[8].decode(String?.self), sealedPhone: try r[9].decode(String?.self),
            status: AppointmentStatus(rawValue: try r[10].decode(String.self)) ?? .booked, bookingCode: try r[11].decode(String.self),
            fingerprint: try r[12].decode(String.self), ticketId: try r[13].decode(String?.self),
            createdAt: try r[14].decode(Date.self).wholeMilliseconds, updatedAt: try r[15].decode(Date.self).wholeMilliseconds,
            checkedInAt: try r[16].decode(Date?.self)?.wholeMilliseconds, cancelledAt: try r[17].decode(Date?.self)?.wholeMilliseconds)
    }

    func findAppointment(_ tx: PostgresTransaction, _ lookup: AppointmentLookup, forUpdate: Bool = false) async throws -> StoredAppointment? {
        let hallId = self.hallId
        let lock = forUpdate ? " FOR UPDATE" : ""
        let query: PostgresQuery = switch lookup {
        case .id(let id):
            """
            SELECT \(unescaped: Self.appointmentColumns) FROM appointment WHERE hall_id = \(hallId) AND id = \(id)\(unescaped: lock)
            """
        case .bookingCode(let code):
            """
            SELECT \(unescaped: Self.appointmentColumns) FROM appointment
            WHERE hall_id = \(hallId) AND booking_code = \(code)\(unescaped: lock)
            """
        case .external(let source, let externalId):
            """
            SELECT \(unescaped: Self.appointmentColumns) FROM appointment
            WHERE hall_id = \(hallId) AND source = \(source) AND external_id = \(externalId)\(unescaped: lock)
            """
        }
        return try await tx.first(query).map(Self.appointment)
    }

    /// Inserts a new appointment as `booked`; nil when its source and external id were committed meanwhile.
    func insertAppointment(_ tx: PostgresTransaction, _ w: AppointmentWrite) async throws -> StoredAppointment? {
        let hallId = self.hallId
        let inserted = try await tx.inSavepoint("appointment") {
            try await tx.execute("""
                INSERT INTO appointment (hall_id, id, source, external_id, service_id, slot_start, slot_end, person_key, masked_id,
                    masked_name, sealed_phone, status, booking_code, fingerprint, created_at, updated_at)
                VALUES (\(hallId), \(w.id), \(w.source), \(w.externalId), \(w.serviceId), \(w.slotStart), \(w.slotEnd), \(w.personKey),
                    \(w.maskedId), \(w.maskedName), \(w.sealedPhone), 'booked', \(w.bookingCode), \(w.fingerprint), \(w.at), \(w.at))
                """)
        }
        switch inserted {
        case .success:
            return StoredAppointment(id: w.id, source: w.source, externalId: w.externalId, serviceId: w.serviceId, slotStart: w.slotStart,
                                     slotEnd: w.slotEnd, personKey: w.personKey, maskedId: w.maskedId, maskedName: w.maskedName,
                                     sealedPhone: w.sealedPhone, status: .booked, bookingCode: w.bookingCode, fingerprint: w.fingerprint,
                                     createdAt: w.at, updatedAt: w.at)
        case .failure(let error):
            switch PostgresProblem(error) {
            case .uniqueViolation(constraint: "appointment_code"?): throw AppointmentStoreError.bookingCodeTaken
            case .uniqueViolation(constraint: "appointment_external"?): return nil
            default: throw error
            }
        }
    }

    // MARK: Pushes

    public func pushAppointment(_ write: AppointmentWrite) async throws -> AppointmentPushOutcome {
        try await database.transaction("push appointment") { [self] tx in
            for _ in 0..<2 {
                guard var stored = try await findAppointment(tx, .external(source: write.source, externalId: write.externalId),
                                                             forUpdate: true) else {
                    // A racing push of the same appointment committed first: read it (locked) on the second turn.
                    if let made = try await insertAppointment(tx, write) { return .created(made) }
                    continue
                }
                if stored.fingerprint == write.fingerprint { return .replayed(stored) }
                guard stored.status == .booked || stored.status == .cancelled else { return .locked(stored) }
                try await tx.execute("""
                    UPDATE appointment SET service_id = \(write.serviceId), slot_start = \(write.slotStart), slot_end = \(write.slotEnd),
                        person_key = \(write.personKey), masked_id = \(write.maskedId), masked_name = \(write.maskedName),
                        sealed_phone = \(write.sealedPhone), fingerprint = \(write.fingerprint), status = 'booked', cancelled_at = NULL,
                        updated_at = \(write.at)
                    WHERE hall_id = \(hallId) AND id = \(stored.id)
                    """)
                stored.serviceId = write.serviceId
                stored.slotStart = write.slotStart
                stored.slotEnd = write.slotEnd
                stored.personKey = write.personKey
                stored.maskedId = write.maskedId
                stored.maskedName = write.maskedName
                stored.sealedPhone = write.sealedPhone
                stored.fingerprint = write.fingerprint
                stored.status = .booked
                stored.cancelledAt = nil
                stored.updatedAt = write.at
                return .changed(stored)
            }
            throw PostgresStoreError("push appointment: \(write.source)/\(write.externalId) was refused as a duplicate but not found")
        }
    }

    public func cancelAppointment(source: String, externalId: String, at: Date) async throws -> StoredAppointment? {
        try await database.transaction("cancel appointment") { [self] tx in
            guard let stored = try await findAppointment(tx, .external(source: source, externalId: externalId), forUpdate: true) else {
                return nil
            }
            return try await cancel(tx, stored, at: at)
        }
    }

    func cancel(_ tx: PostgresTransaction, _ stored: StoredAppointment, at: Date) async throws -> StoredAppointment {
        guard stored.status == .booked else { return stored }
        try await tx.execute("""
            UPDATE appointment SET status = 'cancelled', cancelled_at = \(at), updated_at = \(at) WHERE hall_id = \(hallId) AND id = \(stored.id)
            """)
        var out = stored
        out.status = .cancelled
        out.cancelledAt = at
        out.updatedAt = at
        return out
    }

    // MARK: Reads

    public func appointment(_ lookup: AppointmentLookup) async throws -> StoredAppointment? {
        try await database.read("read appointment") { [self] tx in try await findAppointment(tx, lookup) }
    }

    public func appointments(personKeys: [String], from: Date, to: Date) async throws -> [StoredAppointment] {
        guard !personKeys.isEmpty else { return [] }
        let hallId = self.hallId
        return try await database.read("read a person's appointments") { tx in
            try await tx.rows("""
                SELECT \(unescaped: Self.appointmentColumns) FROM appointment
                WHERE hall_id = \(hallId) AND person_key = ANY(\(personKeys)) AND slot_start >= \(from) AND slot_start < \(to)
                ORDER BY slot_start, service_id
                """).map(Self.appointment)
        }
    }

    public func appointments(from: Date, to: Date, serviceId: String?) async throws -> [StoredAppointment] {
        let hallId = self.hallId
        return try await database.read("read appointments") { tx in
            try await tx.rows("""
                SELECT \(unescaped: Self.appointmentColumns) FROM appointment
                WHERE hall_id = \(hallId) AND slot_start >= \(from) AND slot_start < \(to)
                    AND (\(serviceId)::text IS NULL OR service_id = \(serviceId))
                ORDER BY service_id, slot_start, created_at
                """).map(Self.appointment)
        }
    }

    public func personTickets(personKeys: [String], hallDay: String) async throws -> PersonTickets {
        guard !personKeys.isEmpty else { return PersonTickets() }
        let hallId = self.hallId
        return try await database.read("read a person's tickets") { tx in
            var out = PersonTickets()
            for row in try await tx.rows("""
                SELECT \(unescaped: Self.ticketColumns) FROM ticket
                WHERE hall_id = \(hallId) AND person_key = ANY(\(personKeys))
                    AND (status IN ('waiting', 'called') OR hall_day = \(hallDay))
                ORDER BY serial
                """) {
                let ticket = try Self.ticket(row)
                if ticket.status == .waiting || ticket.status == .called { out.pending.append(ticket) }
                if ticket.hallDay == hallDay { out.issuedToday[ticket.issuedServiceId, default: 0] += 1 }
            }
            return out
        }
    }

    public func personKeyUsage(keyId: String, fromHallDay: String, noShowsEndingAfter: Date) async throws -> PersonKeyUsage {
        let hallId = self.hallId
        let pattern = keyId.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "%", with: "\\%")
            .replacingOccurrences(of: "_", with: "\\_") + ":%"
        return try await database.read("read a key's usage") { tx in
            let t = try await tx.first("""
                SELECT COUNT(*), MAX(hall_day) FROM ticket WHERE hall_id = \(hallId) AND person_key LIKE \(pattern)
                    AND (hall_day >= \(fromHallDay) OR status IN ('waiting', 'called'))
                """)
            let a = try await tx.first("""
                SELECT COUNT(*), MAX(slot_end) FROM appointment
                WHERE hall_id = \(hallId) AND (person_key LIKE \(pattern) OR sealed_phone LIKE \(pattern))
                    AND (status = 'booked' OR (status = 'noShow' AND slot_end > \(noShowsEndingAfter)))
                """)
            let (tickets, lastDay) = try t?.decode((Int, String?).self) ?? (0, nil)
            let (appointments, lastEnd) = try a?.decode((Int, Date?).self) ?? (0, nil)
            return PersonKeyUsage(tickets: tickets, appointments: appointments, lastTicketDay: lastDay, lastSlotEnd: lastEnd)
        }
    }

    // MARK: Check-in

    public func checkIn(_ checkin: CheckinWrite, plan: @escaping @Sendable (StoredAppointment?) throws -> CheckinPlan,
                        issueRules: @escaping @Sendable (IssueSnapshot) throws -> IssueDecision) async throws -> CheckinOutcome {
        let hallId = self.hallId
        return try await database.transaction("check in") { [self] tx in
            let key = checkin.issue
            let replay: () async throws -> CheckinOutcome? = {
                guard let existing = try await tx.first("""
                    SELECT \(unescaped: Self.ticketColumns) FROM ticket
                    WHERE hall_id = \(hallId) AND kiosk_id = \(key.kioskId) AND idempotency_key = \(key.idempotencyKey)
                    """).map(Self.ticket) else { return nil }
                let appointment = try await tx.first("""
                    SELECT \(unescaped: Self.appointmentColumns) FROM appointment WHERE hall_id = \(hallId) AND ticket_id = \(existing.id)
                    """).map(Self.appointment)
                return .replayed(existing, appointment)
            }
            if let replayed = try await replay() { return replayed }
            // The appointment's row lock serialises check-ins of one appointment (across instances too).
            let found = try await findAppointment(tx, checkin.lookup, forUpdate: true)
            // A racing retry with the same key may have committed while this one waited for the lock.
            if let replayed = try await replay() { return replayed }
            if let found, found.status == .checkedIn, let ticketId = found.ticketId,
               let ticket = try await ticket(tx, .id(ticketId)) {
                return .reprint(ticket, found)
            }
            let decided = try plan(found)
            guard let appointment = found else { throw HallError(.appointmentNotFound, "no such appointment") }
            let issue = CheckinTicket.issue(checkin.issue, appointment: appointment, plan: decided)
            // The day's counter row of the service, locked until commit (the issue below takes it again): card issues
            // and check-ins of the service that day are serialised on it, so the person's pending ticket read next is
            // what every later issue of theirs sees, and theirs is what this one sees (READ COMMITTED).
            _ = try await PostgresIssueBatch.incrementCounter(tx, hallId: hallId, day: issue.hallDay, serviceId: issue.serviceId, by: 0)
            var held = try await pendingTicket(tx, personKeys: issue.personKeys, issuedServiceId: issue.serviceId)
            if let waiting = held, let moved = CheckinTicket.raised(waiting, by: decided) {
                if try await moveIntoLane(tx, from: waiting, to: moved) {
                    return .joinedHeldTicket(moved, try await link(tx, appointment, moved, at: issue.issuedAt), movedToAppointmentLane: true)
                }
                // A window called it (or it ended) a moment ago: as it is now.
                held = try await pendingTicket(tx, personKeys: issue.personKeys, issuedServiceId: issue.serviceId)
            }
            if let held {
                return .joinedHeldTicket(held, try await link(tx, appointment, held, at: issue.issuedAt), movedToAppointmentLane: false)
            }
            let batch = PostgresIssueBatch(hallId: hallId, members: [IssueBatchMember(issue: issue, rules: issueRules)])
            let outcome: IssueOutcome
            do {
                outcome = try await batch.issue(tx, .oneByOne)[0].get()
            } catch let pending as PersonHasPendingTicket {
                // Refused by `ticket_person_pending`: a pending ticket committed under the counter row of another day.
                return .joinedHeldTicket(pending.ticket, try await link(tx, appointment, pending.ticket, at: issue.issuedAt),
                                         movedToAppointmentLane: false)
            }
            guard case .issued(let ticket) = outcome else {
                if case .existing(let ticket) = outcome { return .replayed(ticket, nil) }
                throw HallError(.internalError, "check-in issued no ticket")
            }
            return .checkedIn(ticket, try await link(tx, appointment, ticket, at: issue.issuedAt))
        }
    }

    /// The person's oldest ticket waiting or called at the issued service, under any of `personKeys`.
    func pendingTicket(_ tx: PostgresTransaction, personKeys: [String], issuedServiceId: String) async throws -> StoredTicket? {
        guard !personKeys.isEmpty else { return nil }
        return try await tx.first("""
            SELECT \(unescaped: Self.ticketColumns) FROM ticket
            WHERE hall_id = \(hallId) AND person_key = ANY(\(personKeys)) AND issued_service_id = \(issuedServiceId)
                AND status IN ('waiting', 'called')
            ORDER BY serial LIMIT 1
            """).map(Self.ticket)
    }

    /// Moves the waiting ticket `from` into the lane of `to` (`CheckinTicket.raised`: same number and token), with the
    /// waiting counts; false when it no longer waits in its lane (a window called it a moment ago).
    func moveIntoLane(_ tx: PostgresTransaction, from: StoredTicket, to: StoredTicket) async throws -> Bool {
        let hallId = self.hallId
        // The ticket's row lock comes before the waiting counts' locks, as when a window calls it.
        guard try await tx.first("""
            UPDATE ticket SET priority = \(to.priority?.rawValue), rank = \(to.rank)
            WHERE hall_id = \(hallId) AND id = \(from.id) AND status = 'waiting' AND rank = \(from.rank)
            RETURNING serial
            """) != nil else { return false }
        _ = try await PostgresQueueCounts.add(tx, hallId: hallId, day: from.hallDay, serviceId: from.serviceId,
                                              [from.rank: -1, to.rank: 1], written: true)
        return true
    }

    /// Marks the appointment checked in with `ticket`.
    func link(_ tx: PostgresTransaction, _ appointment: StoredAppointment, _ ticket: StoredTicket, at: Date) async throws -> StoredAppointment {
        let hallId = self.hallId
        try await tx.execute("""
            UPDATE appointment SET status = 'checkedIn', ticket_id = \(ticket.id), checked_in_at = \(at), updated_at = \(at)
            WHERE hall_id = \(hallId) AND id = \(appointment.id)
            """)
        return CheckinTicket.checkedIn(appointment, ticket: ticket, at: at)
    }

    // MARK: Booking page, import, no-shows

    public func bookAppointment(_ write: AppointmentWrite, query: BookingQuery,
                                rules: @escaping @Sendable (BookingFacts) throws -> Void) async throws -> StoredAppointment {
        let hallId = self.hallId
        return try await database.transaction("book appointment") { [self] tx in
            // Every booking of the hall waits here: the counts below cannot change before this one commits.
            try await tx.lock(hallId: hallId, "booking")
            if let stored = try await findAppointment(tx, .external(source: write.source, externalId: write.externalId)) {
                return stored
            }
            let keys = write.personKeys.isEmpty ? [write.personKey] : write.personKeys
            let row = try await tx.first("""
                SELECT
                    (SELECT COUNT(*) FROM appointment WHERE hall_id = \(hallId) AND service_id = \(write.serviceId)
                        AND slot_start = \(write.slotStart) AND status != 'cancelled'),
                    (SELECT COUNT(*) FROM appointment WHERE hall_id = \(hallId) AND person_key = ANY(\(keys))
                        AND slot_start >= \(query.dayStart) AND slot_start < \(query.dayEnd) AND status != 'cancelled'),
                    (SELECT COUNT(*) FROM appointment WHERE hall_id = \(hallId) AND person_key = ANY(\(keys))
                        AND status = 'noShow' AND slot_start >= \(query.noShowsSince))
                """)
            let (slot, day, noShows) = try row?.decode((Int, Int, Int).self) ?? (0, 0, 0)
            try rules(BookingFacts(slotTaken: slot, personThatDay: day, personNoShows: noShows))
            guard let made = try await insertAppointment(tx, write) else {
                throw PostgresStoreError("book appointment: \(write.source)/\(write.externalId) was refused as a duplicate but not found")
            }
            return made
        }
    }

    public func cancelAppointment(bookingCode: String, at: Date,
                                  check: @escaping @Sendable (StoredAppointment?) throws -> Void) async throws -> StoredAppointment {
        try await database.transaction("cancel booking") { [self] tx in
            let found = try await findAppointment(tx, .bookingCode(bookingCode), forUpdate: true)
            try check(found)
            guard let found else { throw HallError(.appointmentNotFound, "no appointment has this booking code") }
            return try await cancel(tx, found, at: at)
        }
    }

    public func noShowCount(personKeys: [String], since: Date) async throws -> Int {
        guard !personKeys.isEmpty else { return 0 }
        let hallId = self.hallId
        return try await database.read("count no-shows") { tx in
            try await tx.first("""
                SELECT COUNT(*) FROM appointment
                WHERE hall_id = \(hallId) AND person_key = ANY(\(personKeys)) AND status = 'noShow' AND slot_start >= \(since)
                """)?.decode(Int.self) ?? 0
        }
    }

    public func markNoShows(slotsEndedBy: Date, at: Date) async throws -> [String: Int] {
        let hallId = self.hallId
        return try await database.transaction("mark no-shows") { tx in
            var counts: [String: Int] = [:]
            for row in try await tx.rows("""
                UPDATE appointment SET status = 'noShow', updated_at = \(at)
                WHERE hall_id = \(hallId) AND status = 'booked' AND slot_end <= \(slotsEndedBy)
                RETURNING service_id
                """) {
                counts[try row.decode(String.self), default: 0] += 1
            }
            return counts
        }
    }
}
