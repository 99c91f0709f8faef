import ArgumentParser
import Foundation
import KioskApp
import KioskCommandLine
import KioskLab

/// `hallkiosk-lab soak`: thousands of ticket + rating cycles against a real hall server with faults injected at
/// random (seeded); checks the invariants and that memory and file descriptors stay flat (see kiosk/bench/soak).
struct SoakCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "soak",
        abstract: "Ticket + rating cycles through the kiosk's run loop against a real hallserver with seeded random faults; checks invariants, RSS and file descriptors (see kiosk/bench/soak).")

    @Option(name: .long, help: "Ticket kiosk config (TOML); its server URL is replaced by the soak's fault proxy.")
    var config: String

    @Option(name: .long, help: "Hall config for the hallserver the soak starts (the service must allow enough numbers a day).")
    var hallConfig: String

    @Option(name: .long, help: "The hallserver binary (default: next to this program).")
    var hallserver: String?

    @Option(name: .long, help: "Folder for the server's database and logs.")
    var work: String

    @Option(name: .long, help: "Ticket + rating cycles.")
    var cycles = 1000

    @Option(name: .long, help: "Seed of the fault generator (the same seed injects the same faults).")
    var seed: UInt64 = 1

    @Option(name: .long, help: "Check invariants and sample RSS / file descriptors every N cycles.")
    var sampleEvery = 1000

    @Option(name: .long, help: "Chance of a fault per half cycle (0…1).")
    var faultRate = 0.05

    @Option(name: .long, help: "Allowed RSS growth after the first checkpoint, kB.")
    var rssToleranceKb = 5 * 1024

    @Option(name: .long, help: "Allowed growth of open file descriptors after the first checkpoint.")
    var fdTolerance = 3

    func run() async throws {
        MallocTuning.limitArenas()
        let binary = hallserver ?? URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath()
            .deletingLastPathComponent().appendingPathComponent("hallserver").path
        var options = KioskSoak.Options(kioskConfig: config, hallserver: binary, hallConfig: hallConfig, folder: work)
        options.cycles = cycles
        options.seed = seed
        options.sampleEvery = sampleEvery
        options.faultRate = faultRate
        options.rssToleranceKB = rssToleranceKb
        options.fdTolerance = fdTolerance
        let report: KioskSoak.Report
        do {
            report = try KioskSoak.run(options) { line in
                FileHandle.standardOutput.write(Data((line + "\n").utf8))
            }
        } catch {
            throw fail("soak stopped: \(error)", code: 1)
        }
        let first = report.samples.count > 1 ? report.samples[1] : report.samples.first
        let last = report.samples.last
        print("FAULTS " + report.faults.sorted { $0.key < $1.key }.map { "\($0.key.replacingOccurrences(of: " ", with: "_"))=\($0.value)" }.joined(separator: " "))
        print("RESULT cycles=\(report.cycles) seed=\(seed) seconds=\(Int(report.seconds)) tickets=\(report.ticketsShown) ratings=\(report.ratingsStored) "
              + "faults=\(report.faults.values.reduce(0, +)) rss_kb_start=\(report.samples.first?.rssKB ?? -1) "
              + "rss_kb_after_warmup=\(first?.rssKB ?? -1) rss_kb_end=\(last?.rssKB ?? -1) rss_growth_kb=\(report.rssGrowthKB) "
              + "fds_start=\(report.samples.first?.fds ?? -1) fds_after_warmup=\(first?.fds ?? -1) fds_end=\(last?.fds ?? -1) "
              + "violations=\(report.violations.count)")
        for v in report.violations.prefix(50) { print("VIOLATION \(v)") }
        if !report.violations.isEmpty { throw ExitCode(1) }
    }
}
