#if canImport(HallAPI)
import HallAPI
#endif
import Foundation

/// What `/admin/settings` shows.
struct SettingsPageModel: Sendable {
    var hallName: LocalizedText
    var settings: HallSettings
    var version: Int
    /// True when `hall.toml`'s own settings are in force (nothing edited, or reset).
    var fromFile: Bool
    var editable: Bool
    var startProblem: String?
    /// Wrong PINs within 15 minutes, by staff id (only those with some).
    var wrongPins: [String: Int] = [:]
    var message: String?
    /// `check-config`'s warnings after the change just made (zh, en).
    var warnings: [(zh: String, en: String)] = []
    var error: String?
    /// A device token made just now: shown once.
    var newToken: (deviceId: String, token: String)?
    /// The service / window whose form is filled in for changing (`?service=` / `?window=`).
    var editService: ServiceConfig?
    var editWindow: WindowConfig?
    /// Staff photo URLs (versioned) by staff id, for those with a photo.
    var photoUrls: [String: String] = [:]
    var formToken: String
}

/// `/admin/settings`: services, windows, staff, devices, hours and dates, notices — each a form that posts one change.
enum AdminSettingsPage {
    static func page(_ m: SettingsPageModel) -> String {
        let e = HTML.escape
        var body = ""
        if let message = m.message { body += "<div class=\"notice ok\" role=\"status\">\(e(message))</div>\n" }
        for w in m.warnings {
            body += "<div class=\"notice warn\" role=\"status\">注意 / Warning: \(e(w.zh))<span class=\"en\">\(e(w.en))</span></div>\n"
        }
        if let error = m.error { body += "<div class=\"notice err\" role=\"alert\">未保存 / Not saved: \(e(error))</div>\n" }
        if let token = m.newToken {
            body += "<div class=\"notice info\" role=\"status\">设备 <b class=\"mono\">\(e(token.deviceId))</b> 的令牌（只显示这一次，请写入该设备的 kiosk.toml 的 device-token）"
                + "<span class=\"en\">Token of \(e(token.deviceId)), shown only now: put it in the device's kiosk.toml</span>"
                + "<div class=\"token mono\">\(e(token.token))</div></div>\n"
        }
        if let problem = m.startProblem { body += "<div class=\"notice err\" role=\"alert\">\(e(problem))</div>\n" }
        body += "<div class=\"summary\"><span>设置版本 <b>\(m.version)</b><span class=\"en\">settings version \(m.version)</span></span>"
        body += m.fromFile ? "<span class=\"badge grey\">来自 hall.toml<span class=\"en\">from hall.toml</span></span>"
            : "<span class=\"badge amber\">已在网页修改（优先于 hall.toml）<span class=\"en\">edited here; wins over hall.toml</span></span>"
        body += "<a href=\"/admin/settings/audit\">\(HTML.bi("修改记录", "Audit log"))</a>"
        body += "<a href=\"/admin/settings/export\" download=\"hall.toml\">\(HTML.bi("导出 hall.toml", "Export hall.toml"))</a>"
        body += "<span class=\"muted small\">每项修改立即生效，设备数秒内更新<span class=\"en\">changes take effect at once; devices follow within seconds</span></span></div>\n"
        body += "<nav class=\"jump small\"><a href=\"#services\">事项 Services</a><a href=\"#windows\">窗口 Windows</a><a href=\"#staff\">工作人员 Staff</a>"
            + "<a href=\"#hours\">时间 Hours</a><a href=\"#notices\">公告 Notices</a><a href=\"#devices\">设备 Devices</a><a href=\"#reset\">恢复 Reset</a></nav>\n"
        if !m.editable {
            body += "<div class=\"notice err\">此服务器未加载 hall.toml，不能修改设置 / This server was started without its hall.toml: settings cannot be edited.</div>\n"
        }
        body += services(m) + windows(m) + staff(m) + hours(m) + notices(m) + devices(m) + reset(m)
        return HTMLLayout.page(title: "大厅设置 · \(m.hallName.zh)", lang: .zh, wide: true,
                               header: AdminPages.adminHeader(m.hallName, zh: "大厅设置", en: "Hall settings", current: "settings", formToken: m.formToken),
                               extraCSS: AdminPages.css + "\n" + css, body: body)
    }

