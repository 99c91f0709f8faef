import ArgumentParser
import Foundation
import JournalLogging
import KioskApp
import KioskCore
import KioskSDL
import Logging

/// The kiosk's tools, kept out of the shipped `hallkiosk`: benchmarks and the soak with its fault proxy
/// (kiosk/bench/* and kiosk/tests/soak-short run them). Never installed on a kiosk.
@main
struct HallKioskLabCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "hallkiosk-lab",
        abstract: "HallKiosk tools: kiosk, outbox and printing benchmarks, and the soak with injected faults (not installed on kiosks).",
        version: KioskAppInfo.version,
        subcommands: [Bench.self, OutboxBenchCommand.self, SoakCommand.self, PrintBench.self])
}

/// Options shared by the commands that read a kiosk config (the same as `hallkiosk`'s).
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
    FileHandle.standardError.write(Data("hallkiosk-lab: \(message)\n".utf8))
    return ExitCode(code)
}

func windowOptions(_ s: KioskSettings, videoOverride: String? = nil) -> KioskWindowOptions {
    KioskWindowOptions(videoDriver: videoOverride ?? s.videoDriver, size: Size(width: Double(s.width), height: Double(s.height)),
                       rotation: s.rotation, fullscreen: s.fullscreen, windowTitle: "HallKiosk \(s.deviceId)",
                       fontRegularPath: s.fontRegular, fontBoldPath: s.fontBold)
}
