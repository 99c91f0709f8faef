#if canImport(HallAPI)
import HallAPI
#endif
import Foundation

/// One service's appointments on a day, counted by status.
struct AppointmentDayCount: Sendable, Hashable {
    var serviceId: String
    var serviceName: LocalizedText
    var booked = 0
    var checkedIn = 0
    var noShow = 0
    var cancelled = 0
    var total: Int { booked + checkedIn + noShow + cancelled }
}

/// One appointment as the admin page lists it: masked ID number only, no name, no phone.
struct AppointmentAdminRow: Sendable, Hashable {
    var slotStart: Date
    var slotEnd: Date
    var serviceName: LocalizedText
    var source: String
    var maskedId: String
    var status: AppointmentStatus
    /// The number of the ticket it was checked in with.
    var ticketNumber: String?
}

/// `/admin/appointments`: a day's appointments, check-ins and no-shows per service, the list (masked), and the CSV import.
enum AdminAppointmentsPage {
    static func page(hallName: LocalizedText, day: String, days: (previous: String?, next: String?), counts: [AppointmentDayCount],
                     rows: [AppointmentAdminRow], timeZone: TimeZone, formToken: String, report: AppointmentImportReport? = nil,
                     notice: String? = nil) -> String {
        let e = HTML.escape
        var body = ""
        if let notice { body += "<div class=\"notice err\" role=\"alert\">\(e(notice))</div>\n" }
        if let report {
            body += "<div class=\"notice \(report.problems.isEmpty ? "ok" : "info")\" role=\"status\">\(HTML.bi("导入完成", "Imported")): "
                + "\(e(report.summary))</div>\n"
            if !report.problems.isEmpty {
                body += "<section class=\"card\"><h2>\(HTML.bi("未导入的行", "Rows not imported"))</h2><ul class=\"problems\">"
                    + report.problems.map { "<li><b>\(HTML.bi("第 \($0.line) 行", "line \($0.line)"))</b> \(e($0.reason))</li>" }.joined()
                    + "</ul></section>\n"
            }
        }
        // The day and its neighbours.
        body += "<div class=\"summary\"><span class=\"badge big\">\(e(day))</span>"
        if let p = days.previous { body += "<a href=\"/admin/appointments?day=\(e(p))\">‹ \(e(p))</a>" }
        if let n = days.next { body += "<a href=\"/admin/appointments?day=\(e(n))\">\(e(n)) ›</a>" }
        body += "</div>\n"

        body += "<section class=\"card flush\"><h2 class=\"pad\">\(HTML.bi("按事项统计", "Per service"))</h2><div class=\"table-wrap\">"
            + "<table class=\"resp\"><thead><tr>"
        let heads = [("事项", "Service"), ("预约", "Booked"), ("已签到", "Checked in"), ("爽约", "No-show"), ("已取消", "Cancelled"), ("合计", "Total")]
        for (i, (zh, en)) in heads.enumerated() { body += "<th\(i > 0 ? " class=\"num\"" : "")>\(HTML.bi(zh, en))</th>" }
        body += "</tr></thead><tbody>\n"
        if counts.isEmpty {
            body += "<tr><td colspan=\"6\" class=\"muted\">\(HTML.bi("这一天没有预约", "No appointments this day"))</td></tr>\n"
        }
        for c in counts {
            let cells = [c.booked, c.checkedIn, c.noShow, c.cancelled, c.total]
            body += "<tr><td data-label=\"事项\">\(HTML.bi(c.serviceName.zh, c.serviceName.en))</td>"
            for (i, n) in cells.enumerated() {
                body += "<td class=\"num\(i == 2 && n > 0 ? " warn" : "")\" data-label=\"\(heads[i + 1].0)\">\(n)</td>"
            }
            body += "</tr>\n"
        }
        if counts.count > 1 {
            let sum = { (f: (AppointmentDayCount) -> Int) in counts.reduce(0) { $0 + f($1) } }
            body += "<tr class=\"total\"><td><b>\(HTML.bi("合计", "Total"))</b></td>"
                + [sum(\.booked), sum(\.checkedIn), sum(\.noShow), sum(\.cancelled), sum(\.total)].map { "<td class=\"num\"><b>\($0)</b></td>" }.joined()
                + "</tr>\n"
        }
        body += "</tbody></table></div></section>\n"

        body += "<section class=\"card flush\"><h2 class=\"pad\">\(HTML.bi("预约明细", "Appointments"))</h2><div class=\"table-wrap\">"
            + "<table class=\"resp\"><thead><tr>"
        let listHeads = [("时段", "Slot"), ("事项", "Service"), ("来源", "Source"), ("证件号", "ID (masked)"), ("状态", "Status"), ("号码", "Ticket")]
        for (zh, en) in listHeads { body += "<th>\(HTML.bi(zh, en))</th>" }
        body += "</tr></thead><tbody>\n"
        if rows.isEmpty { body += "<tr><td colspan=\"6\" class=\"muted\">—</td></tr>\n" }
        for r in rows {
            let status = statusWords(r.status)
            body += "<tr><td data-label=\"时段\" class=\"nowrap\">\(PageFormat.hhmm(r.slotStart, timeZone))-\(PageFormat.hhmm(r.slotEnd, timeZone))</td>"
                + "<td data-label=\"事项\">\(e(r.serviceName.zh))</td><td data-label=\"来源\" class=\"mono\">\(e(r.source))</td>"
                + "<td data-label=\"证件号\" class=\"mono\">\(e(r.maskedId))</td>"
                + "<td data-label=\"状态\"><span class=\"badge \(status.badge)\">\(HTML.bi(status.zh, status.en))</span></td>"
                + "<td data-label=\"号码\" class=\"mono\">\(e(r.ticketNumber ?? "—"))</td></tr>\n"
        }
        body += "</tbody></table></div></section>\n"

        body += "<section class=\"card\"><h2>\(HTML.bi("导入预约（CSV）", "Import appointments (CSV)"))</h2>"
            + "<p class=\"small muted\">\(HTML.bi("首行为列名", "First line: the column names")): <code>\(AppointmentCSV.columns.joined(separator: ","))</code>"
            + " · \(HTML.bi("时间为 RFC 3339，如", "times in RFC 3339, e.g.")) <code>2026-12-08T09:00:00+08:00</code> · "
            + "\(HTML.bi("phone 可空；同一 externalId 重复导入不会改变任何内容", "phone may be empty; importing the same externalId again changes nothing"))</p>"
            + "<form method=\"post\" action=\"/admin/appointments/import\" enctype=\"multipart/form-data\" class=\"filter\">"
            + HTML.hidden(FormToken.field, formToken)
            + "<label>\(HTML.bi("文件", "File"))<input type=\"file\" name=\"file\" accept=\".csv,text/csv\" required></label>"
            + "<button class=\"btn primary\" type=\"submit\">\(HTML.bi("导入", "Import"))</button></form></section>\n"

        return HTMLLayout.page(title: "预约 · \(hallName.zh)", lang: .zh, wide: true,
                               header: AdminPages.adminHeader(hallName, zh: "预约", en: "Appointments", current: "appointments", formToken: formToken),
                               extraCSS: AdminPages.css + "\n" + css, body: body)
    }

    static func statusWords(_ status: AppointmentStatus) -> (zh: String, en: String, badge: String) {
        switch status {
        case .booked: ("已预约", "Booked", "")
        case .checkedIn: ("已签到", "Checked in", "green")
        case .noShow: ("爽约", "No-show", "red")
        case .cancelled: ("已取消", "Cancelled", "grey")
        }
    }

    static let css = """
    ul.problems{margin:0;padding-left:1.2em;font-size:16px}
    ul.problems li{margin:2px 0}
    tr.total td{background:#f5f7fa;border-top:2px solid #c9ced6}
    code{font-size:14px;background:#f5f7fa;padding:1px 5px;border-radius:4px;white-space:nowrap}
    """
}
