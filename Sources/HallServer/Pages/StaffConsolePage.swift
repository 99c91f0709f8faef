#if canImport(HallAPI)
import HallAPI
#endif
import Foundation

/// Everything the window staff's calling console shows. Deliberately has no rating data:
/// staff at the window must never see a rating being made.
struct StaffConsoleModel: Sendable {
    /// The hall's name, shown in the header.
    var hallName: LocalizedText
    /// Who is logged in at the window.
    var staff: StaffSummary
    /// The window this console serves.
    var window: WindowRef
    /// The ticket called or being served at this window (or the last one acted on), if any.
    var current: TicketProgress?
    /// Tickets waiting for the services of this window.
    var waitingForWindow: Int
    /// The window's services, with their state and waiting count (pause/resume).
    var services: [ServiceStatus]
    /// Every service of the hall: transfer targets.
    var allServices: [ServiceRef]
    /// A confirmation banner ("已叫号 A023").
    var message: String?
    /// An error banner.
    var error: String?
    /// The hall's time zone, for times on the page.
    var timeZone: TimeZone
    /// Reload interval so the waiting count stays current; 0 = no reload.
    var refreshSeconds: Int = 10
    /// Recalls allowed per called ticket (`[calling] recallLimit`).
    var recallLimit: Int = 3
    /// The console's own GET address, reloaded by the refresh (so a page that answered a POST reloads with GET).
    var consolePath: String = "/staff"
    /// The session's form token (`FormToken`), carried by every form so a page on another origin cannot post them.
    var formToken: String = ""
}

/// The staff calling console (`/staff`) for halls with no other calling system: plain forms, no JavaScript.
enum StaffConsolePage: Sendable {
    /// The actions (`/staff/action` `action` values) that make sense for the current ticket's state:
    /// none, completed or missed → `call-next`; called → `recall`, `start`, `complete`, `no-show`, `transfer`;
    /// serving → `complete`, `transfer`.
    static func allowedActions(for status: TicketStatus?) -> Set<String> {
        switch status {
        case nil, .waiting, .completed, .noShow, .expired: ["call-next"]
        case .called: ["recall", "start", "complete", "no-show", "transfer"]
        case .serving: ["complete", "transfer"]
        }
    }

    /// The staff sign-in page: `POST /staff/login` with `windowId`, `employeeNo`, `pin`.
    static func login(windows: [WindowRef], selectedWindowId: String?, error: String?) -> String {
        let e = HTML.escape
        var body = ""
        body += "<section class=\"card narrow\">\n<h2>\(HTML.bi("工作人员登录", "Staff sign-in"))</h2>\n"
        if let error { body += "<div class=\"notice err\" role=\"alert\">\(e(error))</div>\n" }
        if windows.isEmpty {
            body += "<p class=\"notice info\">\(HTML.bi("本大厅尚未配置窗口，请联系管理员。", "No windows are configured for this hall; contact hall IT."))</p>\n"
        }
        body += "<form method=\"post\" action=\"/staff/login\" accept-charset=\"utf-8\" autocomplete=\"off\">\n"
        body += "<label class=\"field\">\(HTML.bi("窗口", "Window"))<select name=\"windowId\" required>\n"
        let selected = selectedWindowId.flatMap { id in windows.contains { $0.id == id } ? id : nil }
        if selected == nil {
            body += "<option value=\"\" selected disabled>请选择窗口 / Choose a window</option>\n"
        }
        for w in windows {
            let label = w.name.zh + (w.name.en.isEmpty || w.name.en == w.name.zh ? "" : " / " + w.name.en)
            body += HTML.option(value: w.id, label: label, selected: w.id == selected) + "\n"
        }
        body += "</select></label>\n"
        body += "<label class=\"field\">\(HTML.bi("工号", "Employee number"))<input type=\"text\" name=\"employeeNo\" required autocomplete=\"username\" autocapitalize=\"off\" spellcheck=\"false\" maxlength=\"32\"></label>\n"
        body += "<label class=\"field\">\(HTML.bi("密码（PIN）", "PIN"))<input type=\"password\" name=\"pin\" required inputmode=\"numeric\" autocomplete=\"off\" maxlength=\"32\"></label>\n"
        body += "<button type=\"submit\" class=\"btn primary block\">\(HTML.bi("登录", "Sign in"))</button>\n"
        body += "</form>\n</section>\n"
        let header = "<h1>\(HTML.bi("窗口叫号台", "Window calling console"))</h1>"
        return HTMLLayout.page(title: "窗口叫号台 · 登录 / Staff sign-in", lang: .zh, header: header, extraCSS: css, body: body)
    }

