import CallVoice
import Foundation
import HallAPI
import KioskSDL
import Logging

/// A calling display's voice: the announcer over the voice pack and SDL audio. Calls go in as the board's live calls;
/// `onSaying` hears which call is being said (the screen features it), nil when the voice falls silent.
final class DisplayVoice: @unchecked Sendable {
    let settings: VoiceSettings
    private let announcer: Announcer
    private let speaker: AnnouncementSpeaker
    private let logger: Logger
    /// The hall time zone last offered (each is tried, and an unknown one reported, once).
    private var triedTimeZone: String?

    private init(settings: VoiceSettings, announcer: Announcer, speaker: AnnouncementSpeaker, logger: Logger) {
        self.settings = settings
        self.announcer = announcer
        self.speaker = speaker
        self.logger = logger
    }

    /// The voice `settings` describe, or nil when it is off. A missing or broken pack is logged with the files and the
    /// fix; the display then shows the calls and says what it can (never a wrong number).
    static func make(settings: VoiceSettings, logger: Logger, onSaying: @escaping @Sendable (Announcement?) -> Void) -> DisplayVoice? {
        guard settings.enabled else {
            logger.info("voice off ([voice] enabled = false): calls are shown, not said")
            return nil
        }
        let located = VoicePackLocator.locate(configured: settings.packPath)
        guard let path = located.path else {
            let message = "voice: no voice pack found (looked in \(located.searched.joined(separator: ", "))); calls are shown, not said. "
                + "Fix: set [voice] pack to the pack folder, or reinstall (kiosk/install puts Assets/voice/default in share/hallkiosk)"
            logger.error("\(message)")
            return nil
        }
        // Only the clips these settings can say are kept in memory (no English words when English is off).
        let pack = VoicePack.load(directory: path, only: Set(VoicePack.neededClips(settings)))
        let problems = VoicePack.missingFolderProblem(path).map { [$0] } ?? pack.problems(for: settings)
        for problem in problems { logger.warning("voice pack \(path): \(problem)") }
        let speaker = AnnouncementSpeaker { problem in logger.warning("\(problem)") }
        // China's time until the board names the hall's own zone (`useHallTimeZone`).
        let timeZone = TimeZone(identifier: "Asia/Shanghai") ?? .current
        let announcer = Announcer(settings: settings, pack: pack, player: speaker, timeZone: timeZone,
                                  log: { logger.warning("\($0)") }, observer: onSaying)
        logger.info("voice on", metadata: ["voice.pack": "\(path)", "audio.driver": "\(speaker.driver)",
                                           "voice.quietHours": "\(settings.quietHours?.description ?? "none")"])
        return DisplayVoice(settings: settings, announcer: announcer, speaker: speaker, logger: logger)
    }

    /// Says a live call (the announcer keeps call order and merges a recall still waiting).
    func say(_ call: BoardCall) {
        let words = call.windowNumber ?? call.windowName.zh
        announcer.enqueue(Announcement(sequence: Int(call.eventId), ticketNumber: call.number, window: words,
                                       isRecall: call.isRecall, calledAt: call.at))
    }

    /// Whether the voice can say a call at `date`: audio works and it is not quiet hours.
    func canSpeak(at date: Date) -> Bool {
        guard speaker.driver != "none" else { return false }
        guard let quiet = settings.quietHours else { return true }
        return !quiet.contains(date, timeZone: announcer.timeZone)
    }

    /// Reads the quiet hours in the hall's time zone (`HallBoard.timezone`, an IANA name) from now on.
    func useHallTimeZone(_ identifier: String) {
        guard identifier != triedTimeZone else { return }
        triedTimeZone = identifier
        guard let zone = TimeZone(identifier: identifier) else {
            logger.warning("voice: the hall's time zone '\(identifier)' is unknown here; quiet hours stay in \(announcer.timeZone.identifier)")
            return
        }
        announcer.useTimeZone(zone)
    }
}
