import ArgumentParser
import Foundation
import HallAPI
import KioskApp
import KioskCommandLine
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
        let settings = try common.loadSettings()
        guard settings.printerDestination != nil else { throw fail("\(settings.source): set printer.destination (or pass --printer)", code: 64) }
        let result: PrintBenchmark.Result
        do {
            result = try await PrintBenchmark.run(settings: settings, video: common.video, logger: Logger(label: "hallkiosk.bench"),
                                                  serviceLabel: serviceLabel, doneLabel: doneLabel, cycles: cycles)
        } catch {
            throw fail("\(error)", code: 1)
        }
        let p = KioskBenchmark.percentile
        print(String(format: "RESULT cycles=%d printed=%d touch_to_accepted_p50_ms=%.2f touch_to_accepted_p99_ms=%.2f render_p50_ms=%.2f render_p99_ms=%.2f",
                     cycles, result.touchToAccepted.count, p(result.touchToAccepted, 50), p(result.touchToAccepted, 99),
                     p(result.render, 50), p(result.render, 99)))
        for failure in result.failures.prefix(5) { print("FAILED \(failure)") }
        if !result.failures.isEmpty { throw ExitCode(1) }
    }
}
