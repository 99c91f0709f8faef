#if canImport(HallAPI)
import HallAPI
#endif
import Foundation

/// What `/admin/alerts` shows about the webhook.
struct WebhookRow: Sendable {
    var target: String
    var format: String
    var status: WebhookOutbox.Status
    var rules: AlertRules
}

/// `/admin/alerts`: the alerts that hold now, worst and oldest first, refreshed every 10 s; and the webhook's state.
enum AdminAlertsPage {
    /// The webhook's state in words: working or failing since when, the last error and its fix, what waits, what was
    /// given up or dropped.
    static func webhookState(_ w: WebhookRow, now: Date, timeZone: TimeZone) -> String {
        let e = HTML.escape
        let s = w.status
        func at(_ date: Date) -> String { PageFormat.hhmmss(date, timeZone) + (PageFormat.day(date, timeZone) == PageFormat.day(now, timeZone) ? "" : " (\(PageFormat.day(date, timeZone)))") }
        func ago(_ date: Date) -> (zh: String, en: String) { PageFormat.ago(date, now: now) }
        var out = "<p>\(HTML.bi("发送到", "Posted to")) <span class=\"mono\">\(e(w.target))</span> · \(HTML.bi("格式", "format")) <b>\(e(w.format))</b></p>"
        if let since = s.failingSince {
            let a = ago(since)
            out += "<p class=\"webhook-state failing\"><span class=\"badge red\">推送失败 failing</span> 自 \(e(at(since))) 起一直失败（\(e(a.zh))）"
                + "<span class=\"en\">failing since \(e(at(since))) (\(e(a.en)))</span></p>"
        } else if s.lastSuccessAt != nil {
            out += "<p class=\"webhook-state ok\"><span class=\"badge green\">推送正常 working</span></p>"
        } else {
            out += "<p class=\"webhook-state idle\"><span class=\"badge grey\">尚未发送 nothing sent yet</span></p>"
        }
        if let ok = s.lastSuccessAt {
            let a = ago(ok)
            out += "<p>\(HTML.bi("最近送达", "Last delivered")) <b>\(e(at(ok)))</b>（\(e(a.zh))）<span class=\"en\">\(e(a.en))</span></p>"
        }
        if let error = s.lastError {
            if s.failingSince != nil {
                let fix = WebhookProblem.fix(error)
                out += "<p class=\"err-text\">\(HTML.bi("最近错误", "Last error")) \(s.lastErrorAt.map { e(at($0)) } ?? "")：<b class=\"mono\">\(e(error))</b></p>"
                out += "<p class=\"fix\">处理方法：\(e(fix.zh))<span class=\"en\">What to do: \(e(fix.en))</span></p>"
            } else {
                out += "<p class=\"muted\">\(HTML.bi("上次失败（已恢复）", "Last failure (recovered since)")) \(s.lastErrorAt.map { e(at($0)) } ?? "")："
                    + "<span class=\"mono\">\(e(error))</span></p>"
            }
        }
        // Notices the receiver refused while it takes others (a failing receiver is said above).
        let refused = s.failingSince == nil ? s.retrying : []
        if !refused.isEmpty {
            out += "<p class=\"err-text\">\(refused.count) 条通知被接收方拒绝，重试中<span class=\"en\">\(refused.count) notices refused by the receiver, retrying</span></p><ul class=\"small\">"
            for r in refused.prefix(5) {
                let fix = WebhookProblem.fix(r.lastError)
                out += "<li><span class=\"mono\">\(e(r.key))</span> \(r.event == .raised ? "告警 raised" : "已恢复 resolved") · 已试 \(r.attempts) 次 tries · "
                    + "<b class=\"mono\">\(e(r.lastError))</b> · 下次 next \(e(at(r.dueAt)))<br>处理方法：\(e(fix.zh))<span class=\"en\">What to do: \(e(fix.en))</span></li>"
            }
            out += "</ul>"
        }
        out += "<p>\(HTML.bi("已送达", "Delivered")) <b>\(s.delivered)</b> · \(HTML.bi("待发送", "Waiting")) <b>\(s.pending)</b>"
        if s.pending > 0, let next = s.nextAttemptAt {
            out += " · \(HTML.bi("下次尝试", "next try")) <b>\(e(next <= now ? "—" : at(next)))</b>"
        }
        out += "</p>"
        let hours = w.rules.giveUpSeconds / 3600
        let age = hours >= 1 ? String(format: "%g 小时", hours) : String(format: "%g 分钟", w.rules.giveUpSeconds / 60)
        let ageEn = hours >= 1 ? String(format: "%g h", hours) : String(format: "%g min", w.rules.giveUpSeconds / 60)
        if s.givenUp > 0 {
            out += "<p class=\"err-text\">已放弃 <b>\(s.givenUp)</b> 条通知（超过 \(age)\(w.rules.giveUpAttempts.map { " 或 \($0) 次" } ?? "")仍未送达）"
                + (s.lastGivenUpKey.map { "，最近一条：<span class=\"mono\">\(e($0))</span>" } ?? "")
                + (s.lastGivenUpAt.map { " \(e(at($0)))" } ?? "")
                + "<span class=\"en\">\(s.givenUp) notices given up (not delivered within \(ageEn)\(w.rules.giveUpAttempts.map { " or \($0) tries" } ?? ""))</span></p>"
        }
        if s.dropped > 0 {
            out += "<p class=\"err-text\">待发送队列已满（上限 \(w.rules.queueLimit) 条），已丢弃最早的 <b>\(s.dropped)</b> 条"
                + "<span class=\"en\">The outbox was full (limit \(w.rules.queueLimit)): the oldest \(s.dropped) notices were dropped</span></p>"
        }
        out += "<p class=\"muted small\">每条通知单独重试：\(e(retryLadder(w.rules, zh: true)))；\(age)后放弃。同一告警的“已恢复”不会先于告警发出。"
            + "<span class=\"en\">Each notice is retried on its own: \(e(retryLadder(w.rules, zh: false))); given up after \(ageEn). "
            + "A “resolved” never goes before its alert.</span></p>"
        return out
    }

    /// `5 s, 30 s, 2 min, 10 min …`.
    static func retryLadder(_ rules: AlertRules, zh: Bool) -> String {
        let outbox = WebhookOutbox(rules: rules)
        let waits = (1...4).map { outbox.retryWait(afterAttempts: $0) }
        var seen: [Double] = []
        for w in waits where seen.last != w { seen.append(w) }
        return seen.map { w in
            if w < 60 { return String(format: zh ? "%g 秒" : "%g s", w) }
            if w < 3600 { return String(format: zh ? "%g 分钟" : "%g min", w / 60) }
            return String(format: zh ? "%g 小时" : "%g h", w / 3600)
        }.joined(separator: zh ? "、" : ", ") + " …"
    }

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
            body += webhookState(w, now: now, timeZone: timeZone)
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
