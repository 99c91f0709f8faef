#if canImport(HallAPI)
import HallAPI
#endif
import Foundation

/// A message shown at the top of the phone page after the citizen submitted a rating.
enum PhoneNotice: Sendable, Hashable {
    /// The rating was stored.
    case thanks
    /// The service already has a rating (one rating per service).
    case alreadyRated
    /// The rating was refused; the text is already in the page's language (e.g. "please choose a reason").
    case error(String)
}

/// Everything the citizen's progress page at `/t/{token}` shows.
struct PhonePageModel: Sendable {
    /// The hall's name, shown in the header.
    var hallName: LocalizedText
    /// The page language (from `?lang=`, the form's `lang`, or the browser).
    var language: Language
    /// The ticket's token, as in the URL (links and the rating form are built from it).
    var token: String
    /// The ticket's progress (`GET /api/v1/tickets/{token}`).
    var progress: TicketProgress
    /// A message after a rating POST, shown at the top.
    var notice: PhoneNotice?
    /// The hall's time zone, for times on the page.
    var timeZone: TimeZone
    /// Reload interval; 0 = no reload. Ignored while the rating form is shown so a half-filled form is never wiped.
    var refreshSeconds: Int
    /// What the citizen chose in a rating form that came back with a message (kept chosen), and that message.
    var draft: PhoneRatingDraft? = nil
    /// When the ticket was recalled, and the number its service calls now.
    var calls = PhoneCallFacts()
}

/// A rating form as the citizen filled it in, shown again (with `reasonsError` beside the reasons) when it was
/// refused.
struct PhoneRatingDraft: Sendable, Hashable {
    var level: RatingLevel?
    var reasons: [RatingReason]
    var text: String
    /// Why the reasons were refused (a 差评 without one), in the page's language.
    var reasonsError: String? = nil
}

/// The citizen's progress page (`GET /t/{token}`), with the rating form once the service is completed.
enum PhonePage: Sendable {
    /// Renders the page. The only page a citizen reaches with the ticket's token; shows nothing beyond that ticket.
    static func render(_ model: PhonePageModel) -> String {
        let lang = model.language
        let p = model.progress
        func t(_ zh: String, _ en: String) -> String { lang == .zh ? zh : en }
        let e = HTML.escape
        let base = "/t/" + HTML.urlComponent(model.token)
        let other: Language = lang == .zh ? .en : .zh
        let showForm = p.rating.canRate && !p.rating.rated
        let refresh = showForm ? 0 : max(0, model.refreshSeconds)

        var body = ""

        // Notices first.
        if let notice = model.notice {
            switch notice {
            case .thanks:
                body += "<div class=\"notice ok\" role=\"status\">\(t("评价已提交，感谢您的评价！", "Your rating has been submitted. Thank you!"))</div>\n"
            case .alreadyRated:
                body += "<div class=\"notice info\" role=\"status\">\(t("本次服务已经评价过，每次服务只能评价一次。", "This service has already been rated. One rating per service."))</div>\n"
            case .error(let message):
                body += "<div class=\"notice err\" role=\"alert\">\(e(message))</div>\n"
            }
        }

        // The ticket and its status.
        body += "<section class=\"card ticket center\">\n"
        body += "<div class=\"muted\">\(t("您的号码", "Your number"))</div>\n"
        body += "<div class=\"bignum\">\(e(p.number))</div>\n"
        body += "<div class=\"svc\">\(e(p.service.name.text(in: lang)))</div>\n"
        if let code = p.ratingCode {
            body += "<div class=\"muted small\">\(t("评价码", "Rating code")) <b class=\"code\">\(e(code))</b> · "
                + "\(t("在自助机评价时与号码一起输入", "type it with the number to rate at a kiosk"))</div>\n"
        }
        if let prio = p.priority {
            body += "<div><span class=\"badge green\">\(e(prio.labelText(lang)))</span></div>\n"
        }
        body += statusBlock(p, lang: lang, timeZone: model.timeZone, calls: model.calls)
        body += "<dl class=\"facts\">"
        body += "<div><dt>\(t("取号时间", "Issued at"))</dt><dd>\(PageFormat.hhmm(p.issuedAt, model.timeZone))</dd></div>"
        if let called = p.calledAt, p.status != .waiting {
            body += "<div><dt>\(t("叫号时间", "Called at"))</dt><dd>\(PageFormat.hhmm(called, model.timeZone))</dd></div>"
        }
        if let done = p.completedAt, p.status == .completed {
            body += "<div><dt>\(t("办结时间", "Completed at"))</dt><dd>\(PageFormat.hhmm(done, model.timeZone))</dd></div>"
        }
        body += "</dl>\n</section>\n"

        // Rating.
        if p.rating.rated {
            body += "<section class=\"card center rated\"><div class=\"rated-ok\">\(t("已评价，感谢", "Thank you for your rating"))</div></section>\n"
        } else if showForm {
            body += ratingForm(model, base: base)
        }

        // Footer: language switch and refresh note.
        body += "<footer class=\"foot\">"
        body += "<a href=\"\(e(base + "?lang=" + other.rawValue))\" lang=\"\(HTMLLayout.langTag(other))\">\(other == .en ? "English" : "中文")</a>"
        if refresh > 0 {
            let note = t("叫到您时本页自动更新（至少每 \(refresh) 秒刷新一次）",
                         "This page updates by itself when you are called (and every \(refresh) s)")
            body += "<div>\(note)</div>"
        }
        body += "</footer>\n"

        // The live link: the page reloads itself the moment the ticket changes (called, recalled, fewer ahead), and
        // vibrates once per call where the browser allows. Plain ES5 for old phone browsers; without EventSource (or
        // JavaScript) the page still reloads on its timer.
        if refresh > 0 {
            let called = p.status == .called
            body += "<div id=\"live\" hidden data-fp=\"\(e(fingerprint(p)))\" data-src=\"\(e(base + "/events"))\" "
                + "data-reload=\"\(e(base + "?lang=" + lang.rawValue))\" data-called=\"\(called ? "1" : "0")\" "
                + "data-key=\"\(e("hk-called-" + p.id))\"></div>\n<script>\(liveScript)</script>\n"
        }

        let header = "<h1>\(e(model.hallName.text(in: lang)))</h1><div class=\"sub\">\(t("排队进度", "Queue progress"))</div>"
        return HTMLLayout.page(title: title(p, lang: lang) + " · " + model.hallName.text(in: lang), lang: lang,
                               refreshSeconds: refresh, refreshURL: base + "?lang=" + lang.rawValue,
                               header: header, extraCSS: css, body: body)
    }

