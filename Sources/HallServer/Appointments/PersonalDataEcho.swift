import Foundation
import HallAPI

/// Keeps personal data out of what the hall says about an appointment it refused: a platform push answered 422, a
/// CSV row reported by line (on the admin page and by `hallserver appointments import`). A message may quote what was
/// sent where a service id or a column name belongs — unless that is the citizen's ID number, name or phone (a
/// column slipped, a field filled in the wrong box) or looks like an ID card or phone number at all.
enum PersonalDataEcho {
    /// Whether `value` may be quoted in a message: only when it is written as an id is (1–64 ASCII letters, digits,
    /// '-' or '_', like every service id and column name) and has no 7 digits in a row. A name (Chinese characters,
    /// or words with spaces), a phone (`+86 …`) or an ID number written where an id belongs is not repeated.
    static func mayQuote(_ value: String) -> Bool {
        guard (1...64).contains(value.unicodeScalars.count),
              value.unicodeScalars.allSatisfy({ $0.isASCII && (CharacterSet.alphanumerics.contains($0) || $0 == "-" || $0 == "_") })
        else { return false }
        var run = 0
        for c in value {
            run = c.isNumber ? run + 1 : 0
            if run >= 7 { return false }
        }
        return true
    }

    /// `'value'` when it may be quoted, else a note saying why it is not.
    static func quote(_ value: String) -> String {
        mayQuote(value) ? "'\(value)'"
            : "(not repeated here: it is not written as an id — 1–64 letters, digits, '-' or '_' — and may be a name, phone or ID number)"
    }
}

extension AppointmentPush {
    /// The forms this push's personal data may take in text: the ID number (as sent, upper and lower case, its first
    /// 17 characters), the name, the phone as sent, its digits and its number without +86.
    var personalValues: [String] {
        var out: [String] = []
        let id = idNumber.trimmingCharacters(in: .whitespaces)
        if id.count >= 7 { out += [id, id.uppercased(), id.lowercased(), String(id.prefix(17))] }
        let name = name.trimmingCharacters(in: .whitespaces)
        if name.count >= 2 { out.append(name) }
        if let phone = phone?.trimmingCharacters(in: .whitespaces) {
            let digits = phone.filter(\.isNumber)
            if digits.count >= 7 {
                out += [phone, digits]
                if digits.hasPrefix("86"), digits.count == 13 { out.append(String(digits.dropFirst(2))) }
            }
        }
        return out.sorted { $0.count > $1.count }
    }

    /// `text` with each of this push's personal values replaced by `…`.
    func redacting(_ text: String) -> String {
        personalValues.reduce(text) { $0.replacingOccurrences(of: $1, with: "…") }
    }

    /// Whether `value` (an id sent beside the personal fields) holds this push's ID number or phone, in any case or
    /// spacing. (Not the name: a short name may well be part of an honest id; messages redact it instead.)
    func holdsPersonalData(_ value: String) -> Bool {
        let digits = value.filter(\.isNumber)
        let upper = value.uppercased()
        let id = idNumber.trimmingCharacters(in: .whitespaces).uppercased()
        if id.count >= 7, upper.contains(id) || digits.contains(String(id.prefix(17))) { return true }
        let phoneDigits = (phone ?? "").filter(\.isNumber)
        guard phoneDigits.count >= 7 else { return false }
        let national = phoneDigits.hasPrefix("86") && phoneDigits.count == 13 ? String(phoneDigits.dropFirst(2)) : phoneDigits
        return digits.contains(national)
    }
}
