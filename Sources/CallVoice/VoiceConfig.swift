/// The `[voice]` table of a calling display's config, as written (every key optional; `VoiceSettings.make` checks
/// it and fills the defaults). Keys and defaults:
///
/// ```toml
/// [voice]
/// enabled = true                                   # false: the display shows calls and says nothing
/// volume = 80                                      # 1…100 %
/// zhTemplate = "请 {number} 号 到 {window} 号窗口 办理"
/// zhRepeats = 2                                    # the Chinese sentence, 1…5 times
/// english = false                                  # true: once in English after the Chinese
/// enTemplate = "Number {number}, please go to window {window}"
/// readNumber = "digits"                            # digits: A023 → A 零 二 三; number: A023 → A 二十三
/// chime = true                                     # a two-tone chime before the words
/// quietHours = "22:00-07:00"                       # absent: never quiet
/// repeatPauseMs = 800                              # silence between the repeats (and before English)
/// pack = "/usr/share/hallkiosk/voice"              # the voice pack folder; absent: the program's default pack
/// ```
public struct VoiceConfig: Codable, Sendable, Equatable {
    public var enabled: Bool?
    public var volume: Int?
    public var zhTemplate: String?
    public var zhRepeats: Int?
    public var english: Bool?
    public var enTemplate: String?
    public var readNumber: String?
    public var chime: Bool?
    public var quietHours: String?
    public var repeatPauseMs: Int?
    public var pack: String?

    public init(enabled: Bool? = nil, volume: Int? = nil, zhTemplate: String? = nil, zhRepeats: Int? = nil,
                english: Bool? = nil, enTemplate: String? = nil, readNumber: String? = nil, chime: Bool? = nil,
                quietHours: String? = nil, repeatPauseMs: Int? = nil, pack: String? = nil) {
        self.enabled = enabled
        self.volume = volume
        self.zhTemplate = zhTemplate
        self.zhRepeats = zhRepeats
        self.english = english
        self.enTemplate = enTemplate
        self.readNumber = readNumber
        self.chime = chime
        self.quietHours = quietHours
        self.repeatPauseMs = repeatPauseMs
        self.pack = pack
    }
}