    /// What the browser tab says: the number, and "请到 3号窗口" while it is called (a background tab shows it).
    static func title(_ p: TicketProgress, lang: Language) -> String {
        guard p.status == .called, let window = p.window else { return p.number }
        let recall = (p.recallCount ?? 0) > 0 ? (lang == .zh ? "重呼 " : "Recall: ") : ""
        return recall + (lang == .zh ? "请到\(window.name.zh) · \(p.number)" : "Go to \(window.name.en) · \(p.number)")
    }

    /// What the live link compares: status, window, recalls, people ahead, rated. One line, no personal data.
    static func fingerprint(_ p: TicketProgress) -> String {
        "\(p.status.rawValue).\(p.window?.id ?? "-").\(p.recallCount ?? 0).\(p.waitingAhead ?? -1).\(p.rating.rated ? 1 : 0)"
    }

    /// The page's only script (ES5): vibrate once per new call, reload when the live link says the ticket changed.
    static let liveScript = """
    (function () {
      var live = document.getElementById('live');
      if (!live) { return; }
      var fp = live.getAttribute('data-fp');
      try {
        var key = live.getAttribute('data-key');
        if (live.getAttribute('data-called') === '1' && window.sessionStorage && sessionStorage.getItem(key) !== fp) {
          sessionStorage.setItem(key, fp);
          if (navigator.vibrate) { navigator.vibrate([400, 150, 400, 150, 400]); }
        }
      } catch (ignored) {}
      if (!window.EventSource) { return; }
      var source = new EventSource(live.getAttribute('data-src'));
      source.addEventListener('progress', function (e) {
        if (e.data !== fp) { source.close(); window.location.replace(live.getAttribute('data-reload')); }
      });
    })();
    """

