import HallAPI

extension RatingSubmission {
    /// Refuses a submission whose strings are longer than the server keeps, counting Unicode scalars and
    /// bytes (`InputLength`), before anything else looks at them.
    func checkLengths() throws {
        let code = APIErrorCode.invalidRating
        try InputLength.check(ratingId, field: "ratingId", maxScalars: InputLength.idScalars, code: code)
        for (field, value) in [("ticketId", ticketId), ("ticketToken", ticketToken), ("windowId", windowId),
                               ("staffId", staffId), ("serviceId", serviceId), ("deviceId", deviceId),
                               ("reasonsVersion", reasonsVersion), ("channel", channel), ("level", level),
                               ("source", source), ("ratingCode", ratingCode)] {
            try InputLength.check(value, field: field, maxScalars: InputLength.idScalars, code: code)
        }
        guard reasons.count <= RatingReason.allCases.count * 2 else {
            throw HallError(422, code, "reasons lists at most \(RatingReason.allCases.count) different reasons; got \(reasons.count)")
        }
        for reason in reasons {
            try InputLength.check(reason, field: "reasons[]", maxScalars: InputLength.idScalars, code: code)
        }
        try InputLength.check(text, field: "text", maxScalars: InputLength.ratingTextScalars, code: code)
    }
}
