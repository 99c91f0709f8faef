import Foundation
import HallAPI

/// One bookable time slot of a service on a hall day (the hall's own booking page).
public struct BookingSlot: Sendable, Hashable {
    /// The hall day, `YYYY-MM-DD`.
    public var day: String
    /// Minutes since the day's local midnight: `[startMinute, endMinute)`.
    public var startMinute: Int
    public var endMinute: Int
    public var start: Date
    public var end: Date
    /// Bookings the slot takes (the service's `appointmentCapacity`).
    public var capacity: Int

    /// `09:00-09:30`.
    public var label: String { SessionSpan.format(startMinute) + "-" + SessionSpan.format(endMinute) }
}

/// The hall's booking calendar, pure (no clock, no storage): which days citizens may book, the slots of a service on a
/// day, the cancel deadline. Everything in the hall's time zone.
///
/// - A **working day** is a day the hall is open by its own hours (`[hall.hours]`): not in `hall.closedDates`, and a
///   make-up workday (`hall.workDates`) counts with Monday's hours. A hall open on Saturdays counts them.
/// - The **horizon** is the first `horizonWorkingDays` working days from tomorrow (today is never bookable).
/// - A service's **slots** cut each of its sessions that day into `slotMinutes` pieces from the session's start; a tail
///   shorter than a slot is not offered. A service with `appointmentCapacity` 0 has none.
public struct BookingCalendar: Sendable {
    public let hall: Hall
    private let calendar: Calendar

    public init(hall: Hall) {
        self.hall = hall
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = hall.timeZone
        self.calendar = calendar
    }

    private var clock: HallClock { HallClock(timeZone: hall.timeZone) }

    /// The weekday (1 = Sunday … 7 = Saturday) whose hours `day` has: Monday for a make-up workday; nil for a closed
    /// date or a day that is not `YYYY-MM-DD`.
    func hoursWeekday(_ day: String) -> Int? {
        guard !hall.closedDates.contains(day), HallClock.isValidDay(day), let midnight = clock.startOfDay(day) else { return nil }
        return hall.workDates.contains(day) ? 2 : calendar.component(.weekday, from: midnight)
    }

    /// Whether the hall is open on `day` by its hours.
    public func isWorkingDay(_ day: String) -> Bool {
        guard let weekday = hoursWeekday(day) else { return false }
        return !hall.schedule.sessions(weekday: weekday).isEmpty
    }

    /// The days citizens may book at `now`: the first `horizonWorkingDays` working days after today. Stops looking after
    /// a year (a hall closed that long has no bookable days).
    public func bookableDays(now: Date) -> [String] {
        var days: [String] = []
        var day = clock.moment(now).day
        for _ in 0..<366 where days.count < hall.appointments.horizonWorkingDays {
            guard let next = clock.nextDay(day) else { break }
            day = next
            if isWorkingDay(day) { days.append(day) }
        }
        return days
    }

    /// The bookable slots of `service` on `day` (any day; `bookableDays` says which days may be booked now).
    public func slots(of service: Hall.Service, on day: String) -> [BookingSlot] {
        let capacity = service.personRules.appointmentCapacity
        guard capacity > 0, let weekday = hoursWeekday(day), let parts = Self.dayParts(day) else { return [] }
        let length = hall.appointments.slotMinutes
        var slots: [BookingSlot] = []
        for session in service.schedule.sessions(weekday: weekday) {
            var start = session.start
            while start + length <= session.end {
                guard let from = instant(parts, start), let to = instant(parts, start + length) else { break }
                slots.append(BookingSlot(day: day, startMinute: start, endMinute: start + length, start: from, end: to, capacity: capacity))
                start += length
            }
        }
        return slots
    }

    /// The slot of `service` that starts at `start`, if it is one of its slots that day.
    public func slot(of service: Hall.Service, startingAt start: Date) -> BookingSlot? {
        slots(of: service, on: clock.moment(start).day).first { $0.start == start }
    }

    /// Until when a booking of a slot starting at `slotStart` can be cancelled.
    public func cancelDeadline(slotStart: Date) -> Date {
        slotStart.addingTimeInterval(-hall.appointments.cancelBeforeSeconds)
    }

    /// Whether a booking of a slot starting at `slotStart` can still be cancelled at `now`.
    public func canCancel(slotStart: Date, now: Date) -> Bool {
        now <= cancelDeadline(slotStart: slotStart)
    }

    private static func dayParts(_ day: String) -> (Int, Int, Int)? {
        let p = day.split(separator: "-").compactMap { Int($0) }
        return p.count == 3 ? (p[0], p[1], p[2]) : nil
    }

    /// The instant of `minute` minutes after midnight on the day, on the wall clock (a 24:00 end is the next midnight).
    private func instant(_ parts: (Int, Int, Int), _ minute: Int) -> Date? {
        guard let midnight = calendar.date(from: DateComponents(year: parts.0, month: parts.1, day: parts.2)) else { return nil }
        if minute == 1440 { return calendar.date(byAdding: .day, value: 1, to: midnight) }
        return calendar.date(from: DateComponents(year: parts.0, month: parts.1, day: parts.2, hour: minute / 60, minute: minute % 60))
    }
}