    /// The status in words, with the window for called/serving, and the queue position while waiting.
    private static func statusBlock(_ p: TicketProgress, lang: Language, timeZone: TimeZone, calls: PhoneCallFacts) -> String {
        func t(_ zh: String, _ en: String) -> String { lang == .zh ? zh : en }
        let e = HTML.escape
        let windowName = p.window.map { e($0.name.text(in: lang)) }
        switch p.status {
        case .waiting:
            var s = "<div class=\"status st-waiting\"><div class=\"st-word\">\(t("等候中", "Waiting"))</div>"
            if p.transferredFrom != nil {
                s += "<div class=\"st-line\">\(t("已转至\(e(p.service.name.zh))办理", "Transferred to \(e(p.service.name.en))"))</div>"
            }
            if p.requeued == true { s += "<div class=\"st-line\">\(t("已重新排队", "Back in the queue"))</div>" }
            if let ahead = p.waitingAhead {
                if ahead <= 0 {
                    s += "<div class=\"st-line\">\(t("前面没有人，即将叫到您", "No one ahead of you — you are next"))</div>"
                } else {
                    s += "<div class=\"st-line\">\(t("前面还有", "People ahead:")) <b class=\"n\">\(ahead)</b> \(t("人", ""))</div>"
                }
            }
            if let minutes = p.estimatedWaitMinutes, (p.waitingAhead ?? 1) > 0 {
                if minutes <= 0 {
                    s += "<div class=\"st-line\">\(t("预计很快叫到", "Expected soon"))</div>"
                } else {
                    s += "<div class=\"st-line\">\(t("预计等候约", "Estimated wait: about")) <b class=\"n\">\(minutes)</b> \(t("分钟", "min"))</div>"
                }
            }
            if let calling = calls.nowCalling {
                s += "<div class=\"st-line now-calling\">\(t("本业务正在叫号", "Now calling for this service:")) <b class=\"n\">\(e(calling))</b></div>"
            }
            s += "<div class=\"st-hint\">\(t("请留意大厅叫号；过号请到窗口说明", "Please listen for your number; if you miss it, ask at a window"))</div>"
            return s + "</div>\n"
        case .called:
            var s = "<div class=\"status st-called\" role=\"alert\">"
            if let w = windowName {
                s += "<div class=\"st-line\">\(t("请到", "Please go to"))</div><div class=\"win\">\(w)</div>"
                if lang == .zh { s += "<div class=\"st-line\">办理</div>" }
            } else {
                s += "<div class=\"st-word\">\(t("已叫号，请到窗口办理", "Your number has been called"))</div>"
            }
            if let recalls = p.recallCount, recalls > 0 {
                let at = calls.recalledAt.map { PageFormat.hhmm($0, timeZone) }
                let when = at.map { t("再次叫号 \($0)", "Called again at \($0)") } ?? t("再次叫号", "Called again")
                s += "<div class=\"st-recall\">\(when) · \(t("第 \(recalls) 次重呼 · 窗口正在等您", "recall \(recalls) · the window is waiting for you"))</div>"
            }
            s += "<div class=\"st-hint\">\(t("请尽快前往；如已错过，请到窗口说明", "Please go now; if you miss it, ask at a window"))</div>"
            return s + "</div>\n"
        case .serving:
            var s = "<div class=\"status st-serving\"><div class=\"st-word\">\(t("办理中", "Being served"))</div>"
            if let w = windowName { s += "<div class=\"st-line\">\(w)</div>" }
            return s + "</div>\n"
        case .completed:
            var s = "<div class=\"status st-done\"><div class=\"st-word\">\(t("已办结", "Completed"))</div>"
            if let w = windowName { s += "<div class=\"st-line\">\(w)</div>" }
            return s + "</div>\n"
        case .noShow:
            // It was called first (the server allows 过号 only then): say where it was called to.
            let calledTo = windowName.map { "<div class=\"st-line\">\(t("曾叫号：请到", "Called to")) \($0)"
                + (p.calledAt.map { " · " + PageFormat.hhmm($0, timeZone) } ?? "") + "</div>" } ?? ""
            return "<div class=\"status st-missed\"><div class=\"st-word\">\(t("已过号", "Missed"))</div>" + calledTo
                + "<div class=\"st-hint\">\(t("请到窗口或咨询台说明，工作人员可为您重新排队，无需重新取号", "Ask at a window or the enquiries desk: staff can put you back in the queue — no new ticket needed"))</div></div>\n"
        case .expired:
            return "<div class=\"status st-missed\"><div class=\"st-word\">\(t("未办理", "Not served"))</div>"
                + "<div class=\"st-hint\">\(t("当日办理时间已结束，此号未被叫到，请重新取号", "The hall day ended before this number was called; please take a new number"))</div></div>\n"
        }
    }

