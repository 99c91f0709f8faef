import HallAPI

/// The person whose ID card lies on the reader, as the kiosk's core holds them for one card flow: the ID number (for
/// the moment of the lookup, check-in or ticket request) and the masked name for their own screen. Nothing else of
/// the card reaches the core (no clear name, address, photo).
///
/// It lives only inside the check-in screen and the request effects; when the flow ends (完成, idle timeout, the
/// ticket shown, another card) the screen is replaced and the number is gone. It is deliberately not `Codable`, and
/// `print`, interpolation, `dump` and a debugger show only the masked number: nothing can write it by accident.
public struct CardHolder: Hashable, Sendable, CustomStringConvertible, CustomDebugStringConvertible, CustomReflectable {
    /// The ID number in clear (upper-case). Read it only to put it in a request body to the hall server.
    public let idNumber: String
    /// The name masked (`张*`), for the card holder's own screen.
    public let maskedName: String

    /// - Parameters:
    ///   - idNumber: the card's number in clear.
    ///   - maskedName: the name already masked by the reader adapter (never the clear name).
    public init(idNumber: String, maskedName: String) {
        self.idNumber = idNumber.uppercased()
        self.maskedName = maskedName
    }

    /// `4301**********1234`.
    public var maskedIdNumber: String { PersonalDataMask.idNumber(idNumber) }

    public var description: String { "CardHolder(\(maskedIdNumber) \(maskedName))" }
    public var debugDescription: String { description }
    public var customMirror: Mirror {
        Mirror(self, children: ["idNumber": maskedIdNumber, "maskedName": maskedName], displayStyle: .struct)
    }
}
