import Foundation
import HallAPI

extension HallDesk {
    /// Issues a ticket (or returns the one already issued under this kiosk's idempotency key).
    ///
    /// Numbers are per service and hall day, gap-free: the store writes the counter and the ticket in one
    /// transaction, serialised per service and day (`HallStore.issueTicket`); the rules here pick the number.
    public func issueTicket(_ request: IssueTicketRequest, idempotencyKey: String, deviceId: String) async throws -> (IssuedTicket, replayed: Bool) {
        guard request.kioskId == deviceId else {
            throw HallError(.forbidden, "kioskId '\(request.kioskId)' is not the device this token belongs to ('\(deviceId)')")
        }
        guard let service = hall.service(request.serviceId) else {
            throw HallError(.unknownService, "no service has id '\(request.serviceId)'")
        }
        try refuseOnImplausibleClock()
        // Per-person rules (issue 21): the number becomes person keys here and is not kept.
        let holder = try request.idNumber.map(cardHolder)
        if holder == nil, service.personRules.requiresIdCard {
            throw HallError(.idCardRequired, "service '\(service.id)' issues numbers only to citizens who place their ID card on the kiosk")
        }
        let fingerprint = "\(request.serviceId)|\(request.priority?.rawValue ?? "")" + (holder.map { "|\($0.personKey)" } ?? "")
        let now = self.now
        let moment = clock.moment(now)
        let rank = QueueRank.of(request.priority)
        let token = random.urlSafeToken()
        var issue = TicketIssue(id: random.uuid(), token: token, kioskId: request.kioskId, idempotencyKey: idempotencyKey,
                                requestFingerprint: fingerprint, hallDay: moment.day, serviceId: service.id, priority: request.priority,
                                rank: rank, issuedAt: now)
        // Every key of the ring finds the holder's pending ticket inside the transaction, a checked-in appointment's
        // (`CheckinTicket`: under the card's key, or a booking code's appointment key) as well as a walk-in's.
        issue.personKey = holder?.personKey
        issue.personKeys = holder?.personKeys ?? []
        let outcome: IssueOutcome
        do {
            outcome = try await store.issueTicket(issue, rules: issueRules(service: service, moment: moment, cardHolder: holder != nil))
        } catch let pending as PersonHasPendingTicket {
            var ticket = issued(pending.ticket)
            ticket.existing = true
            return (ticket, true)
        }
        let result: (StoredTicket, Bool)
        switch outcome {
        case .issued(let ticket): result = (ticket, false)
        case .existing(let ticket):
            guard ticket.requestFingerprint == fingerprint else {
                throw HallError(.idempotencyKeyReused,
                                "Idempotency-Key '\(idempotencyKey)' was already used for a different ticket request; use a new key per citizen intent")
            }
            result = (ticket, true)
        }
        let (row, replayed) = result
        if !replayed {
            events.publishQueuesChanged()
            metrics.ticketIssued(serviceId: row.issuedServiceId)
            logger.info("ticket issued", metadata: ["ticket.number": "\(row.number)", "service.id": "\(row.issuedServiceId)",
                                                    "device.id": "\(deviceId)"])
        }
        return (issued(row), replayed)
    }