    /// The rating form (channel phoneQr). No level is pre-selected: ratings are voluntary.
    private static func ratingForm(_ model: PhonePageModel, base: String) -> String {
        let lang = model.language
        let p = model.progress
        func t(_ zh: String, _ en: String) -> String { lang == .zh ? zh : en }
        let e = HTML.escape
        var s = "<section class=\"card rate\">\n<h2>\(t("请为本次服务评价", "Rate this service"))</h2>\n"

        // Who is rated.
        var who: [String] = []
        if let w = p.window { who.append("<span class=\"who-win\">\(e(w.name.text(in: lang)))</span>") }
        if let staff = p.staff {
            who.append("<span class=\"who-staff\">\(e(staff.name))</span> <span class=\"who-no\">\(t("工号", "No.")) \(e(staff.employeeNo))</span>")
        }
        if !who.isEmpty {
            s += "<div class=\"who\"><span class=\"muted\">\(t("评价对象", "Rating for"))</span> \(who.joined(separator: " · "))</div>\n"
        }
        s += "<div class=\"who muted small\">\(e(p.number)) · \(e(p.service.name.text(in: lang)))</div>\n"

        s += "<form method=\"post\" action=\"\(e(base + "/rating"))\" enctype=\"application/x-www-form-urlencoded\" accept-charset=\"utf-8\" class=\"rating\">\n"
        s += HTML.hidden("lang", lang.rawValue) + "\n"

        s += "<fieldset class=\"levels\"><legend>\(t("满意程度", "How satisfied are you?"))</legend>\n"
        let levels = RatingLevel.allCases
        let draft = model.draft
        for (i, level) in levels.enumerated() {
            let stars = String(repeating: "★", count: levels.count - i) + String(repeating: "☆", count: i)
            let checked = draft?.level == level ? " checked" : ""
            s += "<label class=\"opt\"><input type=\"radio\" name=\"level\" value=\"\(e(level.rawValue))\" required\(checked)>"
            s += "<span class=\"mark lv\(i)\" aria-hidden=\"true\">\(stars)</span>"
            s += "<span class=\"opt-text\">\(e(level.label.text(in: lang)))</span></label>\n"
        }
        s += "</fieldset>\n"

        // Reasons are asked for a 差评 only: the fieldset shows once 不满意 or 非常不满意 is chosen (browsers without
        // `:has` always show it, with the note saying when it is needed).
        let reasonsError = draft?.reasonsError
        s += "<fieldset class=\"reasons\(reasonsError == nil ? "" : " has-error")\" id=\"reasons\"><legend>\(t("不满意的原因（可多选）", "What went wrong? (choose any)"))</legend>\n"
        if let reasonsError {
            s += "<p class=\"reason-error\" role=\"alert\">\(e(reasonsError))</p>\n"
        }
        if reasonsError == nil { s += "<p class=\"reason-note\">\(t("选择“不满意”或“非常不满意”时，请至少选择一项原因。", "If you choose Dissatisfied or Very dissatisfied, please choose at least one reason."))</p>\n" }
        for reason in RatingReason.allCases {
            let ticked = draft?.reasons.contains(reason) == true ? " checked" : ""
            s += "<label class=\"chk\"><input type=\"checkbox\" name=\"reasons\" value=\"\(e(reason.rawValue))\"\(ticked)>"
            s += "<span>\(e(reason.label.text(in: lang)))</span></label>\n"
        }
        s += "</fieldset>\n"

        s += "<label class=\"field\" for=\"rating-text\">\(t("其他意见（选填，最多 200 字）", "Comments (optional, up to 200 characters)"))</label>\n"
        s += "<textarea id=\"rating-text\" name=\"text\" maxlength=\"200\" rows=\"3\">\(e(draft?.text ?? ""))</textarea>\n"
        s += "<p class=\"muted small\">\(t("评价自愿，不评价不影响办事。", "Rating is voluntary."))</p>\n"
        s += "<button type=\"submit\" class=\"btn primary block big\">\(t("提交", "Submit"))</button>\n"
        s += "</form>\n</section>\n"
        return s
    }

