import Foundation
import HallAPI
import HallSecrets
import IDCardReader

/// An ID number turned into what the server may keep: its person keys and its masked form. The number itself is
/// dropped here; nothing built from it but these leaves this type.
struct CardHolder: Sendable {
    /// The key under the current identity key (stored on new rows).
    var personKey: String
    /// The keys under every key of the ring, current first (lookups).
    var personKeys: [String]
    /// `4301**********1234`.
    var maskedId: String
}

extension HallDesk {
    /// Checks an ID number (GB 11643 → 422 `invalidIDNumber`; the message never quotes it) and keys it with the
    /// identity ring (none → 503 `identityUnavailable`).
    func cardHolder(_ idNumber: String) throws -> CardHolder {
        let number = idNumber.trimmingCharacters(in: .whitespaces).uppercased()
        if let problem = number.unicodeScalars.count > 40 ? "the ID number is far longer than 18 characters" : GB11643.problem(in: number) {
            throw HallError(.invalidIDNumber, "\(problem); read the card again or type the 18-character number")
        }
        let ring = try identity.current()
        return CardHolder(personKey: ring.personKey(number), personKeys: ring.allPersonKeys(number),
                          maskedId: PersonalDataMask.idNumber(number))
    }
}
