import ArgumentParser
import Foundation
import KioskApp
import KioskCommandLine
import KioskLab

/// `hallkiosk-lab bench-outbox`: rating submit → stored p50/p99, and the outbox drain rate after an outage,
/// against a running hall server with the demo hall (kiosk/bench/outbox-bench starts one).
struct OutboxBenchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench-outbox",
        abstract: "Measure rating submit → stored locally (p50/p99) and the outbox drain rate after an outage (see kiosk/bench/outbox-bench).")

    @Option(name: .long, help: "Hall server URL (the demo hall, with the household registration quota lifted).")
    var server: String

    @Option(name: .long, help: "Folder for the outbox files (on the disk the kiosk would use).")
    var folder = FileManager.default.temporaryDirectory.path

    @Option(name: .long, help: "Ratings stored for the latency figure.")
    var store = 2000

    @Option(name: .long, help: "Ratings in the backlog that drains.")
    var drain = 500

    @Option(name: .long, help: "Ratings posted at the same time while draining.")
    var concurrency = 4

    func run() async throws {
        bootstrapLogging()
        var options = OutboxBenchmark.Options(serverURL: server, folder: folder)
        options.storeCount = store
        options.drainCount = drain
        options.concurrency = concurrency
        let result: OutboxBenchmark.Result
        do {
            result = try await OutboxBenchmark.run(options)
        } catch {
            throw fail("\(error)", code: 1)
        }
        let p = OutboxBenchmark.percentile
        print(String(format: "RESULT stored=%d store_p50_ms=%.3f store_p99_ms=%.3f store_max_ms=%.3f drained=%d drain_seconds=%.3f drain_per_second=%.1f",
                     result.storeMilliseconds.count, p(result.storeMilliseconds, 50), p(result.storeMilliseconds, 99),
                     result.storeMilliseconds.max() ?? 0, result.drained, result.drainSeconds, result.drainPerSecond))
    }
}
