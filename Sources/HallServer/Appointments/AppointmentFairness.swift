import HallAPI

/// Appointments must not starve walk-ins (issue 21, docs/appointments.md "Fairness").
///
/// Appointment tickets (`PriorityKind.appointment`) are called before normal tickets of their service, like the other
/// priority lanes. But at one service, at most `AppointmentRules.appointmentsInARow` (N) appointment tickets are called
/// in a row while a walk-in waits: when call-next would call an appointment ticket at a service whose last N calls of
/// appointment and normal tickets, since its longest-waiting normal ticket was issued, were all appointments, it calls
/// that normal ticket instead. A normal call ends the row; calls of the elderly and disabled lanes neither count nor end
/// it, and those lanes keep their place ahead of both (they are few and are not starved or starving).
enum AppointmentFairness {
    /// Whether the longest-waiting walk-in of a service is owed the next call. `recentCalls`: the priorities of the
    /// service's newest calls of appointment and normal tickets (newest first, at most `limit`) made since that walk-in
    /// was issued; `limit`: the hall's `appointmentsInARow` (1…20; 0, which only the simulation uses: no limit).
    static func walkInIsOwed(recentCalls: [PriorityKind?], limit: Int) -> Bool {
        limit > 0 && recentCalls.count >= limit && recentCalls.prefix(limit).allSatisfy { $0 == .appointment }
    }
}