    /// A form posting `action` with the session's form token.
    private static func form(_ action: String, _ m: SettingsPageModel, anchor: String, cls: String = "row", _ inner: String) -> String {
        "<form method=\"post\" action=\"/admin/settings#\(anchor)\" accept-charset=\"utf-8\" class=\"\(cls)\">"
            + HTML.hidden(FormToken.field, m.formToken) + HTML.hidden("action", action) + inner + "</form>"
    }

    private static func input(_ name: String, _ label: (String, String), value: String = "", size: Int = 10, required: Bool = false,
                              type: String = "text", extra: String = "") -> String {
        "<label>\(HTML.bi(label.0, label.1))<input type=\"\(type)\" name=\"\(name)\" value=\"\(HTML.escape(value))\" size=\"\(size)\""
            + (required ? " required" : "") + " \(extra)autocomplete=\"off\"></label>"
    }

    private static func submit(_ zh: String, _ en: String, danger: Bool = false) -> String {
        "<button type=\"submit\" class=\"btn\(danger ? " danger" : " primary") small\">\(HTML.bi(zh, en))</button>"
    }

    private static func text(_ t: LocalizedText?) -> String {
        guard let t else { return "<span class=\"muted\">—</span>" }
        return HTML.escape(t.zh) + (t.en.isEmpty ? "" : "<span class=\"en\">\(HTML.escape(t.en))</span>")
    }

    // MARK: Sections

    private static func services(_ m: SettingsPageModel) -> String {
        let e = HTML.escape
        var s = "<section class=\"card flush\" id=\"services\"><h2 class=\"pad\">\(HTML.bi("事项", "Services"))</h2>\n<div class=\"table-wrap\"><table><thead><tr>"
        for (zh, en) in [("编号", "Id"), ("名称", "Name"), ("部门", "Department"), ("字头", "Prefix"), ("号源", "Quota"), ("平均分钟", "Avg min"), ("", "")] {
            s += "<th>\(zh.isEmpty ? "" : HTML.bi(zh, en))</th>"
        }
        s += "</tr></thead><tbody>\n"
        for sv in m.settings.services {
            s += "<tr><td class=\"mono\">\(e(sv.id))</td><td>\(text(sv.name))</td><td>\(text(sv.group))</td><td class=\"mono\">\(e(sv.prefix))</td>"
            s += "<td class=\"num\">\(sv.dailyQuota.map(String.init) ?? "—")</td><td class=\"num\">\(sv.averageServiceMinutes.map { String(format: "%g", $0.value) } ?? "10")</td>"
            s += "<td><a href=\"/admin/settings?service=\(HTML.urlComponent(sv.id))#services\">\(HTML.bi("修改", "Edit"))</a></td></tr>\n"
        }
        s += "</tbody></table></div>\n"
        let sv = m.editService
        s += "<h3 class=\"pad\">\(sv == nil ? HTML.bi("添加事项", "Add a service") : HTML.bi("修改事项 \(sv!.id)", "Change service \(sv!.id)"))</h3>"
        s += form("service", m, anchor: "services", cls: "row pad",
                  input("id", ("编号", "Id"), value: sv?.id ?? "", size: 10, required: true, extra: sv == nil ? "" : "readonly ")
                  + input("nameZh", ("名称", "Name (zh)"), value: sv?.name.zh ?? "", size: 14, required: true)
                  + input("nameEn", ("英文名", "Name (en)"), value: sv?.name.en ?? "", size: 16)
                  + input("groupZh", ("部门", "Dept (zh)"), value: sv?.group?.zh ?? "", size: 10)
                  + input("groupEn", ("部门英文", "Dept (en)"), value: sv?.group?.en ?? "", size: 12)
                  + input("prefix", ("字头", "Prefix"), value: sv?.prefix ?? "", size: 3, required: true)
                  + input("dailyQuota", ("号源", "Quota"), value: sv?.dailyQuota.map(String.init) ?? "", size: 5)
                  + input("averageServiceMinutes", ("平均分钟", "Avg min"), value: sv?.averageServiceMinutes.map { String(format: "%g", $0.value) } ?? "", size: 4)
                  + windowBoxes(m, serving: sv?.id) + submit("保存", "Save"))
        s += "<p class=\"muted small pad\">每个事项至少要有一个窗口办理，否则取的号永远不会被叫到。<span class=\"en\">Every service needs a window that serves it, "
            + "or its tickets could never be called.</span></p>"
        return s + "</section>\n"
    }