    /// The issuing rules of `service` at `moment`, run inside the issue transaction: the card holder's pending ticket
    /// (thrown as `PersonHasPendingTicket`, answered for 补打 even when the service could not issue now), the daily
    /// limit per person, then the service's availability, and the number and estimate.
    func issueRules(service: Hall.Service, moment: HallMoment, cardHolder: Bool) -> @Sendable (IssueSnapshot) throws -> IssueDecision {
        let dailyLimit = service.personRules.dailyLimitPerPerson
        return { [self] snapshot in
            if let pending = snapshot.personPending { throw PersonHasPendingTicket(ticket: pending) }
            if cardHolder, let dailyLimit, snapshot.personIssuedToday >= dailyLimit {
                throw HallError(.personDailyLimitReached,
                                "this card holder already took \(snapshot.personIssuedToday) of at most \(dailyLimit) numbers today for service '\(service.id)'")
            }
            let availability = ServiceAvailability.decide(service: service, closedDates: hall.closedDates, at: hall.scheduleMoment(moment),
                                                          paused: snapshot.paused, issuedToday: snapshot.issuedToday)
            switch availability.state {
            case .open: break
            case .paused:
                throw HallError(.servicePaused, "service '\(service.id)' is paused by staff")
            case .quotaReached:
                throw HallError(.quotaReached, "today's quota of \(service.dailyQuota ?? 0) tickets for service '\(service.id)' is used up")
            case .closed:
                let when = availability.opensAt.map { "; it opens at \($0)" } ?? ""
                throw HallError(.serviceClosed,
                                "service '\(service.id)' does not issue numbers now (\(availability.reason?.rawValue ?? "closed"))\(when)")
            }
            let seq = service.firstNumber + snapshot.issuedToday
            guard seq <= service.lastNumber else {
                throw HallError(.numbersExhausted, "service '\(service.id)' has used every \(service.digits)-digit number today")
            }
            let estimate = serviceTimes.estimateMinutes(serviceId: service.id, ahead: snapshot.waitingAhead,
                                                        openWindows: openWindowCount(serviceId: service.id, open: snapshot.openWindows))
            return IssueDecision(seq: seq, number: service.number(forSequence: seq), estimateMinutes: estimate)
        }
    }

    /// 503 `implausibleClock` while the wall clock cannot be right (`ClockGuard`): a number issued now would land on
    /// the wrong hall day.
    func refuseOnImplausibleClock() throws {
        guard let problem = clockProblem() else { return }
        // The error middleware logs the 503 with this message: one line per refused number.
        throw HallError(.implausibleClock, "no numbers are issued: \(problem)", retryAfterSeconds: 60)
    }

    /// Why the wall clock cannot be trusted now, or nil (for `/healthz`, the device page and issuing).
    public func clockProblem() -> String? { clockGuard.problem(now: now) }

    func issued(_ row: StoredTicket) -> IssuedTicket {
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
            throw HallError(.unknownTicket, "no ticket has this token")
        }
        let now = self.now
        guard let view = try await store.ticketView(.token(token), at: now) else {
            throw HallError(.unknownTicket, "no ticket has this token")
        }
        var answer = try progress(view, now: now)
        answer.ratingCode = RatingCode.of(token: view.ticket.token)
        return answer
    }

    /// Days back a lookup by number searches when today has no such ticket.
    static let numberLookupDays = 7

    /// Today's ticket by its number (devices only); failing that, the newest one of the last
    /// `numberLookupDays` hall days, so yesterday's number after midnight shows `expired` (未办理), not "not found".
    /// With `ratingCode` (a kiosk about to rate) the code must be the ticket's: a wrong one counts against `deviceId`
    /// and answers 403 `wrongRatingCode`.
    public func progress(number: String, ratingCode: String? = nil, deviceId: String? = nil) async throws -> TicketProgress {
        guard InputLength.fits(number, maxScalars: 12) else {
            throw HallError(.badRequest, "'\(InputLength.quote(number, maxScalars: 12))' is not a ticket number such as A023")
        }
        // "a3", "Ａ３" and "A 3" all mean A003 (`TicketNumberInput`).
        guard let normalized = TicketNumberInput.normalize(number, services: hall.services), normalized.unicodeScalars.count <= 10 else {
            throw HallError(.badRequest, "'\(number)' is not a ticket number such as A023")
        }
        let now = self.now
        let day = clock.moment(now).day
        let oldest = (0..<Self.numberLookupDays).reduce(day) { d, _ in clock.previousDay(d) ?? d }
        guard let view = try await store.ticketView(.number(normalized, from: oldest, to: day), at: now) else {
            throw HallError(.unknownTicket,
                            "no ticket numbered \(normalized) was issued today or in the \(Self.numberLookupDays) days before")
        }
        if let ratingCode, let deviceId { try checkRatingCode(ratingCode, ticket: view.ticket, deviceId: deviceId) }
        return try progress(view, now: now)
    }

    static func isPlausibleToken(_ token: String) -> Bool {
        token.utf8.count >= 16 && token.utf8.count <= 64 && token.utf8.allSatisfy {
            ($0 >= 48 && $0 <= 57) || ($0 >= 65 && $0 <= 90) || ($0 >= 97 && $0 <= 122) || $0 == 45 || $0 == 95
        }
    }
}
