import Foundation
import GRDB
import HallAPI

extension HallDesk {
    /// Issues a ticket (or returns the one already issued under this kiosk's idempotency key).
    ///
    /// Numbers are per service and hall day, gap-free: the counter and the ticket are written in
    /// the same transaction, and every write is serialised by the group-commit writer.
    public func issueTicket(_ request: IssueTicketRequest, idempotencyKey: String, deviceId: String) async throws -> (IssuedTicket, replayed: Bool) {
        guard request.kioskId == deviceId else {
            throw HallError(403, APIErrorCode.forbidden, "kioskId '\(request.kioskId)' is not the device this token belongs to ('\(deviceId)')")
        }
        guard let service = hall.service(request.serviceId) else {
            throw HallError(404, APIErrorCode.unknownService, "no service has id '\(request.serviceId)'")
        }
        try refuseOnImplausibleClock()
        let fingerprint = "\(request.serviceId)|\(request.priority?.rawValue ?? "")"
        let token = random.urlSafeToken()
        let id = random.uuid()
        let result: (TicketRow, Bool) = try await database.write { [self] db in
            if let existing = try TicketRow.fetch(db, where: "kioskId = ? AND idempotencyKey = ?", [request.kioskId, idempotencyKey]) {
                guard existing.requestFingerprint == fingerprint else {
                    throw HallError(422, APIErrorCode.idempotencyKeyReused,
                                    "Idempotency-Key '\(idempotencyKey)' was already used for a different ticket request; use a new key per citizen intent")
                }
                return (existing, true)
            }
            let now = self.now
            let moment = clock.moment(now)
            let issued = try issuedToday(db, day: moment.day, serviceId: service.id)
            let paused = try Bool.fetchOne(db.cachedStatement(sql: "SELECT EXISTS (SELECT 1 FROM servicePause WHERE serviceId = ?)"),
                                           arguments: [service.id]) ?? false
            let availability = ServiceAvailability.decide(service: service, closedDates: hall.closedDates, at: moment,
                                                          paused: paused, issuedToday: issued)
            switch availability.state {
            case .open: break
            case .paused:
                throw HallError(409, APIErrorCode.servicePaused, "service '\(service.id)' is paused by staff")
            case .quotaReached:
                throw HallError(409, APIErrorCode.quotaReached, "today's quota of \(service.dailyQuota ?? 0) tickets for service '\(service.id)' is used up")
            case .closed:
                let when = availability.opensAt.map { "; it opens at \($0)" } ?? ""
                throw HallError(409, APIErrorCode.serviceClosed,
                                "service '\(service.id)' does not issue numbers now (\(availability.reason?.rawValue ?? "closed"))\(when)")
            }
            let seq = service.firstNumber + issued
            guard seq <= service.lastNumber else {
                throw HallError(409, APIErrorCode.numbersExhausted, "service '\(service.id)' has used every \(service.digits)-digit number today")
            }
            let rank = QueueRank.of(request.priority)
            let ahead = try QueueCounts.ahead(db, day: moment.day, serviceId: service.id, rank: rank)
            let open = try openWindows(db, at: now)
            let estimate = serviceTimes.estimateMinutes(serviceId: service.id, ahead: ahead,
                                                        openWindows: openWindowCount(serviceId: service.id, open: open))
            let number = service.number(forSequence: seq)
            try db.cachedStatement(sql: """
                INSERT INTO ticket (id, hallDay, issuedServiceId, serviceId, seq, number, token, kioskId, idempotencyKey,
                    requestFingerprint, priority, rank, status, issuedAt, aheadAtIssue, estimateAtIssue)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'waiting', ?, ?, ?)
                """).execute(arguments: [id, moment.day, service.id, service.id, seq, number, token,
                                         request.kioskId, idempotencyKey, fingerprint, request.priority?.rawValue, rank, now,
                                         ahead, estimate])
            try db.cachedStatement(sql: """
                INSERT INTO dailyCounter (hallDay, serviceId, issued) VALUES (?, ?, 1)
                ON CONFLICT (hallDay, serviceId) DO UPDATE SET issued = issued + 1
                """).execute(arguments: [moment.day, service.id])
            try QueueCounts.add(db, day: moment.day, serviceId: service.id, rank: rank, 1)
            let row = TicketRow(serial: db.lastInsertedRowID, id: id, hallDay: moment.day, issuedServiceId: service.id,
                                serviceId: service.id, seq: seq, number: number, token: token, kioskId: request.kioskId,
                                idempotencyKey: idempotencyKey, requestFingerprint: fingerprint, priority: request.priority,
                                rank: rank, status: .waiting, issuedAt: now, aheadAtIssue: ahead, estimateAtIssue: estimate)
            return (row, false)
        }
        let (row, replayed) = result
        if !replayed {
            metrics.ticketIssued(serviceId: row.issuedServiceId)
            logger.info("ticket issued", metadata: ["ticket.number": "\(row.number)", "service.id": "\(row.issuedServiceId)",
                                                    "device.id": "\(deviceId)"])
        }
        return (issued(row), replayed)
    }

