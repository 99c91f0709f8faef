import HallAPI

/// Length limits for text a client sends, in one place.
///
/// Swift's `String.count` counts grapheme clusters: one letter followed by ten thousand combining
/// marks (or a pile of emoji joined by ZWJ) is *one* character, so a 50 KB comment passed a
/// 200-character limit. Every limit on the server counts Unicode scalars instead, and also caps the
/// UTF-8 bytes (four per scalar at most), so neither a long text nor a short-looking heavy one gets through.
enum InputLength {
    /// True when `text` has at most `maxScalars` Unicode scalars and at most `maxBytes` UTF-8 bytes
    /// (by default four per allowed scalar). Checks the byte count first: it costs nothing.
    static func fits(_ text: some StringProtocol, maxScalars: Int, maxBytes: Int? = nil) -> Bool {
        let byteCap = maxBytes ?? maxScalars * 4
        guard text.utf8.count <= byteCap else { return false }
        return text.unicodeScalars.count <= maxScalars
    }

    /// Throws `kind` (422 `invalidRating` unless told) naming `field` and its limit when `text` is too long.
    static func check(_ text: String?, field: String, maxScalars: Int, maxBytes: Int? = nil,
                      kind: APIErrorKind = .invalidRating) throws {
        guard let text, !fits(text, maxScalars: maxScalars, maxBytes: maxBytes) else { return }
        throw HallError(kind,
                        "\(field) is limited to \(maxScalars) characters (Unicode scalars) and \(maxBytes ?? maxScalars * 4) bytes; "
                            + "got \(text.unicodeScalars.count) characters, \(text.utf8.count) bytes")
    }

    /// At most `maxScalars` Unicode scalars of `text`, for quoting a client's value in an error message
    /// (`prefix` on a `String` counts grapheme clusters, which may hold any number of scalars).
    static func quote(_ text: String, maxScalars: Int = 16) -> String {
        let scalars = text.unicodeScalars
        guard scalars.count > maxScalars else { return text }
        return String(String.UnicodeScalarView(scalars.prefix(maxScalars))) + "…"
    }

    /// The most a rating's free text may hold.
    static let ratingTextScalars = 200
    /// Ids a client chooses or repeats back (ratingId, ticketId, window, staff, service and device ids, reasonsVersion).
    static let idScalars = 64
    /// `Idempotency-Key` header.
    static let idempotencyKeyScalars = 128
    /// Free text in a heartbeat (lastError, ratingsUnavailable, printer message).
    static let heartbeatTextScalars = DeviceHeartbeat.maxTextScalars
    /// Short words in a heartbeat (version, screen, printer reasons, addresses).
    static let heartbeatWordScalars = DeviceHeartbeat.maxWordScalars
    /// How many printer reasons and addresses a heartbeat may list.
    static let heartbeatListItems = DeviceHeartbeat.maxListItems
}
