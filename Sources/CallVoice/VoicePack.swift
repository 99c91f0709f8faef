import Foundation

/// A voice pack: one WAV clip per word, in a folder (see kiosk/voice/README.md):
/// `chime.wav`, `zh/qing.wav` (请), `zh/0.wav` … `zh/9.wav`, `zh/A.wav` …, `en/number.wav`, `en/please-go-to-window.wav` ….
/// Loaded once into memory at `sampleRate` (clips at other rates are resampled); a file that cannot be read is kept
/// as a problem naming it, and the announcements needing it are said without it (see `render`).
public struct VoicePack: Sendable {
    /// The rate every clip is converted to and announcements are played at (espeak-ng's own rate).
    public static let sampleRate = 22_050
    /// Silence between two words of a sentence, ms.
    public static let wordGapMs = 50
    /// Silence after an announcement, before the next one's chime, ms.
    public static let afterAnnouncementMs = 700

    /// The folder.
    public let directory: String
    /// Clip name (path without ".wav") → samples at `sampleRate`.
    public let clips: [String: [Int16]]
    /// Clip name → why its file could not be read.
    public let broken: [String: String]

    /// The samples of an announcement, and what of it could not be said.
    public struct Rendering: Sendable {
        public let samples: [Int16]
        /// Clip names with no usable file.
        public let missingClips: [String]
        /// Parts not said because a clip of the number or window was missing ("chinese", "english").
        public let skippedParts: [String]
    }

    /// Loads every `*.wav` under `directory` (one level of language folders), or only the clips named in `only`
    /// (a display loads what its settings can say: `neededClips`). Never fails: a missing folder is an empty pack
    /// (`check` says so), a broken file is listed in `broken`.
    public static func load(directory: String, only: Set<String>? = nil) -> VoicePack {
        var clips: [String: [Int16]] = [:]
        var broken: [String: String] = [:]
        for name in clipFiles(in: directory) where only?.contains(name) ?? true {
            let path = directory + "/" + name + ".wav"
            guard let data = FileManager.default.contents(atPath: path) else {
                broken[name] = "cannot be read (permissions?)"
                continue
            }
            do {
                let sound = try WAVFile.read(data)
                guard !sound.samples.isEmpty else {
                    broken[name] = "holds no sound"
                    continue
                }
                clips[name] = Resampler.resample(sound.samples, from: sound.sampleRate, to: sampleRate)
            } catch {
                broken[name] = error.description
            }
        }
        return VoicePack(directory: directory, clips: clips, broken: broken)
    }

    /// The announcement `script` as samples at `volume` (1…100 %): the parts with their pauses, the words of a part
    /// `wordGapMs` apart, and `afterAnnouncementMs` of silence at the end. A part whose ticket number or window
    /// cannot be said in full is left out (never a wrong number); another missing word is left out of its part.
    public func render(_ script: AnnouncementScript, volume: Int) -> Rendering {
        let percent = Int32(max(0, min(100, volume)))
        var out: [Int16] = []
        out.reserveCapacity(Self.sampleRate * 20)
        var missing: [String] = []
        var skipped: [String] = []
        var lastSaid: AnnouncementScript.Part.Kind?
        for part in script.parts {
            let absent = part.clips.filter { clips[$0.name] == nil }
            for clip in absent where !missing.contains(clip.name) { missing.append(clip.name) }
            if absent.contains(where: \.isNumber) {
                skipped.append(part.kind.rawValue)
                continue
            }
            let present = part.clips.compactMap { clips[$0.name] }
            guard !present.isEmpty else { continue }
            if let lastSaid { out += silence(ms: lastSaid == .chime ? AnnouncementScript.afterChimeMs : part.pauseBeforeMs) }
            lastSaid = part.kind
            for (index, clip) in present.enumerated() {
                if index > 0 { out += silence(ms: Self.wordGapMs) }
                out += percent == 100 ? clip : clip.map { Int16(truncatingIfNeeded: (Int32($0) * percent) / 100) }
            }
        }
        if !out.isEmpty { out += silence(ms: Self.afterAnnouncementMs) }
        return Rendering(samples: out, missingClips: missing, skippedParts: skipped)
    }

