import Foundation
import HallTestSupport
#if canImport(Glibc)
import Glibc
#endif
import HallAPI
import KioskPrint
import XCTest

/// The repository this test target was built from.
let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

/// The kiosk's bundled font (Fonts/).
let bundledFonts = PrintFonts(regular: .init(path: repository.appendingPathComponent("Fonts/NotoSansSC-Regular.otf").path),
                              bold: .init(path: repository.appendingPathComponent("Fonts/NotoSansSC-Bold.otf").path))

/// One renderer for the whole test run (fonts opened once).
let sharedRenderer: TicketRenderer = {
    do { return try TicketRenderer(fonts: bundledFonts) } catch { fatalError("\(error)") }
}()

/// A ticket as the hall server issues it.
func sampleTicket(number: String = "A023", ahead: Int = 5, url: String = "http://hall.test/t/q3VxT0b9Qe2LmZk7Yp1RcW4nX8s") -> IssuedTicket {
    IssuedTicket(id: "5f0c1e9a-2d7b-4c51-9a3e-7b1d2f6c8e41", number: number,
                 service: ServiceRef(id: "hukou", name: LocalizedText(zh: "户籍办理", en: "Household registration"), prefix: "A"),
                 issuedAt: Date(timeIntervalSince1970: 1_795_400_000), hallDay: "2026-11-23", priority: nil,
                 waitingAhead: ahead, estimatedWaitMinutes: 40, token: "q3VxT0b9Qe2LmZk7Yp1RcW4nX8s", lookupUrl: url,
                 ratingCode: "0427")
}

func sampleContent(_ ticket: IssuedTicket = sampleTicket(), language: Language = .zh) -> TicketContent {
    TicketContent(ticket: ticket, hallName: LocalizedText(zh: "示范区政务服务中心", en: "Demo District Government Service Center"),
                  kioskId: "kiosk-01", timeZone: TimeZone(identifier: "Asia/Shanghai")!, language: language,
                  headerLines: ["欢迎光临"], footerLines: ["咨询电话 0571-12345"])
}

/// What `zbarimg` reads from a PNG file (QR payloads, one per line).
func zbar(_ path: String) throws -> String {
    try runProgram("/usr/bin/zbarimg", ["--raw", "-q", path]).out.trimmingCharacters(in: .whitespacesAndNewlines)
}