    /// The console: current ticket, action buttons (`POST /staff/action`), service pause/resume
    /// (`POST /staff/service`), logout (`POST /staff/logout`).
    static func console(_ model: StaffConsoleModel) -> String {
        let e = HTML.escape
        let current = model.current
        let allowed = allowedActions(for: current?.status)
        let csrf = HTML.hidden(FormToken.field, model.formToken)
        var body = ""
        if let error = model.error { body += "<div class=\"notice err\" role=\"alert\">\(e(error))</div>\n" }
        if let message = model.message { body += "<div class=\"notice ok\" role=\"status\">\(e(message))</div>\n" }

        body += "<div class=\"grid\">\n<div class=\"col\">\n"

        // Current ticket.
        body += "<section class=\"card current\">\n"
        body += "<div class=\"cur-head\"><span class=\"muted\">\(HTML.bi("当前号码", "Current ticket"))</span>"
        body += "<span class=\"waiting\">\(HTML.bi("本窗口等候", "Waiting")) <b>\(model.waitingForWindow)</b> 人</span></div>\n"
        if let c = current {
            body += "<div class=\"cur-num\">\(e(c.number))</div>\n"
            body += "<div class=\"cur-info\"><span class=\"badge \(statusBadge(c.status))\">\(HTML.bi(PageWords.status(c.status).zh, PageWords.status(c.status).en))</span> "
            body += "<span class=\"cur-svc\">\(e(c.service.name.zh))</span>"
            if let prio = c.priority {
                body += " <span class=\"badge green\">\(e(PageWords.priority(prio).zh))</span>"
            }
            body += "</div>\n"
            var times: [String] = ["取号 \(PageFormat.hhmm(c.issuedAt, model.timeZone))"]
            if let at = c.calledAt { times.append("叫号 \(PageFormat.hhmm(at, model.timeZone))") }
            if let recalls = c.recallCount, recalls > 0 { times.append("已重呼 \(recalls)/\(model.recallLimit) 次") }
            if let at = c.completedAt, c.status == .completed { times.append("办结 \(PageFormat.hhmm(at, model.timeZone))") }
            body += "<div class=\"muted small\">\(times.joined(separator: " · "))</div>\n"
        } else {
            body += "<div class=\"cur-num none\">—</div>\n<div class=\"muted\">\(HTML.bi("当前无号，请叫下一位", "No current ticket — call the next one"))</div>\n"
        }
        body += "</section>\n"

        // Actions.
        body += "<section class=\"card actions\">\n<h2>\(HTML.bi("操作", "Actions"))</h2>\n<div class=\"btns\">\n"
        let buttons: [(String, String, String, String)] = [
            ("call-next", "叫下一位", "Call next", "primary"),
            ("recall", "重呼", "Recall", ""),
            ("start", "开始办理", "Start", ""),
            ("complete", "办结", "Complete", "primary"),
            ("no-show", "过号", "No-show", "danger"),
        ]
        let recalls = current?.recallCount ?? 0
        for (action, zh, en, style) in buttons {
            var on = allowed.contains(action)
            var label = HTML.bi(zh, en)
            if action == "recall", current?.status == .called {
                // The limit on the button; at the limit it is off and says why (过号 or serve).
                label = HTML.bi("\(zh) \(recalls)/\(model.recallLimit)", "\(en) \(recalls)/\(model.recallLimit)")
                if recalls >= model.recallLimit { on = false }
            }
            body += "<form method=\"post\" action=\"/staff/action\">\(csrf)\(HTML.hidden("action", action))"
            body += "<button type=\"submit\" class=\"btn \(on ? style : "")\"\(on ? "" : " disabled")>\(label)</button></form>\n"
        }
        body += "</div>\n"
        if current?.status == .called, recalls >= model.recallLimit {
            let hint = HTML.bi("已重呼 \(recalls) 次，达到上限：请过号或开始办理", "Recalled \(recalls) times, the limit: mark no-show or start serving")
            body += "<div class=\"notice info\" role=\"status\">\(hint)</div>\n"
        }

        // Transfer.
        let targets = model.allServices.filter { $0.id != current?.service.id }
        let canTransfer = allowed.contains("transfer") && !targets.isEmpty
        body += "<form method=\"post\" action=\"/staff/action\" class=\"transfer\">\(csrf)\(HTML.hidden("action", "transfer"))"
        body += "<label>\(HTML.bi("转至事项", "Transfer to"))<select name=\"serviceId\" required\(canTransfer ? "" : " disabled")>"
        body += "<option value=\"\" selected disabled>请选择 / Choose</option>"
        for s in targets {
            body += HTML.option(value: s.id, label: "\(s.prefix) · \(s.name.zh)")
        }
        body += "</select></label>"
        body += "<button type=\"submit\" class=\"btn\"\(canTransfer ? "" : " disabled")>\(HTML.bi("转移", "Transfer"))</button></form>\n"
        body += "</section>\n"
        body += "</div>\n<div class=\"col\">\n"

        // Services.
        body += "<section class=\"card services\">\n<h2>\(HTML.bi("本窗口事项", "Services at this window"))</h2>\n"
        if model.services.isEmpty {
            body += "<p class=\"muted\">\(HTML.bi("本窗口未配置事项", "No services configured"))</p>\n"
        }
        for s in model.services {
            let paused = s.state == .paused || s.reason == .pausedByStaff
            let state = paused ? PageWords.serviceState(.paused) : PageWords.serviceState(s.state)
            let badge = paused ? "red" : (s.state == .open ? "green" : (s.state == .quotaReached ? "amber" : "grey"))
            body += "<div class=\"svc-row\"><div class=\"svc-main\"><div class=\"svc-name\">\(e(s.prefix)) · \(e(s.name.zh))</div>"
            body += "<div class=\"small\"><span class=\"badge \(badge)\">\(HTML.bi(state.zh, state.en))</span> "
            body += "<span class=\"muted nowrap\">等候 <b>\(s.waitingCount)</b> 人</span></div></div>"
            body += "<form method=\"post\" action=\"/staff/service\">\(csrf)\(HTML.hidden("serviceId", s.id))\(HTML.hidden("paused", paused ? "0" : "1"))"
            body += "<button type=\"submit\" class=\"btn \(paused ? "primary" : "")\">\(paused ? HTML.bi("恢复取号", "Resume") : HTML.bi("暂停取号", "Pause"))</button></form></div>\n"
        }
        body += "</section>\n"
        body += "</div>\n</div>\n"

        if model.refreshSeconds > 0 {
            body += "<footer class=\"foot\">本页每 \(model.refreshSeconds) 秒自动刷新<span class=\"en\">Refreshes every \(model.refreshSeconds) s</span></footer>\n"
        }

        let header = """
        <div class="bar"><div><h1>\(e(model.window.name.zh)) <span class="en">\(e(model.window.name.en))</span></h1>\
        <div class="sub">\(e(model.staff.name)) · 工号 \(e(model.staff.employeeNo)) · \(e(model.hallName.zh))</div></div>\
        <form method="post" action="/staff/logout">\(csrf)<button type="submit" class="btn logout">\(HTML.bi("退出", "Sign out"))</button></form></div>
        """
        return HTMLLayout.page(title: "\(current?.number ?? "—") · \(model.window.name.zh) · 叫号台", lang: .zh,
                               refreshSeconds: max(0, model.refreshSeconds), refreshURL: model.consolePath,
                               wide: true, header: header, extraCSS: css, body: body)
    }

