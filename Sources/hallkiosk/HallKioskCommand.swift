import ArgumentParser
import Foundation
import HallAPI
import KioskApp
import KioskCore
import KioskHTTP
import KioskSDL
import JournalLogging
import Logging

@main
struct HallKioskCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "hallkiosk",
        abstract: "The HallKiosk touch kiosk: take a number, follow the queue, rate a service.",
        version: KioskAppInfo.version,
        subcommands: [Run.self, Screenshot.self, DoctorCommand.self, PrintTest.self, TicketCommand.self],
        defaultSubcommand: Run.self)
}

/// Options shared by the commands that read a kiosk config.
struct CommonOptions: ParsableArguments {
    @Option(name: .long, help: "Kiosk config file (TOML); see kiosk/demo/kiosk.toml.")
    var config: String?

    @Option(name: .long, help: "Hall server URL (overrides server.url).")
    var server: String?

    @Option(name: .long, help: "Printer: CUPS queue name or ipp:// URI (overrides printer.destination).")
    var printer: String?

    @Option(name: .long, help: "SDL video driver: kmsdrm, x11, wayland, offscreen (overrides screen.videoDriver).")
    var video: String?

    @Option(name: .long, help: "Layout size WIDTHxHEIGHT, e.g. 1080x1920 (overrides screen.width/height).")
    var size: String?

    @Option(name: .long, help: "Language: zh or en (overrides ui.language).")
    var lang: String?

    var overrides: KioskOverrides {
        KioskOverrides(server: server, printer: printer, video: video, size: size, language: lang)
    }
}

func bootstrapLogging() {
    let level = Logger.Level(rawValue: ProcessInfo.processInfo.environment["LOG_LEVEL"] ?? "info") ?? .info
    LoggingSystem.bootstrap { label in JournalLogHandler(label: label, level: level) }
}

func fail(_ message: String, code: Int32 = 78) -> ExitCode {
    FileHandle.standardError.write(Data("hallkiosk: \(message)\n".utf8))
    return ExitCode(code)
}

func windowOptions(_ s: KioskSettings, videoOverride: String? = nil) -> KioskWindowOptions {
    KioskWindowOptions(videoDriver: videoOverride ?? s.videoDriver, size: Size(width: Double(s.width), height: Double(s.height)),
                       rotation: s.rotation, fullscreen: s.fullscreen, windowTitle: "HallKiosk \(s.deviceId)",
                       fontRegularPath: s.fontRegular, fontBoldPath: s.fontBold)
}

struct Run: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "run", abstract: "Run the kiosk (the default command).")

    @OptionGroup var common: CommonOptions

    @Option(name: .long, help: "Run a scripted session: one command per line (tap X Y, press X Y MS, tap-text T, type T, key K, wait MS, wait-text T [MS], expect-text T, expect-no-text T, screenshot P, quit).")
    var script: String?

    func run() async throws {
        MallocTuning.limitArenas()
        bootstrapLogging()
        let logger = Logger(label: "hallkiosk")
        guard let configPath = common.config else { throw fail("--config FILE is required (start from kiosk/demo/kiosk.toml)") }
        let settings: KioskSettings
        do { settings = try KioskSettings.load(path: configPath, overrides: common.overrides) } catch { throw fail(error.description) }
        let strings: Strings
        do { strings = try Strings.bundled() } catch { throw fail("string catalogues: \(error)") }
        let client: HallClient
        do {
            client = try HallClient(configuration: HallClientConfiguration(
                baseURL: settings.serverURL, deviceId: settings.deviceId, deviceToken: settings.deviceToken,
                caFile: settings.caFile, requestTimeoutSeconds: settings.timeoutSeconds))
        } catch { throw fail("hall server: \(error)") }
        // Every exit after the client exists shuts it down first (AsyncHTTPClient traps on a client never shut down).
        let ratings = RatingServices(settings: settings, client: client, logger: logger)
        let window: KioskWindow
        switch await openDisplay(settings, client: client, ratings: ratings, logger: logger) {
        case .opened(let opened): window = opened
        case .stopped:
            ratings.stop()
            await client.shutdown()
            return
        case .failed(let message, let code):
            ratings.stop()
            await client.shutdown()
            throw fail(message, code: code)
        }
        defer { window.close() }
        let printer: any TicketPrinter
        do { printer = try CupsTicketPrinter.make(settings: settings, logger: logger) } catch {
            await client.shutdown()
            throw fail(error.description)
        }
        let runner: KioskRunner
        do {
            runner = try KioskRunner(settings: settings, window: window, client: client, printer: printer, strings: strings,
                                     scriptPath: script, logger: logger, ratings: ratings)
        } catch {
            await client.shutdown()
            throw fail("\(error)")
        }
        let code = runner.run()
        await client.shutdown()
        if code != 0 { throw ExitCode(code) }
    }
}

