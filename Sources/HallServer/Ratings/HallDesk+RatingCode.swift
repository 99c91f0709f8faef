import Foundation
import HallAPI

extension HallDesk {
    /// Checks the rating code a ticket kiosk sent for ticket `ticket` (typed number + code): the citizen must hold
    /// the ticket. Wrong codes count against the device; too many answer 429 `tooManyWrongCodes` until the device
    /// has waited (see `WrongCodeLimiter`).
    func checkRatingCode(_ code: String?, ticket: StoredTicket, deviceId: String) throws {
        let now = self.now
        try refuseIfTooManyWrongCodes(deviceId: deviceId, now: now)
        guard let code, !code.isEmpty else {
            throw HallError(.ratingCodeRequired,
                            "rating ticket \(ticket.number) at a kiosk needs the 4-digit rating code printed on the ticket "
                                + "(send ratingCode with ticketId), or the ticket's QR code (send ticketToken)")
        }
        guard RatingCode.matches(code, token: ticket.token) else {
            wrongCodes.recordWrongCode(deviceId, now: now)
            logger.notice("wrong rating code", metadata: ["device.id": "\(deviceId)", "ticket.number": "\(ticket.number)"])
            throw HallError(.wrongRatingCode,
                            "'\(InputLength.quote(code, maxScalars: 8))' is not the rating code of ticket \(ticket.number); check the 4 digits next to the number on the ticket")
        }
    }

    /// 429 `tooManyWrongCodes` while `deviceId` has used up its wrong rating codes.
    func refuseIfTooManyWrongCodes(deviceId: String, now: Date) throws {
        if let wait = wrongCodes.lockedFor(deviceId, now: now) {
            let seconds = max(1, Int(wait.rounded(.up)))
            throw HallError(.tooManyWrongCodes,
                            "too many wrong rating codes from device '\(deviceId)'; try again in \(seconds) s or scan the ticket's QR code",
                            retryAfterSeconds: seconds)
        }
    }
}
