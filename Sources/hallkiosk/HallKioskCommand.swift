import ArgumentParser
import Foundation
import HallAPI
import KioskApp
import KioskCommandLine
import KioskCore
import KioskHTTP
import KioskSDL
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

struct Run: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "run", abstract: "Run the kiosk (the default command).")

    @OptionGroup var common: CommonOptions
    @OptionGroup var stream: EventStreamOptions

    @Option(name: .long, help: "Run a scripted session: one command per line (tap X Y, press X Y MS, tap-text T, type T, key K, wait MS, wait-text T [MS], wait-event EVENT [K=V …] [MS], wait-stdin LINE [MS], expect-text T, expect-no-text T, screenshot P, quit).")
    var script: String?

    func run() async throws {
        MallocTuning.limitArenas()
        bootstrapLogging()
        let logger = Logger(label: "hallkiosk")
        let settings = try common.loadSettings(missingCode: 78)
        let kiosk: KioskAssembly
        // A calling display prints nothing and takes no ratings: it needs only the client (and its voice).
        let parts: KioskParts = settings.role == .callingDisplay ? [.sound] : .all
        do {
            kiosk = try buildKiosk(settings: settings, logger: logger, parts: parts, activity: try stream.open(logger: logger))
        } catch let error as KioskConfigError { throw fail(error.description) }
        // Every exit after the kiosk is built shuts it down first (AsyncHTTPClient traps on a client never shut down).
        let window: KioskWindow
        switch await openDisplay(kiosk) {
        case .opened(let opened): window = opened
        case .stopped:
            await kiosk.shutdown()
            return
        case .failed(let message, let code):
            await kiosk.shutdown()
            throw fail(message, code: code)
        }
        defer { window.close() }
        if settings.role == .callingDisplay {
            let display: BoardRunner
            do { display = try kiosk.makeBoardRunner(window: window, scriptPath: script) } catch {
                await kiosk.shutdown()
                throw fail("\(error)")
            }
            let code = display.run()
            await kiosk.shutdown()
            if code != 0 { throw ExitCode(code) }
            return
        }
        let runner: KioskRunner
        do {
            runner = try kiosk.makeRunner(window: window, scriptPath: script)
        } catch {
            await kiosk.shutdown()
            throw fail("\(error)")
        }
        let code = runner.run()
        await kiosk.shutdown()
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
func openDisplay(_ kiosk: KioskAssembly) async -> DisplayOpening {
    let options = kiosk.windowOptions()
    do {
        return .opened(try KioskWindow(options: options))
    } catch {
        // On the appliance, name the device node and the group that is missing.
        let hints = StartupCheck.findings(videoDriver: kiosk.settings.videoDriver ?? "", touchDevices: 1).map(\.text)
        guard let failure = error as? KioskSDLError, failure.isDisplayFailure else {
            return .failed((["\(error)"] + hints).joined(separator: "; "), code: 78)
        }
        let notifier = SystemdNotifier()
        guard notifier.isActive else { return .failed((["display: \(failure)"] + hints).joined(separator: "; "), code: 69) }
        kiosk.ratings?.startSender()
        let ratings = kiosk.ratings
        let wait = DisplayWait(open: { try KioskWindow(options: options) }, client: kiosk.client,
                               outboxStatus: { ratings?.status }, notifier: notifier, logger: kiosk.logger)
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

    @Option(name: .long, help: "PNG or JPEG shown as the sample clerk's photo (rating device and window screens).")
    var photo: String?

    func run() async throws {
        bootstrapLogging()
        guard ScreenshotMaker.screens.contains(screen) else {
            throw fail("--screen '\(screen)' is not one of \(ScreenshotMaker.screens.joined(separator: ", "))", code: 64)
        }
        let settings: KioskSettings
        if common.config != nil {
            settings = try common.loadSettings()
        } else if sample {
            do { settings = try KioskSettings.sample(overrides: common.overrides) } catch { throw fail(error.description, code: 64) }
        } else {
            throw fail("give --config FILE (to ask its hall server) or --sample", code: 64)
        }
        let kiosk: KioskAssembly
        do { kiosk = try buildKiosk(settings: settings, logger: Logger(label: "hallkiosk"), parts: []) } catch { throw fail(error.description) }
        let window: KioskWindow
        do { window = try KioskWindow(options: kiosk.windowOptions(video: common.video ?? "offscreen")) } catch {
            await kiosk.shutdown()
            throw fail("display: \(error)", code: 69)
        }
        defer { window.close() }
        let now = Date()
        var hall = SampleHall.status(now: now)
        if !sample {
            do {
                hall = try await kiosk.client.hallStatus()
            } catch {
                await kiosk.shutdown()
                throw fail("\(error.description) (use --sample to render without a server)", code: 69)
            }
        }
        await kiosk.shutdown()
        do {
            try ScreenshotMaker.render(screen: screen, hall: hall, ticket: SampleHall.ticket(now: hall.now),
                                       progress: SampleHall.progress(now: hall.now), settings: settings,
                                       language: settings.language, largeText: largeText, highContrast: highContrast,
                                       window: window, strings: kiosk.strings, out: out, photo: photo)
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
