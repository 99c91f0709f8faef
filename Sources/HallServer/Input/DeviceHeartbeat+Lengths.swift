import HallAPI

extension DeviceHeartbeat {
    /// Refuses a heartbeat whose strings or lists are longer than the device page shows, counting Unicode
    /// scalars and bytes (`InputLength`): a heartbeat is stored and shown to hall IT, so it must stay small.
    func checkLengths() throws {
        let kind = APIErrorKind.badRequest
        let word = InputLength.heartbeatWordScalars
        let sentence = InputLength.heartbeatTextScalars
        try InputLength.check(version, field: "version", maxScalars: word, kind: kind)
        try InputLength.check(screen, field: "screen", maxScalars: word, kind: kind)
        try InputLength.check(lastError, field: "lastError", maxScalars: sentence, kind: kind)
        try InputLength.check(ratingsUnavailable, field: "ratingsUnavailable", maxScalars: sentence, kind: kind)
        try InputLength.check(printer?.message, field: "printer.message", maxScalars: sentence, kind: kind)
        try InputLength.check(idCardReader?.device, field: "idCardReader.device", maxScalars: sentence, kind: kind)
        try InputLength.check(idCardReader?.samStatus, field: "idCardReader.samStatus", maxScalars: sentence, kind: kind)
        try InputLength.check(idCardReader?.lastError, field: "idCardReader.lastError", maxScalars: sentence, kind: kind)
        let lists = [("printer.reasons", printer?.reasons ?? []), ("addresses", addresses ?? [])]
        for (field, items) in lists {
            guard items.count <= InputLength.heartbeatListItems else {
                throw HallError(kind, "\(field) lists at most \(InputLength.heartbeatListItems) entries; got \(items.count)")
            }
            for item in items { try InputLength.check(item, field: "\(field)[]", maxScalars: word, kind: kind) }
        }
    }
}
