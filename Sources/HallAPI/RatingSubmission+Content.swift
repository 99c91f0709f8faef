/// A rating whose content broke one of the rules every rating keeps; `kind` is the API's answer to it.
public struct RatingContentProblem: Error, Sendable, CustomStringConvertible {
    public let kind: APIErrorKind
    public let message: String
    public var description: String { message }
}

/// A submission's content, read and checked: what the rules go on with.
public struct RatingContent: Sendable, Equatable {
    public let level: RatingLevel
    /// Each reason once, in the order given.
    public let reasons: [RatingReason]
    public let channel: RatingChannel
    public let source: RatingSource
    /// 1, or 2 for a follow-up rating.
    public let assessNumber: Int
}

extension RatingSubmission {
    /// The rules on a rating's own content (RATING-RULES.md), in one place for everyone who checks them: the
    /// device's outbox before it stores a rating (so nothing waits in it that the server would refuse for good)
    /// and the hall server before it looks any further (who may rate what, which ticket, when).
    public func checkedContent() throws(RatingContentProblem) -> RatingContent {
        func problem(_ kind: APIErrorKind, _ message: String) -> RatingContentProblem {
            RatingContentProblem(kind: kind, message: message)
        }
        guard ratingId.unicodeScalars.count >= 8 else { throw problem(.invalidRating, "ratingId must be a UUID") }
        guard let level = RatingLevel(rawValue: level) else {
            throw problem(.unknownLevel, "unknown level '\(self.level)': one of \(RatingLevel.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        var reasons: [RatingReason] = []
        for r in self.reasons {
            guard let reason = RatingReason(rawValue: r) else {
                throw problem(.unknownReason, "unknown reason '\(r)': one of \(RatingReason.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            if !reasons.contains(reason) { reasons.append(reason) }
        }
        guard let channel = RatingChannel(rawValue: channel) else {
            throw problem(.invalidRating, "channel '\(self.channel)' is not windowDevice, kiosk or phoneQr")
        }
        guard let source = RatingSource(rawValue: source ?? "active") else {
            throw problem(.invalidRating, "source '\(self.source ?? "")' is not active or systemDefault")
        }
        let assess = assessNumber ?? 1
        guard assess == 1 || assess == 2 else { throw problem(.invalidRating, "assessNumber must be 1, or 2 for a follow-up rating") }
        if level.isBad && reasons.isEmpty && source == .active {
            throw problem(.reasonRequired, "a \(level.label.zh) (\(level.rawValue)) rating must carry at least one reason")
        }
        return RatingContent(level: level, reasons: reasons, channel: channel, source: source, assessNumber: assess)
    }

    /// Whether the rating names its ticket at all (the hall server then finds out which, and whether the submitter
    /// may rate it).
    public var namesATicket: Bool { ticketId != nil || ticketToken != nil }

    /// What a rating that names no ticket is told.
    public static let namesNoTicket = "a rating needs ticketId (devices) or ticketToken (phone)"
}
