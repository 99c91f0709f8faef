#if canImport(HallAPI)
import HallAPI
#endif
import Foundation

/// What `/admin/alerts` shows about the webhook.
struct WebhookRow: Sendable {
    var target: String
    var format: String
    var queued: Int
    var delivered: Int
    var dropped: Int
    var lastError: String?
    var lastErrorAt: Date?
}

/// `/admin/alerts`: the alerts that hold now, worst and oldest first, refreshed every 10 s; and the webhook's state.
enum AdminAlertsPage {
    static func page(hallName: LocalizedText, entries: [AlertBoard.Entry], checkedAt: Date?, problem: String?, webhook: WebhookRow?,
                     now: Date, timeZone: TimeZone, formToken: String) -> String {
        let e = HTML.escape
        var body = "<div class=\"summary\">"
        body += entries.isEmpty ? "<span class=\"badge green big\">没有告警<span class=\"en\">No alerts</span></span>"
            : "<span class=\"badge red big\">\(entries.count) 条告警<span class=\"en\">\(entries.count) alerts</span></span>"
        body += "<span class=\"muted small\">检查于 \(checkedAt.map { PageFormat.hhmmss($0, timeZone) } ?? "—") · 每 10 秒刷新<span class=\"en\">refreshes every 10 s</span></span></div>\n"
        if let problem { body += "<div class=\"notice err\" role=\"alert\">告警检查失败 / alert check failed: \(e(problem))</div>\n" }
        body += "<section class=\"card flush\"><table class=\"resp alerts-list\"><thead><tr>"
        for (zh, en) in [("级别", "Severity"), ("告警", "Alert"), ("设备", "Device"), ("窗口", "Window"), ("开始", "Since")] { body += "<th>\(HTML.bi(zh, en))</th>" }
        body += "</tr></thead><tbody>\n"
        for entry in entries {
            let a = entry.alert
            let critical = a.severity == .critical
            body += "<tr class=\"\(critical ? "alert" : "warn-row")\"><td data-label=\"级别\"><span class=\"badge \(critical ? "red" : "amber")\">"
                + (critical ? "严重 critical" : "注意 warning") + "</span></td>"
            body += "<td data-label=\"告警\"><b>\(e(a.message.zh))</b><span class=\"en\">\(e(a.message.en))</span><div class=\"small mono muted\">\(e(a.key))</div></td>"
            body += "<td data-label=\"设备\" class=\"mono\">\(e(a.deviceId ?? "server"))</td><td data-label=\"窗口\" class=\"mono\">\(e(a.windowId ?? "—"))</td>"
            let ago = PageFormat.ago(entry.since, now: now)
            body += "<td data-label=\"开始\">\(e(PageFormat.hhmmss(entry.since, timeZone)))<div class=\"small muted\">\(e(ago.zh))</div></td></tr>\n"
        }
        if entries.isEmpty { body += "<tr><td colspan=\"5\" class=\"muted\">\(HTML.bi("一切正常", "All is well"))</td></tr>\n" }
        body += "</tbody></table></section>\n"
        body += "<section class=\"card\"><h2>\(HTML.bi("告警推送", "Alert webhook"))</h2>"
        if let w = webhook {
            body += "<p>\(HTML.bi("发送到", "Posted to")) <span class=\"mono\">\(e(w.target))</span> · \(HTML.bi("格式", "format")) <b>\(e(w.format))</b></p>"
            body += "<p>\(HTML.bi("已送达", "Delivered")) <b>\(w.delivered)</b> · \(HTML.bi("排队", "Queued")) <b>\(w.queued)</b> · \(HTML.bi("丢弃", "Dropped")) <b>\(w.dropped)</b></p>"
            if let error = w.lastError {
                body += "<p class=\"err-text\">\(HTML.bi("最近失败", "Last failure")) \(w.lastErrorAt.map { e(PageFormat.hhmmss($0, timeZone)) } ?? ""): \(e(error))</p>"
            }
        } else {
            body += "<p class=\"muted\">未配置。在 hall.toml 加 <code>[alerts] webhook = \"https://…\"</code>（企业微信/钉钉机器人加 <code>format = \"wecom\"</code> 或 <code>\"dingtalk\"</code>）。"
                + "<span class=\"en\">Not configured: add [alerts] webhook to hall.toml.</span></p>"
        }
        body += "</section>\n"
        return HTMLLayout.page(title: "告警 · \(hallName.zh)", lang: .zh, refreshSeconds: 10, refreshURL: "/admin/alerts", wide: true,
                               header: AdminPages.adminHeader(hallName, zh: "告警", en: "Alerts", current: "alerts", formToken: formToken),
                               extraCSS: AdminPages.css + "\ntr.warn-row td{background:#fff8e5}\ntr.warn-row td:first-child{border-left:6px solid #f5b400}", body: body)
    }
}