    /// The badge colour class for a ticket status.
    private static func statusBadge(_ status: TicketStatus) -> String {
        switch status {
        case .waiting: "grey"
        case .called: "amber"
        case .serving: ""
        case .completed: "green"
        case .noShow, .expired: "red"
        }
    }

    /// Styles used only by the staff pages.
    static let css = """
    .narrow{max-width:460px;margin-left:auto;margin-right:auto}
    .grid{display:grid;grid-template-columns:1fr;gap:0 16px}
    @media (min-width:900px){.grid{grid-template-columns:3fr 2fr}}
    .cur-head{display:flex;justify-content:space-between;flex-wrap:wrap;gap:6px;font-size:18px}
    .waiting b{font-size:28px;color:#1f4e9c}
    .cur-num{font-size:clamp(64px,16vw,128px);font-weight:800;line-height:1.1;color:#1f4e9c;font-variant-numeric:tabular-nums;word-break:break-all}
    .cur-num.none{color:#9aa3ae}
    .cur-info{font-size:22px;margin:4px 0}
    .cur-svc{font-weight:600}
    .btns{display:grid;grid-template-columns:repeat(auto-fit,minmax(120px,1fr));gap:10px}
    .btns form{margin:0}
    .btns .btn{width:100%;min-height:64px;font-size:20px}
    .btns .btn .en{display:block;margin:0;font-size:14px;color:inherit;opacity:.85}
    form.transfer{display:flex;flex-wrap:wrap;align-items:flex-end;gap:10px;margin-top:16px;padding-top:14px;border-top:1px solid #e2e5ea}
    form.transfer label{flex:1 1 220px;font-weight:600}
    form.transfer select{display:block;width:100%;margin-top:6px}
    form.transfer .btn{min-height:48px}
    .svc-row{display:flex;align-items:center;justify-content:space-between;gap:10px;padding:10px 0;border-bottom:1px solid #e2e5ea}
    .svc-row:last-child{border-bottom:0}
    .svc-name{font-weight:700;font-size:19px;overflow-wrap:anywhere}
    .svc-row form{margin:0;flex:none}
    header.top form{margin:0}
    .btn.logout{min-height:40px;padding:6px 14px;background:transparent;color:#fff;border-color:#c9d8f0}
    """
}
