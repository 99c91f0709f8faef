import Foundation
import HallAPI

/// The console page: the live panel (`livePanel`) and the forms the clerk fills in (特呼, transfer, break), which a
/// live update never touches.
extension StaffConsolePage {
    /// One action button: its form field, words, style, and keyboard key (F-key; the digit is the no-script accesskey).
    struct Key: Sendable {
        var action: String
        var zh: String
        var en: String
        var key: String
        var style: String
    }

    static let keys: [Key] = [
        Key(action: "call-next", zh: "叫下一位", en: "Call next", key: "F1", style: "primary"),
        Key(action: "recall", zh: "重呼", en: "Recall", key: "F2", style: ""),
        Key(action: "start", zh: "开始办理", en: "Start", key: "F3", style: ""),
        Key(action: "complete", zh: "办结", en: "Complete", key: "F4", style: "primary"),
        Key(action: "no-show", zh: "过号", en: "No-show", key: "F6", style: "danger"),
    ]

    /// The whole console page.
    static func console(_ m: StaffConsoleModel) -> String {
        let e = HTML.escape
        let csrf = HTML.hidden(FormToken.field, m.formToken)
        var body = ""
        if let error = m.error { body += "<div class=\"notice err\" role=\"alert\">\(e(error))</div>\n" }
        if let message = m.message { body += "<div class=\"notice ok\" role=\"status\">\(e(message))</div>\n" }
        if let confirm = m.confirm { body += confirmPanel(confirm, m) }
        let (main, queue, side) = liveParts(m)
        body += "<div class=\"grid console\">\n<div class=\"col\" id=\"live-a\" data-fp=\"\(ConsoleView.fingerprint(m))\" data-src=\"/staff/events\" data-part=\"/staff?part=live\">\(main)</div>\n"
        body += "<div class=\"col\" id=\"live-w\">\(queue)</div>\n"
        body += "<div class=\"col\">\n"

        // 特呼: a given number (a late citizen's, or out of turn).
        body += "<section class=\"card\">\n<h2>\(HTML.bi("特呼", "Call a number")) <kbd>F8</kbd></h2>\n"
        body += "<form method=\"post\" action=\"/staff/action\" class=\"row\">\(csrf)\(HTML.hidden("action", "call-number"))"
        body += "<input type=\"text\" name=\"number\" id=\"k-number\" required maxlength=\"12\" placeholder=\"A003\" autocomplete=\"off\" autocapitalize=\"characters\" spellcheck=\"false\" accesskey=\"8\">"
        body += "<button type=\"submit\" class=\"btn\">\(HTML.bi("特呼", "Call"))</button></form>\n</section>\n"

        // Transfer.
        let targets = m.allServices.filter { $0.id != m.current?.service.id }
        body += "<section class=\"card\">\n<h2>\(HTML.bi("转移", "Transfer")) <kbd>F7</kbd></h2>\n"
        body += "<form method=\"post\" action=\"/staff/action\" class=\"row\">\(csrf)\(HTML.hidden("action", "transfer"))"
        body += "<select name=\"serviceId\" id=\"k-transfer\" required accesskey=\"7\"><option value=\"\" selected disabled>转至事项 / Transfer to</option>"
        for s in targets { body += HTML.option(value: s.id, label: "\(s.prefix) · \(s.name.zh)") }
        body += "</select><button type=\"submit\" class=\"btn\">\(HTML.bi("转移", "Transfer"))</button></form>\n</section>\n"

        // Break (暂停服务): keeps the session; the window screen shows the reason.
        body += "<section class=\"card\">\n<h2>\(HTML.bi("暂停服务", "Break")) <kbd>F9</kbd></h2>\n"
        if let reason = m.breakReason {
            body += "<form method=\"post\" action=\"/staff/action\" class=\"row\">\(csrf)\(HTML.hidden("action", "resume"))"
            body += "<span class=\"badge red\">暂停服务：\(e(reason))\(m.breakSince.map { " · \(PageFormat.hhmm($0, m.timeZone)) 起" } ?? "")</span>"
            body += "<button type=\"submit\" class=\"btn primary\" id=\"k-break\" data-key=\"F9\" accesskey=\"9\">\(HTML.bi("恢复服务", "Resume")) <kbd>F9</kbd></button></form>\n"
        } else {
            body += "<form method=\"post\" action=\"/staff/action\" class=\"row\">\(csrf)\(HTML.hidden("action", "break"))"
            body += "<select name=\"reason\" id=\"k-break\" accesskey=\"9\">"
            for (i, r) in m.breakReasons.enumerated() { body += HTML.option(value: r, label: r, selected: i == 0) }
            body += "</select><input type=\"text\" name=\"reasonText\" maxlength=\"\(ConsoleRules.reasonLimit)\" placeholder=\"其他原因 / Other\" autocomplete=\"off\">"
            body += "<button type=\"submit\" class=\"btn\">\(HTML.bi("暂停服务", "Start break"))</button></form>\n"
        }
        body += "</section>\n"
        body += "<div id=\"live-b\">\(side)</div>\n"
        body += "</div>\n</div>\n"
        body += "<footer class=\"foot\">F1 叫下一位 · F2 重呼 · F3 开始办理 · F4 办结 · F6 过号 · F7 转移 · F8 特呼 · F9 暂停/恢复 · F10 退出 · Esc 取消"
        body += "<span class=\"en\">Without script: Alt+digit; the page reloads every \(m.refreshSeconds) s</span></footer>\n"

        let header = """
        <div class="bar"><div><h1>\(e(m.window.name.zh)) <span class="en">\(e(m.window.name.en))</span></h1>\
        <div class="sub">\(e(m.staff.name)) · 工号 \(e(m.staff.employeeNo)) · \(e(m.hallName.zh))</div></div>\
        <form method="post" action="/staff/logout">\(csrf)<button type="submit" class="btn logout" data-key="F10" accesskey="0">\(HTML.bi("退出", "Sign out")) <kbd>F10</kbd></button></form></div>
        """
        var page = HTMLLayout.page(title: "\(m.current?.number ?? "—") · \(m.window.name.zh) · 叫号台", lang: .zh,
                                   refreshSeconds: max(0, m.refreshSeconds), refreshURL: m.consolePath,
                                   wide: true, header: header, extraCSS: css + consoleCSS + holdCSS, body: body + "<script>\(script)</script>\n")
        // Only a page without script reloads itself: the script updates the live panel instead, keeping what is typed.
        if let start = page.range(of: "<meta http-equiv=\"refresh\""), let end = page[start.upperBound...].range(of: ">") {
            let meta = String(page[start.lowerBound..<end.upperBound])
            page.replaceSubrange(start.lowerBound..<end.upperBound, with: "<noscript>\(meta)</noscript>")
        }
        return page
    }

