import Crypto
import Foundation
import HallAPI
import Hummingbird

/// A confirmation the console asks before acting.
enum ConsoleConfirm: Sendable, Equatable {
    /// 过号 of the current ticket.
    case noShow
    /// Signing out with a ticket at the window: return it, transfer it or complete it.
    case signOut
    /// Pausing a whole service at every kiosk.
    case pauseService(String)
    /// Holding this window's share of a service, with a reason and until when.
    case holdService(String)

    init?(query: String?, serviceId: String?) {
        switch query {
        case "no-show": self = .noShow
        case "sign-out": self = .signOut
        case "pause-service": if let s = serviceId { self = .pauseService(s) } else { return nil }
        case "hold-service": if let s = serviceId { self = .holdService(s) } else { return nil }
        default: return nil
        }
    }
}

/// Builds the console's model and answers for `ConsoleRoutes`.
enum ConsoleView {
    /// The console's model for a session, read now.
    static func model(_ desk: HallDesk, session: StaffSession, token: String, message: String? = nil, error: String? = nil,
                      confirm: ConsoleConfirm? = nil) async throws -> StaffConsoleModel {
        let status = try await desk.hallStatus()
        guard let window = desk.hall.window(session.windowId) else { throw HallError(.unknownWindow, "no window has id '\(session.windowId)'") }
        let view = try await desk.store.ticketView(.current(windowId: window.id), at: status.now)
        let current = try view.map { try desk.progress($0, now: status.now) }
        let snapshot = try await desk.consoleSnapshot(windowId: window.id, now: status.now)
        let services = status.services.filter { window.serviceIds.contains($0.id) }
        let hall = desk.hall
        let undoFor = hall.console.noShowUndoSeconds
        var model = StaffConsoleModel(
            hallName: hall.name, staff: session.staff.summary, window: window.ref, current: current,
            waitingForWindow: snapshot.waitingTotal, services: services,
            allServices: hall.services.map(\.ref), message: message, error: error, timeZone: hall.timeZone,
            recallLimit: hall.recallLimit, formToken: FormToken.value(session: token))
        model.now = status.now
        model.currentStartedAt = view?.ticket.startedAt
        let slots = try await desk.appointmentSlots(of: snapshot.waiting)
        model.waiting = snapshot.waiting.map { t in
            ConsoleWaitingRow(id: t.id, number: t.number, service: hall.service(t.serviceId)?.name.zh ?? t.serviceId, serviceId: t.serviceId,
                              priority: t.priority,
                              issuedAt: t.issuedAt,
                              transferredFrom: t.transferCount > 0 && t.issuedServiceId != t.serviceId ? hall.service(t.issuedServiceId)?.name.zh : nil,
                              requeued: t.queueOrder != nil, appointmentSlot: slots[t.id])
        }
        model.missed = snapshot.missed.map { t in
            ConsoleMissedRow(id: t.id, number: t.number, endedAt: t.endedAt ?? status.now,
                             undoable: current == nil && status.now.timeIntervalSince(t.endedAt ?? status.now) <= undoFor)
        }
        model.servedToday = snapshot.servedToday
        model.breakReason = snapshot.breakReason
        model.breakSince = snapshot.breakSince
        model.breakReasons = hall.console.breakReasons
        model.heldServiceIds = snapshot.heldServiceIds
        model.holds = snapshot.holds
        model.noShowAllowedAt = current.flatMap { desk.noShowAllowedAt($0) }
        model.noShowRule = hall.console
        model.confirm = confirm
        return model
    }

    /// The console page.
    static func page(_ desk: HallDesk, session: StaffSession, token: String, message: String?, error: String?,
                     confirm: ConsoleConfirm? = nil, status: HTTPResponse.Status = .ok) async throws -> Response {
        let model = try await model(desk, session: session, token: token, message: message, error: error, confirm: confirm)
        return Responses.html(StaffConsolePage.console(model), status: status, script: StaffConsolePage.script)
    }