    /// 503 `implausibleClock` while the wall clock cannot be right (`ClockGuard`): a number issued now would land on
    /// the wrong hall day.
    func refuseOnImplausibleClock() throws {
        guard let problem = clockProblem() else { return }
        // The error middleware logs the 503 with this message: one line per refused number.
        throw HallError(503, APIErrorCode.implausibleClock, "no numbers are issued: \(problem)", retryAfterSeconds: 60)
    }

    /// Why the wall clock cannot be trusted now, or nil (for `/healthz`, the device page and issuing).
    public func clockProblem() -> String? { clockGuard.problem(now: now) }

    func issued(_ row: TicketRow) -> IssuedTicket {
        let service = hall.service(row.issuedServiceId)!
        return IssuedTicket(id: row.id, number: row.number, service: service.ref, issuedAt: row.issuedAt, hallDay: row.hallDay,
                            priority: row.priority, waitingAhead: row.aheadAtIssue, estimatedWaitMinutes: row.estimateAtIssue,
                            token: row.token, lookupUrl: lookupUrl(token: row.token), ratingCode: RatingCode.of(token: row.token))
    }

    /// The phone page of a ticket.
    public func lookupUrl(token: String) -> String { "\(hall.publicBaseUrl)/t/\(token)" }

    /// Progress by the ticket's secret token (phone page, kiosks scanning the QR).
    public func progress(token: String) async throws -> TicketProgress {
        guard Self.isPlausibleToken(token) else {
            throw HallError(404, APIErrorCode.unknownTicket, "no ticket has this token")
        }
        return try await database.read { [self] db in
            guard let row = try TicketRow.byToken(db, token) else {
                throw HallError(404, APIErrorCode.unknownTicket, "no ticket has this token")
            }
            var answer = try progress(db, row, now: now)
            answer.ratingCode = RatingCode.of(token: row.token)
            return answer
        }
    }

    /// Days back a lookup by number searches when today has no such ticket.
    static let numberLookupDays = 7

    /// Today's ticket by its number (devices only); failing that, the newest one of the last
    /// `numberLookupDays` hall days, so yesterday's number after midnight shows `expired` (未办理), not "not found".
    /// With `ratingCode` (a kiosk about to rate) the code must be the ticket's: a wrong one counts against `deviceId`
    /// and answers 403 `wrongRatingCode`.
    public func progress(number: String, ratingCode: String? = nil, deviceId: String? = nil) async throws -> TicketProgress {
        guard InputLength.fits(number, maxScalars: 12) else {
            throw HallError(400, APIErrorCode.badRequest, "'\(InputLength.quote(number, maxScalars: 12))' is not a ticket number such as A023")
        }
        let normalized = number.uppercased().trimmingCharacters(in: .whitespaces)
        guard !normalized.isEmpty, normalized.unicodeScalars.count <= 10,
              normalized.unicodeScalars.allSatisfy({ $0.isASCII && ($0.properties.isAlphabetic || ("0"..."9").contains($0)) }) else {
            throw HallError(400, APIErrorCode.badRequest, "'\(number)' is not a ticket number such as A023")
        }
        return try await database.read { [self] db in
            let now = self.now
            let day = clock.moment(now).day
            let oldest = (0..<Self.numberLookupDays).reduce(day) { d, _ in clock.previousDay(d) ?? d }
            guard let row = try TicketRow.fetch(db, where: "hallDay BETWEEN ? AND ? AND number = ? ORDER BY hallDay DESC, serial DESC LIMIT 1",
                                                [oldest, day, normalized]) else {
                throw HallError(404, APIErrorCode.unknownTicket,
                                "no ticket numbered \(normalized) was issued today or in the \(Self.numberLookupDays) days before")
            }
            if let ratingCode, let deviceId { try checkRatingCode(ratingCode, ticket: row, deviceId: deviceId) }
            return try progress(db, row, now: now)
        }
    }

    static func isPlausibleToken(_ token: String) -> Bool {
        token.utf8.count >= 16 && token.utf8.count <= 64 && token.utf8.allSatisfy {
            ($0 >= 48 && $0 <= 57) || ($0 >= 65 && $0 <= 90) || ($0 >= 97 && $0 <= 122) || $0 == 45 || $0 == 95
        }
    }
}
