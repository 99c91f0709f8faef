import HallAPI

/// What citizens type for a ticket number, read as the hall writes it: full-width letters and digits (Ａ３) become
/// ASCII, lower case becomes upper case, spaces go, and a number shorter than its service's digits gets its zeros
/// back (`a3` → `A003` when service A numbers with 3 digits). Pure.
enum TicketNumberInput {
    /// The typed text as a ticket number of this hall; nil when it holds anything but letters and digits.
    static func normalize(_ typed: String, services: [Hall.Service]) -> String? {
        var folded = ""
        for scalar in typed.unicodeScalars {
            switch scalar.value {
            case 0x20, 0x3000, 0x09: continue
            case 0xFF10...0xFF19, 0xFF21...0xFF3A, 0xFF41...0xFF5A:
                folded.unicodeScalars.append(Unicode.Scalar(scalar.value - 0xFEE0)!)
            default:
                folded.unicodeScalars.append(scalar)
            }
        }
        let upper = folded.uppercased()
        guard !upper.isEmpty, upper.unicodeScalars.allSatisfy({ ("A"..."Z").contains($0) || ("0"..."9").contains($0) })
        else { return nil }
        let letters = String(upper.prefix { $0.isLetter })
        let digits = String(upper.dropFirst(letters.count))
        guard !letters.isEmpty, !digits.isEmpty, digits.allSatisfy(\.isNumber),
              let service = services.first(where: { $0.prefix == letters }), digits.count < service.digits
        else { return upper }
        return letters + String(repeating: "0", count: service.digits - digits.count) + digits
    }
}
