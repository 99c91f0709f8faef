import Foundation
import GRDB
import HallAPI

/// Appointments and per-person ticket facts in the SQLite file (issue 21). Every write goes through the group-commit
/// writer, which serialises all writes: each read-then-write below is race-free without further locking; the unique
/// indexes are the second line (`appointment_external`, `appointment_code`, `ticket_person_pending`).
extension SQLiteHallStore {
    /// Migration v7: the ticket's person key (the one pending ticket per person and issued service is a partial unique
    /// index), and the appointment table.
    static let appointmentSchema = """
        ALTER TABLE ticket ADD COLUMN personKey TEXT;
        CREATE UNIQUE INDEX ticket_person_pending ON ticket (personKey, issuedServiceId)
            WHERE personKey IS NOT NULL AND status IN ('waiting', 'called');
        CREATE INDEX ticket_person_day ON ticket (personKey, hallDay) WHERE personKey IS NOT NULL;
        CREATE TABLE appointment (
            id TEXT PRIMARY KEY NOT NULL,
            source TEXT NOT NULL,
            externalId TEXT NOT NULL,
            serviceId TEXT NOT NULL,
            slotStart DATETIME NOT NULL,
            slotEnd DATETIME NOT NULL,
            personKey TEXT NOT NULL,
            maskedId TEXT NOT NULL,
            maskedName TEXT,
            sealedPhone TEXT,
            status TEXT NOT NULL,
            bookingCode TEXT NOT NULL,
            fingerprint TEXT NOT NULL,
            ticketId TEXT,
            createdAt DATETIME NOT NULL,
            updatedAt DATETIME NOT NULL,
            checkedInAt DATETIME,
            cancelledAt DATETIME
        );
        CREATE UNIQUE INDEX appointment_external ON appointment (source, externalId);
        CREATE UNIQUE INDEX appointment_code ON appointment (bookingCode);
        CREATE INDEX appointment_person ON appointment (personKey, slotStart);
        CREATE INDEX appointment_slot ON appointment (slotStart, serviceId);
        CREATE INDEX appointment_ticket ON appointment (ticketId) WHERE ticketId IS NOT NULL;
        """

    /// Migration v9: the tickets of appointments checked in before check-in tickets carried the person's key get the
    /// appointment's key, so the one-pending-ticket rule sees them; a pending one stays without when the person holds
    /// another pending ticket at its service (the index allows one; `OR IGNORE` skips that row).
    static let checkinPersonKeySchema = """
        UPDATE OR IGNORE ticket
        SET personKey = (SELECT a.personKey FROM appointment a WHERE a.ticketId = ticket.id ORDER BY a.checkedInAt LIMIT 1)
        WHERE personKey IS NULL AND id IN (SELECT ticketId FROM appointment WHERE ticketId IS NOT NULL);
        """

    static let appointmentColumns = """
        id, source, externalId, serviceId, slotStart, slotEnd, personKey, maskedId, maskedName, sealedPhone, status,
        bookingCode, fingerprint, ticketId, createdAt, updatedAt, checkedInAt, cancelledAt
        """

    static func appointment(row: Row) -> StoredAppointment {
        StoredAppointment(id: row[0], source: row[1], externalId: row[2], serviceId: row[3], slotStart: row[4], slotEnd: row[5],
                          personKey: row[6], maskedId: row[7], maskedName: row[8], sealedPhone: row[9],
                          status: AppointmentStatus(rawValue: row[10]) ?? .booked, bookingCode: row[11], fingerprint: row[12],
                          ticketId: row[13], createdAt: row[14], updatedAt: row[15], checkedInAt: row[16], cancelledAt: row[17])
    }

    static func findAppointment(_ db: Database, _ lookup: AppointmentLookup) throws -> StoredAppointment? {
        let (clause, args): (String, StatementArguments) = switch lookup {
        case .id(let id): ("id = ?", [id])
        case .bookingCode(let code): ("bookingCode = ?", [code])
        case .external(let source, let externalId): ("source = ? AND externalId = ?", [source, externalId])
        }
        return try Row.fetchOne(db, sql: "SELECT \(appointmentColumns) FROM appointment WHERE \(clause)", arguments: args)
            .map(appointment(row:))
    }