    /// The windows as checkboxes, ticked where they serve `serviceId`.
    private static func windowBoxes(_ m: SettingsPageModel, serving serviceId: String?) -> String {
        let e = HTML.escape
        var boxes = "<fieldset class=\"services\"><legend>\(HTML.bi("办理窗口", "Served at"))</legend>"
        for w in m.settings.windows {
            let on = serviceId.map { w.services.contains($0) } ?? false
            boxes += "<label class=\"check\"><input type=\"checkbox\" name=\"windows\" value=\"\(e(w.id))\"\(on ? " checked" : "")> \(e(w.name.zh))</label>"
        }
        return boxes + "</fieldset>"
    }

    private static func windows(_ m: SettingsPageModel) -> String {
        let e = HTML.escape
        var s = "<section class=\"card flush\" id=\"windows\"><h2 class=\"pad\">\(HTML.bi("窗口", "Windows"))</h2>\n<div class=\"table-wrap\"><table><thead><tr>"
        for (zh, en) in [("编号", "Id"), ("名称", "Name"), ("屏显号", "Number"), ("办理事项", "Services"), ("", "")] {
            s += "<th>\(zh.isEmpty ? "" : HTML.bi(zh, en))</th>"
        }
        s += "</tr></thead><tbody>\n"
        for w in m.settings.windows {
            s += "<tr><td class=\"mono\">\(e(w.id))</td><td>\(text(w.name))</td><td>\(e(w.number ?? ""))</td><td class=\"mono\">\(e(w.services.joined(separator: ", ")))</td>"
            s += "<td class=\"actions\"><a href=\"/admin/settings?window=\(HTML.urlComponent(w.id))#windows\">\(HTML.bi("修改", "Edit"))</a>"
            s += form("removeWindow", m, anchor: "windows", cls: "inline", HTML.hidden("id", w.id) + submit("删除", "Remove", danger: true)) + "</td></tr>\n"
        }
        s += "</tbody></table></div>\n"
        let w = m.editWindow
        s += "<h3 class=\"pad\">\(w == nil ? HTML.bi("添加窗口", "Add a window") : HTML.bi("修改窗口 \(w!.id)", "Change window \(w!.id)"))</h3>"
        var boxes = "<fieldset class=\"services\"><legend>\(HTML.bi("办理事项", "Services"))</legend>"
        for sv in m.settings.services {
            let on = w?.services.contains(sv.id) ?? false
            boxes += "<label class=\"check\"><input type=\"checkbox\" name=\"services\" value=\"\(e(sv.id))\"\(on ? " checked" : "")> \(e(sv.name.zh))</label>"
        }
        boxes += "</fieldset>"
        s += form("window", m, anchor: "windows", cls: "row pad",
                  input("id", ("编号", "Id"), value: w?.id ?? "", size: 8, required: true, extra: w == nil ? "" : "readonly ")
                  + input("nameZh", ("名称", "Name (zh)"), value: w?.name.zh ?? "", size: 12, required: true)
                  + input("nameEn", ("英文名", "Name (en)"), value: w?.name.en ?? "", size: 12)
                  + input("number", ("屏显号", "Number"), value: w?.number ?? "", size: 4)
                  + boxes + submit("保存", "Save"))
        return s + "</section>\n"
    }

