import Foundation
import HallAPI

/// What goes on a paper ticket: the issued ticket and where and how it is printed.
public struct TicketContent: Hashable, Sendable {
    public var ticket: IssuedTicket
    /// The hall's name (from the hall status); `nil` until the kiosk has heard from the hall server.
    public var hallName: LocalizedText?
    /// This kiosk's device id, printed small at the bottom.
    public var kioskId: String
    /// The hall's time zone (issue time is printed in hall time).
    public var timeZone: TimeZone
    /// The citizen's language: labels in it, bilingual notes either way.
    public var language: Language
    /// Lines above the hall name (e.g. a welcome line), from `printer.header`.
    public var headerLines: [String]
    /// Lines at the very bottom (e.g. the hall's phone number), from `printer.footer`.
    public var footerLines: [String]
    /// Rules printed under the QR code; `nil` = the default notes (missed? ask at a window, …).
    public var notes: [String]?
    /// A test print (hall IT's `print-test` or the admin screen): marked at top and bottom so nobody
    /// mistakes it for a queue ticket left in the tray.
    public var isTestPrint: Bool

    public init(ticket: IssuedTicket, hallName: LocalizedText?, kioskId: String, timeZone: TimeZone = .current,
                language: Language = .zh, headerLines: [String] = [], footerLines: [String] = [], notes: [String]? = nil,
                isTestPrint: Bool = false) {
        self.ticket = ticket
        self.hallName = hallName
        self.kioskId = kioskId
        self.timeZone = timeZone
        self.language = language
        self.headerLines = headerLines
        self.footerLines = footerLines
        self.notes = notes
        self.isTestPrint = isTestPrint
    }
}

/// The fixed words of a paper ticket, in both languages.
enum TicketWording {
    static func yourNumber(_ l: Language) -> String { l == .zh ? "您的号码" : "Your number" }
    static func ahead(_ count: Int, _ l: Language) -> String {
        if count == 0 { return l == .zh ? "前面没有人，请留意叫号" : "Nobody ahead of you — listen for your number" }
        return l == .zh ? "前面还有 \(count) 人" : (count == 1 ? "1 person ahead of you" : "\(count) people ahead of you")
    }
    static func wait(_ minutes: Int, _ l: Language) -> String {
        let m = max(1, minutes)
        if l == .zh {
            let text = m < 60 ? "\(m) 分钟" : (m % 60 == 0 ? "\(m / 60) 小时" : "\(m / 60) 小时 \(m % 60) 分钟")
            return "预计等候约 \(text)"
        }
        let text = m < 60 ? "\(m) min" : (m % 60 == 0 ? "\(m / 60) h" : "\(m / 60) h \(m % 60) min")
        return "Estimated wait about \(text)"
    }
    static func scan(_ l: Language) -> String {
        l == .zh ? "手机扫码，随时查看排队进度" : "Scan with your phone to follow the queue"
    }
    static func priority(_ kind: PriorityKind, _ l: Language) -> String {
        switch kind {
        case .elderly: l == .zh ? "绿色通道 · 老年人优先" : "Priority · senior citizen"
        case .disabled: l == .zh ? "绿色通道 · 残疾人优先" : "Priority · disability"
        case .appointment: l == .zh ? "预约取号" : "Appointment"
        }
    }
    /// The rating code under the number: what a kiosk asks for after the number, to rate this service.
    static func ratingCode(_ code: String, _ l: Language) -> String {
        l == .zh ? "评价码 \(code)（在自助机评价时输入）" : "Rating code \(code) (to rate at a kiosk)"
    }
    static func issued(_ l: Language) -> String { l == .zh ? "取号时间" : "Issued" }
    static func kiosk(_ l: Language) -> String { l == .zh ? "取号机" : "Kiosk" }
    /// The mark on a test print, in both languages whatever the screen language.
    static let testPrintMark = ["测试打印 · 不是号票", "TEST PRINT · not a queue ticket"]
    /// The default notes: bilingual, so a companion can read them too.
    static let defaultNotes = [
        "过号请到窗口说明 / Missed? Ask at a window",
        "请留意叫号屏和广播 / Listen for your number",
    ]
}
