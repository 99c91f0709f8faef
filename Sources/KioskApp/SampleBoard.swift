import Foundation
import HallAPI
import KioskCore

/// The demo hall as a calling display sees it, for `hallkiosk screenshot --sample --screen hall-board` (no server).
public enum SampleBoard {
    /// The board screens `hallkiosk screenshot` draws.
    public static let screens = ["hall-board", "hall-board-new-call", "hall-board-recall", "hall-board-offline",
                                 "hall-board-connecting", "window-board", "window-board-calling", "window-board-closed",
                                 "window-board-break", "window-board-break-custom"]

    /// The URL of window 3's clerk's photo (`hallkiosk screenshot --photo` registers it).
    static let samplePhotoUrl = "/staff-photos/s03"

    /// Six windows (one closed, one paused), twelve calls of the morning, waiting counts, a notice.
    public static func board(now: Date) -> HallBoard {
        let hall = SampleHall.status(now: now)
        let services = hall.services.map { ServiceRef(id: $0.id, name: $0.name, prefix: $0.prefix) }
        func service(_ id: String) -> ServiceRef { services.first { $0.id == id } ?? services[0] }
        func window(_ i: Int) -> (id: String, name: LocalizedText) {
            (String(format: "w%02d", i), LocalizedText(zh: "\(i)号窗口", en: "Window \(i)"))
        }
        let staff = ["张敏", "李华", "王芳", "刘洋", "陈静", "杨帆"]
        let serving: [(Int, String, BoardWindowActivity)] = [
            (1, "A021", .serving), (2, "B007", .serving), (3, "D015", .calling), (4, "G004", .serving), (5, "", .closed),
            (6, "", .open),
        ]
        let windows = serving.map { i, number, activity in
            BoardWindow(id: window(i).id, name: window(i).name, number: String(i), activity: activity,
                        staff: activity == .closed ? nil : StaffSummary(id: "s0\(i)", name: staff[i - 1], employeeNo: "100\(i)", photoUrl: nil),
                        ticketNumber: number.isEmpty ? nil : number)
        }
        let made: [(String, String, Int, Int, PriorityKind?)] = [
            ("D015", "social-insurance", 3, 0, nil), ("G004", "business-startup", 4, 0, nil),
            ("B007", "idcard", 2, 0, .elderly), ("A021", "hukou", 1, 1, nil), ("J012", "real-estate", 5, 0, nil),
            ("E009", "medical-insurance", 3, 0, .appointment), ("A020", "hukou", 1, 0, nil), ("K003", "housing-fund", 5, 0, nil),
            ("D014", "social-insurance", 6, 0, nil), ("B006", "idcard", 2, 0, nil), ("G003", "business-startup", 4, 0, nil),
            ("A019", "hukou", 1, 0, nil),
        ]
        let calls = made.enumerated().map { index, call in
            BoardCall(eventId: Int64(200 - index), ticketId: "t-\(call.0)", number: call.0, service: service(call.1),
                      windowId: window(call.2).id, windowName: window(call.2).name, windowNumber: String(call.2),
                      recall: call.3, priority: call.4, at: now.addingTimeInterval(Double(-90 * (index + 1))))
        }
        let waiting = [("hukou", 5), ("idcard", 2), ("social-insurance", 8), ("medical-insurance", 3), ("employment", 1),
                       ("business-startup", 4), ("real-estate", 6), ("housing-fund", 2), ("enquiries", 0)]
        return HallBoard(hallName: hall.name, timezone: hall.timezone, recentCalls: calls, windows: windows,
                         queues: waiting.map { BoardQueue(service: service($0.0), waiting: $0.1) },
                         notice: LocalizedText(zh: "取号后请在休息区等候，留意大屏和语音叫号；过号请到综合咨询窗口重新排队。",
                                               en: "Please wait in the seating area and listen for your number."),
                         lastEventId: 200, serverTime: now)
    }

    /// The state of `screen` at `now`, as a display would hold it.
    public static func state(screen: String, now: Date, language: Language, photo: Bool = false) throws -> BoardState {
        let uptime = Uptime(standingInFor: now)
        let role: BoardRole = screen.hasPrefix("window") ? .window(id: "w03") : .hall
        var state = BoardState(role: role, now: now, uptime: uptime - 30, language: language)
        if screen == "hall-board-connecting" { return state }
        var board = board(now: now)
        if screen == "window-board-closed" {
            board.windows[2].activity = .closed
            board.windows[2].staff = nil
            board.windows[2].ticketNumber = nil
        }
        if screen.hasPrefix("window-board-break") {
            // As the hall server sends a break: the clerk's words in both slots.
            let reason = screen == "window-board-break" ? "午休" : "业务培训 · 14:00 回来"
            board.windows[2].activity = .paused
            board.windows[2].ticketNumber = nil
            board.windows[2].pauseReason = LocalizedText(zh: reason, en: reason)
        }
        if photo {
            board.windows[2].staff?.photoUrl = samplePhotoUrl
            state.photosReady.insert(samplePhotoUrl)
        }
        _ = reduceBoard(&state, .snapshot(board))
        let window3 = board.windows[2]
        switch screen {
        case "hall-board-new-call", "hall-board-recall", "window-board-calling":
            let recall = screen == "hall-board-recall"
            let number = recall ? "D015" : "D016"
            var window = window3
            window.activity = .calling
            window.ticketNumber = number
            let call = BoardCall(eventId: 201, ticketId: "t-\(number)", number: number, service: board.queues[2].service,
                                 windowId: window.id, windowName: window.name, windowNumber: "3", recall: recall ? 1 : 0,
                                 priority: recall ? nil : .elderly, at: now.addingTimeInterval(-1))
            _ = reduceBoard(&state, .hallEvent(HallEvent(id: 201, type: recall ? .ticketRecalled : .ticketCalled,
                                                         at: call.at, window: window, call: call, queues: [])))
        case "hall-board-offline":
            _ = reduceBoard(&state, .linkLost(reason: "connection refused"))
        default:
            break
        }
        // Two seconds on: the new call is highlighted (steady), the banner up.
        _ = reduceBoard(&state, .tick(now: now, uptime: uptime - 30 + 4.6))
        return state
    }
}
