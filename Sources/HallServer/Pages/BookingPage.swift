import Foundation
import HallAPI

/// One slot as the booking page offers it.
struct BookingSlotOffer: Sendable, Hashable {
    var slot: BookingSlot
    /// Places left (capacity minus bookings not cancelled).
    var remaining: Int
}

/// A booking as its answer page shows it: PII-free.
struct BookingReceiptView: Sendable, Hashable {
    var bookingCode: String
    var slotStart: Date
    var slotEnd: Date
    /// `4301**********1234`.
    var maskedId: String
}

/// What the booking pages show besides their own content.
struct BookingPageFrame: Sendable {
    var hallName: LocalizedText
    var language: Language
    var timeZone: TimeZone
    var rules: AppointmentRules
}

/// The citizens' booking pages (`/book…`), phone-first, Chinese or English: service → day → slot with the places left,
/// then the ID number, name and phone. No page ever shows an ID number, a name or a phone in clear: the answer shows
/// the masked ID number, the booking code and its QR (which holds the code only).
enum BookingPage: Sendable {
    /// `GET /book`: the services that can be booked.
    static func services(_ frame: BookingPageFrame, services: [Hall.Service], notice: String? = nil) -> String {
        let lang = frame.language
        func t(_ zh: String, _ en: String) -> String { lang == .zh ? zh : en }
        let e = HTML.escape
        var body = notice.map { "<div class=\"notice err\" role=\"alert\">\(e($0))</div>\n" } ?? ""
        body += "<section class=\"card\"><h2>\(t("选择预约事项", "Choose a service"))</h2>\n"
        if services.isEmpty {
            body += "<p class=\"muted\">\(t("本大厅暂未开放网上预约，请直接到大厅取号。", "This hall takes no online bookings at the moment; please take a number in the hall."))</p>\n"
        } else {
            body += "<ul class=\"choices\">\n"
            for s in services {
                let href = "/book/" + HTML.urlComponent(s.id) + "?lang=" + lang.rawValue
                body += "<li><a class=\"choice\" href=\"\(e(href))\"><span class=\"c-name\">\(e(s.name.text(in: lang)))</span>"
                if let group = s.group { body += "<span class=\"c-sub\">\(e(group.text(in: lang)))</span>" }
                body += "</a></li>\n"
            }
            body += "</ul>\n"
        }
        body += "</section>\n" + rulesCard(frame) + footer(frame, path: "/book")
        return page(frame, title: t("网上预约", "Book an appointment"), body: body)
    }

    /// `GET /book/{service}?day=`: the days of the horizon, the chosen day's slots with the places left, and the form.
    static func slots(_ frame: BookingPageFrame, service: Hall.Service, days: [String], day: String?, offers: [BookingSlotOffer],
                      chosenStart: Date? = nil, notice: String? = nil) -> String {
        let lang = frame.language
        func t(_ zh: String, _ en: String) -> String { lang == .zh ? zh : en }
        let e = HTML.escape
        let base = "/book/" + HTML.urlComponent(service.id)
        var body = notice.map { "<div class=\"notice err\" role=\"alert\">\(e($0))</div>\n" } ?? ""
        body += "<section class=\"card\"><div class=\"muted small\">\(t("预约事项", "Service"))</div>"
            + "<h2 class=\"svc-name\">\(e(service.name.text(in: lang)))</h2>"
            + "<a class=\"small\" href=\"\(e("/book?lang=" + lang.rawValue))\">\(t("‹ 更换事项", "‹ Another service"))</a></section>\n"
        guard !days.isEmpty else {
            body += "<section class=\"card\"><p>\(t("近期没有可预约的工作日。", "There are no bookable working days soon."))</p></section>\n"
            return page(frame, title: service.name.text(in: lang), body: body + footer(frame, path: base))
        }
        body += "<section class=\"card\"><h2>\(t("1. 选择日期", "1. Choose a day"))</h2><div class=\"days\">\n"
        for d in days {
            let current = d == day
            let href = base + "?lang=" + lang.rawValue + "&day=" + d
            body += "<a class=\"day\(current ? " on" : "")\" href=\"\(e(href))\"\(current ? " aria-current=\"date\"" : "")>"
                + "<span class=\"d-wd\">\(weekday(d, frame.timeZone, lang))</span><span class=\"d-md\">\(monthDay(d, lang))</span></a>\n"
        }
        body += "</div></section>\n"
        guard let day else { return page(frame, title: service.name.text(in: lang), body: body + footer(frame, path: base)) }

