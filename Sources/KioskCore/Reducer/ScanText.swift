/// Reading what a barcode scanner typed: the ticket QR holds the progress page URL
/// (`https://hall/t/<token>`); a printed number (`A023`) may also be scanned or typed.
public enum ScanText {
    /// The token after `/t/` up to the next `/`, `?`, `#` or space, if the text holds one.
    public static func token(in text: String) -> String? {
        guard let range = text.range(of: "/t/") else { return nil }
        let token = text[range.upperBound...].prefix { !"/?# \t\r\n".contains($0) }
        return token.isEmpty ? nil : String(token)
    }

    /// The text as a ticket number: ASCII letters and digits upper-cased, everything else dropped;
    /// `nil` when nothing is left or it is too long to be a number.
    public static func ticketNumber(in text: String) -> String? {
        let characters = text.compactMap(ticketCharacter)
        guard !characters.isEmpty, characters.count <= 8 else { return nil }
        return String(characters)
    }

    /// True once the text looks like the start of a URL (so its letters are not typed into the entry).
    static func looksLikeURL(_ text: String) -> Bool {
        text.contains(":") || text.contains("/")
    }

    /// An upper-case ASCII letter or digit, or `nil`.
    static func ticketCharacter(_ character: Character) -> Character? {
        guard character.isASCII, character.isLetter || character.isNumber else { return nil }
        return Character(character.uppercased())
    }
}
