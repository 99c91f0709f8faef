import ArgumentParser
import Foundation
import HallAPI
import KioskApp
import KioskCommandLine
import KioskCore
import KioskLab
import KioskSDL
import Logging

/// `hallkiosk-lab card-bench`: ID card placed → appointment → ticket on screen (see kiosk/bench/card-bench).
struct CardBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "card-bench",
        abstract: "Measure ID card read → frame on screen and card placed → ticket on screen with kiosk/idcard-sim (see kiosk/bench/card-bench).")

    @OptionGroup var common: CommonOptions

    @Option(name: .long, help: "Check-in cycles.")
    var cycles = 200

    @Option(name: .long, help: "The simulator's control FIFO (kiosk/idcard-sim --control).")
    var control: String

    @Option(name: .long, help: "The card to place (a file name in the simulator's cards folder, without .json).")
    var card = "zhang-wei"

    @Flag(name: .long, help: "Answer the check-in endpoints from a loopback stub of the contract instead of the configured hall server.")
    var stub = false

    @Option(name: .long, help: "Real hall server: push the card's appointment before each cycle with this admin (or integration) token.")
    var pushAppointments: String?

    @Option(name: .long, help: "The card's ID number (from its made-up card file), for the pushed appointments.")
    var cardNumber: String?

    @Option(name: .long, help: "The services the pushed appointments rotate over (comma-separated ids).")
    var services = "hukou,idcard,social-insurance,medical-insurance,employment,business-startup,real-estate,enquiries"

    func run() async throws {
        bootstrapLogging()
        let logger = Logger(label: "hallkiosk.card-bench")
        var settings = try common.loadSettings()
        guard settings.idCardDevice != nil else { throw fail("the config has no [idcard] device: point it at kiosk/idcard-sim's link") }
        let stubServer = stub ? try CardBenchmark.contractStub(hall: SampleHall.status(now: Date())) : nil
        defer { stubServer?.stop() }
        if let stubServer { settings.serverURL = stubServer.baseURL }
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
            runner = try kiosk.makeRunner(window: window, adjustContext: { context in context.ticketTouchGraceSeconds = 0 })
        } catch {
            await kiosk.shutdown()
            throw fail("\(error)")
        }
        let result: CardBenchmark.Result
        do {
            var beforeCycle: ((Int) throws -> Void)? = nil
            if let token = pushAppointments, !stub {
                guard let number = cardNumber else { throw fail("--push-appointments needs --card-number") }
                let url = settings.serverURL, ids = services.split(separator: ",").map(String.init), runId = String(UUID().uuidString.prefix(8))
                beforeCycle = { cycle in
                    try CardBenchmark.pushAppointment(baseURL: url, adminToken: token, runId: runId, cycle: cycle,
                                                      serviceId: ids[(cycle - 1) % ids.count], idNumber: number, name: "张伟")
                }
            }
            result = try CardBenchmark.run(runner: runner, window: window, control: control, card: card, cycles: cycles, beforeCycle: beforeCycle)
        } catch {
            await kiosk.shutdown()
            throw fail("\(error)", code: 1)
        }
        await kiosk.shutdown()
        let p = KioskBenchmark.percentile
        print(String(format: "RESULT cycles=%d server=%@ last_byte_to_first_frame_p50_ms=%.2f last_byte_to_first_frame_p99_ms=%.2f "
                     + "last_byte_to_offer_p50_ms=%.2f last_byte_to_offer_p99_ms=%.2f placed_to_offer_p50_ms=%.2f placed_to_offer_p99_ms=%.2f "
                     + "touch_to_ticket_p50_ms=%.2f touch_to_ticket_p99_ms=%.2f placed_to_ticket_p50_ms=%.2f placed_to_ticket_p99_ms=%.2f",
                     cycles, stub ? "stub" : "hallserver",
                     p(result.lastByteToFirstFrame, 50), p(result.lastByteToFirstFrame, 99), p(result.lastByteToOffer, 50), p(result.lastByteToOffer, 99),
                     p(result.placedToOffer, 50), p(result.placedToOffer, 99), p(result.touchToTicket, 50), p(result.touchToTicket, 99),
                     p(result.placedToTicket, 50), p(result.placedToTicket, 99)))
    }
}
