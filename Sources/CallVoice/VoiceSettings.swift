import Foundation

/// How a calling display speaks, checked. Built from the `[voice]` table by `make(_:)`; see `VoiceConfig` for the keys.
public struct VoiceSettings: Sendable, Equatable {
    /// How the digits of a ticket number are read.
    public enum NumberReading: String, Sendable, Equatable, CaseIterable {
        /// One by one: A023 → A 零 二 三 / "A zero two three" (the default: no citizen mishears 23 for 203).
        case digits
        /// As a number, leading zeros dropped: A023 → A 二十三 / "A twenty three" (up to 9999 in Chinese, 999 in English).
        case number
    }

    public var enabled = true
    /// 1…100 % of full scale.
    public var volume = 80
    public var zhTemplate = VoiceTemplate.defaultChinese
    /// How often the Chinese sentence is said, 1…5.
    public var zhRepeats = 2
    /// Whether the English sentence follows the Chinese ones (once).
    public var english = false
    public var enTemplate = VoiceTemplate.defaultEnglish
    public var readNumber = NumberReading.digits
    public var chime = true
    /// When nothing is said; nil: never quiet.
    public var quietHours: QuietHours?
    /// Silence between the repeats and before the English sentence, in milliseconds.
    public var repeatPauseMs = 800
    /// The voice pack folder; nil: the program's default pack.
    public var packPath: String?
    /// A call the display learns of later than this after it was made (after a reconnect) is shown but not spoken.
    public var staleAfterSeconds: Double = 60

    /// The defaults (every key absent).
    public init() {}

    /// Checks `config` (nil: no `[voice]` table, every default). Throws a `VoiceSettingsError` naming the key, the bad
    /// value and the fix.
    public static func make(_ config: VoiceConfig?) throws(VoiceSettingsError) -> VoiceSettings {
        var s = VoiceSettings()
        guard let c = config else { return s }
        s.enabled = c.enabled ?? true
        if let volume = c.volume {
            guard (1...100).contains(volume) else {
                throw VoiceSettingsError(key: "volume", "\(volume) is outside 1…100 %; to silence the display set enabled = false")
            }
            s.volume = volume
        }
        if let text = c.zhTemplate { s.zhTemplate = try VoiceTemplate.parse(text, key: "zhTemplate") }
        if let repeats = c.zhRepeats {
            guard (1...5).contains(repeats) else {
                throw VoiceSettingsError(key: "zhRepeats", "\(repeats) is outside 1…5 (how often the Chinese sentence is said; default 2)")
            }
            s.zhRepeats = repeats
        }
        s.english = c.english ?? false
        if let text = c.enTemplate { s.enTemplate = try VoiceTemplate.parse(text, key: "enTemplate") }
        if let reading = c.readNumber {
            guard let value = NumberReading(rawValue: reading) else {
                throw VoiceSettingsError(key: "readNumber", "'\(reading)' must be \"digits\" (A023 → A 零 二 三) or \"number\" (A023 → A 二十三)")
            }
            s.readNumber = value
        }
        s.chime = c.chime ?? true
        if let text = c.quietHours {
            guard let hours = QuietHours(text) else {
                throw VoiceSettingsError(key: "quietHours", "'\(text)' is not HH:MM-HH:MM with two different times, e.g. \"22:00-07:00\"; remove the key to speak at any hour")
            }
            s.quietHours = hours
        }
        if let pause = c.repeatPauseMs {
            guard (0...5_000).contains(pause) else {
                throw VoiceSettingsError(key: "repeatPauseMs", "\(pause) is outside 0…5000 ms (default 800)")
            }
            s.repeatPauseMs = pause
        }
        if let pack = c.pack {
            guard !pack.trimmingCharacters(in: .whitespaces).isEmpty else {
                throw VoiceSettingsError(key: "pack", "is empty; name the voice pack folder or remove the key for the default pack")
            }
            s.packPath = pack
        }
        return s
    }
}

/// A `[voice]` value that cannot be used: `key` (without the `voice.` prefix) and what is wrong with it and how to fix it.
public struct VoiceSettingsError: Error, Equatable, CustomStringConvertible {
    public let key: String
    public let problem: String

    public init(key: String, _ problem: String) {
        self.key = key
        self.problem = problem
    }

    /// "voice.volume: 0 is outside 1…100 % …"
    public var description: String { "voice.\(key): \(problem)" }
}
