#if canImport(HallAPI)
import HallAPI
#endif
import Foundation

/// `/admin/settings/audit`: every settings change, newest first — when, who, what, the item before and after.
enum AdminAuditPage {
    static func page(hallName: LocalizedText, entries: [SettingsAuditEntry], timeZone: TimeZone, formToken: String) -> String {
        let e = HTML.escape
        var body = "<p><a href=\"/admin/settings\">← \(HTML.bi("大厅设置", "Hall settings"))</a></p>\n"
        body += "<section class=\"card flush\"><div class=\"table-wrap\"><table class=\"audit\"><thead><tr>"
        for (zh, en) in [("时间", "When"), ("版本", "Version"), ("操作人", "Who"), ("内容", "What"), ("修改前", "Before"), ("修改后", "After")] {
            body += "<th>\(HTML.bi(zh, en))</th>"
        }
        body += "</tr></thead><tbody>\n"
        if entries.isEmpty {
            body += "<tr><td colspan=\"6\" class=\"muted\">\(HTML.bi("尚无修改，设置来自 hall.toml", "No changes yet: the settings are hall.toml's"))</td></tr>\n"
        }
        for entry in entries {
            body += "<tr><td class=\"nowrap\">\(e(PageFormat.dayTime(entry.at, timeZone)))</td><td class=\"num\">\(entry.version)</td>"
            body += "<td class=\"mono\">\(e(entry.actor))</td><td>\(e(entry.summary))</td>"
            body += "<td><code class=\"json\">\(e(entry.before ?? "—"))</code></td><td><code class=\"json\">\(e(entry.after ?? "—"))</code></td></tr>\n"
        }
        body += "</tbody></table></div></section>\n"
        return HTMLLayout.page(title: "修改记录 · \(hallName.zh)", lang: .zh, wide: true,
                               header: AdminPages.adminHeader(hallName, zh: "设置修改记录", en: "Settings audit log", current: "settings", formToken: formToken),
                               extraCSS: AdminPages.css + "\ncode.json{display:block;max-width:380px;white-space:pre-wrap;word-break:break-all;font-size:13px;color:#3d444d}",
                               body: body)
    }
}
