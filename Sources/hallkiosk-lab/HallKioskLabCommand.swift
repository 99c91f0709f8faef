import ArgumentParser
import Foundation
import KioskApp

/// The kiosk's tools, kept out of the shipped `hallkiosk`: benchmarks and the soak with its fault proxy
/// (kiosk/bench/* and kiosk/tests/soak-short run them). Never installed on a kiosk.
@main
struct HallKioskLabCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "hallkiosk-lab",
        abstract: "HallKiosk tools: kiosk, outbox, printing and voice benchmarks, the soak with injected faults, and wait-event for scripts (not installed on kiosks).",
        version: KioskAppInfo.version,
        subcommands: [Bench.self, CardBench.self, OutboxBenchCommand.self, SoakCommand.self, PrintBench.self, VoiceBench.self, WaitEvent.self])
}
