import Foundation

/// A daily span of local time in which the display says nothing, e.g. 22:00-07:00 (across midnight) or 12:00-13:30.
public struct QuietHours: Sendable, Equatable, CustomStringConvertible {
    /// Minutes after local midnight; `start` is inside the span, `end` is not.
    public let start: Int
    public let end: Int

    /// Parses "HH:MM-HH:MM" (spaces allowed around the dash); nil when malformed or when both times are equal.
    public init?(_ text: String) {
        let halves = text.split(separator: "-", omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: .whitespaces) }
        guard halves.count == 2, let start = Self.minutes(halves[0]), let end = Self.minutes(halves[1]), start != end else { return nil }
        self.start = start
        self.end = end
    }

    /// Whether `date` falls in the span, read as local time in `timeZone`.
    public func contains(_ date: Date, timeZone: TimeZone) -> Bool {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        let parts = calendar.dateComponents([.hour, .minute], from: date)
        let minute = (parts.hour ?? 0) * 60 + (parts.minute ?? 0)
        return start < end ? (start..<end).contains(minute) : (minute >= start || minute < end)
    }

    public var description: String { String(format: "%02d:%02d-%02d:%02d", start / 60, start % 60, end / 60, end % 60) }

    private static func minutes(_ text: String) -> Int? {
        let parts = text.split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count == 2, parts.allSatisfy({ (1...2).contains($0.count) && $0.allSatisfy(\.isASCII) }),
              let hour = Int(parts[0]), let minute = Int(parts[1]), (0...23).contains(hour), (0...59).contains(minute) else { return nil }
        return hour * 60 + minute
    }
}
