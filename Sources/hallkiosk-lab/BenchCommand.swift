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

/// `hallkiosk-lab bench`: touch → ticket on screen, frame times and memory over many ticket cycles (see kiosk/bench/kiosk-bench).
struct Bench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench",
        abstract: "Measure touch → ticket on screen, home frame render time and memory over many ticket cycles (see kiosk/bench/kiosk-bench).")

    @OptionGroup var common: CommonOptions

    @Option(name: .long, help: "Take-a-number cycles.")
    var cycles = 1000

    @Option(name: .long, help: "Text on the service button to press.")
    var serviceLabel = "户籍办理"

    @Option(name: .long, help: "Text on the ticket screen's done button.")
    var doneLabel = "完成"

    @Option(name: .long, help: "Write /proc/self/smaps and malloc_info to PREFIX-<cycle>.smaps/.malloc.xml at each memory sample (PREFIX-settled-<cycle> once the kiosk has given memory back).")
    var memoryDump: String?

    func run() async throws {
        MallocTuning.limitArenas()
        bootstrapLogging()
        let logger = Logger(label: "hallkiosk.bench")
        let settings = try common.loadSettings()
        // Tickets print as on a real kiosk when a printer is configured (printer.destination or --printer).
        let kiosk: KioskAssembly
        do { kiosk = try buildKiosk(settings: settings, logger: logger, parts: [.printer]) } catch { throw fail(error.description) }
        let window: KioskWindow
        do { window = try KioskWindow(options: kiosk.windowOptions(video: common.video ?? "offscreen")) } catch {
            await kiosk.shutdown()
            throw fail("display: \(error)", code: 69)
        }
        defer { window.close() }
        let runner: KioskRunner
        do {
            runner = try kiosk.makeRunner(window: window, adjustContext: { context in
                // Citizens get a 1.5 s grace against double taps on a new ticket; the benchmark presses "done" at once.
                context.ticketTouchGraceSeconds = 0
            })
        } catch {
            await kiosk.shutdown()
            throw fail("\(error)")
        }
        let result: KioskBenchmark.Result
        do {
            result = try KioskBenchmark.run(runner: runner, window: window, serviceLabel: serviceLabel, doneLabel: doneLabel, cycles: cycles,
                                            memoryDump: memoryDump.map { prefix in { name in ProcessClock.dumpMemory(to: "\(prefix)-\(name)") } })
        } catch {
            await kiosk.shutdown()
            throw fail("\(error)", code: 1)
        }
        await kiosk.shutdown()
        let p = KioskBenchmark.percentile
        print(String(format: "RESULT cycles=%d touch_to_ticket_p50_ms=%.2f touch_to_ticket_p99_ms=%.2f home_frame_p50_ms=%.2f home_frame_p99_ms=%.2f home_frame_cpu_p50_ms=%.2f press_frame_p50_ms=%.2f touch_to_ticket_after_rest_p50_ms=%.2f touch_to_ticket_after_rest_max_ms=%.2f",
                     cycles, p(result.touchToTicket, 50), p(result.touchToTicket, 99), p(result.homeFrame, 50), p(result.homeFrame, 99), p(result.homeFrameCPU, 50),
                     p(result.pressFrame, 50), p(result.touchToTicketAfterRest, 50), p(result.touchToTicketAfterRest, 100)))
        for m in result.memory {
            print("MEMORY cycle=\(m.cycle) rss_kb=\(m.rss) pss_kb=\(m.pss) texture_kb=\(m.textureBytes / 1024) textures_created=\(m.texturesCreated)")
        }
        for m in result.settledMemory {
            print("SETTLED cycle=\(m.cycle) rss_kb=\(m.rss) pss_kb=\(m.pss) texture_kb=\(m.textureBytes / 1024) textures_created=\(m.texturesCreated)")
        }
    }
}