        body += "<form method=\"post\" action=\"\(e(base))\" enctype=\"application/x-www-form-urlencoded\" accept-charset=\"utf-8\" class=\"book\">\n"
        body += HTML.hidden("lang", lang.rawValue) + HTML.hidden("day", day) + "\n"
        body += "<section class=\"card\"><fieldset><legend>\(t("2. 选择时段", "2. Choose a time")) · \(e(monthDay(day, lang)))</legend>\n"
        if offers.isEmpty {
            body += "<p class=\"muted\">\(t("这一天没有可预约的时段。", "No times can be booked that day."))</p>\n"
        } else {
            body += "<div class=\"slots\">\n"
            for offer in offers {
                let full = offer.remaining <= 0
                let value = String(Int(offer.slot.start.timeIntervalSince1970))
                let checked = chosenStart == offer.slot.start && !full ? " checked" : ""
                let left = full ? t("已约满", "Full") : t("余 \(offer.remaining)", "\(offer.remaining) left")
                body += "<label class=\"slot\(full ? " full" : "")\"><input type=\"radio\" name=\"slot\" value=\"\(value)\" required"
                    + "\(full ? " disabled" : "")\(checked)><span class=\"s-body\"><span class=\"s-time\">\(e(offer.slot.label))</span>"
                    + "<span class=\"s-left\">\(left)</span></span></label>\n"
            }
            body += "</div>\n"
        }
        body += "</fieldset></section>\n"
        body += "<section class=\"card\"><fieldset><legend>\(t("3. 填写预约人信息", "3. Who is coming"))</legend>\n"
        body += field("idNumber", t("身份证号码", "ID card number"), type: "text", extra: "inputmode=\"text\" maxlength=\"18\" minlength=\"18\" "
                      + "pattern=\"[0-9]{17}[0-9Xx]\" autocomplete=\"off\" autocapitalize=\"characters\" spellcheck=\"false\"")
        body += field("name", t("姓名", "Name"), type: "text", extra: "maxlength=\"50\" autocomplete=\"name\"")
        body += field("phone", t("手机号码", "Mobile phone"), type: "tel", extra: "inputmode=\"tel\" maxlength=\"20\" autocomplete=\"tel\"")
        let privacy = t("身份证号码仅用于核验身份与签到，服务器不保存明文；页面与回执只显示部分号码。",
                        "Your ID number is used to check you in only; the server keeps no copy of it in clear, and pages show it masked.")
        body += "<p class=\"muted small\">\(privacy)</p>\n"
        body += "<button class=\"btn primary block big\" type=\"submit\">\(t("确认预约", "Book"))</button>\n"
        body += "</fieldset></section>\n</form>\n"
        body += rulesCard(frame) + footer(frame, path: base + "?day=" + day)
        return page(frame, title: service.name.text(in: lang), body: body)
    }

    /// The answer to a booking: the code, its QR, the slot, when to come, until when it can be cancelled.
    static func booked(_ frame: BookingPageFrame, service: Hall.Service, appointment: BookingReceiptView, qrSVG: String?,
                       again: Bool) -> String {
        let lang = frame.language
        func t(_ zh: String, _ en: String) -> String { lang == .zh ? zh : en }
        let e = HTML.escape
        let tz = frame.timeZone
        let window = frame.rules.checkinWindow(slotStart: appointment.slotStart)
        let deadline = appointment.slotStart.addingTimeInterval(-frame.rules.cancelBeforeSeconds)
        var body = "<div class=\"notice ok\" role=\"status\">" + (again ? t("您已预约该时段，以下是您的预约。", "You had already booked this time; here is your booking.")
                                                                           : t("预约成功！", "Your booking is confirmed.")) + "</div>\n"
        body += "<section class=\"card center\"><div class=\"muted\">\(t("预约码", "Booking code"))</div>"
            + "<div class=\"code-big\" aria-label=\"\(e(appointment.bookingCode))\">\(e(Self.grouped(appointment.bookingCode)))</div>\n"
        if let qrSVG { body += "<div class=\"qr-box\">\(qrSVG)</div>\n" }
        let how = t("到大厅后在取号机扫描此二维码、输入预约码或刷身份证签到取号。",
                    "At the hall, scan this code at a ticket kiosk, type the booking code or place your ID card to check in.")
        body += "<p class=\"small muted\">\(how)</p>\n"
        body += "<dl class=\"facts\">"
        body += "<div><dt>\(t("事项", "Service"))</dt><dd>\(e(service.name.text(in: lang)))</dd></div>"
        body += "<div><dt>\(t("时段", "Time"))</dt><dd>\(e(monthDay(PageFormat.day(appointment.slotStart, tz), lang))) "
            + "\(PageFormat.hhmm(appointment.slotStart, tz))-\(PageFormat.hhmm(appointment.slotEnd, tz))</dd></div>"
        body += "<div><dt>\(t("证件", "ID"))</dt><dd>\(e(appointment.maskedId))</dd></div>"
        body += "<div><dt>\(t("签到", "Check in"))</dt><dd>\(PageFormat.hhmm(window.opens, tz))-\(PageFormat.hhmm(window.closes, tz))</dd></div>"
        body += "<div><dt>\(t("可取消至", "Cancel by"))</dt><dd>\(e(monthDay(PageFormat.day(deadline, tz), lang))) \(PageFormat.hhmm(deadline, tz))</dd></div>"
        body += "</dl></section>\n"
        let late = frame.rules.lateArrival == .refuse
        let keep = t("请截图或记下预约码。迟到超过签到时间将\(late ? "不能签到" : "按普通号排队")；未签到记为爽约，多次爽约将暂停预约。",
                     "Please take a screenshot or note the code. After check-in closes you \(late ? "cannot check in" : "join the normal queue"); "
                         + "a missed booking counts as a no-show, and repeated no-shows pause booking.")
        body += "<section class=\"card small\"><p>\(keep)</p>"
            + "<a class=\"btn block\" href=\"\(e("/book/cancel?lang=" + lang.rawValue))\">\(t("取消预约", "Cancel a booking"))</a></section>\n"
        body += footer(frame, path: "/book")
        return page(frame, title: t("预约成功", "Booked"), body: body)
    }

    /// `GET /book/cancel` and its answer.
    static func cancel(_ frame: BookingPageFrame, notice: (ok: Bool, text: String)? = nil) -> String {
        let lang = frame.language
        func t(_ zh: String, _ en: String) -> String { lang == .zh ? zh : en }
        let e = HTML.escape
        var body = notice.map { "<div class=\"notice \($0.ok ? "ok" : "err")\" role=\"\($0.ok ? "status" : "alert")\">\(e($0.text))</div>\n" } ?? ""
        body += "<form method=\"post\" action=\"/book/cancel\" enctype=\"application/x-www-form-urlencoded\" accept-charset=\"utf-8\" class=\"card\">\n"
        body += "<h2>\(t("取消预约", "Cancel a booking"))</h2>\n" + HTML.hidden("lang", lang.rawValue) + "\n"
        body += field("code", t("预约码", "Booking code"), type: "text", extra: "maxlength=\"16\" autocomplete=\"off\" autocapitalize=\"characters\" spellcheck=\"false\"")
        body += field("idNumber", t("预约人身份证号码", "ID card number of the booking"), type: "text",
                      extra: "maxlength=\"18\" pattern=\"[0-9]{17}[0-9Xx]\" autocomplete=\"off\" autocapitalize=\"characters\" spellcheck=\"false\"")
        let minutes = Int(frame.rules.cancelBeforeSeconds / 60)
        let before = minutes % 60 == 0 ? t("\(minutes / 60) 小时", "\(minutes / 60) h") : t("\(minutes) 分钟", "\(minutes) min")
        body += "<p class=\"muted small\">\(t("最迟在预约时段开始前 \(before)取消。", "Cancel at least \(before) before the booked time."))</p>\n"
        body += "<button class=\"btn danger block big\" type=\"submit\">\(t("确认取消", "Cancel the booking"))</button>\n</form>\n"
        body += footer(frame, path: "/book/cancel")
        return page(frame, title: t("取消预约", "Cancel a booking"), body: body)
    }

    /// A refusal in the page's language (`at` is when a ban ends or the cancel deadline).
    static func refusal(_ kind: APIErrorKind, at: Date?, frame: BookingPageFrame) -> String {
        let lang = frame.language
        func t(_ zh: String, _ en: String) -> String { lang == .zh ? zh : en }
        let tz = frame.timeZone
        let when = at.map { monthDay(PageFormat.day($0, tz), lang) + " " + PageFormat.hhmm($0, tz) }
        let r = frame.rules
        switch kind {
        case .slotFull: return t("该时段已约满，请选择其他时段。", "That time is fully booked; please choose another.")
        case .bookingLimitReached:
            return t("您当天已有预约（每人每天限 \(r.perPersonPerDay) 次），如需更改请先取消原预约。",
                     "You already have a booking that day (\(r.perPersonPerDay) per person per day); cancel it first to change it.")
        case .bookingOutOfRange:
            return t("该时段不在可预约范围内（明天起 \(r.horizonWorkingDays) 个工作日），请重新选择。",
                     "That time cannot be booked (from tomorrow, \(r.horizonWorkingDays) working days); please choose again.")
        case .bookingBanned:
            return t("您近期爽约 \(r.noShowLimit) 次，\(when.map { "\($0) 前" } ?? "暂时")不能预约，可直接到大厅取号。",
                     "After \(r.noShowLimit) missed bookings you cannot book \(when.map { "until \($0)" } ?? "for now"); you can still take a number in the hall.")
        case .cancelTooLate:
            return t("已过取消时间\(when.map { "（\($0) 前可取消）" } ?? "")，无法取消。",
                     "It is too late to cancel\(when.map { " (possible until \($0))" } ?? "").")
        case .invalidIDNumber: return t("身份证号码有误，请核对后重新输入。", "The ID card number is not valid; please check it.")
        case .appointmentNotFound: return t("没有找到该预约，请核对预约码和身份证号码。", "No booking matches this code and ID number; please check both.")
        case .appointmentCancelled: return t("该预约已取消。", "This booking was already cancelled.")
        case .appointmentMissed: return t("该预约已过时段未签到，无法取消。", "This booking was missed and cannot be cancelled.")
        case .unknownService: return t("没有这个预约事项。", "There is no such service.")
        case .identityUnavailable: return t("本大厅暂未开放网上预约。", "This hall takes no online bookings at the moment.")
        case .rateLimited, .tooManyAttempts: return t("操作太频繁，请稍后再试。", "Too many attempts; please wait a moment and try again.")
        case .badRequest: return t("请填写完整：时段、身份证号码和姓名。", "Please fill in the time, the ID card number and the name.")
        default: return t("预约未能完成，请稍后再试或到大厅咨询。", "The booking could not be completed; please try again or ask at the hall.")
        }
    }

    // MARK: Parts

    private static func field(_ name: String, _ label: String, type: String, extra: String) -> String {
        "<label class=\"field\">\(HTML.escape(label))<input type=\"\(type)\" name=\"\(name)\" \(extra)\(name == "phone" ? "" : " required")></label>\n"
    }

    private static func rulesCard(_ frame: BookingPageFrame) -> String {
        let lang = frame.language
        func t(_ zh: String, _ en: String) -> String { lang == .zh ? zh : en }
        let r = frame.rules
        let opens = Int(r.checkinOpensSecondsBefore / 60), closes = Int(r.checkinClosesSecondsAfter / 60)
        let cancel = Int(r.cancelBeforeSeconds / 60)
        let cancelText = cancel % 60 == 0 ? t("\(cancel / 60) 小时", "\(cancel / 60) h") : t("\(cancel) 分钟", "\(cancel) min")
        var items = [
            t("可预约明天起 \(r.horizonWorkingDays) 个工作日内的时段，每人每天限 \(r.perPersonPerDay) 次。",
              "You can book from tomorrow up to \(r.horizonWorkingDays) working days ahead, \(r.perPersonPerDay) booking per person per day."),
            t("请在时段开始前 \(opens) 分钟至开始后 \(closes) 分钟内到取号机签到。",
              "Check in at a ticket kiosk from \(opens) min before to \(closes) min after the booked time."),
            t("最迟在时段开始前 \(cancelText)取消。", "Cancel at least \(cancelText) before the booked time."),
        ]
        if r.noShowLimit > 0 {
            items.append(t("\(r.noShowWindowDays) 天内爽约 \(r.noShowLimit) 次，将暂停预约 \(r.banDays) 天。",
                           "\(r.noShowLimit) missed bookings within \(r.noShowWindowDays) days pause booking for \(r.banDays) days."))
        }
        return "<section class=\"card small rules\"><h2>\(t("预约须知", "Good to know"))</h2><ul>"
            + items.map { "<li>\(HTML.escape($0))</li>" }.joined() + "</ul>"
            + "<a href=\"\(HTML.escape("/book/cancel?lang=" + lang.rawValue))\">\(t("取消已有预约", "Cancel a booking"))</a></section>\n"
    }

    private static func footer(_ frame: BookingPageFrame, path: String) -> String {
        let other: Language = frame.language == .zh ? .en : .zh
        let joiner = path.contains("?") ? "&" : "?"
        return "<footer class=\"foot\"><a href=\"\(HTML.escape(path + joiner + "lang=" + other.rawValue))\" lang=\"\(HTMLLayout.langTag(other))\">"
            + "\(other == .en ? "English" : "中文")</a></footer>\n"
    }

    private static func page(_ frame: BookingPageFrame, title: String, body: String) -> String {
        let lang = frame.language
        let header = "<h1>\(HTML.escape(frame.hallName.text(in: lang)))</h1><div class=\"sub\">\(lang == .zh ? "网上预约" : "Online booking")</div>"
        return HTMLLayout.page(title: title + " · " + frame.hallName.text(in: lang), lang: lang, header: header, extraCSS: css, body: body)
    }

    /// `PVBUU VYFH4`: the code in groups of five, easier to read out and type (the kiosk ignores the space).
    static func grouped(_ code: String) -> String {
        var out = ""
        for (i, c) in code.enumerated() {
            if i > 0, i % 5 == 0 { out += " " }
            out.append(c)
        }
        return out
    }

    /// `12月8日` / `Dec 8`.
    static func monthDay(_ day: String, _ lang: Language) -> String {
        let p = day.split(separator: "-").compactMap { Int($0) }
        guard p.count == 3 else { return day }
        let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
        return lang == .zh ? "\(p[1])月\(p[2])日" : "\(months[p[1] - 1]) \(p[2])"
    }

    /// `周二` / `Tue`.
    static func weekday(_ day: String, _ timeZone: TimeZone, _ lang: Language) -> String {
        guard let midnight = HallClock(timeZone: timeZone).startOfDay(day) else { return "" }
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        let w = calendar.component(.weekday, from: midnight) - 1
        return lang == .zh ? ["周日", "周一", "周二", "周三", "周四", "周五", "周六"][w] : ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"][w]
    }

    static let css = """
    ul.choices{list-style:none;margin:0;padding:0}
    a.choice{display:flex;flex-direction:column;justify-content:center;min-height:60px;padding:10px 14px;margin:0 0 8px;border:2px solid #c9ced6;border-radius:12px;background:#fff;text-decoration:none;color:#1b1f24}
    a.choice .c-name{font-size:21px;font-weight:700;color:#1f4e9c}
    a.choice .c-sub{font-size:15px;color:#5b6470}
    h2.svc-name{font-size:24px;margin:2px 0 4px}
    .days{display:flex;gap:6px;overflow-x:auto;padding-bottom:4px;-webkit-overflow-scrolling:touch}
    a.day{flex:1 0 56px;display:flex;flex-direction:column;align-items:center;justify-content:center;min-width:56px;min-height:64px;padding:6px 4px;border:2px solid #c9ced6;border-radius:12px;background:#fff;text-decoration:none;color:#1b1f24}
    a.day .d-wd{font-size:14px;color:#5b6470}
    a.day .d-md{font-size:16px;font-weight:700;white-space:nowrap}
    a.day.on{border-color:#1f4e9c;background:#1f4e9c;color:#fff}
    a.day.on .d-wd{color:#dbe6f7}
    fieldset{border:0;margin:0;padding:0;min-width:0}
    legend{font-weight:700;font-size:20px;color:#1f4e9c;margin-bottom:10px;padding:0}
    .slots{display:grid;grid-template-columns:repeat(auto-fill,minmax(150px,1fr));gap:8px}
    label.slot{display:flex;align-items:center;gap:10px;min-height:60px;padding:6px 10px;border:2px solid #c9ced6;border-radius:12px;background:#fff;cursor:pointer}
    label.slot input{width:22px;height:22px;margin:0;flex:none;accent-color:#1f4e9c}
    label.slot .s-body{display:flex;flex-direction:column;line-height:1.25}
    label.slot .s-time{font-size:18px;font-weight:700;font-variant-numeric:tabular-nums;white-space:nowrap}
    label.slot .s-left{font-size:14px;color:#17552a;font-weight:600;white-space:nowrap}
    label.slot.full{background:#eceef1;border-color:#dde1e6;cursor:not-allowed}
    label.slot.full .s-time{color:#8a929c}
    label.slot.full .s-left{color:#8c1d13}
    label.slot:has(input:checked){border-color:#1f4e9c;background:#e8f0fc}
    input[type=tel]{font:inherit;font-size:18px;min-height:48px;padding:8px 12px;border:1px solid #9aa3ae;border-radius:10px;background:#fff;color:#1b1f24;width:100%}
    .btn.big{font-size:21px;min-height:56px;margin-top:6px}
    .rules ul{margin:0 0 8px;padding-left:1.2em}
    .code-big{font-size:clamp(30px,10vw,48px);font-weight:800;letter-spacing:.06em;color:#1f4e9c;font-variant-numeric:tabular-nums;white-space:nowrap;font-family:ui-monospace,"SFMono-Regular",Menlo,Consolas,"Liberation Mono",monospace}
    .qr-box{margin:10px auto 4px;width:200px;max-width:70vw}
    .qr-box svg{width:100%;height:auto;display:block}
    dl.facts{margin:12px 0 0;text-align:left}
    dl.facts div{display:flex;gap:12px;padding:6px 0;border-top:1px solid #e2e5ea}
    dl.facts dt{flex:none;width:5.5em;color:#5b6470}
    dl.facts dd{margin:0;font-weight:600;font-variant-numeric:tabular-nums}
    """
}