    /// Styles used only by the phone page.
    static let css = """
    .ticket .svc{font-size:22px;font-weight:600;margin:4px 0 8px}
    .status{margin:14px 0 6px;padding:14px 12px;border-radius:12px;background:#f5f7fa}
    .st-word{font-size:30px;font-weight:800;line-height:1.25}
    .st-line{font-size:20px;margin-top:4px}
    .st-line .n{font-size:34px;color:#1f4e9c;margin:0 2px}
    .st-hint{font-size:16px;color:#5b6470;margin-top:8px}
    .st-waiting .st-word{color:#1f4e9c}
    .st-called{background:#fff4d6;border:2px solid #e0a100}
    .st-called .win{font-size:clamp(40px,13vw,64px);font-weight:800;color:#8a3b00;line-height:1.15;word-break:break-all}
    .st-called .st-hint{color:#6b4a00}
    .st-recall{display:inline-block;margin-top:8px;padding:4px 12px;border-radius:6px;background:#8a3b00;color:#fff;font-weight:700;font-size:18px}
    .st-serving{background:#e8f0fc}.st-serving .st-word{color:#143a75}
    .st-done{background:#e7f5ea}.st-done .st-word{color:#17552a}
    .st-missed{background:#fdecea}.st-missed .st-word{color:#8c1d13}.st-missed .st-hint{color:#8c1d13;font-weight:600}
    dl.facts{display:flex;justify-content:center;flex-wrap:wrap;gap:4px 24px;margin:10px 0 0;font-size:17px}
    dl.facts div{display:flex;gap:8px}
    dl.facts dt{color:#5b6470}
    dl.facts dd{margin:0;font-weight:600;font-variant-numeric:tabular-nums}
    .rated-ok{font-size:24px;font-weight:700;color:#17552a}
    .who{margin:0 0 6px;font-size:18px}
    .who-win,.who-staff{font-weight:700}
    fieldset{border:0;margin:14px 0 10px;padding:0;min-width:0}
    legend{font-weight:700;font-size:19px;margin-bottom:8px;padding:0}
    label.opt{display:flex;align-items:center;gap:12px;min-height:58px;padding:10px 14px;margin:0 0 8px;border:2px solid #c9ced6;border-radius:12px;background:#fff;font-size:21px;font-weight:600;cursor:pointer}
    label.opt input{width:26px;height:26px;margin:0;flex:none;accent-color:#1f4e9c}
    label.opt .mark{flex:none;width:5.6em;font-size:17px;white-space:nowrap}
    .mark.lv0{color:#2e7d32}.mark.lv1{color:#558b2f}.mark.lv2{color:#9a6a00}.mark.lv3{color:#c2410c}.mark.lv4{color:#b3261e}
    label.opt:has(input:checked){border-color:#1f4e9c;background:#e8f0fc}
    label.chk{display:flex;align-items:center;gap:10px;min-height:48px;padding:6px 12px;margin:0 0 6px;border:1px solid #c9ced6;border-radius:10px;font-size:18px;cursor:pointer}
    label.chk input{width:24px;height:24px;margin:0;flex:none;accent-color:#1f4e9c}
    label.chk:has(input:checked){border-color:#1f4e9c;background:#e8f0fc}
    .reason-note{margin:0 0 8px;font-size:16px;color:#5b6470}
    form.rating:has(input[value=dissatisfied]:checked) .reason-note,form.rating:has(input[value=veryDissatisfied]:checked) .reason-note{color:#b3261e;font-weight:700}
    .btn.big{font-size:21px;min-height:56px;margin-top:6px}
    .reason-error{margin:0 0 8px;padding:8px 12px;border-radius:8px;background:#fdecea;color:#8c1d13;font-weight:700;font-size:17px}
    fieldset.has-error label.chk{border-color:#b3261e}
    .now-calling .n{color:#8a3b00}
    @supports selector(:has(a)){form.rating .reasons{display:none}form.rating:has(input[value=dissatisfied]:checked) .reasons,form.rating:has(input[value=veryDissatisfied]:checked) .reasons{display:block}}
    """
}

/// The answer to `/t/{token}` when the token matches no ticket. Reveals nothing else.
enum NotFoundPage: Sendable {
    /// Renders "ticket not found" in `language`, with a switch to the other language.
    static func render(language: Language) -> String {
        func t(_ zh: String, _ en: String) -> String { language == .zh ? zh : en }
        let other: Language = language == .zh ? .en : .zh
        let body = """
        <section class="card center">
        <h2 style="font-size:26px;margin-top:8px">\(t("未找到该号票", "Ticket not found"))</h2>
        <p class="muted">\(t("请核对二维码，或到取号机重新查询。", "Please check the QR code, or look it up at a ticket kiosk."))</p>
        </section>
        <footer class="foot"><a href="?lang=\(other.rawValue)" lang="\(HTMLLayout.langTag(other))">\(other == .en ? "English" : "中文")</a></footer>
        """
        return HTMLLayout.page(title: t("未找到该号票", "Ticket not found"), lang: language,
                               header: "<h1>\(t("排队进度", "Queue progress"))</h1>", body: body)
    }
}

extension PriorityKind {
    /// The priority lane's words in `language` (not escaped).
    fileprivate func labelText(_ language: Language) -> String {
        PageWords.priority(self).text(in: language)
    }
}
