import ArgumentParser
import Foundation
import HallAPI
import KioskApp
import KioskCommandLine
import KioskCore
import Logging

/// `hallkiosk print-test --config F`: prints a sample ticket and reports the job's outcome.
struct PrintTest: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "print-test", abstract: "Print a sample ticket on the configured printer and report how the job ended (exit 1 if it did not print).")

    @OptionGroup var common: CommonOptions

    func run() async throws {
        bootstrapLogging()
        let settings = try common.loadSettings()
        let kiosk: KioskAssembly
        do {
            kiosk = try buildKiosk(settings: settings, logger: Logger(label: "hallkiosk.print"), parts: [.printer])
        } catch { throw fail(error.description) }
        let result: PrintTools.TestPrintResult
        do {
            result = try await PrintTools.testPrint(kiosk: kiosk, language: settings.language)
        } catch {
            await kiosk.shutdown()
            throw fail("\(error)")
        }
        await kiosk.shutdown()
        for line in result.lines { print(line) }
        if !result.printed { throw ExitCode(1) }
    }
}

/// `hallkiosk ticket --sample --out F.png`: the rendered paper ticket, for checking layouts.
struct TicketCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ticket", abstract: "Render the paper ticket to a PNG file (exactly the raster the printer gets).")

    @OptionGroup var common: CommonOptions

    @Flag(name: .long, help: "Use the built-in sample ticket (A023 of the demo hall).")
    var sample = false

    @Option(name: .long, help: "PNG file to write.")
    var out: String

    @Option(name: .long, help: "Printer width in dots: 576 (80 mm), 512 or 384 (58 mm). Default: printer.widthDots, else 576.")
    var widthDots: Int?

    func run() async throws {
        bootstrapLogging()
        guard sample else { throw fail("only the sample ticket can be rendered: add --sample", code: 64) }
        let settings: KioskSettings
        do {
            if let path = common.config {
                settings = try KioskSettings.load(path: path, overrides: common.overrides)
            } else {
                settings = try KioskSettings.sample(overrides: common.overrides)
            }
        } catch { throw fail(error.description, code: 64) }
        do {
            let size = try PrintTools.writeSample(settings: settings, language: settings.language,
                                                  widthDots: widthDots ?? settings.printerWidthDots, out: out)
            print("\(out) (\(size.width)×\(size.height) dots)")
        } catch let error as KioskConfigError {
            throw fail(error.description, code: 64)
        } catch {
            throw fail("\(error)", code: 70)
        }
    }
}