/// How opening the display ended.
enum DisplayOpening {
    case opened(KioskWindow)
    /// SIGTERM/SIGINT while waiting for a display: exit 0.
    case stopped
    /// Give up with this message and exit code (69: display, 78: a setting to fix; systemd does not restart 78).
    case failed(String, code: Int32)
}

/// Opens the kiosk's window. Under systemd a display that fails does not end the kiosk: it waits for one
/// (`DisplayWait`), telling systemd and the hall server why. Elsewhere (a person at a terminal) it fails at once.
func openDisplay(_ settings: KioskSettings, client: HallClient, ratings: RatingServices, logger: Logger) async -> DisplayOpening {
    let options = windowOptions(settings)
    do {
        return .opened(try KioskWindow(options: options))
    } catch {
        // On the appliance, name the device node and the group that is missing.
        let hints = StartupCheck.findings(videoDriver: settings.videoDriver ?? "", touchDevices: 1).map(\.text)
        guard let failure = error as? KioskSDLError, failure.isDisplayFailure else {
            return .failed((["\(error)"] + hints).joined(separator: "; "), code: 78)
        }
        let notifier = SystemdNotifier()
        guard notifier.isActive else { return .failed((["display: \(failure)"] + hints).joined(separator: "; "), code: 69) }
        ratings.startSender()
        let wait = DisplayWait(open: { try KioskWindow(options: options) }, client: client,
                               outboxStatus: { ratings.status }, notifier: notifier, logger: logger)
        guard let window = await wait.run(after: failure, hints: hints) else { return .stopped }
        return .opened(window)
    }
}

struct Screenshot: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "screenshot", abstract: "Render a kiosk screen to PNG without a display.")

    @OptionGroup var common: CommonOptions

    @Option(name: .long, help: "Screen: \(ScreenshotMaker.screens.joined(separator: ", ")).")
    var screen: String = "home"

    @Option(name: .long, help: "PNG file to write.")
    var out: String

    @Flag(name: .long, help: "Use built-in sample data instead of asking the hall server.")
    var sample = false

    @Flag(name: .long, help: "Large-text mode (适老化).")
    var largeText = false

    @Flag(name: .long, help: "High-contrast palette.")
    var highContrast = false

    func run() async throws {
        bootstrapLogging()
        guard ScreenshotMaker.screens.contains(screen) else {
            throw fail("--screen '\(screen)' is not one of \(ScreenshotMaker.screens.joined(separator: ", "))", code: 64)
        }
        let settings: KioskSettings
        if let path = common.config {
            do { settings = try KioskSettings.load(path: path, overrides: common.overrides) } catch { throw fail(error.description) }
        } else if sample {
            do { settings = try KioskSettings.sample(overrides: common.overrides) } catch { throw fail(error.description, code: 64) }
        } else {
            throw fail("give --config FILE (to ask its hall server) or --sample", code: 64)
        }
        let strings: Strings
        do { strings = try Strings.bundled() } catch { throw fail("string catalogues: \(error)") }
        let window: KioskWindow
        do { window = try KioskWindow(options: windowOptions(settings, videoOverride: common.video ?? "offscreen")) } catch {
            throw fail("display: \(error)", code: 69)
        }
        defer { window.close() }
        let now = Date()
        var hall = SampleHall.status(now: now)
        if !sample {
            let client = try HallClient(configuration: HallClientConfiguration(
                baseURL: settings.serverURL, deviceId: settings.deviceId, deviceToken: settings.deviceToken, caFile: settings.caFile))
            do {
                hall = try await client.hallStatus()
            } catch {
                await client.shutdown()
                throw fail("\(error.description) (use --sample to render without a server)", code: 69)
            }
            await client.shutdown()
        }
        do {
            try ScreenshotMaker.render(screen: screen, hall: hall, ticket: SampleHall.ticket(now: hall.now),
                                       progress: SampleHall.progress(now: hall.now), settings: settings,
                                       language: settings.language, largeText: largeText, highContrast: highContrast,
                                       window: window, strings: strings, out: out)
        } catch {
            throw fail("\(error)", code: 70)
        }
        print(out)
    }
}

struct DoctorCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "doctor", abstract: "Check config, font, display, touch, server, clock and printer, and say what to fix.")

    @OptionGroup var common: CommonOptions

    func run() async throws {
        guard let path = common.config else { throw fail("--config FILE is required", code: 64) }
        let findings = await Doctor.run(configPath: path, overrides: common.overrides)
        for f in findings {
            print("\(f.verdict.rawValue) \(f.topic.padding(toLength: 8, withPad: " ", startingAt: 0)) \(f.text)")
        }
        if findings.contains(where: { $0.verdict == .failure }) { throw ExitCode(1) }
    }
}