    static func insertAppointment(_ db: Database, _ w: AppointmentWrite) throws -> StoredAppointment {
        do {
            try db.execute(sql: """
                INSERT INTO appointment (id, source, externalId, serviceId, slotStart, slotEnd, personKey, maskedId, maskedName,
                    sealedPhone, status, bookingCode, fingerprint, createdAt, updatedAt)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'booked', ?, ?, ?, ?)
                """, arguments: [w.id, w.source, w.externalId, w.serviceId, w.slotStart, w.slotEnd, w.personKey, w.maskedId,
                                 w.maskedName, w.sealedPhone, w.bookingCode, w.fingerprint, w.at, w.at])
        } catch let error as DatabaseError where error.extendedResultCode == .SQLITE_CONSTRAINT_UNIQUE
                    && (error.message ?? "").contains("bookingCode") {
            throw AppointmentStoreError.bookingCodeTaken
        }
        return StoredAppointment(id: w.id, source: w.source, externalId: w.externalId, serviceId: w.serviceId, slotStart: w.slotStart,
                                 slotEnd: w.slotEnd, personKey: w.personKey, maskedId: w.maskedId, maskedName: w.maskedName,
                                 sealedPhone: w.sealedPhone, status: .booked, bookingCode: w.bookingCode, fingerprint: w.fingerprint,
                                 createdAt: w.at, updatedAt: w.at)
    }

    // MARK: Pushes

