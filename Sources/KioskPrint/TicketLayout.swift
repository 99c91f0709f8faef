import Foundation
import HallAPI

/// A paper ticket laid out for one printer width: plain items from top to bottom, no pixels yet.
///
/// Built once per ticket by `TicketLayout.make(_:widthDots:)`; `TicketRenderer` turns it into a `Raster`
/// that every output format encodes. Sizes are in printer dots (203 dpi: 8 dots ≈ 1 mm).
public struct TicketLayout: Hashable, Sendable {
    /// Horizontal placement of a line.
    public enum Alignment: Hashable, Sendable { case left, center, right }

    /// One thing on the ticket.
    public enum Item: Hashable, Sendable {
        /// Text at `size` dots (the font's pixel size). `wrap`: break into lines to fit the width;
        /// otherwise one line, shrunk to fit.
        case text(String, size: Int, bold: Bool, alignment: Alignment, wrap: Bool)
        /// Two texts on one line, the first at the left edge, the second at the right.
        case columns(left: String, right: String, size: Int)
        /// A QR code with `moduleDots` dots per module and a 4-module quiet zone, centred.
        case qr(payload: String, moduleDots: Int)
        /// A full-width rule, dashed or solid.
        case rule(thickness: Int, dashed: Bool)
        /// Empty space.
        case space(Int)
    }

    /// The printable width in dots (576, 512 or 384).
    public var widthDots: Int
    /// Blank dots left and right of the text.
    public var sideMargin: Int
    public var items: [Item]

    /// Widths the layout supports: 80 mm at 203 dpi, 80 mm at 180 dpi (TM-T88), 58 mm at 203 dpi.
    public static let supportedWidths = [576, 512, 384]

    public init(widthDots: Int, sideMargin: Int, items: [Item]) {
        self.widthDots = widthDots
        self.sideMargin = sideMargin
        self.items = items
    }

    /// The ticket for `content` at `widthDots`. Every output format prints this same layout.
    public static func make(_ content: TicketContent, widthDots: Int) -> TicketLayout {
        let l = content.language
        let t = content.ticket
        let scale = Double(widthDots) / 576
        func s(_ dots: Double, minimum: Int = 18) -> Int { max(minimum, Int((dots * scale).rounded())) }
        let other: Language = l == .zh ? .en : .zh
        var items: [Item] = []
        func testPrintMark() {
            guard content.isTestPrint else { return }
            items.append(.rule(thickness: 4, dashed: false))
            for line in TicketWording.testPrintMark {
                items.append(.text(line, size: s(30), bold: true, alignment: .center, wrap: true))
            }
            items.append(.rule(thickness: 4, dashed: false))
            items.append(.space(s(8, minimum: 4)))
        }
        testPrintMark()
        for line in content.headerLines where !line.isEmpty {
            items.append(.text(line, size: s(24), bold: false, alignment: .center, wrap: true))
        }
        if let hall = content.hallName {
            items.append(.text(hall.text(in: l), size: s(32), bold: true, alignment: .center, wrap: true))
            let second = hall.text(in: other)
            if !second.isEmpty, second != hall.text(in: l) {
                items.append(.text(second, size: s(22), bold: false, alignment: .center, wrap: true))
            }
        }
        items.append(.space(s(8, minimum: 4)))
        items.append(.rule(thickness: 2, dashed: true))
        items.append(.space(s(10, minimum: 6)))
        items.append(.text(t.service.name.text(in: l), size: s(40), bold: true, alignment: .center, wrap: true))
        if let priority = t.priority {
            items.append(.text(TicketWording.priority(priority, l), size: s(28), bold: true, alignment: .center, wrap: true))
        }
        items.append(.text(TicketWording.yourNumber(l), size: s(26), bold: false, alignment: .center, wrap: false))
        items.append(.text(t.number, size: s(150, minimum: 90), bold: true, alignment: .center, wrap: false))
        if let code = t.ratingCode {
            items.append(.text(TicketWording.ratingCode(code, l), size: s(28), bold: true, alignment: .center, wrap: true))
        }
        items.append(.text(TicketWording.ahead(t.waitingAhead, l), size: s(30), bold: true, alignment: .center, wrap: true))
        if t.waitingAhead > 0 {
            items.append(.text(TicketWording.wait(t.estimatedWaitMinutes, l), size: s(28), bold: false, alignment: .center, wrap: true))
        }
        items.append(.space(s(12, minimum: 8)))
        items.append(.qr(payload: t.lookupUrl, moduleDots: qrModuleDots(t.lookupUrl, widthDots: widthDots)))
        items.append(.text(TicketWording.scan(l), size: s(24), bold: false, alignment: .center, wrap: true))
        items.append(.space(s(10, minimum: 6)))
        items.append(.rule(thickness: 2, dashed: true))
        items.append(.space(s(8, minimum: 4)))
        for line in noteLines(content.notes ?? TicketWording.defaultNotes, widthDots: widthDots) {
            items.append(.text(line, size: noteDots, bold: false, alignment: .left, wrap: true))
        }
        items.append(.space(s(8, minimum: 4)))
        items.append(.columns(left: "\(TicketWording.issued(l)) \(issueTime(t.issuedAt, content.timeZone))",
                              right: "\(TicketWording.kiosk(l)) \(content.kioskId)", size: s(22)))
        for line in content.footerLines where !line.isEmpty {
            items.append(.text(line, size: s(22), bold: false, alignment: .center, wrap: true))
        }
        if content.isTestPrint {
            items.append(.space(s(8, minimum: 4)))
            testPrintMark()
        }
        return TicketLayout(widthDots: widthDots, sideMargin: s(8, minimum: 4), items: items)
    }

    /// The notes' text size in dots: 22 on every paper (2.75 mm at 203 dpi). Notes do not scale down with narrow
    /// paper: at 58 mm they would become 18 dots, too small to read on thermal paper.
    static let noteDots = 22

    /// The notes as printed: on paper narrower than 80 mm at 203 dpi a bilingual note ("过号请到窗口说明 / Missed? …") is
    /// split into its two languages, each on its own line, so neither is broken in the middle of a phrase.
    static func noteLines(_ notes: [String], widthDots: Int) -> [String] {
        let lines = notes.filter { !$0.isEmpty }
        guard widthDots < 576 else { return lines }
        return lines.flatMap { note in
            note.components(separatedBy: " / ").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        }
    }

    /// Dots per QR module: the largest that keeps the code (with its quiet zone) within about half the
    /// width, and never under 4 dots (0.5 mm at 203 dpi), which phones read from thermal paper.
    static func qrModuleDots(_ payload: String, widthDots: Int) -> Int {
        let modules = (try? QRMatrix(payload).size) ?? 33
        let target = Double(widthDots) * 0.55
        return max(4, Int(target / Double(modules + 2 * QRMatrix.quietZone)))
    }

    /// "2026-11-23 09:32" in the hall's time zone.
    static func issueTime(_ date: Date, _ zone: TimeZone) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = zone
        let c = calendar.dateComponents([.year, .month, .day, .hour, .minute], from: date)
        return String(format: "%04d-%02d-%02d %02d:%02d", c.year ?? 0, c.month ?? 0, c.day ?? 0, c.hour ?? 0, c.minute ?? 0)
    }
}
