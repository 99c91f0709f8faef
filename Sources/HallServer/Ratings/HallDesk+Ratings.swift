import Foundation
import HallAPI

/// Who is submitting a rating.
public enum RatingSubmitter: Sendable {
    /// A kiosk or rating device (authenticated by its bearer token).
    case device(Hall.Device)
    /// The phone page; the ticket token is the only key.
    case phone
}

extension HallDesk {
    /// Stores a rating under the national rules (RATING-RULES.md). Returns the record and whether it
    /// was already stored under the same `ratingId` (an idempotent retry).
    public func submitRating(_ s: RatingSubmission, idempotencyKey: String, by submitter: RatingSubmitter) async throws -> (RatingRecord, replayed: Bool) {
        try s.checkLengths()
        guard idempotencyKey == s.ratingId else {
            throw HallError(.invalidRating, "Idempotency-Key must equal ratingId ('\(s.ratingId)')")
        }
        let content: RatingContent
        do {
            content = try s.checkedContent()
        } catch {
            throw HallError(error.kind, error.message)
        }
        let (level, reasons, channel, source, assess) = (content.level, content.reasons, content.channel, content.source,
                                                         content.assessNumber)
        try Self.checkSourceAllowed(source, channel: channel, submitter: submitter)
        var deviceId: String? = nil
        var deviceWindow: String? = nil
        switch submitter {
        case .device(let d):
            guard channel != .phoneQr else {
                throw HallError(.invalidRating, "devices submit with channel windowDevice or kiosk, not phoneQr")
            }
            if channel == .windowDevice && d.role != .ratingDevice {
                throw HallError(.invalidRating, "channel windowDevice is for rating devices; a ticket kiosk sends channel kiosk")
            }
            if let claimed = s.deviceId, claimed != d.id {
                throw HallError(.forbidden, "deviceId '\(claimed)' is not the device this token belongs to")
            }
            deviceId = d.id
            deviceWindow = d.windowId
        case .phone:
            guard channel == .phoneQr, s.ticketToken != nil, s.ticketId == nil else {
                throw HallError(.unauthorized,
                                "without a device token, a rating needs channel phoneQr and identifies the ticket by ticketToken only")
            }
        }
        let fingerprint = [s.ticketId ?? "", s.ticketToken ?? "", level.rawValue, reasons.map(\.rawValue).joined(separator: ","),
                           s.text ?? "", String(assess), source.rawValue, channel.rawValue].joined(separator: "|")
        let flagsFromDevice = deviceWindow
        let submitterDeviceId = deviceId
        let chosenReasons = reasons
        // Which ticket the submission names; nil finds none (an implausible token).
        let lookup: TicketLookup?
        var missingReference = false
        var scannedAtKiosk = false
        if case .phone = submitter {
            lookup = s.ticketToken.flatMap { Self.isPlausibleToken($0) ? .token($0) : nil }
        } else if channel == .kiosk, let token = s.ticketToken {
            // A kiosk that scanned the ticket's QR code: the token proves the citizen holds the ticket.
            lookup = Self.isPlausibleToken(token) ? .token(token) : nil
            scannedAtKiosk = true
        } else if let id = s.ticketId {
            lookup = .id(id)
        } else if let token = s.ticketToken {
            lookup = Self.isPlausibleToken(token) ? .token(token) : nil
        } else {
            lookup = nil
            missingReference = true
        }
        let attempt = RatingAttempt(ratingId: s.ratingId, fingerprint: fingerprint, ticket: lookup, assessNumber: assess)
        let outcome = try await store.rate(attempt) { [self, missingReference, scannedAtKiosk] facts in
            let now = self.now
            if missingReference {
                throw HallError(.invalidRating, RatingSubmission.namesNoTicket)
            }
            let ticket = facts.ticket
            if scannedAtKiosk, let t = ticket, let id = s.ticketId, id != t.id {
                throw HallError(.invalidRating, "ticketId '\(id)' is not the ticket of this ticketToken")
            }
            guard let t = ticket else { throw HallError(.unknownTicket, "no such ticket") }
            if channel == .kiosk, s.ticketToken == nil, let device = submitterDeviceId {
                // A number typed at a kiosk proves nothing (numbers are sequential): the ticket's rating code must come with it.
                try checkRatingCode(s.ratingCode, ticket: t, deviceId: device)
            }
            guard t.status == .completed, let completedAt = t.completedAt else {
                throw HallError(.ticketNotCompleted, "ticket \(t.number) is \(t.status.rawValue); only completed services can be rated")
            }
            if now.timeIntervalSince(completedAt) > Double(hall.ratableForDays) * 86400 {
                throw HallError(.ratingWindowExpired, "ticket \(t.number) was completed more than \(hall.ratableForDays) days ago")
            }
            if let existing = facts.existing {
                throw HallError(.alreadyRated, "ticket \(t.number) already has a rating (assessNumber \(assess))",
                                existingRating: existing)
            }
            if assess == 2 {
                guard let firstLevel = facts.firstLevel.flatMap(RatingLevel.init(rawValue:)), firstLevel.isBad else {
                    throw HallError(.followUpNotAllowed, "a follow-up rating (assessNumber 2) is allowed only after a 差评")
                }
            }
            let time = RatedAtCheck.decide(claimed: s.ratedAt, channel: channel, completedAt: completedAt, now: now)
            let ratedAt = time.ratedAt
            var flags: [RatingFlag] = []
            if ratedAt.timeIntervalSince(completedAt) > hall.lateAfterHours * 3600 || now.timeIntervalSince(completedAt) > hall.lateAfterHours * 3600 {
                flags.append(.late)
            }
            var mismatch = false
            if let w = s.windowId, w != t.windowId { mismatch = true }
            if let st = s.staffId, st != t.staffId { mismatch = true }
            if let sv = s.serviceId, sv != t.serviceId { mismatch = true }
            if channel == .windowDevice, let deviceWindow = flagsFromDevice, deviceWindow != t.windowId { mismatch = true }
            if mismatch { flags.append(.suspect) }
            if time.adjusted { flags.append(.ratedAtAdjusted) }
            let staff = t.staffId.flatMap { hall.staffMember($0) }
            let record = RatingRecord(
                ratingId: s.ratingId, ticketId: t.id, ticketNumber: t.number, hallId: hall.id, windowId: t.windowId,
                staffId: t.staffId, staffName: staff?.name, serviceId: t.serviceId, channel: channel, deviceId: submitterDeviceId,
                level: level, reasons: chosenReasons, reasonsVersion: s.reasonsVersion, text: s.text, assessNumber: assess,
                source: source, serviceCompletedAt: completedAt, ratedAt: ratedAt, receivedAt: now, flags: flags,
                claimedRatedAt: time.adjusted ? s.ratedAt : nil)
            return RatingEntry(record: record, hallDay: t.hallDay)
        }
        let result: (RatingRecord, Bool)
        switch outcome {
        case .stored(let record): result = (record, false)
        case .existing(let record, let storedFingerprint):
            guard storedFingerprint == fingerprint else {
                throw HallError(.idempotencyKeyReused, "ratingId '\(s.ratingId)' was already used for a different rating")
            }
            result = (record, true)
        }
        if !result.1 {
            metrics.ratingStored(channel: result.0.channel.rawValue, level: result.0.level.rawValue)
            logger.info("rating stored", metadata: ["rating.id": "\(result.0.ratingId)", "channel": "\(result.0.channel.rawValue)",
                                                    "window.id": "\(result.0.windowId ?? "-")"])
        }
        return result
    }

    /// A stored rating by id.
    public func rating(id: String) async throws -> RatingRecord? {
        try await store.rating(id: id)
    }

    /// A rating record from its stored JSON (what `RatingRecord` encodes to with `HallJSON`).
    static func decodeRecord(_ json: String) throws -> RatingRecord {
        try HallJSON.decoder().decode(RatingRecord.self, from: Data(json.utf8))
    }
}
