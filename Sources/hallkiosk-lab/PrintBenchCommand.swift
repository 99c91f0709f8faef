import ArgumentParser
import Foundation
import HallAPI
import KioskApp
import KioskCore
import KioskHTTP
import KioskLab
import KioskSDL
import Logging

/// `hallkiosk-lab print-bench`: touch → job accepted by CUPS, and render time (see kiosk/bench/print-bench).
struct PrintBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "print-bench", abstract: "Measure touch → job accepted by CUPS and ticket render time over many printed tickets.")

    @OptionGroup var common: CommonOptions

    @Option(name: .long, help: "Tickets to take and print.")
    var cycles = 200

    @Option(name: .long, help: "Text on the service button to press.")
    var serviceLabel = "户籍办理"

    @Option(name: .long, help: "Text on the ticket screen's done button.")
    var doneLabel = "完成"

    func run() async throws {
        bootstrapLogging()
        guard let path = common.config else { throw fail("--config FILE is required", code: 64) }
        let settings: KioskSettings
        do { settings = try KioskSettings.load(path: path, overrides: common.overrides) } catch { throw fail(error.description) }
        guard settings.printerDestination != nil else { throw fail("\(path): set printer.destination (or pass --printer)", code: 64) }
        let window = try KioskWindow(options: windowOptions(settings, videoOverride: common.video ?? "offscreen"))
        defer { window.close() }
        let client = try HallClient(configuration: HallClientConfiguration(
            baseURL: settings.serverURL, deviceId: settings.deviceId, deviceToken: settings.deviceToken, caFile: settings.caFile,
            requestTimeoutSeconds: settings.timeoutSeconds))
        let result: PrintBenchmark.Result
        do {
            result = try await PrintBenchmark.run(settings: settings, window: window, client: client, strings: try Strings.bundled(),
                                                  logger: Logger(label: "hallkiosk.bench"), serviceLabel: serviceLabel,
                                                  doneLabel: doneLabel, cycles: cycles)
        } catch {
            await client.shutdown()
            throw fail("\(error)", code: 1)
        }
        await client.shutdown()
        let p = KioskBenchmark.percentile
        print(String(format: "RESULT cycles=%d printed=%d touch_to_accepted_p50_ms=%.2f touch_to_accepted_p99_ms=%.2f render_p50_ms=%.2f render_p99_ms=%.2f",
                     cycles, result.touchToAccepted.count, p(result.touchToAccepted, 50), p(result.touchToAccepted, 99),
                     p(result.render, 50), p(result.render, 99)))
        for failure in result.failures.prefix(5) { print("FAILED \(failure)") }
        if !result.failures.isEmpty { throw ExitCode(1) }
    }
}
