/// What an announcement says, as voice-pack clips: the chime, the Chinese sentence (repeated), the English one.
/// A recall says the same words as the first call: the citizen who missed it needs the same sentence, and the
/// screen marks it 重呼.
public struct AnnouncementScript: Sendable, Equatable {
    /// One clip of a part.
    public struct Clip: Sendable, Equatable {
        /// The clip's name: its path in the voice pack without ".wav" (`chime`, `zh/qing`, `en/number`).
        public let name: String
        /// A clip of the ticket number or the window. A part missing one is not said at all: a wrong number is worse
        /// than none. A part missing another word (请, 办理) is said without it.
        public let isNumber: Bool
    }

    /// One stretch of speech: the chime, one saying of the Chinese sentence, or the English sentence.
    public struct Part: Sendable, Equatable {
        public enum Kind: String, Sendable { case chime, chinese, english }
        public let kind: Kind
        /// Silence before the part (ms); the first part has none.
        public let pauseBeforeMs: Int
        public let clips: [Clip]
    }

    /// Silence between the chime and the first words, ms.
    public static let afterChimeMs = 400

    public let parts: [Part]

    /// The script of `announcement` under `settings`.
    public init(_ announcement: Announcement, settings: VoiceSettings) {
        var parts: [Part] = []
        func add(_ kind: Part.Kind, _ clips: [Clip]) {
            let pause = parts.isEmpty ? 0 : (parts.last?.kind == .chime ? Self.afterChimeMs : settings.repeatPauseMs)
            parts.append(Part(kind: kind, pauseBeforeMs: pause, clips: clips))
        }
        if settings.chime { add(.chime, [Clip(name: "chime", isNumber: false)]) }
        let chinese = Self.clips(settings.zhTemplate, announcement, language: "zh", reading: settings.readNumber)
        for _ in 0..<settings.zhRepeats { add(.chinese, chinese) }
        if settings.english { add(.english, Self.clips(settings.enTemplate, announcement, language: "en", reading: settings.readNumber)) }
        self.parts = parts
    }

    /// Every clip name in order, e.g. `chime zh/qing zh/A zh/0 zh/2 zh/3 zh/hao …` (tests, logs).
    public var clipNames: [String] { parts.flatMap { $0.clips.map(\.name) } }

    private static func clips(_ template: VoiceTemplate, _ a: Announcement, language: String,
                              reading: VoiceSettings.NumberReading) -> [Clip] {
        template.pieces.flatMap { piece -> [Clip] in
            switch piece {
            case .text(let text):
                let words = language == "zh" ? SpokenWords.chinese(text) : SpokenWords.english(text)
                return words.map { Clip(name: $0, isNumber: false) }
            case .number:
                return SpokenWords.ticket(a.ticketNumber, language: language, reading: reading).map { Clip(name: $0, isNumber: true) }
            case .window:
                return SpokenWords.window(a.window, language: language).map { Clip(name: $0, isNumber: true) }
            }
        }
    }
}
