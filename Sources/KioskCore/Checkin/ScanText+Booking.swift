extension ScanText {
    /// The longest booking code the keypad takes.
    public static let maxBookingCodeLength = 12

    /// Booking codes are exactly this long (the booking QR holds just the code, e.g. `K7M2Q9XDPT`, the hall server's
    /// `BookingCode`): a ticket number is a prefix and three or four digits, so a 10-character scan at home is a booking,
    /// not a ticket to look up.
    public static let bookingCodeLength = 10

    /// The text as a booking code: `bookingCodeLength` ASCII letters and digits (upper-cased; spaces and dashes
    /// dropped), not a URL; nil otherwise.
    public static func bookingCode(in text: String) -> String? {
        guard !looksLikeURL(text) else { return nil }
        let kept = text.filter { !" -\t\r\n".contains($0) }
        let characters = kept.compactMap(ticketCharacter)
        guard characters.count == kept.count, characters.count == bookingCodeLength else { return nil }
        return String(characters)
    }
}
