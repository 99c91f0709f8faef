/// What the hall server accepts in a heartbeat (longer is 400): lengths in Unicode scalars, never grapheme clusters.
extension DeviceHeartbeat {
    /// `lastError`, `ratingsUnavailable`, printer `message`, the ID card reader's `device`, `samStatus`, `lastError`.
    public static let maxTextScalars = 500
    /// `version`, `screen`, each printer reason and address.
    public static let maxWordScalars = 64
    /// Printer reasons and addresses listed.
    public static let maxListItems = 32

    /// This heartbeat cut to what the server accepts, so a long error text never costs the device its heartbeat.
    public func fittingLimits() -> DeviceHeartbeat {
        var beat = self
        beat.version = Self.cut(version, Self.maxWordScalars)
        beat.screen = screen.map { Self.cut($0, Self.maxWordScalars) }
        beat.lastError = lastError.map { Self.cut($0, Self.maxTextScalars) }
        beat.ratingsUnavailable = ratingsUnavailable.map { Self.cut($0, Self.maxTextScalars) }
        beat.addresses = addresses.map { Array($0.prefix(Self.maxListItems)).map { Self.cut($0, Self.maxWordScalars) } }
        if var printer = beat.printer {
            printer.message = printer.message.map { Self.cut($0, Self.maxTextScalars) }
            printer.reasons = Array(printer.reasons.prefix(Self.maxListItems)).map { Self.cut($0, Self.maxWordScalars) }
            beat.printer = printer
        }
        if var reader = beat.idCardReader {
            reader.device = Self.cut(reader.device, Self.maxTextScalars)
            reader.samStatus = reader.samStatus.map { Self.cut($0, Self.maxTextScalars) }
            reader.lastError = reader.lastError.map { Self.cut($0, Self.maxTextScalars) }
            beat.idCardReader = reader
        }
        return beat
    }

    /// The first `maxScalars` Unicode scalars of `text`, ending in "…" when cut.
    static func cut(_ text: String, _ maxScalars: Int) -> String {
        let scalars = text.unicodeScalars
        guard scalars.count > maxScalars else { return text }
        return String(String.UnicodeScalarView(scalars.prefix(maxScalars - 1))) + "…"
    }
}