    public func pushAppointment(_ write: AppointmentWrite) async throws -> AppointmentPushOutcome {
        try await database.write { db in
            guard var stored = try Self.findAppointment(db, .external(source: write.source, externalId: write.externalId)) else {
                return .created(try Self.insertAppointment(db, write))
            }
            if stored.fingerprint == write.fingerprint { return .replayed(stored) }
            guard stored.status == .booked || stored.status == .cancelled else { return .locked(stored) }
            try db.execute(sql: """
                UPDATE appointment SET serviceId = ?, slotStart = ?, slotEnd = ?, personKey = ?, maskedId = ?, maskedName = ?,
                    sealedPhone = ?, fingerprint = ?, status = 'booked', cancelledAt = NULL, updatedAt = ?
                WHERE id = ?
                """, arguments: [write.serviceId, write.slotStart, write.slotEnd, write.personKey, write.maskedId, write.maskedName,
                                 write.sealedPhone, write.fingerprint, write.at, stored.id])
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
    }

    public func cancelAppointment(source: String, externalId: String, at: Date) async throws -> StoredAppointment? {
        try await database.write { db in
            guard let stored = try Self.findAppointment(db, .external(source: source, externalId: externalId)) else { return nil }
            return try Self.cancel(db, stored, at: at)
        }
    }

    static func cancel(_ db: Database, _ stored: StoredAppointment, at: Date) throws -> StoredAppointment {
        guard stored.status == .booked else { return stored }
        try db.execute(sql: "UPDATE appointment SET status = 'cancelled', cancelledAt = ?, updatedAt = ? WHERE id = ?",
                       arguments: [at, at, stored.id])
        var out = stored
        out.status = .cancelled
        out.cancelledAt = at
        out.updatedAt = at
        return out
    }

    // MARK: Reads

    public func appointment(_ lookup: AppointmentLookup) async throws -> StoredAppointment? {
        try await database.read { db in try Self.findAppointment(db, lookup) }
    }

    public func appointments(personKeys: [String], from: Date, to: Date) async throws -> [StoredAppointment] {
        guard !personKeys.isEmpty else { return [] }
        return try await database.read { db in
            try Row.fetchAll(db, sql: """
                SELECT \(Self.appointmentColumns) FROM appointment
                WHERE personKey IN (\(Self.placeholders(personKeys.count))) AND slotStart >= ? AND slotStart < ?
                ORDER BY slotStart, serviceId
                """, arguments: StatementArguments(personKeys) + [from, to]).map(Self.appointment(row:))
        }
    }

    public func appointments(from: Date, to: Date, serviceId: String?) async throws -> [StoredAppointment] {
        try await database.read { db in
            try Row.fetchAll(db, sql: """
                SELECT \(Self.appointmentColumns) FROM appointment
                WHERE slotStart >= ? AND slotStart < ? AND (? IS NULL OR serviceId = ?)
                ORDER BY serviceId, slotStart, createdAt
                """, arguments: [from, to, serviceId, serviceId]).map(Self.appointment(row:))
        }
    }

    public func personTickets(personKeys: [String], hallDay: String) async throws -> PersonTickets {
        guard !personKeys.isEmpty else { return PersonTickets() }
        return try await database.read { db in try Self.personTickets(db, personKeys: personKeys, hallDay: hallDay) }
    }

    static func personTickets(_ db: Database, personKeys: [String], hallDay: String) throws -> PersonTickets {
        var out = PersonTickets()
        let marks = placeholders(personKeys.count)
        out.pending = try Row.fetchAll(db, sql: """
            \(StoredTicket.select) WHERE personKey IN (\(marks)) AND status IN ('waiting', 'called') ORDER BY serial
            """, arguments: StatementArguments(personKeys)).map(StoredTicket.init(row:))
        for row in try Row.fetchAll(db, sql: """
            SELECT issuedServiceId, COUNT(*) FROM ticket WHERE personKey IN (\(marks)) AND hallDay = ? GROUP BY issuedServiceId
            """, arguments: StatementArguments(personKeys) + [hallDay]) {
            out.issuedToday[row[0]] = row[1]
        }
        return out
    }

    public func personKeyUsage(keyId: String, fromHallDay: String, noShowsEndingAfter: Date) async throws -> PersonKeyUsage {
        let prefix = keyId + ":"
        return try await database.read { db in
            let tickets = try Row.fetchOne(db, sql: """
                SELECT COUNT(*), MAX(hallDay) FROM ticket WHERE personKey IS NOT NULL AND substr(personKey, 1, ?) = ?
                    AND (hallDay >= ? OR status IN ('waiting', 'called'))
                """, arguments: [prefix.count, prefix, fromHallDay])
            let appointments = try Row.fetchOne(db, sql: """
                SELECT COUNT(*), MAX(slotEnd) FROM appointment
                WHERE (substr(personKey, 1, ?) = ? OR substr(COALESCE(sealedPhone, ''), 1, ?) = ?)
                    AND (status = 'booked' OR (status = 'noShow' AND slotEnd > ?))
                """, arguments: [prefix.count, prefix, prefix.count, prefix, noShowsEndingAfter])
            return PersonKeyUsage(tickets: tickets?[0] ?? 0, appointments: appointments?[0] ?? 0, lastTicketDay: tickets?[1],
                                  lastSlotEnd: appointments?[1])
        }
    }

    // MARK: Check-in

    /// Confirms the appointment and gives it a ticket in one write (every write is serialised): the person's pending
    /// ticket at the service, read here with the appointment's key and the card's keys, is taken over
    /// (`takeOver`); else a new ticket stored with the person's key, so the pending rule and the daily count of a
    /// later card issue see it (`ticket_person_pending` behind both).
    public func checkIn(_ checkin: CheckinWrite, plan: @escaping @Sendable (StoredAppointment?) throws -> CheckinPlan,
                        issueRules: @escaping @Sendable (IssueSnapshot) throws -> IssueDecision) async throws -> CheckinOutcome {
        try await database.write { db in
            let key = checkin.issue
            if let existing = try StoredTicket.fetch(db, where: "kioskId = ? AND idempotencyKey = ?", [key.kioskId, key.idempotencyKey]) {
                let appointment = try Row.fetchOne(db, sql: "SELECT \(Self.appointmentColumns) FROM appointment WHERE ticketId = ?",
                                                   arguments: [existing.id]).map(Self.appointment(row:))
                return .replayed(existing, appointment)
            }
            let found = try Self.findAppointment(db, checkin.lookup)
            if let found, found.status == .checkedIn, let ticketId = found.ticketId,
               let ticket = try StoredTicket.fetch(db, where: "id = ?", [ticketId]) {
                return .reprint(ticket, found)
            }
            let decided = try plan(found)
            guard let appointment = found else { throw HallError(.appointmentNotFound, "no such appointment") }
            let issue = CheckinTicket.issue(checkin.issue, appointment: appointment, plan: decided)
            let held = try Self.personTickets(db, personKeys: issue.personKeys, hallDay: issue.hallDay).pending
                .first { $0.issuedServiceId == issue.serviceId }
            if let held {
                let (ticket, moved) = try Self.takeOver(db, held, plan: decided)
                return .joinedHeldTicket(ticket, try Self.link(db, appointment, ticket, at: issue.issuedAt),
                                         movedToAppointmentLane: moved)
            }
            guard case .issued(let ticket) = try Self.decideAndInsert(db, issue, issueRules) else {
                throw HallError(.internalError, "check-in issued no ticket")
            }
            return .checkedIn(ticket, try Self.link(db, appointment, ticket, at: issue.issuedAt))
        }
    }

    /// The person's pending ticket taken over by a check-in: a waiting one in a lower lane moves into the plan's
    /// (`CheckinTicket.raised`: priority and rank; its number, token and place among its new rank's tickets by serial
    /// stay), the waiting counts follow; a called one, or one the plan would not raise (a late arrival's normal queue,
    /// a number already in a priority lane), stays as it is.
    static func takeOver(_ db: Database, _ held: StoredTicket, plan: CheckinPlan) throws -> (StoredTicket, moved: Bool) {
        guard let moved = CheckinTicket.raised(held, by: plan) else { return (held, false) }
        try db.execute(sql: "UPDATE ticket SET priority = ?, rank = ? WHERE serial = ?",
                       arguments: [moved.priority?.rawValue, moved.rank, held.serial])
        try QueueCounts.add(db, day: held.hallDay, serviceId: held.serviceId, rank: held.rank, -1)
        try QueueCounts.add(db, day: held.hallDay, serviceId: held.serviceId, rank: moved.rank, 1)
        return (moved, true)
    }

    /// Marks the appointment checked in with `ticket`.
    static func link(_ db: Database, _ appointment: StoredAppointment, _ ticket: StoredTicket, at: Date) throws -> StoredAppointment {
        try db.execute(sql: """
            UPDATE appointment SET status = 'checkedIn', ticketId = ?, checkedInAt = ?, updatedAt = ? WHERE id = ?
            """, arguments: [ticket.id, at, at, appointment.id])
        return CheckinTicket.checkedIn(appointment, ticket: ticket, at: at)
    }

    // MARK: Booking page, import, no-shows

    public func bookAppointment(_ write: AppointmentWrite, query: BookingQuery,
                                rules: @escaping @Sendable (BookingFacts) throws -> Void) async throws -> StoredAppointment {
        try await database.write { db in
            if let stored = try Self.findAppointment(db, .external(source: write.source, externalId: write.externalId)) {
                return stored
            }
            let keys = write.personKeys.isEmpty ? [write.personKey] : write.personKeys
            let marks = Self.placeholders(keys.count)
            let slotTaken = try Int.fetchOne(db, sql: """
                SELECT COUNT(*) FROM appointment WHERE serviceId = ? AND slotStart = ? AND status != 'cancelled'
                """, arguments: [write.serviceId, write.slotStart]) ?? 0
            let thatDay = try Int.fetchOne(db, sql: """
                SELECT COUNT(*) FROM appointment WHERE personKey IN (\(marks)) AND slotStart >= ? AND slotStart < ? AND status != 'cancelled'
                """, arguments: StatementArguments(keys) + [query.dayStart, query.dayEnd]) ?? 0
            let noShows = try Int.fetchOne(db, sql: """
                SELECT COUNT(*) FROM appointment WHERE personKey IN (\(marks)) AND status = 'noShow' AND slotStart >= ?
                """, arguments: StatementArguments(keys) + [query.noShowsSince]) ?? 0
            try rules(BookingFacts(slotTaken: slotTaken, personThatDay: thatDay, personNoShows: noShows))
            return try Self.insertAppointment(db, write)
        }
    }

    public func cancelAppointment(bookingCode: String, at: Date,
                                  check: @escaping @Sendable (StoredAppointment?) throws -> Void) async throws -> StoredAppointment {
        try await database.write { db in
            let found = try Self.findAppointment(db, .bookingCode(bookingCode))
            try check(found)
            guard let found else { throw HallError(.appointmentNotFound, "no appointment has this booking code") }
            return try Self.cancel(db, found, at: at)
        }
    }

    public func noShowCount(personKeys: [String], since: Date) async throws -> Int {
        guard !personKeys.isEmpty else { return 0 }
        return try await database.read { db in
            try Int.fetchOne(db, sql: """
                SELECT COUNT(*) FROM appointment WHERE personKey IN (\(Self.placeholders(personKeys.count))) AND status = 'noShow'
                    AND slotStart >= ?
                """, arguments: StatementArguments(personKeys) + [since]) ?? 0
        }
    }

    public func markNoShows(slotsEndedBy: Date, at: Date) async throws -> [String: Int] {
        try await database.write { db in
            var counts: [String: Int] = [:]
            for row in try Row.fetchAll(db, sql: """
                SELECT serviceId, COUNT(*) FROM appointment WHERE status = 'booked' AND slotEnd <= ? GROUP BY serviceId
                """, arguments: [slotsEndedBy]) {
                counts[row[0]] = row[1]
            }
            if !counts.isEmpty {
                try db.execute(sql: "UPDATE appointment SET status = 'noShow', updatedAt = ? WHERE status = 'booked' AND slotEnd <= ?",
                               arguments: [at, slotsEndedBy])
            }
            return counts
        }
    }
}