    /// The confirmation panel: its confirm button has the focus (Enter), Esc or the link cancels.
    static func confirmPanel(_ confirm: ConsoleConfirm, _ m: StaffConsoleModel) -> String {
        let e = HTML.escape
        let csrf = HTML.hidden(FormToken.field, m.formToken)
        var out = "<section class=\"card confirm\" role=\"alertdialog\">\n"
        switch confirm {
        case .noShow:
            guard let c = m.current, c.status == .called else {
                return "<div class=\"notice info\">\(HTML.bi("当前没有已叫号的号码", "No called ticket to mark missed"))</div>\n"
            }
            out += "<h2>确认 \(e(c.number)) 过号？<span class=\"en\">Mark \(e(c.number)) as missed?</span></h2>\n"
            out += "<p class=\"muted\">\(HTML.bi("过号后 \(Int(m.noShowRule.noShowUndoSeconds / 60)) 分钟内可撤销；之后可过号重排或特呼。", "Can be undone for \(Int(m.noShowRule.noShowUndoSeconds / 60)) min; later: requeue or call the number."))</p>\n"
            out += "<form method=\"post\" action=\"/staff/action\" class=\"row\">\(csrf)\(HTML.hidden("action", "no-show"))\(HTML.hidden("confirm", "1"))"
            out += "<button type=\"submit\" class=\"btn danger\" autofocus>\(HTML.bi("确认过号", "Mark missed")) <kbd>Enter</kbd></button>"
            out += "<a class=\"btn\" href=\"/staff\" data-cancel=\"1\">\(HTML.bi("取消", "Cancel")) <kbd>Esc</kbd></a></form>\n"
        case .signOut:
            let number = m.current?.number ?? ""
            out += "<h2>\(e(number)) 还在本窗口，退出前请选择 <span class=\"en\">\(e(number)) is still at this window: what happens to it?</span></h2>\n"
            out += "<form method=\"post\" action=\"/staff/logout\" class=\"row\">\(csrf)\(HTML.hidden("ticket", "queue"))"
            out += "<button type=\"submit\" class=\"btn primary\" autofocus>\(HTML.bi("退回队首，由其他窗口叫号", "Back to the front of the queue"))</button></form>\n"
            out += "<form method=\"post\" action=\"/staff/logout\" class=\"row\">\(csrf)\(HTML.hidden("ticket", "complete"))"
            out += "<button type=\"submit\" class=\"btn\">\(HTML.bi("已办结", "Completed"))</button></form>\n"
            out += "<form method=\"post\" action=\"/staff/logout\" class=\"row\">\(csrf)\(HTML.hidden("ticket", "transfer"))"
            out += "<select name=\"serviceId\" required><option value=\"\" selected disabled>转至事项 / Transfer to</option>"
            for s in m.allServices where s.id != m.current?.service.id { out += HTML.option(value: s.id, label: "\(s.prefix) · \(s.name.zh)") }
            out += "</select><button type=\"submit\" class=\"btn\">\(HTML.bi("转移后退出", "Transfer and sign out"))</button></form>\n"
            out += "<p class=\"muted small\">\(HTML.bi("市民手机页面会显示新的状态。", "The citizen's phone page shows the new status."))</p>"
            out += "<a class=\"btn\" href=\"/staff\" data-cancel=\"1\">\(HTML.bi("取消，不退出", "Cancel")) <kbd>Esc</kbd></a>\n"
        case .holdService(let id):
            out += holdPanel(id, m)
        case .pauseService(let id):
            guard let s = m.services.first(where: { $0.id == id }) else { return "" }
            out += "<h2>暂停全部取号机的「\(e(s.name.zh))」取号？<span class=\"en\">Pause issuing \(e(s.name.en)) at every kiosk?</span></h2>\n"
            out += "<p class=\"muted\">\(HTML.bi("所有窗口都将不再收到新号；取号机按钮显示原因和预计恢复时间。", "No window gets new tickets for it; the kiosk button shows the reason and when it may reopen."))</p>\n"
            out += "<form method=\"post\" action=\"/staff/service\" class=\"row\">\(csrf)\(HTML.hidden("serviceId", id))\(HTML.hidden("paused", "1"))"
            out += "<input type=\"text\" name=\"reason\" maxlength=\"\(ConsoleRules.reasonLimit)\" placeholder=\"原因，如 系统维护 / Reason\" autocomplete=\"off\">"
            out += "<label class=\"small\">\(HTML.bi("预计恢复", "Reopens")) <input type=\"time\" name=\"until\"></label>"
            out += "<button type=\"submit\" class=\"btn danger\" autofocus>\(HTML.bi("确认暂停", "Pause issuing"))</button>"
            out += "<a class=\"btn\" href=\"/staff\" data-cancel=\"1\">\(HTML.bi("取消", "Cancel")) <kbd>Esc</kbd></a></form>\n"
        }
        return out + "</section>\n"
    }

