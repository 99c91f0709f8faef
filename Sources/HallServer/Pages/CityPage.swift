import Foundation
import HallAPI

/// The city report page (`/city`): every hall of the city database by hall → department → window → staff → service,
/// for a month or a range of days, whole or by day, with the CSV of the same. Counts and public names only.
enum CityPage {
    static func login(error: String?) -> String {
        let e = HTML.escape
        var body = "<section class=\"card narrow\">\n<h2>\(HTML.bi("市级管理员登录", "City administrator sign-in"))</h2>\n"
        if let error { body += "<div class=\"notice err\" role=\"alert\">\(e(error))</div>\n" }
        body += "<form method=\"post\" action=\"/city/login\" accept-charset=\"utf-8\">\n"
        body += "<label class=\"field\">\(HTML.bi("市级令牌", "City token"))<input type=\"password\" name=\"token\" required autocomplete=\"off\" autocapitalize=\"off\" spellcheck=\"false\"></label>\n"
        body += "<button type=\"submit\" class=\"btn primary block\">\(HTML.bi("登录", "Sign in"))</button>\n</form>\n</section>\n"
        return HTMLLayout.page(title: "全市报表 · 登录 / City report sign-in", lang: .zh,
                               header: "<h1>\(HTML.bi("全市政务服务报表", "City service report"))</h1>", extraCSS: css, body: body)
    }

    static func closed() -> String {
        message("全市报表未开启：在 hall.toml 的 [city] 中设置 token。", "The city report is closed: set token in [city] of hall.toml.")
    }

    static func noCity() -> String {
        message("全市报表需要 PostgreSQL 数据库（多个大厅共用）；本服务器使用 SQLite（单个大厅）。",
                "The city report needs the PostgreSQL database the halls share; this server keeps one hall in SQLite.")
    }

    private static func message(_ zh: String, _ en: String) -> String {
        HTMLLayout.page(title: "全市报表 / City report", lang: .zh, header: "<h1>\(HTML.bi("全市政务服务报表", "City service report"))</h1>",
                        extraCSS: css, body: "<section class=\"card\"><p>\(HTML.escape(zh))<br><span class=\"en\">\(HTML.escape(en))</span></p></section>")
    }

    static let levelNames: [CityReportLevel: (String, String)] = [
        .hall: ("大厅", "Hall"), .department: ("部门", "Department"), .window: ("窗口", "Window"), .staff: ("工作人员", "Staff"),
        .service: ("事项", "Service"),
    ]

    static func report(_ report: CityReport, query: CityQuery) -> String {
        let e = HTML.escape
        var body = ""
        // The form: period, level, by day.
        body += "<form class=\"filters\" method=\"get\" action=\"/city\">"
        body += "<label>月份 Month <input type=\"month\" name=\"month\" value=\"\(e(query.month ?? ""))\"></label>"
        body += "<label>或 从 From <input type=\"date\" name=\"from\" value=\"\(e(query.month == nil ? query.from : ""))\"></label>"
        body += "<label>到 To <input type=\"date\" name=\"to\" value=\"\(e(query.month == nil ? query.to : ""))\"></label>"
        body += "<label>层级 Level <select name=\"by\">"
        for level in CityReportLevel.allCases {
            let (zh, en) = levelNames[level]!
            body += "<option value=\"\(level.rawValue)\"\(level == query.level ? " selected" : "")>\(e(zh)) \(e(en))</option>"
        }
        body += "</select></label>"
        body += "<label><input type=\"checkbox\" name=\"day\" value=\"1\"\(query.byDay ? " checked" : "")> 按日 By day</label>"
        body += "<button type=\"submit\" class=\"btn primary\">查询 Show</button>"
        body += "<a class=\"btn\" href=\"/city/report.csv?\(e(query.queryString()))\" download>CSV</a></form>\n"
        // Summary.
        let t = report.total
        body += "<div class=\"summary\"><span>\(e(report.from)) … \(e(report.to))</span>"
        body += "<span>取号 <b>\(t.tickets)</b></span><span>办结 <b>\(t.served)</b></span>"
        body += "<span>平均等候 <b>\(minutes(t.averageWaitMinutes))</b></span><span>90% 等候 ≤ <b>\(minutes(t.p90WaitMinutes))</b></span>"
        body += "<span>好评率 <b>\(percent(t.goodRate))</b></span><span>差评率 <b>\(percent(t.badRate))</b></span>"
        body += "<span class=\"muted\">\(report.rows.count) 行 rows · \(String(format: "%.2f", report.seconds)) s</span></div>\n"
        // Table.
        let level = report.level
        body += "<div class=\"scroll\"><table class=\"city\">\n<thead><tr>"
        var heads = [("大厅", "Hall")]
        if level.depth >= 2 { heads.append(("部门", "Department")) }
        if level.depth >= 3 { heads.append(("窗口", "Window")) }
        if level.depth >= 4 { heads.append(("工作人员", "Staff")) }
        if level.depth >= 5 { heads.append(("事项", "Service")) }
        if report.byDay { heads.append(("日期", "Day")) }
        for (zh, en) in heads { body += "<th>\(e(zh))<span class=\"en\">\(e(en))</span></th>" }
        for (zh, en) in [("取号", "Tickets"), ("办结", "Served"), ("过号", "No-shows"), ("未办理", "Expired"), ("平均等候", "Avg wait"),
                         ("90%等候", "p90 wait"), ("评价", "Ratings"), ("好评率", "Good"), ("差评率", "Bad"), ("未评率", "Unrated")] {
            body += "<th class=\"n\">\(e(zh))<span class=\"en\">\(e(en))</span></th>"
        }
        body += "</tr></thead>\n<tbody>\n"
        for row in report.rows { body += line(row, level: level, byDay: report.byDay, total: false) }
        body += line(report.total, level: level, byDay: report.byDay, total: true)
        body += "</tbody></table></div>\n"
        body += "<p class=\"muted\">等候 = 取号到首次叫号；90% 等候来自分钟直方图（5 分钟一档）。好评率、差评率按主动评价计；未评率 = 办结未评价 ÷ 办结。"
            + "<span class=\"en\">Wait = issue to first call; p90 from a 5-minute histogram. Good/bad rates over active ratings; unrated = served without a rating ÷ served.</span></p>"
        return HTMLLayout.page(title: "全市报表 / City report", lang: .zh, wide: true,
                               header: "<h1>\(HTML.bi("全市政务服务报表", "City service report"))</h1>", extraCSS: css, body: body)
    }

