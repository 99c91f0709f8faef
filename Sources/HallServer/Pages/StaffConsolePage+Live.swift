import Foundation
import HallAPI

/// The console's live panel: the current ticket with its timer and the action buttons, the waiting list, today's
/// count and missed tickets, the window's services. Swapped in whole by the page's script on every change.
extension StaffConsolePage {
    /// The fragment `/staff?part=live` answers: the three live parts, split by `liveSplit`.
    static func livePanel(_ m: StaffConsoleModel) -> String {
        let (a, w, b) = liveParts(m)
        return a + liveSplit + w + liveSplit + b
    }

    static let liveSplit = "<!--live-part-->"

    /// Minutes and seconds since `since` at `now`, as the timers show them.
    static func elapsed(_ since: Date, _ now: Date) -> String {
        let s = max(0, Int(now.timeIntervalSince(since)))
        return String(format: "%d:%02d", s / 60, s % 60)
    }

    /// A timer the script keeps ticking (from the page's server time).
    static func timer(_ since: Date, _ now: Date) -> String {
        "<span class=\"timer\" data-since=\"\(Int(since.timeIntervalSince1970 * 1000))\" data-now=\"\(Int(now.timeIntervalSince1970 * 1000))\">\(elapsed(since, now))</span>"
    }

    /// The main part (current ticket, buttons), the waiting list, and the side part (missed today, services).
    static func liveParts(_ m: StaffConsoleModel) -> (String, String, String) {
        let e = HTML.escape
        let csrf = HTML.hidden(FormToken.field, m.formToken)
        let current = m.current
        var allowed = allowedActions(for: current?.status)
        if m.breakReason != nil { allowed.remove("call-next") }
        var a = ""
        if let reason = m.breakReason { a += breakBanner(reason: reason, since: m.breakSince, m) }
        a += "<section class=\"card current\">\n"
        a += "<div class=\"cur-head\"><span class=\"muted\">\(HTML.bi("当前号码", "Current ticket"))</span>"
        a += "<span class=\"stats\"><span>\(HTML.bi("等候", "Waiting")) <b id=\"k-waiting\">\(m.waitingForWindow)</b></span>"
        a += "<span>\(HTML.bi("今日已办", "Served today")) <b id=\"k-served\">\(m.servedToday)</b></span></span></div>\n"
        if let c = current {
            a += "<div class=\"cur-num\">\(e(c.number))</div>\n"
            a += "<div class=\"cur-info\"><span class=\"badge \(statusBadge(c.status))\">\(HTML.bi(PageWords.status(c.status).zh, PageWords.status(c.status).en))</span> "
            a += "<span class=\"cur-svc\">\(e(c.service.name.zh))</span>"
            if let prio = c.priority { a += " <span class=\"badge green\">\(e(PageWords.priority(prio).zh))</span>" }
            if let from = c.transferredFrom { a += " <span class=\"badge amber\">由\(e(from.name.zh))转入</span>" }
            a += "</div>\n"
            if let h = hold(of: c.service.id, m) {
                // The window holds this ticket's service: the next call skips it until the hold ends.
                a += "<div class=\"cur-hold\">\(holdNote(h, m))</div>\n"
            }
            var times: [String] = ["取号 \(PageFormat.hhmm(c.issuedAt, m.timeZone))"]
            if let at = c.calledAt { times.append("叫号 \(PageFormat.hhmm(at, m.timeZone))") }
            if let recalls = c.recallCount, recalls > 0 { times.append("已重呼 \(recalls)/\(m.recallLimit) 次") }
            a += "<div class=\"muted small\">\(times.joined(separator: " · "))</div>\n"
            if c.status == .called, let at = c.calledAt {
                a += "<div>\(HTML.bi("已叫号", "Called")) \(timer(at, m.now))</div>\n"
            } else if c.status == .serving, let at = m.currentStartedAt ?? c.calledAt {
                a += "<div>\(HTML.bi("办理中", "Serving")) \(timer(at, m.now))</div>\n"
            }
        } else {
            a += "<div class=\"cur-num none\">—</div>\n<div class=\"muted\">\(HTML.bi("当前无号，请叫下一位", "No current ticket — call the next one"))</div>\n"
        }
        a += "</section>\n"

        a += "<section class=\"card actions\">\n<div class=\"btns\">\n"
        let recalls = current?.recallCount ?? 0
        for k in keys {
            var on = allowed.contains(k.action)
            var label = HTML.bi(k.zh, k.en)
            if k.action == "recall", current?.status == .called {
                label = HTML.bi("\(k.zh) \(recalls)/\(m.recallLimit)", "\(k.en) \(recalls)/\(m.recallLimit)")
                if recalls >= m.recallLimit { on = false }
            }
            if k.action == "no-show" {
                // The rule on the button; off until it holds (the server checks it again).
                let minutes = Int((m.noShowRule.noShowAfterSeconds / 60).rounded())
                label += "<span class=\"rule\">重呼 \(m.noShowRule.noShowAfterRecalls) 次或 \(minutes) 分钟后</span>"
                if on, let at = m.noShowAllowedAt {
                    on = false
                    label += "<span class=\"rule\">\(PageFormat.hhmm(at, m.timeZone)) 起可过号</span>"
                }
            }
            let accessKey = String(k.key.dropFirst())
            a += "<form method=\"post\" action=\"/staff/action\" data-key=\"\(k.key)\">\(csrf)\(HTML.hidden("action", k.action))"
            a += "<button type=\"submit\" class=\"btn \(on ? k.style : "")\"\(on ? " accesskey=\"\(accessKey)\"" : " disabled")>\(label)<kbd>\(k.key)</kbd></button></form>\n"
        }
        a += "</div>\n"
        if current?.status == .called, recalls >= m.recallLimit {
            let hint = HTML.bi("已重呼 \(recalls) 次，达到上限：请过号或开始办理", "Recalled \(recalls) times, the limit: mark no-show or start serving")
            a += "<div class=\"notice info\" role=\"status\">\(hint)</div>\n"
        }
        a += "</section>\n"

