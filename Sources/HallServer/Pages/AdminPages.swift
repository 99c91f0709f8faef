#if canImport(HallAPI)
import HallAPI
#endif
import Foundation

/// One device on the admin devices page.
struct DeviceRow: Sendable {
    /// The device id from the hall configuration.
    var id: String
    /// `DeviceRole` raw value (`ticketKiosk`, `ratingDevice`); anything else is shown as-is.
    var role: String
    /// The window a rating device is mounted at.
    var windowId: String?
    /// When the last heartbeat arrived (server clock); nil = never.
    var lastSeen: Date?
    /// The last heartbeat's content; nil = never reported.
    var heartbeat: DeviceHeartbeat?
    /// Things hall IT must act on, worst first; empty = fine.
    var alerts: [String]
}

/// The hall IT pages: sign-in, device health, satisfaction report. Chinese first, English beside it.
enum AdminPages: Sendable {
    /// The admin sign-in page: `POST /admin/login` with `token` and the page to return to in `next`.
    static func login(error: String?, next: String) -> String {
        let e = HTML.escape
        var body = ""
        body += "<section class=\"card narrow\">\n<h2>\(HTML.bi("管理员登录", "Admin sign-in"))</h2>\n"
        if let error { body += "<div class=\"notice err\" role=\"alert\">\(e(error))</div>\n" }
        body += "<form method=\"post\" action=\"/admin/login\" accept-charset=\"utf-8\">\n"
        body += HTML.hidden("next", next) + "\n"
        body += "<label class=\"field\">\(HTML.bi("管理令牌", "Admin token"))<input type=\"password\" name=\"token\" required autocomplete=\"off\" autocapitalize=\"off\" spellcheck=\"false\"></label>\n"
        body += "<button type=\"submit\" class=\"btn primary block\">\(HTML.bi("登录", "Sign in"))</button>\n"
        body += "</form>\n</section>\n"
        return HTMLLayout.page(title: "管理后台 · 登录 / Admin sign-in", lang: .zh,
                               header: "<h1>\(HTML.bi("管理后台", "Hall admin"))</h1>", extraCSS: css, body: body)
    }

    // MARK: - Devices

