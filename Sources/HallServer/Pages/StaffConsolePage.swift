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
    /// Server time of the page (the timers count from it).
    var now = Date()
    /// When the current ticket's service started (the handling timer), if it did.
    var currentStartedAt: Date?
    /// The first waiting tickets of the window's services, in calling order.
    var waiting: [ConsoleWaitingRow] = []
    /// Tickets completed at this window today.
    var servedToday = 0
    /// Tickets missed at this window today, newest first (undo, 过号重排, 特呼).
    var missed: [ConsoleMissedRow] = []
    /// The break's reason while on a break (暂停服务), and since when.
    var breakReason: String?
    var breakSince: Date?
    /// Break reasons offered (`[console] breakReasons`).
    var breakReasons: [String] = []
    /// Services this window does not call now (its share held).
    var heldServiceIds: [String] = []
    /// The same with the clerk's notes: reason and until when (the hold ends by itself then).
    var holds: [WindowServiceHold] = []
    /// When 过号 of the current ticket becomes possible; nil: now (or no called ticket).
    var noShowAllowedAt: Date?
    /// The 过号 rules (shown on the button).
    var noShowRule = ConsoleRules()
    /// A confirmation to ask.
    var confirm: ConsoleConfirm?
}

/// A waiting ticket in the console's list.
struct ConsoleWaitingRow: Sendable {
    var id: String
    var number: String
    var service: String
    /// The service's id (a held service's tickets say so).
    var serviceId: String = ""
    var priority: PriorityKind?
    var issuedAt: Date
    /// The service it was taken for, when transferred here.
    var transferredFrom: String?
    /// Put back in the queue (过号重排).
    var requeued: Bool
    /// An appointment ticket's booked slot, `09:00-09:30` (shown with a 预约 tag).
    var appointmentSlot: String? = nil
}

/// A ticket missed at this window.
struct ConsoleMissedRow: Sendable {
    var id: String
    var number: String
    var endedAt: Date
    /// Still within `[console] noShowUndoMinutes` (and the window is free).
    var undoable: Bool
}

/// The staff calling console (`/staff`) for halls with no other calling system: plain forms that work without JavaScript;
/// a small script adds the keyboard (F1 …), the live panel and the timers.
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

    /// The question before taking over a window someone else is signed in at: who would be signed out, the PIN again.
    static func takeover(windows: [WindowRef], windowId: String, employeeNo: String, occupant: StaffSummary) -> String {
        let e = HTML.escape
        let window = windows.first { $0.id == windowId }
        var body = "<section class=\"card narrow\">\n<h2>\(HTML.bi("接管窗口？", "Take over this window?"))</h2>\n"
        body += "<div class=\"notice info\" role=\"alert\">\(e(window?.name.zh ?? windowId)) 正由 <b>\(e(occupant.name))</b>（工号 \(e(occupant.employeeNo))）登录。"
        body += "接管后其将被退出，当前号码留在本窗口由您继续办理。<span class=\"en\">\(e(occupant.name)) (\(e(occupant.employeeNo))) is signed in here and will be signed out; "
        body += "the ticket at the window stays for you.</span></div>\n"
        body += "<form method=\"post\" action=\"/staff/login\" accept-charset=\"utf-8\" autocomplete=\"off\">\n"
        body += HTML.hidden("windowId", windowId) + HTML.hidden("employeeNo", employeeNo) + HTML.hidden("takeover", "1")
        body += "<label class=\"field\">\(HTML.bi("请再次输入 PIN", "Enter your PIN again"))<input type=\"password\" name=\"pin\" required inputmode=\"numeric\" autocomplete=\"off\" maxlength=\"32\" autofocus></label>\n"
        body += "<button type=\"submit\" class=\"btn danger block\">\(HTML.bi("确认接管", "Take over"))</button>\n"
        body += "</form>\n<p><a href=\"/staff\">\(HTML.bi("取消", "Cancel"))</a></p>\n</section>\n"
        let header = "<h1>\(HTML.bi("窗口叫号台", "Window calling console"))</h1>"
        return HTMLLayout.page(title: "接管窗口 / Take over", lang: .zh, header: header, extraCSS: css, body: body)
    }

    /// The badge colour class for a ticket status.
    static func statusBadge(_ status: TicketStatus) -> String {
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
