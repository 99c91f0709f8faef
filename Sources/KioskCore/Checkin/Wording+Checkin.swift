import Foundation
import HallAPI

extension Wording {
    /// Why a check-in or card request was refused, in plain words ("请于 09:30 后签到" with the time in the hall's zone).
    func refusal(_ refusal: CheckinRefusal, timeZone: TimeZone) -> String {
        switch refusal {
        case .tooEarly(let opensAt):
            guard let opensAt else { return self(.checkinTooEarlyNoTime) }
            return self(.checkinTooEarly, ["time": Self.clock(opensAt, in: timeZone)])
        case .tooLate: return self(.checkinTooLate)
        case .banned(let until):
            guard let until else { return self(.checkinBannedNoDate) }
            return self(.checkinBanned, ["date": date(until, in: timeZone)])
        case .dailyLimit: return self(.checkinDailyLimit)
        case .idCardRequired: return self(.checkinIdCardRequired)
        case .placeCardAgain: return self(.checkinPlaceCardAgain)
        case .cardNotAccepted: return self(.checkinCardNotAccepted)
        case .unknownBookingCode: return self(.checkinUnknownBookingCode)
        case .cancelled: return self(.checkinCancelled)
        case .missed: return self(.checkinMissed)
        case .serviceUnavailable: return self(.checkinServiceUnavailable)
        case .offline: return self(.checkinOffline)
        case .identityUnavailable: return self(.checkinIdentityUnavailable)
        case .other: return self(.checkinOther)
        }
    }

    /// The short reason on a service button the card holder cannot use (`PersonServiceState.refusal`).
    func personRefusal(_ code: String, timeZone: TimeZone) -> String {
        refusal(CheckinRefusal(apiErrorCode: code), timeZone: timeZone)
    }
}