    /// The clips `settings` can need: the chime, the words of the templates, the digits and letters, the number words.
    public static func neededClips(_ settings: VoiceSettings) -> [String] {
        var names: [String] = settings.chime ? ["chime"] : []
        func add(_ more: [String]) { for n in more where !names.contains(n) { names.append(n) } }
        let letters = (UInt8(ascii: "A")...UInt8(ascii: "Z")).map { String(UnicodeScalar($0)) }
        for case .text(let text) in settings.zhTemplate.pieces { add(SpokenWords.chinese(text)) }
        add((0...9).map { "zh/\($0)" } + ["zh/shi", "zh/bai", "zh/qian"] + letters.map { "zh/\($0)" })
        if settings.english {
            for case .text(let text) in settings.enTemplate.pieces { add(SpokenWords.english(text)) }
            add((0...19).map { "en/\($0)" } + stride(from: 20, through: 90, by: 10).map { "en/\($0)" } + ["en/hundred"]
                + letters.map { "en/\($0)" })
        }
        return names
    }

    /// What is wrong with the pack in `directory` for `settings`, one sentence per problem naming the file and the
    /// fix; empty when every clip the settings can need is there and readable. For `hallkiosk doctor`.
    public static func check(directory: String, settings: VoiceSettings) -> [String] {
        guard let missing = missingFolderProblem(directory) else {
            return load(directory: directory, only: Set(neededClips(settings))).problems(for: settings)
        }
        return [missing]
    }

    /// The sentence for a pack folder that is not there, nil when it is.
    public static func missingFolderProblem(_ directory: String) -> String? {
        var isFolder: ObjCBool = false
        guard FileManager.default.fileExists(atPath: directory, isDirectory: &isFolder), isFolder.boolValue else {
            return "voice pack: no folder \(directory); build one with kiosk/voice/make-voice-pack --out \(directory), or set [voice] pack"
        }
        return nil
    }

    /// `check` on a loaded pack.
    public func problems(for settings: VoiceSettings) -> [String] {
        VoicePack.neededClips(settings).compactMap { name in
            if let why = broken[name] {
                return "voice pack: \(directory)/\(name).wav \(why); replace it with a 16-bit mono WAV recording"
            }
            guard clips[name] == nil else { return nil }
            return "voice pack: \(directory)/\(name).wav is missing; record it (16-bit mono WAV) or rebuild the pack with kiosk/voice/make-voice-pack --out \(directory)"
        }
    }

    /// A sentence for the log about what `rendering` of `announcement` left out; nil when everything was said.
    public func problem(_ rendering: Rendering, _ announcement: Announcement) -> String? {
        guard !rendering.missingClips.isEmpty else { return nil }
        let files = rendering.missingClips.map { "\(directory)/\($0).wav" + (broken[$0].map { " (\($0))" } ?? " (missing)") }
        let skipped = rendering.skippedParts.isEmpty ? "" : "; not said: the \(rendering.skippedParts.joined(separator: ", ")) sentence (a clip of the number or window is missing)"
        return "announcement \(announcement) said without \(files.joined(separator: ", "))\(skipped); fix: record the clip(s) or rebuild the pack with kiosk/voice/make-voice-pack"
    }

    private func silence(ms: Int) -> [Int16] { [Int16](repeating: 0, count: Self.sampleRate * ms / 1_000) }

    /// Clip names (relative paths without ".wav") of the WAV files in `directory` and its language folders.
    private static func clipFiles(in directory: String) -> [String] {
        let fm = FileManager.default
        var names: [String] = []
        for entry in (try? fm.contentsOfDirectory(atPath: directory)) ?? [] {
            var isFolder: ObjCBool = false
            _ = fm.fileExists(atPath: directory + "/" + entry, isDirectory: &isFolder)
            if isFolder.boolValue {
                for file in (try? fm.contentsOfDirectory(atPath: directory + "/" + entry)) ?? [] where file.lowercased().hasSuffix(".wav") {
                    names.append(entry + "/" + String(file.dropLast(4)))
                }
            } else if entry.lowercased().hasSuffix(".wav") {
                names.append(String(entry.dropLast(4)))
            }
        }
        return names.sorted()
    }
}