    private static func staff(_ m: SettingsPageModel) -> String {
        let e = HTML.escape
        var s = "<section class=\"card flush\" id=\"staff\"><h2 class=\"pad\">\(HTML.bi("工作人员", "Staff"))</h2>\n<div class=\"table-wrap\"><table><thead><tr>"
        for (zh, en) in [("照片", "Photo"), ("编号", "Id"), ("姓名", "Name"), ("工号", "Employee no."), ("状态", "State"), ("重设密码", "Reset PIN"), ("", "")] {
            s += "<th>\(zh.isEmpty ? "" : HTML.bi(zh, en))</th>"
        }
        s += "</tr></thead><tbody>\n"
        for p in m.settings.staff {
            let disabled = p.disabled ?? false
            let wrong = m.wrongPins[p.id] ?? 0
            s += "<tr\(disabled ? " class=\"off\"" : "")><td class=\"photo\">" + photoCell(p, m) + "</td><td class=\"mono\">\(e(p.id))</td><td>\(e(p.name))</td><td class=\"mono\">\(e(p.employeeNo))</td><td>"
            s += disabled ? "<span class=\"badge grey\">已停用 disabled</span>" : "<span class=\"badge green\">在用 active</span>"
            if wrong > 0 { s += " <span class=\"badge red\">\(wrong) 次密码错误 wrong PINs</span>" }
            s += "</td><td>" + form("resetPin", m, anchor: "staff", cls: "inline", HTML.hidden("id", p.id)
                + "<input type=\"password\" name=\"pin\" size=\"8\" minlength=\"6\" required autocomplete=\"new-password\" aria-label=\"new PIN for \(e(p.id))\">"
                + submit("重设", "Reset")) + "</td><td class=\"actions\">"
            s += form(disabled ? "enableStaff" : "disableStaff", m, anchor: "staff", cls: "inline",
                      HTML.hidden("id", p.id) + (disabled ? submit("启用", "Enable") : submit("停用", "Disable", danger: true)))
            if wrong > 0 { s += form("unlock", m, anchor: "staff", cls: "inline", HTML.hidden("id", p.id) + submit("解锁", "Unlock")) }
            s += "</td></tr>\n"
        }
        s += "</tbody></table></div>\n<p class=\"muted small pad\">照片：JPEG 或 PNG，最大 \(StaffPhoto.maxBytes / 1024) KB、\(StaffPhoto.maxSide)×\(StaffPhoto.maxSide) 像素，"
            + "显示在窗口屏和评价器上。<span class=\"en\">Photo: JPEG or PNG, at most \(StaffPhoto.maxBytes / 1024) KB and \(StaffPhoto.maxSide)×\(StaffPhoto.maxSide) "
            + "pixels; shown on the window screen and the rating device.</span></p>\n<h3 class=\"pad\">\(HTML.bi("添加工作人员", "Add a staff member"))</h3>"
        s += form("addStaff", m, anchor: "staff", cls: "row pad",
                  input("name", ("姓名", "Name"), size: 8, required: true) + input("employeeNo", ("工号", "Employee no."), size: 8, required: true)
                  + input("id", ("编号（可空）", "Id (optional)"), size: 8)
                  + input("pin", ("初始密码", "First PIN"), size: 8, required: true, type: "password", extra: "minlength=\"6\" ")
                  + submit("添加", "Add"))
        return s + "</section>\n"
    }

    /// The staff member's photo (or a placeholder), a file field to upload one and a button to remove it.
    private static func photoCell(_ p: StaffConfig, _ m: SettingsPageModel) -> String {
        let e = HTML.escape
        var s = "<div class=\"photo-box\">"
        if let url = m.photoUrls[p.id] {
            s += "<img src=\"\(e(url))\" alt=\"\(e(p.name))\" width=\"48\" height=\"64\" class=\"staff-photo\">"
        } else {
            s += "<span class=\"staff-photo none\" title=\"无照片 no photo\">—</span>"
        }
        s += "<div class=\"photo-actions\"><form method=\"post\" action=\"/admin/settings/staff-photo#staff\" enctype=\"multipart/form-data\" class=\"photo-upload\">"
            + HTML.hidden(FormToken.field, m.formToken) + HTML.hidden("id", p.id)
            + "<input type=\"file\" name=\"photo\" accept=\"image/jpeg,image/png\" required aria-label=\"photo of \(e(p.id))\">"
            + "<button type=\"submit\" class=\"btn primary tiny\">上传 <span class=\"en\">Upload</span></button></form>"
        if m.photoUrls[p.id] != nil {
            s += form("removePhoto", m, anchor: "staff", cls: "photo-remove",
                      HTML.hidden("id", p.id) + "<button type=\"submit\" class=\"btn danger tiny\">删除照片 <span class=\"en\">Remove</span></button>")
        }
        return s + "</div></div>"
    }

    private static func hours(_ m: SettingsPageModel) -> String {
        let h = m.settings.hours
        var s = "<section class=\"card\" id=\"hours\"><h2>\(HTML.bi("办公时间", "Opening hours"))</h2>"
        s += "<p class=\"muted small\">每天可填多个时段，用逗号分隔，如 08:30-12:00, 13:30-17:00；留空表示当天不办公。"
            + "<span class=\"en\">Sessions separated by commas; empty: closed that day.</span></p>"
        var inner = "<div class=\"days\">"
        for (i, day) in SettingsForm.weekdays.enumerated() {
            let spans = h.spans(forWeekday: i == 6 ? 1 : i + 2) ?? []
            inner += input(day.key, (day.zh, day.en), value: spans.joined(separator: ", "), size: 24)
        }
        inner += "</div>" + input("stopIssuingMinutesBeforeClose", ("闭厅前停止取号（分钟）", "Stop issuing before closing (min)"),
                                  value: m.settings.stopIssuingMinutesBeforeClose.map(String.init) ?? "", size: 4)
        s += form("hours", m, anchor: "hours", cls: "stack", inner + submit("保存时间", "Save hours"))
        s += "<h3>\(HTML.bi("休息日与调休上班日", "Closed dates and make-up workdays"))</h3>"
        s += "<p class=\"muted small\">日期格式 2026-10-01，每行一个或用逗号分隔；调休上班日按星期一的时间办公。"
            + "<span class=\"en\">YYYY-MM-DD, one per line or comma-separated; make-up workdays open with Monday's hours.</span></p>"
        s += form("dates", m, anchor: "hours", cls: "row",
                  "<label>\(HTML.bi("休息日", "Closed dates"))<textarea name=\"closedDates\" rows=\"3\" cols=\"24\">\(HTML.escape(m.settings.closedDates.joined(separator: "\n")))</textarea></label>"
                  + "<label>\(HTML.bi("调休上班日", "Make-up workdays"))<textarea name=\"workDates\" rows=\"3\" cols=\"24\">\(HTML.escape(m.settings.workDates.joined(separator: "\n")))</textarea></label>"
                  + submit("保存日期", "Save dates"))
        return s + "</section>\n"
    }

    private static func notices(_ m: SettingsPageModel) -> String {
        var s = "<section class=\"card\" id=\"notices\"><h2>\(HTML.bi("公告", "Notices"))</h2>"
        s += "<p class=\"muted small\">取号机首页与叫号屏底部显示的一行字；中文留空则不显示。<span class=\"en\">One line on the kiosk home screen and along the calling screens; empty Chinese: none.</span></p>"
        s += form("notices", m, anchor: "notices", cls: "row",
                  input("kioskZh", ("取号机公告", "Kiosk (zh)"), value: m.settings.kioskNotice?.zh ?? "", size: 28)
                  + input("kioskEn", ("取号机公告英文", "Kiosk (en)"), value: m.settings.kioskNotice?.en ?? "", size: 28)
                  + input("callingZh", ("叫号屏公告", "Calling screens (zh)"), value: m.settings.callingNotice?.zh ?? "", size: 28)
                  + input("callingEn", ("叫号屏公告英文", "Calling screens (en)"), value: m.settings.callingNotice?.en ?? "", size: 28)
                  + submit("保存公告", "Save notices"))
        return s + "</section>\n"
    }

    private static func devices(_ m: SettingsPageModel) -> String {
        let e = HTML.escape
        var s = "<section class=\"card flush\" id=\"devices\"><h2 class=\"pad\">\(HTML.bi("设备与令牌", "Devices and tokens"))</h2>\n<div class=\"table-wrap\"><table><thead><tr>"
        for (zh, en) in [("编号", "Id"), ("类型", "Role"), ("窗口", "Window"), ("", "")] { s += "<th>\(zh.isEmpty ? "" : HTML.bi(zh, en))</th>" }
        s += "</tr></thead><tbody>\n"
        for d in m.settings.devices {
            let role = PageWords.role(d.role.rawValue)
            s += "<tr><td class=\"mono\">\(e(d.id))</td><td>\(e(role.zh))<span class=\"en\">\(e(role.en))</span></td><td class=\"mono\">\(e(d.window ?? "—"))</td><td>"
            s += form("removeDevice", m, anchor: "devices", cls: "inline", HTML.hidden("id", d.id) + submit("删除（令牌失效）", "Remove (token stops working)", danger: true))
            s += "</td></tr>\n"
        }
        s += "</tbody></table></div>\n<h3 class=\"pad\">\(HTML.bi("添加设备（生成新令牌）", "Add a device (makes a new token)"))</h3>"
        var roles = "<label>\(HTML.bi("类型", "Role"))<select name=\"role\">"
        for r in DeviceRole.allCases {
            let w = PageWords.role(r.rawValue)
            roles += HTML.option(value: r.rawValue, label: "\(w.zh) / \(w.en)")
        }
        roles += "</select></label><label>\(HTML.bi("窗口", "Window"))<select name=\"window\">" + HTML.option(value: "", label: "— 无 none —")
        for w in m.settings.windows { roles += HTML.option(value: w.id, label: "\(w.id) \(w.name.zh)") }
        roles += "</select></label>"
        s += form("addDevice", m, anchor: "devices", cls: "row pad", input("id", ("编号", "Id"), size: 12, required: true) + roles + submit("添加", "Add"))
        s += "<p class=\"muted small pad\">令牌只在添加时显示一次，服务器只保存其 SHA-256。换令牌：删除后重新添加。"
            + "<span class=\"en\">A token is shown once; the server keeps only its SHA-256. To replace one, remove the device and add it again.</span></p>"
        return s + "</section>\n"
    }

    private static func reset(_ m: SettingsPageModel) -> String {
        var s = "<section class=\"card\" id=\"reset\"><h2>\(HTML.bi("恢复为 hall.toml", "Back to hall.toml"))</h2>"
        s += "<p class=\"small\">网页上的修改优先于 hall.toml（只限本页各项，其余设置始终来自文件）。恢复后以 hall.toml 为准，修改记录保留。"
            + "命令行：<code>hallserver settings reset --config hall.toml</code>"
            + "<span class=\"en\">Edits made here win over hall.toml for the items on this page; every other key always comes from the file. "
            + "Going back makes hall.toml's items the settings again; the audit log stays.</span></p>"
        s += form("reset", m, anchor: "reset", cls: "row",
                  "<label class=\"check\"><input type=\"checkbox\" name=\"confirm\" value=\"yes\" required> \(HTML.bi("确认放弃网页上的修改", "Drop the edits made here"))</label>"
                  + submit("恢复", "Reset", danger: true))
        return s + "</section>\n"
    }

    static let css = """
    .notice.warn{background:#fff4d6;color:#6b4a00;border-color:#f0d27a}
    .photo-box{display:flex;gap:8px;align-items:center}
    img.staff-photo,span.staff-photo{flex:none;width:48px;height:64px;object-fit:cover;border-radius:6px;background:#eef1f5;display:inline-flex;align-items:center;justify-content:center;color:#8a929c}
    .photo-actions{display:flex;flex-direction:column;gap:4px}
    .photo-actions form{display:flex;gap:4px;align-items:center;margin:0}
    .photo-actions input[type=file]{width:170px;font-size:13px}
    .btn.tiny{min-height:30px;padding:3px 10px;font-size:13px;white-space:nowrap}
    .summary a{font-weight:600}
    nav.jump{display:flex;flex-wrap:wrap;gap:4px 16px;margin:0 0 12px}
    form.row{display:flex;flex-wrap:wrap;align-items:flex-end;gap:10px 14px;margin:0 0 14px}
    form.row label,form.stack label{display:flex;flex-direction:column;gap:4px;font-weight:600;font-size:16px}
    form.row input[type=text],form.row input[type=password],form.row select{min-height:40px;font-size:16px;padding:6px 10px}
    form.inline{display:inline-flex;gap:6px;align-items:center;margin:0 6px 0 0}
    form.inline input{min-height:36px;font-size:15px;padding:4px 8px}
    .btn.small{min-height:38px;padding:6px 14px;font-size:15px}
    .days{display:grid;grid-template-columns:repeat(auto-fill,minmax(240px,1fr));gap:10px 14px;margin-bottom:10px}
    .days input{width:100%}
    form.stack{margin:0 0 14px}
    fieldset.services{border:1px solid #c9ced6;border-radius:10px;padding:6px 10px;margin:0;display:flex;flex-wrap:wrap;gap:4px 14px;font-size:16px}
    label.check,form.row label.check{display:inline-flex;flex-direction:row;align-items:center;gap:6px;font-weight:400}
    td.actions{white-space:nowrap}
    tr.off td{color:#8a929c}
    .token{font-size:20px;margin-top:6px;padding:8px 12px;background:#fff;border:1px dashed #1f4e9c;border-radius:8px;word-break:break-all;user-select:all}
    h3.pad{margin:14px 0 8px;font-size:17px}
    textarea{min-height:72px;font-size:16px}
    """
}
