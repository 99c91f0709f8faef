import ArgumentParser
import Foundation
import JournalLogging
import KioskApp
import Logging

/// Options shared by every command of `hallkiosk` and `hallkiosk-lab` that reads a kiosk config.
public struct CommonOptions: ParsableArguments {
    @Option(name: .long, help: "Kiosk config file (TOML); see kiosk/demo/kiosk.toml.")
    public var config: String?

    @Option(name: .long, help: "Hall server URL (overrides server.url).")
    public var server: String?

    @Option(name: .long, help: "Printer: CUPS queue name or ipp:// URI (overrides printer.destination).")
    public var printer: String?

    @Option(name: .long, help: "SDL video driver: kmsdrm, x11, wayland, offscreen (overrides screen.videoDriver).")
    public var video: String?

    @Option(name: .long, help: "Layout size WIDTHxHEIGHT, e.g. 1080x1920 (overrides screen.width/height).")
    public var size: String?

    @Option(name: .long, help: "Language: zh or en (overrides ui.language).")
    public var lang: String?

    public init() {}

    public var overrides: KioskOverrides {
        KioskOverrides(server: server, printer: printer, video: video, size: size, language: lang)
    }

    /// The settings of `--config` with the overrides; a missing `--config` or a bad file ends the command with the
    /// message (`missingCode` for a missing `--config`: 78 for `run`, 64 for the other commands).
    public func loadSettings(missingCode: Int32 = 64) throws -> KioskSettings {
        guard let path = config else { throw fail("--config FILE is required (start from kiosk/demo/kiosk.toml)", code: missingCode) }
        do { return try KioskSettings.load(path: path, overrides: overrides) } catch { throw fail(error.description) }
    }
}

/// The event stream option shared by `hallkiosk run` and the lab's kiosk tools.
public struct EventStreamOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp(
        "Write what the kiosk does as JSON lines (screen, ticketIssued, printed, ratingQueued, ratingSent, heartbeat …) to this file or /dev/fd/N (default: $HALLKIOSK_EVENTS).",
        valueName: "path"))
    public var events: String?

    public init() {}

    /// The stream, or `.none` without `--events` and `HALLKIOSK_EVENTS`.
    public func open(logger: Logger) throws -> ActivityLog {
        do { return try ActivityLog.from(option: events, logger: logger) } catch { throw fail(error.description) }
    }
}

/// Journal-friendly logging at `LOG_LEVEL` (default info); only executables call it.
public func bootstrapLogging() {
    let level = Logger.Level(rawValue: ProcessInfo.processInfo.environment["LOG_LEVEL"] ?? "info") ?? .info
    LoggingSystem.bootstrap { label in JournalLogHandler(label: label, level: level) }
}

/// Prints `program: message` to stderr and returns the exit code to throw (78: a setting to fix, systemd does not
/// restart it; 64: a usage error; 69: no display or server; 70: an internal failure).
public func fail(_ message: String, code: Int32 = 78) -> ExitCode {
    let program = CommandLine.arguments.first.map { URL(fileURLWithPath: $0).lastPathComponent } ?? "hallkiosk"
    FileHandle.standardError.write(Data("\(program): \(message)\n".utf8))
    return ExitCode(code)
}
