/// The one-time booking code of an appointment (what its QR holds, what a citizen may type on the keypad): 10
/// characters of an alphabet without look-alikes (no 0/O, 1/I/L), ≈ 49.5 bits, random, PII-free.
enum BookingCode {
    static let alphabet = Array("23456789ABCDEFGHJKMNPQRSTUVWXYZ")
    static let length = 10

    /// A fresh code from `random`'s bytes (rejection sampling: every character equally likely).
    static func make(_ random: any RandomSource) -> String {
        var out = ""
        while out.count < length {
            for byte in random.bytes(16) where out.count < length && Int(byte) < alphabet.count * (256 / alphabet.count) {
                out.append(alphabet[Int(byte) % alphabet.count])
            }
        }
        return out
    }

    /// A typed or scanned code, normalised (upper case, spaces and dashes dropped); nil when it cannot be one.
    static func normalize(_ text: String) -> String? {
        let cleaned = text.uppercased().filter { $0 != " " && $0 != "-" }
        guard cleaned.count == length, cleaned.allSatisfy(alphabet.contains) else { return nil }
        return cleaned
    }
}
