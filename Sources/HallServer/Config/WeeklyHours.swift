import Foundation
import HallAPI

/// Opening hours per weekday as written in the config: `"08:30-12:00"` strings.
public struct WeeklyHours: Codable, Sendable {
    public var everyDay: [String]?
    public var monday: [String]?
    public var tuesday: [String]?
    public var wednesday: [String]?
    public var thursday: [String]?
    public var friday: [String]?
    public var saturday: [String]?
    public var sunday: [String]?

    public init(everyDay: [String]? = nil) { self.everyDay = everyDay }

    /// The raw spans for a weekday (1 = Sunday … 7 = Saturday, as `Calendar` counts).
    func spans(forWeekday weekday: Int) -> [String]? {
        let day: [String]? = switch weekday {
        case 1: sunday
        case 2: monday
        case 3: tuesday
        case 4: wednesday
        case 5: thursday
        case 6: friday
        default: saturday
        }
        return day ?? everyDay
    }

    static let weekdayKeys = ["sunday", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday"]
}

/// One session in minutes since local midnight: `[start, end)`.
public struct SessionSpan: Hashable, Sendable {
    public var start: Int
    public var end: Int

    /// Parses `"08:30-12:00"`; `24:00` is allowed as an end. Throws a sentence naming the problem.
    static func parse(_ text: String) throws(ConfigProblem) -> SessionSpan {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: .whitespaces) }
        guard parts.count == 2, let start = minutes(parts[0]), let end = minutes(parts[1]) else {
            throw ConfigProblem("'\(text)' is not a session like \"08:30-12:00\"")
        }
        guard start < end else { throw ConfigProblem("session '\(text)' ends before it starts") }
        return SessionSpan(start: start, end: end)
    }

    private static func minutes(_ s: String) -> Int? {
        let hm = s.split(separator: ":")
        guard hm.count == 2, hm[0].count <= 2, hm[1].count == 2, let h = Int(hm[0]), let m = Int(hm[1]),
              (0...24).contains(h), (0..<60).contains(m), h * 60 + m <= 1440 else { return nil }
        return h * 60 + m
    }

    static func format(_ minute: Int) -> String {
        let h = minute / 60, m = minute % 60
        return (h < 10 ? "0" : "") + String(h) + ":" + (m < 10 ? "0" : "") + String(m)
    }

    var opening: OpeningSession { OpeningSession(start: Self.format(start), end: Self.format(end)) }
}

/// Validated weekly hours: sessions per weekday (index 1…7), sorted and not overlapping.
public struct WeeklySchedule: Sendable {
    var days: [[SessionSpan]]

    static func make(_ hours: WeeklyHours, key: String) throws(ConfigProblem) -> WeeklySchedule {
        var days = Array(repeating: [SessionSpan](), count: 8)
        for weekday in 1...7 {
            let name = WeeklyHours.weekdayKeys[weekday - 1]
            guard let raw = hours.spans(forWeekday: weekday) else { continue }
            var spans: [SessionSpan] = []
            for (i, text) in raw.enumerated() {
                do { spans.append(try SessionSpan.parse(text)) } catch {
                    throw ConfigProblem("\(key).\(hours.spans(forWeekday: weekday) == hours.everyDay ? "everyDay" : name)[\(i)]: \(error.message)")
                }
            }
            spans.sort { $0.start < $1.start }
            for (a, b) in zip(spans, spans.dropFirst()) where b.start < a.end {
                throw ConfigProblem("\(key).\(name): sessions \(a.opening.start)-\(a.opening.end) and \(b.opening.start)-\(b.opening.end) overlap")
            }
            days[weekday] = spans
        }
        return WeeklySchedule(days: days)
    }

    func sessions(weekday: Int) -> [SessionSpan] { days[weekday] }
}

/// A problem found in the config: a sentence naming the key and what is wrong.
public struct ConfigProblem: Error, CustomStringConvertible, Sendable {
    public var message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}

/// A number in the config that may be written as `12` or `12.5`.
public struct ConfigNumber: Codable, Sendable, Hashable, ExpressibleByFloatLiteral, ExpressibleByIntegerLiteral {
    public var value: Double

    public init(_ value: Double) { self.value = value }
    public init(floatLiteral value: Double) { self.value = value }
    public init(integerLiteral value: Int) { self.value = Double(value) }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.singleValueContainer()
        if let d = try? c.decode(Double.self) {
            value = d
        } else if let i = try? c.decode(Int.self) {
            value = Double(i)
        } else {
            throw DecodingError.typeMismatch(Double.self, .init(codingPath: decoder.codingPath, debugDescription: "expected a number"))
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.singleValueContainer()
        try c.encode(value)
    }
}
