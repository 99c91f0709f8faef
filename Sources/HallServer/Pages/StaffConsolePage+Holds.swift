import Foundation
import HallAPI

/// What the console says about a break (暂停服务) and the services the window holds (本窗口暂停办理): the reason, since
/// or until when, and the time on a ticking timer — on the current ticket, in the waiting list and beside the service.
/// Server-rendered (right without script; the page without script reloads itself); the script ticks the timers.
extension StaffConsolePage {
    /// The window's hold of `serviceId`, if it holds it.
    static func hold(of serviceId: String, _ m: StaffConsoleModel) -> WindowServiceHold? {
        m.holds.first { $0.serviceId == serviceId } ?? (m.heldServiceIds.contains(serviceId) ? WindowServiceHold(serviceId: serviceId) : nil)
    }

    /// Minutes and seconds until `until` at `now` (0:00 once passed), as the countdowns show them.
    static func left(_ until: Date, _ now: Date) -> String {
        let s = max(0, Int(until.timeIntervalSince(now).rounded(.up)))
        return String(format: "%d:%02d", s / 60, s % 60)
    }

    /// A countdown the script keeps ticking (from the page's server time) to `until`.
    static func countdown(_ until: Date, _ now: Date) -> String {
        "<span class=\"timer\" data-until=\"\(Int(until.timeIntervalSince1970 * 1000))\" data-now=\"\(Int(now.timeIntervalSince1970 * 1000))\">\(left(until, now))</span>"
    }

    /// `本窗口暂停办理：系统故障 · 至 11:30（还剩 12:34）` with its English line, beside the service and on the current
    /// ticket.
    static func holdNote(_ h: WindowServiceHold, _ m: StaffConsoleModel) -> String {
        let e = HTML.escape
        var zh = "本窗口暂停办理"
        var en = "Held at this window"
        if let reason = h.reason {
            zh += "：\(e(reason))"
            en += ": \(e(reason))"
        }
        if let until = h.until {
            let at = PageFormat.hhmm(until, m.timeZone)
            let timer = countdown(until, m.now)
            zh += " · 至 \(at)（还剩 \(timer)）"
            en += " · until \(at) (\(timer) left)"
        } else {
            zh += " · 恢复前一直暂停"
            en += " · until you serve it again"
        }
        return "<span class=\"hold\" data-service=\"\(e(h.serviceId))\">\(zh)<span class=\"en\">\(en)</span></span>"
    }

    /// The waiting-list row's note for a ticket of a held service: `暂停：系统故障 · 至 11:30` / `held until 11:30`.
    static func heldRowNote(_ h: WindowServiceHold, _ m: StaffConsoleModel) -> String {
        let e = HTML.escape
        var zh = "本窗口暂停"
        var en = "held here"
        if let reason = h.reason { zh += "：\(e(reason))" }
        if let until = h.until {
            let at = PageFormat.hhmm(until, m.timeZone)
            zh += " · 至 \(at)"
            en += " until \(at)"
        }
        return "<span class=\"hold row-hold\">\(zh)<span class=\"en\">\(en)</span></span>"
    }

    /// The break banner: `暂停服务：午休 · 12:00 起 · 5:12` with its English line.
    static func breakBanner(reason: String, since: Date?, _ m: StaffConsoleModel) -> String {
        let e = HTML.escape
        var out = "<div class=\"onbreak\" role=\"status\">暂停服务：\(e(reason))"
        if let since { out += " · \(PageFormat.hhmm(since, m.timeZone)) 起 · 已暂停 \(timer(since, m.now))" }
        out += "<span class=\"en\">On a break: \(e(reason))"
        if let since { out += " since \(PageFormat.hhmm(since, m.timeZone)) (\(elapsed(since, m.now)))" }
        out += " — the window screen and the rating device show it; F9 resumes</span></div>\n"
        return out
    }

    /// The confirmation before holding this window's share of a service: the reason and until when.
    static func holdPanel(_ serviceId: String, _ m: StaffConsoleModel) -> String {
        let e = HTML.escape
        let csrf = HTML.hidden(FormToken.field, m.formToken)
        guard let s = m.services.first(where: { $0.id == serviceId }) else { return "" }
        var out = "<h2>本窗口暂停办理「\(e(s.name.zh))」？<span class=\"en\">Hold \(e(s.name.en)) at this window?</span></h2>\n"
        let explain = HTML.bi("取号机照常取号，其他窗口照常叫号；到预计恢复时间本窗口自动恢复。",
                              "Kiosks keep issuing and other windows keep calling it; at the time given this window serves it again by itself.")
        out += "<p class=\"muted\">\(explain)</p>\n"
        out += "<form method=\"post\" action=\"/staff/service\" class=\"row\">\(csrf)\(HTML.hidden("serviceId", serviceId))"
        out += HTML.hidden("scope", "window") + HTML.hidden("paused", "1")
        out += "<input type=\"text\" name=\"reason\" maxlength=\"\(ConsoleRules.reasonLimit)\" placeholder=\"原因，如 系统故障 / Reason\" autocomplete=\"off\" autofocus>"
        out += "<label class=\"small\">\(HTML.bi("预计恢复", "Until")) <input type=\"time\" name=\"until\"></label>"
        out += "<button type=\"submit\" class=\"btn danger\">\(HTML.bi("确认暂停", "Hold here"))</button>"
        out += "<a class=\"btn\" href=\"/staff\" data-cancel=\"1\">\(HTML.bi("取消", "Cancel")) <kbd>Esc</kbd></a></form>\n"
        return out
    }

    /// Styles of the hold notes.
    static let holdCSS = """

    .hold{display:inline-block;background:#fff4e0;border:1px solid #e0a040;color:#6b4300;border-radius:6px;padding:2px 8px;font-weight:600}
    .hold .en{display:block;font-weight:400;font-size:13px;margin:0}
    .cur-hold{margin:6px 0;font-size:17px}
    table.q tr.held td{color:#6b7480}
    table.q tr.held td.n{color:#9a6a00}
    .hold.row-hold{padding:1px 6px;font-size:13px;white-space:normal}
    .hold.row-hold .en{font-size:12px}
    .svc-main{flex:1 1 auto;min-width:0}
    .svc-main .hold{display:block;margin-top:4px;font-size:15px}
    .onbreak .en{display:block;margin:4px 0 0;font-size:15px;color:#7b1d12}
    """
}