    /// A form without this session's token (an old page, or a page on another site): nothing is done.
    static func staleForm(_ desk: HallDesk, _ session: StaffSession, token: String) async throws -> Response {
        desk.logger.notice("staff form without its token refused", metadata: ["window.id": "\(session.windowId)"])
        return try await page(desk, session: session, token: token, message: nil,
                              error: "页面已过期，未执行操作，请重试 / This page was out of date; nothing was done. Please try again.",
                              status: .forbidden)
    }

    /// Back to the console after a form did `action` (a reload shows the console, it does not post again).
    static func done(_ action: String, number: String?) -> Response {
        var target = "/staff?done=" + action
        if let n = number { target += "&n=" + n }
        return PageRoutes.seeOther(target)
    }

    /// What the console says after `done` (only known actions; the number only as a ticket number can be spelled).
    static func doneWords(_ action: String?, number: String?) -> String? {
        guard let action else { return nil }
        let words: String
        switch action {
        case "call-next": words = "已叫号 / Called"
        case "recall": words = "已重呼 / Called again"
        case "start": words = "开始办理 / Serving"
        case "complete": words = "办结 / Completed"
        case "no-show": words = "已过号 / Marked missed"
        case "transfer": words = "已转移 / Transferred"
        case "call-number": words = "已特呼 / Called out of turn"
        case "undo-no-show": words = "已撤销过号，开始办理 / No-show undone, serving"
        case "requeue": words = "已重新排队 / Back in the queue"
        case "break": words = "暂停服务中 / On a break"
        case "resume": words = "已恢复服务 / Serving again"
        case "hold": words = "本窗口暂停办理该事项 / This window holds the service"
        case "unhold": words = "本窗口恢复办理该事项 / This window serves it again"
        case "pause-service": words = "已暂停取号 / Issuing paused"
        case "resume-service": words = "已恢复取号 / Issuing resumed"
        default: return nil
        }
        guard let n = number, !n.isEmpty, n.count <= 12, n.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber) }) else {
            return action == "call-next" && number == nil ? "暂无等候 / Nobody is waiting" : words
        }
        return "\(n)：\(words)"
    }

    /// "HH:mm" today in the hall's time zone (nil when empty or not a time).
    static func untilDate(_ text: String?, desk: HallDesk) -> Date? {
        guard let text, !text.isEmpty else { return nil }
        let parts = text.split(separator: ":").compactMap { Int($0) }
        guard parts.count == 2, (0...23).contains(parts[0]), (0...59).contains(parts[1]) else { return nil }
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = desk.hall.timeZone
        let now = desk.now
        var c = calendar.dateComponents([.year, .month, .day], from: now)
        c.hour = parts[0]
        c.minute = parts[1]
        guard let at = calendar.date(from: c) else { return nil }
        return at < now ? at.addingTimeInterval(86400) : at
    }

    /// What the live link compares: everything the live panel shows except the ticking timers.
    static func fingerprint(_ m: StaffConsoleModel) -> String {
        var text = "\(m.current?.id ?? "-").\(m.current?.status.rawValue ?? "-").\(m.current?.recallCount ?? 0).\(m.waitingForWindow).\(m.servedToday)"
        text += "|" + m.waiting.map { $0.id }.joined(separator: ",")
        text += "|" + m.missed.map { "\($0.id)\($0.undoable ? 1 : 0)" }.joined(separator: ",")
        text += "|\(m.breakReason ?? "-")|\(m.heldServiceIds.joined(separator: ","))|\(m.noShowAllowedAt == nil ? 1 : 0)"
        // A hold's note changed (held again with another reason or time) shows too.
        text += "|" + m.holds.map { "\($0.serviceId)~\($0.reason ?? "")~\($0.until.map { Int($0.timeIntervalSince1970) } ?? 0)" }.joined(separator: ",")
        text += "|" + m.services.map { "\($0.id)\($0.state.rawValue)\($0.waitingCount)" }.joined(separator: ",")
        return String(Hex.encode(SHA256.hash(data: Data(text.utf8))).prefix(16))
    }
}