    private static func line(_ row: CityReportRow, level: CityReportLevel, byDay: Bool, total: Bool) -> String {
        let e = HTML.escape
        var cells = [row.hallName.zh]
        if level.depth >= 2 { cells.append(total ? "" : row.department?.zh ?? "") }
        if level.depth >= 3 { cells.append(total ? "" : row.windowName?.zh ?? "") }
        if level.depth >= 4 { cells.append(total ? "" : row.staffName ?? "") }
        if level.depth >= 5 { cells.append(total ? "" : row.serviceName?.zh ?? "") }
        if byDay { cells.append(total ? "" : row.day ?? "") }
        var html = "<tr\(total ? " class=\"total\"" : "")>" + cells.map { "<td>\(e($0))</td>" }.joined()
        let numbers = [String(row.tickets), String(row.served), String(row.noShows), String(row.expired), minutes(row.averageWaitMinutes),
                       minutes(row.p90WaitMinutes), String(row.levels.total), percent(row.goodRate), percent(row.badRate), percent(row.unratedRate)]
        html += numbers.enumerated().map { i, text in
            "<td class=\"n\(i == 8 && row.badRate >= 0.05 ? " bad" : "")\">\(e(text))</td>"
        }.joined()
        return html + "</tr>\n"
    }

    private static func minutes(_ value: Double?) -> String { value.map { String(format: "%.1f 分", $0) } ?? "—" }
    private static func percent(_ value: Double) -> String { String(format: "%.1f%%", value * 100) }

    static let css = """
    .card{background:#fff;border-radius:10px;padding:18px;margin:12px 0;box-shadow:0 1px 3px rgba(0,0,0,.08)}
    .card.narrow{max-width:420px;margin:24px auto}
    .field{display:block;margin:12px 0}.field input{display:block;width:100%;font-size:18px;padding:8px;margin-top:4px}
    .btn{display:inline-block;padding:6px 14px;border:1px solid #1f4e9c;border-radius:6px;background:#fff;color:#1f4e9c;font-size:16px;text-decoration:none;cursor:pointer}
    .btn.primary{background:#1f4e9c;color:#fff}.btn.block{display:block;width:100%;padding:10px}
    .notice.err{background:#fdecea;color:#a61b1b;padding:8px 12px;border-radius:6px}
    .filters{display:flex;flex-wrap:wrap;gap:8px 14px;align-items:center;font-size:15px;margin:8px 0}
    .filters input,.filters select{font-size:15px;padding:3px}
    .summary{display:flex;flex-wrap:wrap;gap:6px 18px;margin:10px 0;font-size:16px}
    .muted{color:#5b6470;font-size:14px}
    .en{display:block;font-size:12px;color:#5b6470;font-weight:400}
    .scroll{overflow-x:auto;background:#fff;border-radius:8px}
    table.city{border-collapse:collapse;width:100%;font-size:14px}
    table.city th,table.city td{padding:5px 8px;border-bottom:1px solid #e3e7ed;text-align:left;white-space:nowrap}
    table.city th{background:#eef2f8;position:sticky;top:0}
    table.city .n{text-align:right;font-variant-numeric:tabular-nums}
    table.city tr.total td{font-weight:700;border-top:2px solid #1f4e9c}
    table.city td.bad{color:#a61b1b;font-weight:700}
    """
}
