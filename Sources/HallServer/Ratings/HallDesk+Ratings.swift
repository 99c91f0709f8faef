import Foundation
import GRDB
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
            throw HallError(422, APIErrorCode.invalidRating, "Idempotency-Key must equal ratingId ('\(s.ratingId)')")
        }
        guard s.ratingId.unicodeScalars.count >= 8 else {
            throw HallError(422, APIErrorCode.invalidRating, "ratingId must be a UUID")
        }
        guard let level = RatingLevel(rawValue: s.level) else {
            throw HallError(422, APIErrorCode.unknownLevel,
                            "level '\(s.level)' is not one of \(RatingLevel.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        var reasons: [RatingReason] = []
        for r in s.reasons {
            guard let reason = RatingReason(rawValue: r) else {
                throw HallError(422, APIErrorCode.unknownReason,
                                "reason '\(r)' is not one of \(RatingReason.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            if !reasons.contains(reason) { reasons.append(reason) }
        }
        guard let channel = RatingChannel(rawValue: s.channel) else {
            throw HallError(422, APIErrorCode.invalidRating, "channel '\(s.channel)' is not windowDevice, kiosk or phoneQr")
        }
        guard let source = RatingSource(rawValue: s.source ?? "active") else {
            throw HallError(422, APIErrorCode.invalidRating, "source '\(s.source ?? "")' is not active or systemDefault")
        }
        try Self.checkSourceAllowed(source, channel: channel, submitter: submitter)
        let assess = s.assessNumber ?? 1
        guard assess == 1 || assess == 2 else {
            throw HallError(422, APIErrorCode.invalidRating, "assessNumber must be 1, or 2 for a follow-up rating")
        }
        if level.isBad && reasons.isEmpty && source == .active {
            throw HallError(422, APIErrorCode.reasonRequired, "a \(level.label.zh) (\(level.rawValue)) rating must carry at least one reason")
        }
        var deviceId: String? = nil
        var deviceWindow: String? = nil
        switch submitter {
        case .device(let d):
            guard channel != .phoneQr else {
                throw HallError(422, APIErrorCode.invalidRating, "devices submit with channel windowDevice or kiosk, not phoneQr")
            }
            if channel == .windowDevice && d.role != .ratingDevice {
                throw HallError(422, APIErrorCode.invalidRating, "channel windowDevice is for rating devices; a ticket kiosk sends channel kiosk")
            }
            if let claimed = s.deviceId, claimed != d.id {
                throw HallError(403, APIErrorCode.forbidden, "deviceId '\(claimed)' is not the device this token belongs to")
            }
            deviceId = d.id
            deviceWindow = d.windowId
        case .phone:
            guard channel == .phoneQr, s.ticketToken != nil, s.ticketId == nil else {
                throw HallError(401, APIErrorCode.unauthorized,
                                "without a device token, a rating needs channel phoneQr and identifies the ticket by ticketToken only")
            }
        }
        let fingerprint = [s.ticketId ?? "", s.ticketToken ?? "", level.rawValue, reasons.map(\.rawValue).joined(separator: ","),
                           s.text ?? "", String(assess), source.rawValue, channel.rawValue].joined(separator: "|")
        let flagsFromDevice = deviceWindow
        let submitterDeviceId = deviceId
        let chosenReasons = reasons
        let result: (RatingRecord, Bool) = try await database.write { [self] db in
            let now = self.now
            if let existing = try Row.fetchOne(db, sql: "SELECT requestFingerprint, record FROM rating WHERE ratingId = ?",
                                               arguments: [s.ratingId]) {
                guard existing["requestFingerprint"] as String == fingerprint else {
                    throw HallError(422, APIErrorCode.idempotencyKeyReused, "ratingId '\(s.ratingId)' was already used for a different rating")
                }
                return (try Self.decodeRecord(existing["record"]), true)
            }
            let ticket: TicketRow?
            if case .phone = submitter {
                ticket = try s.ticketToken.flatMap { Self.isPlausibleToken($0) ? try TicketRow.byToken(db, $0) : nil }
            } else if channel == .kiosk, let token = s.ticketToken {
                // A kiosk that scanned the ticket's QR code: the token proves the citizen holds the ticket.
                ticket = Self.isPlausibleToken(token) ? try TicketRow.byToken(db, token) : nil
                if let t = ticket, let id = s.ticketId, id != t.id {
                    throw HallError(422, APIErrorCode.invalidRating, "ticketId '\(id)' is not the ticket of this ticketToken")
                }
            } else if let id = s.ticketId {
                ticket = try TicketRow.byId(db, id)
            } else if let token = s.ticketToken {
                ticket = Self.isPlausibleToken(token) ? try TicketRow.byToken(db, token) : nil
            } else {
                throw HallError(422, APIErrorCode.invalidRating, "a rating needs ticketId (devices) or ticketToken (phone)")
            }
            guard let t = ticket else { throw HallError(404, APIErrorCode.unknownTicket, "no such ticket") }
            if channel == .kiosk, s.ticketToken == nil, let device = submitterDeviceId {
                // A number typed at a kiosk proves nothing (numbers are sequential): the ticket's rating code must come with it.
                try checkRatingCode(s.ratingCode, ticket: t, deviceId: device)
            }
            guard t.status == .completed, let completedAt = t.completedAt else {
                throw HallError(422, APIErrorCode.ticketNotCompleted, "ticket \(t.number) is \(t.status.rawValue); only completed services can be rated")
            }
            if now.timeIntervalSince(completedAt) > Double(hall.ratableForDays) * 86400 {
                throw HallError(422, APIErrorCode.ratingWindowExpired, "ticket \(t.number) was completed more than \(hall.ratableForDays) days ago")
            }
            if let row = try Row.fetchOne(db, sql: "SELECT record FROM rating WHERE ticketId = ? AND assessNumber = ?",
                                          arguments: [t.id, assess]) {
                let existing = try Self.decodeRecord(row["record"])
                throw HallError(409, APIErrorCode.alreadyRated, "ticket \(t.number) already has a rating (assessNumber \(assess))",
                                existingRating: existing)
            }
            if assess == 2 {
                let first = try String.fetchOne(db, sql: "SELECT level FROM rating WHERE ticketId = ? AND assessNumber = 1", arguments: [t.id])
                guard let firstLevel = first.flatMap(RatingLevel.init(rawValue:)), firstLevel.isBad else {
                    throw HallError(422, APIErrorCode.followUpNotAllowed, "a follow-up rating (assessNumber 2) is allowed only after a 差评")
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
            let json = String(decoding: try Self.recordEncoder.encode(record), as: UTF8.self)
            try db.execute(sql: """
                INSERT INTO rating (ratingId, ticketId, hallDay, assessNumber, level, source, channel, windowId, staffId, serviceId,
                    requestFingerprint, record, receivedAt)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """, arguments: [s.ratingId, t.id, t.hallDay, assess, level.rawValue, source.rawValue, channel.rawValue, t.windowId,
                                 t.staffId, t.serviceId, fingerprint, json, now])
            return (record, false)
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
        try await database.read { db in
            try String.fetchOne(db, sql: "SELECT record FROM rating WHERE ratingId = ?", arguments: [id]).map(Self.decodeRecord)
        }
    }

    static let recordEncoder = HallJSON.encoder()
    static let recordDecoder = HallJSON.decoder()

    static func decodeRecord(_ json: String) throws -> RatingRecord {
        try recordDecoder.decode(RatingRecord.self, from: Data(json.utf8))
    }
}
