#if canImport(HallAPI)
import HallAPI
#endif
import Foundation

/// Escaping for server-rendered pages. Every dynamic string a page shows goes through `HTML.escape(_:)`.
enum HTML: Sendable {
    /// Escapes `&`, `<`, `>`, `"` and `'` so `text` is safe both as element content and inside a quoted attribute.
    /// NUL characters (which browsers treat inconsistently) become U+FFFD.
    static func escape(_ text: String) -> String {
        var needs = false
        for b in text.utf8 where b == 0x26 || b == 0x3C || b == 0x3E || b == 0x22 || b == 0x27 || b == 0 {
            needs = true
            break
        }
        guard needs else { return text }
        var out = ""
        out.reserveCapacity(text.utf8.count + 32)
        for scalar in text.unicodeScalars {
            switch scalar {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            case "\u{0}": out += "\u{FFFD}"
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out
    }

    /// Percent-encodes `text` for use as one URL path segment or one query value: everything except the
    /// RFC 3986 unreserved characters (`A–Z a–z 0–9 - . _ ~`) is encoded as UTF-8 `%XX`.
    /// The result still has to go through `escape(_:)` when written into an attribute (it never needs changes there).
    static func urlComponent(_ text: String) -> String {
        let hex: [Character] = Array("0123456789ABCDEF")
        var out = ""
        out.reserveCapacity(text.utf8.count)
        for b in text.utf8 {
            switch b {
            case 0x30...0x39, 0x41...0x5A, 0x61...0x7A, 0x2D, 0x2E, 0x5F, 0x7E:
                out.unicodeScalars.append(Unicode.Scalar(b))
            default:
                out.append("%")
                out.append(hex[Int(b >> 4)])
                out.append(hex[Int(b & 0x0F)])
            }
        }
        return out
    }

    /// A query string (`?a=1&b=2`) from name/value pairs, values percent-encoded; not yet HTML-escaped.
    static func query(_ pairs: [(String, String)]) -> String {
        guard !pairs.isEmpty else { return "" }
        return "?" + pairs.map { urlComponent($0.0) + "=" + urlComponent($0.1) }.joined(separator: "&")
    }

    /// `<input type="hidden">` with an escaped name and value.
    static func hidden(_ name: String, _ value: String) -> String {
        "<input type=\"hidden\" name=\"\(escape(name))\" value=\"\(escape(value))\">"
    }

    /// A `<option>` with an escaped value and label, selected when `selected` is true.
    static func option(value: String, label: String, selected: Bool = false) -> String {
        "<option value=\"\(escape(value))\"\(selected ? " selected" : "")>\(escape(label))</option>"
    }

    /// A bilingual label for staff and admin pages: Chinese first, English after it in a smaller, muted span.
    /// Both texts are escaped.
    static func bi(_ zh: String, _ en: String) -> String {
        "\(escape(zh))<span class=\"en\">\(escape(en))</span>"
    }
}

/// The one page skeleton and stylesheet every server page shares.
enum HTMLLayout: Sendable {
    /// The `lang` attribute value for a page language.
    static func langTag(_ lang: Language) -> String {
        switch lang {
        case .zh: "zh-CN"
        case .en: "en"
        }
    }

    /// A complete HTML document.
    ///
    /// - Parameters:
    ///   - title: plain text for `<title>` (escaped here).
    ///   - lang: the page language (`lang` attribute).
    ///   - refreshSeconds: when > 0, emits `<meta http-equiv="refresh" content="N">` (with `;url=` when
    ///     `refreshURL` is given, so a page shown as the answer to a POST reloads with a plain GET).
    ///   - refreshURL: the URL to reload, not yet escaped (escaped here).
    ///   - wide: lets the content use up to 1280 px (tables on a PC) instead of a 760-px column.
    ///   - header: the blue top bar's inner HTML (already escaped); empty for none.
    ///   - extraCSS: page-specific rules appended to the shared stylesheet (constant text, not user data).
    ///   - body: the page's main content as HTML (already escaped).
    static func page(title: String, lang: Language, refreshSeconds: Int = 0, refreshURL: String? = nil,
                     wide: Bool = false, header: String = "", extraCSS: String = "", body: String) -> String {
        var refresh = ""
        if refreshSeconds > 0 {
            var content = String(refreshSeconds)
            if let url = refreshURL { content += ";url=" + url }
            refresh = "<meta http-equiv=\"refresh\" content=\"\(HTML.escape(content))\">\n"
        }
        let top = header.isEmpty ? "" : "<header class=\"top\"><div class=\"wrap\(wide ? " wide" : "")\">\(header)</div></header>\n"
        return """
        <!doctype html>
        <html lang="\(langTag(lang))">
        <head>
        <meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <meta name="robots" content="noindex, nofollow">
        <meta name="referrer" content="same-origin">
        <meta name="format-detection" content="telephone=no">
        \(refresh)<title>\(HTML.escape(title))</title>
        <style>\(css)\(extraCSS.isEmpty ? "" : "\n" + extraCSS)</style>
        </head>
        <body>
        \(top)<main class="wrap\(wide ? " wide" : "")">
        \(body)
        </main>
        </body>
        </html>

        """
    }

    /// The shared stylesheet: calm government-service look, large type, readable from 360 px up.
    static let css = """
    *{box-sizing:border-box}
    html{-webkit-text-size-adjust:100%;text-size-adjust:100%}
    body{margin:0;background:#f2f4f7;color:#1b1f24;font-family:-apple-system,BlinkMacSystemFont,"Segoe UI","PingFang SC","Noto Sans CJK SC","Noto Sans SC","Source Han Sans SC","Microsoft YaHei",sans-serif;font-size:18px;line-height:1.55}
    .wrap{max-width:760px;margin:0 auto;padding:0 14px}
    .wrap.wide{max-width:1280px}
    main.wrap{padding-top:16px;padding-bottom:40px}
    header.top{background:#1f4e9c;color:#fff;padding:14px 0 12px}
    header.top h1{margin:0;font-size:22px;font-weight:700;line-height:1.3}
    header.top .sub{margin-top:2px;font-size:15px;color:#dbe6f7}
    header.top .bar{display:flex;flex-wrap:wrap;align-items:center;justify-content:space-between;gap:8px 16px}
    header.top a{color:#fff}
    header.top .en{color:#c9d8f0}
    .en{font-size:.78em;color:#5b6470;margin-left:.4em;font-weight:400}
    h2{font-size:20px;margin:0 0 10px;color:#1f4e9c}
    a{color:#1f4e9c}
    .card{background:#fff;border-radius:14px;box-shadow:0 1px 3px rgba(16,24,40,.1);padding:18px 16px;margin:0 0 14px}
    .muted{color:#5b6470}
    .small{font-size:15px}
    .center{text-align:center}
    .nowrap{white-space:nowrap}
    .notice{border-radius:12px;padding:12px 14px;margin:0 0 14px;font-weight:600;border:1px solid transparent}
    .notice.ok{background:#e7f5ea;color:#17552a;border-color:#a9d8b5}
    .notice.info{background:#e8f0fc;color:#143a75;border-color:#b4c9ec}
    .notice.err{background:#fdecea;color:#8c1d13;border-color:#f0b2ab}
    .btn{display:inline-block;min-height:48px;padding:10px 20px;border-radius:10px;border:1px solid #1f4e9c;background:#fff;color:#1f4e9c;font:inherit;font-weight:600;cursor:pointer;text-decoration:none;text-align:center}
    .btn.primary{background:#1f4e9c;color:#fff}
    .btn.danger{border-color:#b3261e;color:#b3261e}
    .btn.block{display:block;width:100%}
    .btn .en{color:inherit;opacity:.85}
    .btn[disabled]{background:#eceef1;border-color:#c9ced6;color:#8a929c;cursor:not-allowed}
    .btn:focus-visible,input:focus-visible,select:focus-visible,textarea:focus-visible{outline:3px solid #f5b400;outline-offset:2px}
    label.field{display:block;margin:0 0 14px;font-weight:600}
    label.field input,label.field select{display:block;width:100%;margin-top:6px}
    input[type=text],input[type=password],input[type=date],select,textarea{font:inherit;font-size:18px;min-height:48px;padding:8px 12px;border:1px solid #9aa3ae;border-radius:10px;background:#fff;color:#1b1f24;max-width:100%}
    textarea{width:100%;min-height:88px}
    select[disabled]{background:#eceef1;color:#8a929c;border-color:#c9ced6}
    .badge{display:inline-block;white-space:nowrap;padding:2px 10px;border-radius:999px;font-size:15px;font-weight:600;background:#e8f0fc;color:#143a75}
    .badge.green{background:#e7f5ea;color:#17552a}
    .badge.red{background:#fdecea;color:#8c1d13}
    .badge.amber{background:#fff4d6;color:#6b4a00}
    .badge.grey{background:#eceef1;color:#3d444d}
    .bignum{font-size:clamp(64px,24vw,120px);font-weight:800;line-height:1.05;letter-spacing:.03em;color:#1f4e9c;font-variant-numeric:tabular-nums;word-break:break-all}
    footer.foot{margin-top:18px;font-size:15px;color:#5b6470;text-align:center}
    footer.foot a{display:inline-block;padding:10px 14px;font-size:17px;font-weight:600}
    .table-wrap{overflow-x:auto;-webkit-overflow-scrolling:touch}
    table{border-collapse:collapse;width:100%;font-size:16px}
    th,td{padding:8px 10px;border-bottom:1px solid #e2e5ea;text-align:left;vertical-align:top}
    th{background:#f5f7fa;color:#3d444d;font-weight:600;white-space:nowrap}
    td.num,th.num{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}
    tfoot td{font-weight:700;background:#f5f7fa;border-top:2px solid #c9ced6}
    .nav{display:flex;flex-wrap:wrap;gap:8px 18px;font-size:16px}
    """
}

/// Formatting helpers for pages: times in the hall's zone, percentages, durations. Locale-independent.
enum PageFormat: Sendable {
    /// A Gregorian calendar in `timeZone`.
    private static func calendar(_ timeZone: TimeZone) -> Calendar {
        var cal = Calendar(identifier: .gregorian)
        cal.timeZone = timeZone
        return cal
    }

    /// `v` with at least two digits.
    private static func two(_ v: Int) -> String { v < 10 ? "0\(v)" : String(v) }

    /// `HH:mm` of `date` in `timeZone`.
    static func hhmm(_ date: Date, _ timeZone: TimeZone) -> String {
        let c = calendar(timeZone).dateComponents([.hour, .minute], from: date)
        return two(c.hour ?? 0) + ":" + two(c.minute ?? 0)
    }

    /// `HH:mm:ss` of `date` in `timeZone`.
    static func hhmmss(_ date: Date, _ timeZone: TimeZone) -> String {
        let c = calendar(timeZone).dateComponents([.hour, .minute, .second], from: date)
        return two(c.hour ?? 0) + ":" + two(c.minute ?? 0) + ":" + two(c.second ?? 0)
    }

    /// `YYYY-MM-DD` of `date` in `timeZone`.
    static func day(_ date: Date, _ timeZone: TimeZone) -> String {
        let c = calendar(timeZone).dateComponents([.year, .month, .day], from: date)
        return String(c.year ?? 0) + "-" + two(c.month ?? 0) + "-" + two(c.day ?? 0)
    }

    /// `YYYY-MM-DD HH:mm` of `date` in `timeZone`.
    static func dayTime(_ date: Date, _ timeZone: TimeZone) -> String {
        day(date, timeZone) + " " + hhmm(date, timeZone)
    }

    /// A rate (0…1) as a percentage with one decimal, e.g. `93.3%`; `—` when not a finite number.
    static func percent(_ rate: Double) -> String {
        guard rate.isFinite else { return "—" }
        let tenths = Int((rate * 1000).rounded())
        let sign = tenths < 0 ? "-" : ""
        let a = abs(tenths)
        return "\(sign)\(a / 10).\(a % 10)%"
    }

    /// How long ago `date` was, relative to `now`: `(zh, en)`, e.g. `("35 秒前", "35 s ago")`.
    static func ago(_ date: Date, now: Date) -> (zh: String, en: String) {
        let s = Int(now.timeIntervalSince(date).rounded())
        if s < 0 { return ("刚刚", "just now") }
        if s < 60 { return ("\(s) 秒前", "\(s) s ago") }
        if s < 3600 { return ("\(s / 60) 分钟前", "\(s / 60) min ago") }
        if s < 86_400 { return ("\(s / 3600) 小时 \(s % 3600 / 60) 分钟前", "\(s / 3600) h \(s % 3600 / 60) min ago") }
        return ("\(s / 86_400) 天前", "\(s / 86_400) d ago")
    }

    /// An uptime in seconds as a short duration: `45 s`, `12 min`, `3 h 05 min`, `4 d 2 h`.
    static func duration(_ seconds: Int) -> String {
        let s = max(0, seconds)
        if s < 60 { return "\(s) s" }
        if s < 3600 { return "\(s / 60) min" }
        if s < 86_400 { return "\(s / 3600) h \(two(s % 3600 / 60)) min" }
        return "\(s / 86_400) d \(s % 86_400 / 3600) h"
    }
}

/// Words for wire enums, shared by the pages.
enum PageWords: Sendable {
    /// A ticket status in words.
    static func status(_ status: TicketStatus) -> LocalizedText {
        switch status {
        case .waiting: LocalizedText(zh: "等候中", en: "Waiting")
        case .called: LocalizedText(zh: "已叫号", en: "Called")
        case .serving: LocalizedText(zh: "办理中", en: "Being served")
        case .completed: LocalizedText(zh: "已办结", en: "Completed")
        case .noShow: LocalizedText(zh: "已过号", en: "Missed")
        case .expired: LocalizedText(zh: "未办理", en: "Not served (day ended)")
        }
    }

    /// A priority lane (绿色通道) in words.
    static func priority(_ kind: PriorityKind) -> LocalizedText {
        switch kind {
        case .elderly: LocalizedText(zh: "绿色通道·老年人", en: "Priority · elderly")
        case .disabled: LocalizedText(zh: "绿色通道·残障人士", en: "Priority · disability")
        case .appointment: LocalizedText(zh: "绿色通道·预约", en: "Priority · appointment")
        }
    }

    /// A service state in words.
    static func serviceState(_ state: ServiceState) -> LocalizedText {
        switch state {
        case .open: LocalizedText(zh: "开放取号", en: "Open")
        case .closed: LocalizedText(zh: "未开放", en: "Closed")
        case .quotaReached: LocalizedText(zh: "号源已满", en: "Quota reached")
        case .paused: LocalizedText(zh: "已暂停", en: "Paused")
        }
    }

    /// A rating channel in words.
    static func channel(_ channel: RatingChannel) -> LocalizedText {
        switch channel {
        case .windowDevice: LocalizedText(zh: "窗口评价器", en: "Window device")
        case .kiosk: LocalizedText(zh: "取号机", en: "Kiosk")
        case .phoneQr: LocalizedText(zh: "手机扫码", en: "Phone QR")
        }
    }

    /// A device role (raw value of `DeviceRole`, or anything else shown as-is) in words.
    static func role(_ role: String) -> LocalizedText {
        switch DeviceRole(rawValue: role) {
        case .ticketKiosk: LocalizedText(zh: "取号机", en: "Ticket kiosk")
        case .ratingDevice: LocalizedText(zh: "窗口评价器", en: "Rating device")
        case .callingDisplay: LocalizedText(zh: "叫号屏", en: "Calling display")
        case nil: LocalizedText(zh: role, en: role)
        }
    }

    /// A printer condition in words.
    static func printer(_ condition: PrinterCondition) -> LocalizedText {
        switch condition {
        case .ok: LocalizedText(zh: "正常", en: "OK")
        case .paperLow: LocalizedText(zh: "纸将用完", en: "Paper low")
        case .paperOut: LocalizedText(zh: "缺纸", en: "Out of paper")
        case .coverOpen: LocalizedText(zh: "舱盖打开", en: "Cover open")
        case .offline: LocalizedText(zh: "离线", en: "Offline")
        case .stopped: LocalizedText(zh: "已停止", en: "Stopped")
        case .notConfigured: LocalizedText(zh: "未配置", en: "Not configured")
        case .unknown: LocalizedText(zh: "未知", en: "Unknown")
        }
    }
}
