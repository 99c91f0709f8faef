import Foundation
import HallAPI
import KioskCore
import KioskHTTP
import KioskSDL
import Logging

/// The kiosk's parts wired once from its settings: the hall server's client (with the configured request timeout and
/// CA), the printer, the rating services, the speaker, the event stream and the clock. `hallkiosk run`, `doctor`,
/// `screenshot`, `print-test` and every `hallkiosk-lab` tool build through `buildKiosk`, so none of them wires the
/// parts differently; the window is opened by the caller (it differs: a real display, offscreen, a display wait).
///
///     let kiosk = try buildKiosk(settings: settings, logger: logger)
///     defer { Task { await kiosk.shutdown() } }
///     let runner = try kiosk.makeRunner(window: try KioskWindow(options: kiosk.windowOptions()))
///     let code = runner.run()
public final class KioskAssembly: Sendable {
    public let settings: KioskSettings
    public let logger: Logger
    /// The run loop's clocks (the system's, or a test's).
    public let clock: any KioskClockSource
    public let strings: Strings
    public let client: HallClient
    public let printer: any TicketPrinter
    /// The outbox, its sender, the window follower; `nil` when built without (`KioskParts.ratings`).
    public let ratings: RatingServices?
    /// Plays the short sounds; `nil` when `[sound] volume` is 0 or there is no audio.
    public let speaker: Speaker?
    /// What the kiosk did, as JSON lines (`--events`, `HALLKIOSK_EVENTS`).
    public let activity: ActivityLog

    init(settings: KioskSettings, logger: Logger, clock: any KioskClockSource, strings: Strings, client: HallClient,
         printer: any TicketPrinter, ratings: RatingServices?, speaker: Speaker?, activity: ActivityLog) {
        self.settings = settings
        self.logger = logger
        self.clock = clock
        self.strings = strings
        self.client = client
        self.printer = printer
        self.ratings = ratings
        self.speaker = speaker
        self.activity = activity
    }

    /// The window the settings describe (`video` overrides `screen.videoDriver`, e.g. `offscreen` for the tools).
    public func windowOptions(video: String? = nil) -> KioskWindowOptions {
        Self.windowOptions(settings, video: video)
    }

    /// The window `settings` describe.
    public static func windowOptions(_ s: KioskSettings, video: String? = nil) -> KioskWindowOptions {
        KioskWindowOptions(videoDriver: video ?? s.videoDriver, size: Size(width: Double(s.width), height: Double(s.height)),
                           rotation: s.rotation, fullscreen: s.fullscreen, windowTitle: "HallKiosk \(s.deviceId)",
                           fontRegularPath: s.fontRegular, fontBoldPath: s.fontBold)
    }

    /// The run loop on `window`, optionally with a scripted session; `adjustContext` lets the tools change the core's
    /// timings (the benchmarks press 完成 without the double-tap grace).
    public func makeRunner(window: KioskWindow, scriptPath: String? = nil,
                           adjustContext: (inout KioskContext) -> Void = { _ in }) throws -> KioskRunner {
        try KioskRunner(kiosk: self, window: window, scriptPath: scriptPath, adjustContext: adjustContext)
    }

    /// A calling display's run loop on `window` (`role = "callingDisplay"`), optionally with a scripted session.
    public func makeBoardRunner(window: KioskWindow, scriptPath: String? = nil) throws -> BoardRunner {
        try BoardRunner(kiosk: self, window: window, scriptPath: scriptPath)
    }

    /// Stops the background parts and shuts the client down (AsyncHTTPClient traps on a client never shut down).
    public func shutdown() async {
        ratings?.stop()
        speaker?.close()
        await client.shutdown()
        activity.close()
    }
}

/// The optional parts of a kiosk.
public struct KioskParts: OptionSet, Sendable {
    public let rawValue: Int
    public init(rawValue: Int) { self.rawValue = rawValue }
    /// The rating outbox and its sender (and, on a rating device, the window follower).
    public static let ratings = KioskParts(rawValue: 1)
    /// The configured printer (without it: `NoPrinter`).
    public static let printer = KioskParts(rawValue: 2)
    /// The speaker, when `[sound] volume` is above 0.
    public static let sound = KioskParts(rawValue: 4)
    /// Everything: the kiosk program.
    public static let all: KioskParts = [.ratings, .printer, .sound]
}

/// Builds the kiosk's parts from validated settings. Throws with a message naming what to fix (exit 78).
/// - Parameters:
///   - clock: the run loop's clocks; tests pass a hand-moved one.
///   - parts: the optional parts to build (`doctor` and `screenshot` need only the client).
///   - printer: a printer to use instead of the configured one (the soak's, the print benchmark's timed printer).
///   - activity: the event stream (default: none).
///   - httpLogger: the hall client's logger (its own label by default).
public func buildKiosk(settings: KioskSettings, logger: Logger, clock: any KioskClockSource = SystemKioskClock(),
                       parts: KioskParts = .all, printer: (any TicketPrinter)? = nil, activity: ActivityLog = .none,
                       httpLogger: Logger = Logger(label: "hallkiosk.http")) throws(KioskConfigError) -> KioskAssembly {
    let strings: Strings
    do { strings = try Strings.bundled() } catch { throw KioskConfigError("string catalogues: \(error)") }
    let chosenPrinter: any TicketPrinter
    if let printer {
        chosenPrinter = printer
    } else if parts.contains(.printer) {
        chosenPrinter = try CupsTicketPrinter.make(settings: settings, logger: logger)
    } else {
        chosenPrinter = NoPrinter()
    }
    let client: HallClient
    do {
        client = try HallClient(configuration: HallClientConfiguration(
            baseURL: settings.serverURL, deviceId: settings.deviceId, deviceToken: settings.deviceToken,
            caFile: settings.caFile, requestTimeoutSeconds: settings.timeoutSeconds), logger: httpLogger)
    } catch { throw KioskConfigError("hall server: \(error)") }
    let ratings = parts.contains(.ratings) ? RatingServices(settings: settings, client: client, logger: logger, activity: activity) : nil
    var speaker: Speaker?
    if parts.contains(.sound), settings.soundVolume > 0 {
        do {
            speaker = try Speaker(volume: settings.soundVolume) { problem in logger.warning("\(problem)") }
            logger.info("sound on", metadata: ["sound.volume": "\(settings.soundVolume)", "sound.driver": "\(speaker?.driver ?? "-")"])
        } catch {
            logger.warning("\(error); the kiosk runs without sound")
        }
    }
    return KioskAssembly(settings: settings, logger: logger, clock: clock, strings: strings, client: client,
                         printer: chosenPrinter, ratings: ratings, speaker: speaker, activity: activity)
}