    /// Styles of the console beyond the staff pages' own.
    static let consoleCSS = """

    kbd{font:600 12px/1 monospace;border:1px solid #b8c2d0;border-bottom-width:2px;border-radius:4px;padding:1px 4px;background:#f4f6f9;color:#333;margin-left:4px}
    .btns .btn kbd{display:inline-block;margin:4px 0 0}
    form.row{display:flex;flex-wrap:wrap;gap:8px;align-items:center;margin:6px 0}
    form.row input[type=text],form.row select{flex:1 1 140px;min-height:44px;font-size:18px}
    .confirm{border:3px solid #c0392b}
    .timer{font-variant-numeric:tabular-nums;font-weight:700}
    table.q{width:100%;border-collapse:collapse;font-size:16px}
    table.q th,table.q td{padding:5px 6px;border-bottom:1px solid #e2e5ea;text-align:left;white-space:nowrap}
    table.q td.n{font-weight:800;color:#1f4e9c}
    table.q .slot{font-weight:700;font-variant-numeric:tabular-nums;color:#17552a}
    .stats{display:flex;gap:18px;flex-wrap:wrap;font-size:17px}
    .stats b{font-size:24px;color:#1f4e9c}
    .onbreak{background:#fdecea;border:2px solid #c0392b;color:#7b1d12;font-size:22px;font-weight:700;padding:10px 14px;border-radius:8px}
    .rule{display:block;font-size:12px;opacity:.85}
    @media (min-width:1200px){.grid.console{grid-template-columns:1.1fr 1fr 0.95fr}}
    .console .cur-num{font-size:clamp(56px,7vw,104px)}
    .console .card{padding-top:12px;padding-bottom:12px;margin-bottom:12px}
    .console .btns{grid-template-columns:repeat(3,1fr)}
    .console .btns .btn{min-height:58px;font-size:19px}
    .console h2{margin:0 0 8px}
    .svc-row .row{display:flex;gap:6px;flex-wrap:wrap;justify-content:flex-end}
    .svc-row .row form{margin:0}
    .svc-row .row .btn{min-height:40px;padding:6px 10px}
    """
}
