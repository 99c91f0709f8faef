import Foundation
import HallAPI
@testable import KioskCore

/// A small hall for the calling-display tests: three windows, two services, calls made on a fake clock.
enum BoardFixtures {
    static let start = Date(timeIntervalSince1970: 1_796_000_000)
    static let hukou = ServiceRef(id: "hukou", name: LocalizedText(zh: "户籍办理", en: "Household registration"), prefix: "A")
    static let idcard = ServiceRef(id: "idcard", name: LocalizedText(zh: "身份证办理", en: "ID card"), prefix: "B")

    static func window(_ index: Int, _ activity: BoardWindowActivity = .open, ticket: String? = nil) -> BoardWindow {
        BoardWindow(id: "w0\(index)", name: LocalizedText(zh: "\(index)号窗口", en: "Window \(index)"), number: "\(index)",
                    activity: activity,
                    staff: activity == .closed ? nil : StaffSummary(id: "s\(index)", name: "职员\(index)", employeeNo: "100\(index)", photoUrl: nil),
                    ticketNumber: ticket)
    }

    static func call(_ id: Int64, _ number: String, window index: Int, at: Date, recall: Int = 0,
                     ticketId: String? = nil, priority: PriorityKind? = nil) -> BoardCall {
        BoardCall(eventId: id, ticketId: ticketId ?? "t-\(number)", number: number, service: hukou, windowId: "w0\(index)",
                  windowName: LocalizedText(zh: "\(index)号窗口", en: "Window \(index)"), windowNumber: "\(index)",
                  recall: recall, priority: priority, at: at)
    }

    static func board(calls: [BoardCall] = [], lastEventId: Int64 = 10, serverTime: Date = start,
                      notice: LocalizedText? = nil) -> HallBoard {
        HallBoard(hallName: LocalizedText(zh: "示范县政务服务中心", en: "Demo County Government Service Centre"),
                  timezone: "Asia/Shanghai", recentCalls: calls, windows: [window(1), window(2), window(3, .closed)],
                  queues: [BoardQueue(service: hukou, waiting: 4), BoardQueue(service: idcard, waiting: 1)],
                  notice: notice, lastEventId: lastEventId, serverTime: serverTime)
    }

    /// The event of `call` at window `index` (now calling it).
    static func called(_ call: BoardCall, waiting: Int? = nil) -> HallEvent {
        HallEvent(id: call.eventId, type: call.isRecall ? .ticketRecalled : .ticketCalled, at: call.at,
                  window: window(Int(call.windowNumber ?? "1") ?? 1, .calling, ticket: call.number), call: call,
                  queues: waiting.map { [BoardQueue(service: hukou, waiting: $0)] } ?? [])
    }
}

/// Drives a board engine on a fake clock.
struct BoardHarness {
    var engine: BoardEngine
    var wall: Date
    var uptime: Uptime
    var announced: [BoardCall] = []

    init(role: BoardRole = .hall, size: Size = Size(width: 1920, height: 1080), language: Language = .zh,
         voiceLeads: Bool = false) {
        wall = BoardFixtures.start
        uptime = Uptime(seconds: 1000)
        let environment = DisplayEnvironment(size: size, strings: KioskHarness.strings, measurer: EstimatingTextMeasurer())
        engine = BoardEngine(state: BoardState(role: role, now: wall, uptime: uptime, language: language,
                                               voiceLeads: voiceLeads), environment: environment)
    }

    var state: BoardState { engine.state }
    var display: DisplayList { engine.display }
    var texts: [String] { engine.display.texts.map(\.string) }

    @discardableResult
    mutating func send(_ event: BoardEvent) -> BoardEngine.Outcome {
        let outcome = engine.handle(event)
        for case .announce(let call) in outcome.effects { announced.append(call) }
        return outcome
    }

    /// Moves both clocks on by `seconds`.
    @discardableResult
    mutating func advance(_ seconds: Double) -> BoardEngine.Outcome {
        wall = wall.addingTimeInterval(seconds)
        uptime = uptime + seconds
        return send(.tick(now: wall, uptime: uptime))
    }
}