        // The waiting list.
        var q = ""
        q += "<section class=\"card\">\n<h2>\(HTML.bi("等候队列", "Waiting")) <span class=\"muted small\">\(m.waiting.count)/\(m.waitingForWindow)</span></h2>\n"
        if m.waiting.isEmpty {
            q += "<p class=\"muted\">\(HTML.bi("暂无等候", "Nobody is waiting"))</p>\n"
        } else {
            q += "<table class=\"q\"><thead><tr><th>号码</th><th>事项</th><th>优先</th><th>已等</th><th>备注</th></tr></thead><tbody>\n"
            for row in m.waiting {
                var note: [String] = []
                if let from = row.transferredFrom { note.append("由\(e(from))转入") }
                if row.requeued { note.append("过号重排") }
                let held = hold(of: row.serviceId, m)
                // A ticket of a held service waits for another window (or the hold's end): it says why and until when.
                if let held { note.append(heldRowNote(held, m)) }
                q += "<tr\(held == nil ? "" : " class=\"held\"")><td class=\"n\">\(e(row.number))</td><td>\(e(row.service))</td>"
                if row.priority == .appointment {
                    // An appointment ticket says so, with its booked slot.
                    q += "<td><span class=\"badge green appt\">预约</span>\(row.appointmentSlot.map { " <span class=\"slot\">\(e($0))</span>" } ?? "")</td>"
                } else {
                    q += "<td>\(row.priority.map { "<span class=\"badge green\">\(e(PageWords.priority($0).zh))</span>" } ?? "")</td>"
                }
                q += "<td>\(timer(row.issuedAt, m.now))</td><td class=\"small\">\(note.joined(separator: " · "))</td></tr>\n"
            }
            q += "</tbody></table>\n"
        }
        q += "</section>\n"

        // Side: missed tickets, the window's services.
        var b = ""
        if !m.missed.isEmpty {
            b += "<section class=\"card\">\n<h2>\(HTML.bi("今日过号", "Missed today"))</h2>\n"
            for t in m.missed {
                b += "<div class=\"svc-row\"><div class=\"svc-name\">\(e(t.number)) <span class=\"muted small\">\(PageFormat.hhmm(t.endedAt, m.timeZone))</span></div><div class=\"row\">"
                if t.undoable {
                    b += "<form method=\"post\" action=\"/staff/action\">\(csrf)\(HTML.hidden("action", "undo-no-show"))\(HTML.hidden("ticketId", t.id))"
                    b += "<button type=\"submit\" class=\"btn\">\(HTML.bi("撤销过号", "Undo"))</button></form>"
                }
                b += "<form method=\"post\" action=\"/staff/action\">\(csrf)\(HTML.hidden("action", "requeue"))\(HTML.hidden("ticketId", t.id))"
                b += "<button type=\"submit\" class=\"btn\">\(HTML.bi("过号重排", "Requeue"))</button></form>"
                b += "<form method=\"post\" action=\"/staff/action\">\(csrf)\(HTML.hidden("action", "call-number"))\(HTML.hidden("number", t.number))"
                b += "<button type=\"submit\" class=\"btn\"\(m.current == nil ? "" : " disabled")>\(HTML.bi("特呼", "Call"))</button></form>"
                b += "</div></div>\n"
            }
            b += "</section>\n"
        }
        b += "<section class=\"card services\">\n<h2>\(HTML.bi("本窗口事项", "Services at this window"))</h2>\n"
        if m.services.isEmpty { b += "<p class=\"muted\">\(HTML.bi("本窗口未配置事项", "No services configured"))</p>\n" }
        for s in m.services {
            let paused = s.state == .paused || s.reason == .pausedByStaff
            let held = m.heldServiceIds.contains(s.id)
            let state = paused ? PageWords.serviceState(.paused) : PageWords.serviceState(s.state)
            let badge = paused ? "red" : (s.state == .open ? "green" : (s.state == .quotaReached ? "amber" : "grey"))
            b += "<div class=\"svc-row\"><div class=\"svc-main\"><div class=\"svc-name\">\(e(s.prefix)) · \(e(s.name.zh))</div>"
            b += "<div class=\"small\"><span class=\"badge \(badge)\">\(HTML.bi(state.zh, state.en))</span> "
            if paused, let reason = s.pauseReason { b += "<span class=\"small\">\(e(reason))</span> " }
            if let h = hold(of: s.id, m) { b += holdNote(h, m) + " " }
            b += "<span class=\"muted nowrap\">等候 <b>\(s.waitingCount)</b> 人</span></div></div><div class=\"row\">"
            if held {
                b += "<form method=\"post\" action=\"/staff/service\">\(csrf)\(HTML.hidden("serviceId", s.id))\(HTML.hidden("scope", "window"))\(HTML.hidden("paused", "0"))"
                b += "<button type=\"submit\" class=\"btn primary\">\(HTML.bi("本窗口恢复", "Serve here"))</button></form>"
            } else {
                // Asked first: the reason and until when (the hold ends by itself then).
                b += "<a class=\"btn\" href=\"/staff?confirm=hold-service&amp;service=\(e(s.id))\">\(HTML.bi("本窗口暂停…", "Hold here…"))</a>"
            }
            if paused {
                b += "<form method=\"post\" action=\"/staff/service\">\(csrf)\(HTML.hidden("serviceId", s.id))\(HTML.hidden("paused", "0"))"
                b += "<button type=\"submit\" class=\"btn primary\">\(HTML.bi("恢复取号", "Resume"))</button></form>"
            } else {
                b += "<a class=\"btn\" href=\"/staff?confirm=pause-service&amp;service=\(e(s.id))\">\(HTML.bi("暂停全部取号…", "Pause issuing…"))</a>"
            }
            b += "</div></div>\n"
        }
        b += "</section>\n"
        return (a, q, b)
    }
}
