import HallAPI

extension RatingSubmission {
    /// Refuses a submission whose strings are longer than the server keeps, counting Unicode scalars and
    /// bytes (`InputLength`), before anything else looks at them.
    func checkLengths() throws {
        let kind = APIErrorKind.invalidRating
        try InputLength.check(ratingId, field: "ratingId", maxScalars: InputLength.idScalars, kind: kind)
        for (field, value) in [("ticketId", ticketId), ("ticketToken", ticketToken), ("windowId", windowId),
                               ("staffId", staffId), ("serviceId", serviceId), ("deviceId", deviceId),
                               ("reasonsVersion", reasonsVersion), ("channel", channel), ("level", level),
                               ("source", source), ("ratingCode", ratingCode)] {
            try InputLength.check(value, field: field, maxScalars: InputLength.idScalars, kind: kind)
        }
        guard reasons.count <= RatingReason.allCases.count * 2 else {
            throw HallError(kind, "reasons lists at most \(RatingReason.allCases.count) different reasons; got \(reasons.count)")
        }
        for reason in reasons {
            try InputLength.check(reason, field: "reasons[]", maxScalars: InputLength.idScalars, kind: kind)
        }
        try InputLength.check(text, field: "text", maxScalars: InputLength.ratingTextScalars, kind: kind)
    }
}
