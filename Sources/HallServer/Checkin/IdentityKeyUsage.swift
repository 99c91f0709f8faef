import Foundation
import HallAPI

/// Whether an identity key may be retired (`hallserver identity retire`): not while stored rows still need it.
public enum IdentityKeyRetirement {
    /// Why key `keyId` cannot be retired yet (how many rows need it and until when), or nil when it can.
    public static func refusal(keyId: String, store: any HallStore, hall: Hall, now: Date) async throws -> String? {
        let clock = HallClock(timeZone: hall.timeZone)
        let today = clock.moment(now).day
        let banWindow = Double(hall.appointments.noShowWindowDays) * 86_400
        let usage = try await store.personKeyUsage(keyId: keyId, fromHallDay: today, noShowsEndingAfter: now.addingTimeInterval(-banWindow))
        guard !usage.isEmpty else { return nil }
        var parts: [String] = []
        if usage.tickets > 0 {
            parts.append("\(usage.tickets) ticket(s) of today or still waiting (they stop needing it after hall day \(usage.lastTicketDay ?? today))")
        }
        if usage.appointments > 0, let end = usage.lastSlotEnd {
            let until = end.addingTimeInterval(banWindow)
            parts.append("\(usage.appointments) appointment(s) booked or counted for no-show bans (until "
                + "\(RFC3339.format(until, in: hall.timeZone)))")
        }
        return "key \(keyId) is still needed by " + parts.joined(separator: " and ")
            + "; keep it in the file until then (rotation already makes new rows with the current key)"
    }
}