    /// `GET /admin/devices`: every device with its last heartbeat; rows with alerts in red. Reloads every 30 s.
    static func devices(hallName: LocalizedText, rows: [DeviceRow], now: Date, timeZone: TimeZone, formToken: String = "",
                        clockProblem: String? = nil) -> String {
        let e = HTML.escape
        let bad = rows.filter { !$0.alerts.isEmpty }.count
        var body = ""
        if let clockProblem {
            body += "<div class=\"notice err\" role=\"alert\">服务器时钟异常，已停止取号 / server clock implausible, no numbers are issued: \(e(clockProblem))</div>\n"
        }
        body += "<div class=\"summary\">"
        body += "<span>共 <b>\(rows.count)</b> 台设备<span class=\"en\">\(rows.count) devices</span></span>"
        if bad > 0 {
            body += "<span class=\"badge red big\">\(bad) 台需要处理<span class=\"en\">\(bad) need attention</span></span>"
        } else {
            body += "<span class=\"badge green big\">全部正常<span class=\"en\">All OK</span></span>"
        }
        body += "<span class=\"muted small\">更新于 \(PageFormat.hhmmss(now, timeZone)) · 每 30 秒刷新<span class=\"en\">refreshes every 30 s</span></span>"
        body += "</div>\n"

        body += "<section class=\"card flush\">\n"
        if rows.isEmpty {
            body += "<p class=\"muted pad\">\(HTML.bi("尚未配置设备", "No devices configured"))</p>\n"
        } else {
            let heads: [(String, String)] = [
                ("状态", "Status"), ("设备", "Device"), ("窗口", "Window"), ("最近心跳", "Last seen"),
                ("版本", "Version"), ("运行时长", "Uptime"), ("打印机", "Printer"), ("待发送/被拒", "Outbox / rejected"),
                ("最近错误", "Last error"),
            ]
            body += "<table class=\"resp devices\">\n<thead><tr>"
            for (zh, en) in heads { body += "<th>\(HTML.bi(zh, en))</th>" }
            body += "</tr></thead>\n<tbody>\n"
            for row in rows {
                let alert = !row.alerts.isEmpty
                body += "<tr class=\"\(alert ? "alert" : "fine")\">"
                // Status / alerts.
                body += "<td data-label=\"状态\" class=\"alerts-cell\">"
                if alert {
                    body += "<ul class=\"alerts\">" + row.alerts.map { "<li>\(e($0))</li>" }.joined() + "</ul>"
                } else {
                    body += "<span class=\"badge green\">OK</span>"
                }
                body += "</td>"
                // Device.
                let role = PageWords.role(row.role)
                body += "<td data-label=\"设备\"><b class=\"mono\">\(e(row.id))</b><div class=\"small muted\">\(e(role.zh))"
                    + (role.en == role.zh ? "" : " · \(e(role.en))") + "</div>"
                if let beat = row.heartbeat {
                    if beat.issuingPaused == true { body += "<div><span class=\"badge amber\">已暂停取号 Issuing paused</span></div>" }
                    if let screen = beat.screen, !screen.isEmpty { body += "<div class=\"small muted\">画面 screen: \(e(screen))</div>" }
                    if let addresses = beat.addresses, !addresses.isEmpty {
                        body += "<div class=\"small mono\">IP \(e(addresses.prefix(3).joined(separator: ", ")))</div>"
                    }
                }
                body += "</td>"
                // Window.
                body += "<td data-label=\"窗口\">\(row.windowId.map { e($0) } ?? "<span class=\"muted\">—</span>")</td>"
                // Last seen.
                body += "<td data-label=\"最近心跳\">"
                if let seen = row.lastSeen {
                    let ago = PageFormat.ago(seen, now: now)
                    let sameDay = PageFormat.day(seen, timeZone) == PageFormat.day(now, timeZone)
                    let local = sameDay ? PageFormat.hhmmss(seen, timeZone) : PageFormat.day(seen, timeZone) + " " + PageFormat.hhmmss(seen, timeZone)
                    body += "<b>\(e(ago.zh))</b><span class=\"en\">\(e(ago.en))</span><div class=\"small muted\">\(e(local))</div>"
                    if let ms = row.heartbeat?.serverLatencyMs {
                        body += "<div class=\"small muted\">往返 round trip \(e(String(format: ms < 10 ? "%.1f" : "%.0f", ms))) ms</div>"
                    }
                } else {
                    body += "<span class=\"muted\">从未 never</span>"
                }
                body += "</td>"
                if let beat = row.heartbeat {
                    body += "<td data-label=\"版本\" class=\"mono\">\(e(beat.version))</td>"
                    body += "<td data-label=\"运行时长\">\(e(PageFormat.duration(beat.uptimeSeconds)))</td>"
                    body += "<td data-label=\"打印机\">"
                    if let printer = beat.printer, printer.condition == .notConfigured {
                        // A device without a printer (a rating device, a calling display) is fine as it is.
                        body += "<span class=\"muted\">无打印机<span class=\"en\">no printer</span></span>"
                    } else if let printer = beat.printer {
                        let words = PageWords.printer(printer.condition)
                        let cls: String = switch printer.condition {
                        case .ok: "green"
                        case .paperLow: "amber"
                        case .notConfigured, .unknown: "grey"
                        case .paperOut, .coverOpen, .offline, .stopped: "red"
                        }
                        body += "<span class=\"badge \(cls)\">\(e(words.zh)) \(e(words.en))</span>"
                        if !printer.reasons.isEmpty {
                            body += "<div class=\"small mono\">\(e(printer.reasons.joined(separator: ", ")))</div>"
                        }
                        if let message = printer.message, !message.isEmpty {
                            body += "<div class=\"small muted\">\(e(message))</div>"
                        }
                    } else {
                        body += "<span class=\"muted\">—</span>"
                    }
                    if let reader = beat.idCardReader {
                        let (cls, words) = reader.ready ? ("green", "读卡器正常 ID reader OK") : ("red", "读卡器异常 ID reader problem")
                        body += "<div class=\"small\"><span class=\"badge \(cls)\">\(words)</span> <span class=\"mono\">\(e(reader.samStatus.map { "SAM \($0)" } ?? reader.device))</span></div>"
                    }
                    body += "</td>"
                    let outboxClass = beat.outboxRejected > 0 || beat.outboxDepth >= 10 ? " warn" : ""
                    body += "<td data-label=\"待发送/被拒\" class=\"num\(outboxClass)\">\(beat.outboxDepth) / \(beat.outboxRejected)</td>"
                    body += "<td data-label=\"最近错误\" class=\"err-text\">\(beat.lastError.map { e($0) } ?? "<span class=\"muted\">—</span>")</td>"
                } else {
                    for label in ["版本", "运行时长", "打印机", "待发送/被拒", "最近错误"] {
                        body += "<td data-label=\"\(label)\"><span class=\"muted\">—</span></td>"
                    }
                }
                body += "</tr>\n"
            }
            body += "</tbody></table>\n"
        }
        body += "</section>\n"

        return HTMLLayout.page(title: "设备状态 · \(hallName.zh)", lang: .zh, refreshSeconds: 30, refreshURL: "/admin/devices",
                               wide: true, header: adminHeader(hallName, zh: "设备状态", en: "Devices", current: "devices", formToken: formToken),
                               extraCSS: css, body: body)
    }

    // MARK: - Report

    /// Colours of the five levels, 非常满意 → 非常不满意 (green → red), with a readable text colour on each.
    private static let levelColours: [(bg: String, fg: String)] = [
        ("#2e7d32", "#fff"), ("#8bc34a", "#1b1f24"), ("#fbc02d", "#1b1f24"), ("#f57c00", "#1b1f24"), ("#c62828", "#fff"),
    ]

    /// `GET /admin/reports?from=&to=&by=`: the satisfaction report with a filter form, a table, a level-mix chart,
    /// the 差评 list and a CSV link.
    static func report(hallName: LocalizedText, report: SatisfactionReport, timeZone: TimeZone, formToken: String = "") -> String {
        let e = HTML.escape
        let levels = RatingLevel.allCases
        var body = ""

        // Filter form (GET).
        body += "<section class=\"card\">\n<form method=\"get\" action=\"/admin/reports\" class=\"filter\">\n"
        body += "<label>\(HTML.bi("开始日期", "From"))<input type=\"date\" name=\"from\" value=\"\(e(report.from))\" required></label>\n"
        body += "<label>\(HTML.bi("结束日期", "To"))<input type=\"date\" name=\"to\" value=\"\(e(report.to))\" required></label>\n"
        body += "<label>\(HTML.bi("分组", "Group by"))<select name=\"by\">"
        for g in ReportGrouping.allCases {
            let words = groupingWords(g)
            body += HTML.option(value: g.rawValue, label: "\(words.zh) / \(words.en)", selected: g == report.by)
        }
        body += "</select></label>\n"
        body += "<button type=\"submit\" class=\"btn primary\">\(HTML.bi("查询", "Show"))</button>\n"
        let csv = "/api/v1/reports/satisfaction.csv" + HTML.query([("from", report.from), ("to", report.to), ("by", report.by.rawValue)])
        body += "<a class=\"btn\" href=\"\(e(csv))\" download>\(HTML.bi("导出 CSV", "Export CSV"))</a>\n"
        body += "</form>\n</section>\n"

        let by = groupingWords(report.by)
        body += "<p class=\"period\">统计期间 <b>\(e(report.from))</b> 至 <b>\(e(report.to))</b> · 按\(e(by.zh))"
        body += "<span class=\"en\">\(e(report.from)) to \(e(report.to)), by \(e(by.en.lowercased()))</span></p>\n"

        // Table.
        body += "<section class=\"card flush\">\n<div class=\"table-wrap\"><table class=\"report\">\n<thead><tr>"
        body += "<th>\(HTML.bi(by.zh, by.en))</th><th class=\"num\">\(HTML.bi("办结数", "Completed"))</th><th class=\"num\">\(HTML.bi("有效评价", "Active ratings"))</th>"
        for (i, level) in levels.enumerated() {
            body += "<th class=\"num\"><i class=\"sw\" style=\"background:\(levelColours[i].bg)\"></i>\(HTML.bi(level.label.zh, level.label.en))</th>"
        }
        body += "<th class=\"num\">\(HTML.bi("好评率", "Good"))</th><th class=\"num\">\(HTML.bi("差评率", "Bad"))</th>"
        body += "<th class=\"num\">\(HTML.bi("未评率", "Unrated"))</th><th class=\"num\">\(HTML.bi("系统默认", "System default"))</th>"
        body += "<th class=\"num\">\(HTML.bi("未办理", "Not served"))</th>"
        body += "</tr></thead>\n<tbody>\n"
        func row(_ g: SatisfactionGroup, name: String, total: Bool) -> String {
            var r = "<tr>"
            r += "<td class=\"name\">\(name)</td>"
            r += "<td class=\"num\">\(g.completedServices)</td><td class=\"num\">\(g.activeRatings)</td>"
            for level in levels { r += "<td class=\"num\">\(g.levels[level])</td>" }
            r += "<td class=\"num\(g.activeRatings > 0 ? " good" : "")\">\(PageFormat.percent(g.goodRate))</td>"
            r += "<td class=\"num\(g.levels.bad > 0 ? " bad" : "")\">\(PageFormat.percent(g.badRate))</td>"
            r += "<td class=\"num\">\(PageFormat.percent(g.unratedRate))</td>"
            r += "<td class=\"num\">\(g.systemDefaultRatings)</td>"
            r += "<td class=\"num\">\(g.expiredTickets)</td>"
            return r + "</tr>\n"
        }
        if report.groups.isEmpty {
            body += "<tr><td colspan=\"\(8 + levels.count)\" class=\"muted\">\(HTML.bi("该期间没有数据", "No data in this period"))</td></tr>\n"
        }
        for g in report.groups { body += row(g, name: groupName(g), total: false) }
        body += "</tbody>\n<tfoot>\n"
        body += row(report.total, name: HTML.bi("合计", "Total"), total: true)
        body += "</tfoot></table></div>\n"
        body += "<p class=\"muted small pad\">好评率 = 好评（非常满意、满意、基本满意）÷ 有效评价；差评率 = 差评（不满意、非常不满意）÷ 有效评价；"
        body += "未评率 = 无有效评价的办结数 ÷ 办结数；系统默认评价单独计数，不计入各项比率；未办理 = 当日结束时仍在等候的号。"
        body += "<span class=\"en\">Good and bad rates are shares of active ratings; the unrated rate is completed services without an active rating; system-default ratings are counted apart; not served = numbers still waiting when their hall day ended.</span></p>\n"
        body += "</section>\n"

        // Chart.
        body += "<section class=\"card\">\n<h2>\(HTML.bi("评价等级分布", "Rating mix"))</h2>\n<div class=\"legend\">"
        for (i, level) in levels.enumerated() {
            body += "<span><i class=\"sw\" style=\"background:\(levelColours[i].bg)\"></i>\(e(level.label.zh))<span class=\"en\">\(e(level.label.en))</span></span>"
        }
        body += "</div>\n<div class=\"chart\">\n"
        for g in report.groups { body += bar(g, name: groupName(g)) }
        body += bar(report.total, name: HTML.bi("合计", "Total"), total: true)
        body += "</div>\n</section>\n"

        // 差评 list.
        body += "<section class=\"card flush\">\n<h2 class=\"pad\">\(HTML.bi("差评明细", "Bad ratings")) <span class=\"badge \(report.badRatings.isEmpty ? "green" : "red")\">\(report.badRatings.count)</span></h2>\n"
        if report.badRatings.isEmpty {
            body += "<p class=\"muted pad\">\(HTML.bi("该期间没有差评", "No bad ratings in this period"))</p>\n"
        } else {
            let heads: [(String, String)] = [
                ("号码", "Ticket"), ("日期", "Day"), ("事项", "Service"), ("窗口", "Window"), ("工作人员", "Staff"),
                ("等级", "Level"), ("原因", "Reasons"), ("意见", "Comment"), ("渠道", "Channel"), ("评价时间", "Rated at"),
            ]
            body += "<table class=\"resp badlist\">\n<thead><tr>"
            for (zh, en) in heads { body += "<th>\(HTML.bi(zh, en))</th>" }
            body += "</tr></thead>\n<tbody>\n"
            for b in report.badRatings {
                let channel = PageWords.channel(b.channel)
                let staff = b.staffName ?? b.staffId
                body += "<tr>"
                body += "<td data-label=\"号码\"><b class=\"mono\">\(e(b.ticketNumber))</b>\(b.assessNumber == 2 ? " <span class=\"badge\">追评</span>" : "")</td>"
                body += "<td data-label=\"日期\" class=\"nowrap\">\(e(b.hallDay))</td>"
                body += "<td data-label=\"事项\" class=\"mono\">\(e(b.serviceId))</td>"
                body += "<td data-label=\"窗口\">\(b.windowId.map { e($0) } ?? "—")</td>"
                body += "<td data-label=\"工作人员\">\(staff.map { e($0) } ?? "—")"
                if let id = b.staffId, b.staffName != nil { body += "<div class=\"small muted mono\">\(e(id))</div>" }
                body += "</td>"
                body += "<td data-label=\"等级\"><span class=\"badge red\">\(e(b.level.label.zh))</span></td>"
                body += "<td data-label=\"原因\">\(e(b.reasons.map(\.label.zh).joined(separator: "、")))</td>"
                body += "<td data-label=\"意见\" class=\"comment\">\(b.text.map { e($0) } ?? "")</td>"
                body += "<td data-label=\"渠道\">\(e(channel.zh))</td>"
                body += "<td data-label=\"评价时间\" class=\"nowrap\">\(e(PageFormat.dayTime(b.ratedAt, timeZone)))</td>"
                body += "</tr>\n"
            }
            body += "</tbody></table>\n"
        }
        body += "</section>\n"

        return HTMLLayout.page(title: "满意度报表 · \(hallName.zh)", lang: .zh, wide: true,
                               header: adminHeader(hallName, zh: "满意度报表", en: "Satisfaction report", current: "reports", formToken: formToken),
                               extraCSS: css, body: body)
    }

    /// One stacked bar of the level mix.
    private static func bar(_ g: SatisfactionGroup, name: String, total: Bool = false) -> String {
        let e = HTML.escape
        let n = g.levels.total
        var s = "<div class=\"bar-row\(total ? " total" : "")\"><div class=\"bar-name\">\(name)</div><div class=\"mix\">"
        if n == 0 {
            s += "<span class=\"empty\">暂无评价 No ratings</span>"
        } else {
            for (i, level) in RatingLevel.allCases.enumerated() {
                let count = g.levels[level]
                guard count > 0 else { continue }
                let share = Double(count) / Double(n)
                let width = PageFormat.percent(share)
                let colour = levelColours[i]
                s += "<span class=\"seg\" style=\"width:\(width);background:\(colour.bg);color:\(colour.fg)\" title=\"\(e(level.label.zh)) \(count)（\(width)）\">"
                s += share >= 0.08 ? "\(count)" : ""
                s += "</span>"
            }
        }
        s += "</div><div class=\"bar-n\">\(n)</div></div>\n"
        return s
    }

    /// A group's display name (escaped): Chinese, with English and the key beside it when they differ.
    private static func groupName(_ g: SatisfactionGroup) -> String {
        let e = HTML.escape
        var s = e(g.name.zh.isEmpty ? g.key : g.name.zh)
        if !g.name.en.isEmpty, g.name.en != g.name.zh { s += "<span class=\"en\">\(e(g.name.en))</span>" }
        return s
    }

    /// A report grouping in words.
    private static func groupingWords(_ g: ReportGrouping) -> LocalizedText {
        switch g {
        case .window: LocalizedText(zh: "窗口", en: "Window")
        case .staff: LocalizedText(zh: "工作人员", en: "Staff")
        case .service: LocalizedText(zh: "事项", en: "Service")
        case .day: LocalizedText(zh: "日期", en: "Day")
        }
    }

    /// The blue top bar of admin pages, with links between them and sign-out (a form carrying the session's
    /// `formToken`; left out when there is none).
    static func adminHeader(_ hallName: LocalizedText, zh: String, en: String, current: String, formToken: String) -> String {
        let e = HTML.escape
        func link(_ href: String, _ key: String, _ zh: String, _ en: String) -> String {
            "<a href=\"\(href)\"\(key == current ? " aria-current=\"page\"" : "")>\(HTML.bi(zh, en))</a>"
        }
        return "<div class=\"bar\"><div><h1>\(HTML.bi(zh, en))</h1><div class=\"sub\">\(e(hallName.zh))"
            + (hallName.en.isEmpty || hallName.en == hallName.zh ? "" : " · \(e(hallName.en))") + "</div></div>"
            + "<nav class=\"nav\">\(link("/admin/devices", "devices", "设备状态", "Devices"))\(link("/admin/alerts", "alerts", "告警", "Alerts"))"
            + "\(link("/admin/settings", "settings", "大厅设置", "Settings"))\(link("/admin/reports", "reports", "满意度报表", "Reports"))"
            + "\(link("/admin/appointments", "appointments", "预约", "Appointments"))"
            + (formToken.isEmpty ? "" : "<form method=\"post\" action=\"/admin/logout\">\(HTML.hidden(FormToken.field, formToken))"
                + "<button type=\"submit\" class=\"btn logout\">\(HTML.bi("退出", "Sign out"))</button></form>")
            + "</nav></div>"
    }

    /// Styles used only by the admin pages.
    static let css = """
    .narrow{max-width:460px;margin-left:auto;margin-right:auto}
    .card.flush{padding:0;overflow:hidden}
    .card.flush h2{margin:0;padding-top:16px}
    .pad{padding:0 16px}
    p.pad{padding:12px 16px;margin:0}
    .mono{font-family:ui-monospace,"SFMono-Regular",Menlo,Consolas,"Liberation Mono",monospace;font-size:.95em}
    header.top nav a{text-decoration:none;padding:6px 0;border-bottom:2px solid transparent}
    header.top nav form{display:inline;margin:0 0 0 8px}
    .btn.logout{min-height:40px;padding:6px 14px;background:transparent;color:#fff;border-color:#c9d8f0}
    header.top nav a[aria-current]{border-bottom-color:#fff;font-weight:700}
    .summary{display:flex;flex-wrap:wrap;align-items:center;gap:8px 18px;margin:0 0 12px}
    .badge.big{font-size:17px;padding:4px 14px}
    tr.alert td{background:#fdecea}
    tr.alert td:first-child{border-left:6px solid #c62828}
    tr.fine td:first-child{border-left:6px solid #2e7d32}
    ul.alerts{margin:0;padding:0 0 0 1.1em;color:#8c1d13;font-weight:700}
    td.warn{color:#8c1d13;font-weight:700}
    td.alerts-cell{min-width:13em}
    td.err-text{max-width:320px;word-break:break-word;font-size:15px}
    table.devices{font-size:15px}
    table.devices th,table.devices td{padding:7px 7px}
    table.devices th .en{display:block;margin:0}
    table.devices td:nth-child(2){min-width:9.5em}
    table.devices td:nth-child(2) b{white-space:nowrap}
    table.devices td.err-text{max-width:200px}
    table.devices td.alerts-cell{min-width:10em}
    td.comment{max-width:280px;word-break:break-word}
    @media (max-width:760px){
    table.resp thead{display:none}
    table.resp,table.resp tbody,table.resp tr,table.resp td{display:block;width:100%}
    table.resp tr{border-bottom:6px solid #f2f4f7;padding:6px 0}
    table.resp td{position:relative;border:0;padding:5px 14px 5px calc(14px + 7.5em);min-height:2.2em;max-width:none}
    table.resp td::before{content:attr(data-label);position:absolute;left:14px;top:5px;width:7em;color:#5b6470;font-weight:600}
    table.resp td.num{text-align:left}
    table.resp tr.alert td:first-child,table.resp tr.fine td:first-child{border-left:0}
    table.resp tr.alert{border-left:6px solid #c62828}
    table.resp tr.fine{border-left:6px solid #2e7d32}
    }
    form.filter{display:flex;flex-wrap:wrap;align-items:flex-end;gap:12px}
    form.filter label{font-weight:600;display:flex;flex-direction:column;gap:4px}
    .period{margin:0 0 12px}
    table.report th .en{display:block;margin:0}
    table.report td.good{color:#17552a;font-weight:600}
    table.report td.bad{color:#8c1d13;font-weight:700}
    table.report td.name{min-width:8em;position:sticky;left:0;background:#fff;z-index:1}
    table.report tfoot td.name{background:#f5f7fa}
    table.report th:first-child{position:sticky;left:0;z-index:2}
    i.sw{display:inline-block;width:12px;height:12px;border-radius:3px;margin-right:5px;vertical-align:-1px}
    .legend{display:flex;flex-wrap:wrap;gap:6px 16px;font-size:15px;margin-bottom:12px}
    .bar-row{display:grid;grid-template-columns:minmax(6em,11em) 1fr 3em;align-items:center;gap:10px;margin:0 0 8px;font-size:16px}
    .bar-row.total{margin-top:14px;padding-top:10px;border-top:1px solid #e2e5ea;font-weight:700}
    .bar-name{overflow-wrap:anywhere}
    .bar-name .en{display:block;margin:0}
    .mix{display:flex;height:28px;border-radius:6px;overflow:hidden;background:#eceef1}
    .seg{display:flex;align-items:center;justify-content:center;font-size:14px;font-weight:700;min-width:2px}
    .mix .empty{padding:0 10px;align-self:center;font-size:14px;color:#5b6470}
    .bar-n{text-align:right;color:#5b6470;font-variant-numeric:tabular-nums}
    @media (max-width:520px){.bar-row{grid-template-columns:1fr 3em}.bar-name{grid-column:1 / -1}}
    """
}
