import Foundation
import HallAPI

extension Canvas {
    /// The check-in screens: waiting for the hall server, the card holder's offer, the booking code keypad, a refusal.
    mutating func drawCheckin(_ state: KioskState, screen: CheckinScreen, words: Wording) {
        let content = header(state, words)
        switch screen.phase {
        case .lookingUp:
            drawCheckinWaiting(card: screen.card, text: words(.checkinLookingUp), in: content, words: words)
        case .submitting:
            drawCheckinWaiting(card: screen.card, text: words(.checkinSubmitting), in: content, words: words)
        case .offer(let offer):
            drawCheckinOffer(state, card: screen.card, offer: offer, in: content, words: words)
        case .keypad(let entry):
            drawBookingKeypad(state, entry: entry, in: content, words: words)
        case .refused(let refusal):
            drawCheckinRefusal(state, refusal, in: content, words: words)
        }
    }

    /// "张*，您好" and the masked number: the card holder's own screen only.
    func greeting(_ card: CardHolder, _ words: Wording) -> [Line] {
        [Line(text: words(.checkinGreeting, ["name": card.maskedName]), size: metrics.font(52), bold: true, color: theme.text),
         Line(text: words(.checkinMaskedId, ["id": card.maskedIdNumber]), size: metrics.font(30), color: theme.mutedText)]
    }

    mutating func drawCheckinWaiting(card: CardHolder?, text: String, in area: Rect, words: Wording) {
        column((card.map { greeting($0, words) } ?? [])
               + [Line(text: text, size: metrics.font(46), color: theme.text, maxLines: 2)], in: area)
    }

    /// The reason, large, in the citizen's language with the other language under it; what to do next.
    mutating func drawCheckinRefusal(_ state: KioskState, _ refusal: CheckinRefusal, in content: Rect, words: Wording) {
        let timeZone = Wording.timeZone(of: state.hall)
        var buttons: [(KioskAction, String, ButtonStyle)] = []
        if refusal == .unknownBookingCode { buttons.append((.openBookingCode, words(.checkinTypeAgain), .primary)) }
        buttons.append((.backHome, words(.commonHome), buttons.isEmpty ? .primary : .secondary))
        let area = bottomButtons(buttons, in: content)
        column([
            Line(text: words.refusal(refusal, timeZone: timeZone), size: metrics.font(60), bold: true, color: theme.warningText,
                 maxLines: 3),
            Line(text: words.other.refusal(refusal, timeZone: timeZone), size: metrics.font(36), color: theme.mutedText,
                 maxLines: 3),
            Line(text: words(.commonHelpDesk), size: metrics.font(36), color: theme.text, maxLines: 2),
        ], in: area)
    }

    /// The card holder's choices: their appointment with one button, their pending numbers with 补打, else the
    /// services open to them (each refusal worded).
    mutating func drawCheckinOffer(_ state: KioskState, card: CardHolder?, offer: CheckinOffer, in content: Rect, words: Wording) {
        var area = bottomButtons([(.backHome, words(.ticketDone), .secondary)], in: content)
        let gap = metrics.gap
        if let card {
            let lines = greeting(card, words)
            let height = lines.reduce(0) { $0 + metrics.line($1.size) } + gap
            let (top, rest) = area.slicedFromTop(height, gap: gap)
            column(lines, in: top, alignment: .leading, spacing: (gap * 0.3).rounded())
            area = rest
        }
        let timeZone = Wording.timeZone(of: state.hall)
        if let appointment = offer.appointment {
            area = drawAppointmentCard(appointment, in: area, timeZone: timeZone, words: words)
        }
        for ticket in offer.lookup.pendingTickets.prefix(2) {
            let (row, rest) = area.slicedFromTop(metrics.touch, gap: gap)
            let (label, button) = row.slicedFromLeft((row.width * 0.66).rounded(), gap: gap)
            text(words(.checkinPendingTicket, ["number": ticket.number, "service": ticket.service.name.text(in: words.language)]),
                 in: label, size: metrics.font(36), bold: true, color: theme.text, maxLines: 2)
            self.button(.reprint(ticketId: ticket.id), button, label: words(.checkinReprint), style: .primary, size: metrics.font(38))
            area = rest
        }
        guard offer.appointment == nil else { return }
        drawPersonServices(state, offer: offer, in: area, words: words)
    }

    /// The highlighted appointment: service, slot, and the one button that checks it in.
    mutating func drawAppointmentCard(_ appointment: AppointmentSummary, in area: Rect, timeZone: TimeZone,
                                      words: Wording) -> Rect {
        let gap = metrics.gap, padding = metrics.padding
        let label = Line(text: words(.checkinYourAppointment), size: metrics.font(32), bold: true, color: theme.accentText)
        let name = Line(text: appointment.service.name.text(in: words.language), size: metrics.font(50), bold: true,
                        color: theme.text, maxLines: 2)
        let slot = Line(text: words(.checkinSlot, ["start": Wording.clock(appointment.slotStart, in: timeZone),
                                                   "end": Wording.clock(appointment.slotEnd, in: timeZone)]),
                        size: metrics.font(38), color: theme.text)
        let textHeight = metrics.line(label.size) + 2 * metrics.line(name.size) + metrics.line(slot.size) + 2 * gap
        let buttonHeight = (metrics.touch * 1.15).rounded()
        let wide = area.width > area.height * 1.2
        let height = min(area.height, (wide ? max(textHeight, buttonHeight) : textHeight + gap + buttonHeight) + 2 * padding)
        let (cardFrame, rest) = area.slicedFromTop(height.rounded(.up), gap: gap)
        fill(cardFrame, theme.card, radius: metrics.cornerRadius)
        stroke(cardFrame, theme.accentText, width: max(3, (6 * metrics.unit).rounded()), radius: metrics.cornerRadius)
        let inner = cardFrame.insetBy(dx: padding * 1.5, dy: padding)
        let textArea: Rect, buttonFrame: Rect
        if wide {
            let split = inner.slicedFromLeft((inner.width * 0.6).rounded(), gap: gap)
            textArea = split.slice
            buttonFrame = Rect(x: split.rest.x, y: (split.rest.midY - buttonHeight / 2).rounded(), width: split.rest.width,
                               height: buttonHeight)
        } else {
            let split = inner.slicedFromBottom(buttonHeight, gap: gap)
            textArea = split.rest
            buttonFrame = split.slice
        }
        column([label, name, slot], in: textArea)
        button(.checkInAppointment(appointment.id), buttonFrame, label: words(.checkinCheckIn), style: .primary,
               size: metrics.font(46))
        return rest
    }

    /// The services with the card holder's own refusals; paged when they do not fit.
    mutating func drawPersonServices(_ state: KioskState, offer: CheckinOffer, in area: Rect, words: Wording) {
        let gap = metrics.gap
        let hallServices = state.hall?.services ?? []
        // Every service the kiosk shows, in the hall's order, with the holder's own refusal where the lookup gave one.
        let services: [(ServiceStatus, String?)] = hallServices.map { service in
            (service, offer.lookup.services.first { $0.serviceId == service.id }?.refusal)
        }
        let headingSize = metrics.font(36)
        let (heading, below) = area.slicedFromTop(metrics.line(headingSize), gap: gap)
        guard !services.isEmpty else {
            column([Line(text: words(.checkinNoServices), size: metrics.font(40), bold: true, color: theme.text, maxLines: 3)],
                   in: area)
            return
        }
        text(words(.homeChooseService), in: heading, size: headingSize, bold: true, color: theme.text)
        let timeZone = Wording.timeZone(of: state.hall)
        let wide = below.width > below.height * 1.2
        let columns = max(1, (wide ? 3 : 2) - (metrics.isLargeText ? 1 : 0))
        let nameSize = metrics.font(42), infoSize = metrics.font(30)
        let buttonHeight = max((metrics.touch * 1.3).rounded(),
                               (metrics.line(nameSize) * 2 + metrics.line(infoSize) + 2 * metrics.padding).rounded(.up))
        func rows(in height: Double) -> Int { max(1, Int((height + gap) / (buttonHeight + gap))) }
        var grid = below
        var perPage = rows(in: grid.height) * columns
        var pager: Rect? = nil
        if services.count > perPage {
            let split = below.slicedFromBottom(metrics.touch, gap: gap)
            pager = split.slice
            grid = split.rest
            perPage = rows(in: grid.height) * columns
        }
        let pageCount = (services.count + perPage - 1) / perPage
        let page = min(max(0, offer.page), pageCount - 1)
        let shown = services.dropFirst(page * perPage).prefix(perPage)
        let rowCount = (shown.count + columns - 1) / columns
        let gridHeight = Double(rowCount) * buttonHeight + Double(max(0, rowCount - 1)) * gap
        let rowFrames = Rect(x: grid.x, y: grid.y, width: grid.width, height: gridHeight).rows(max(1, rowCount), gap: gap)
        let frames = rowFrames.flatMap { $0.columns(columns, gap: gap) }
        for ((service, refusal), frame) in zip(shown, frames) {
            let reason = refusal.map { words.personRefusal($0, timeZone: timeZone) }
                ?? words.unavailableReason(service, timeZone: timeZone)
            let info = reason ?? words.waiting(count: service.waitingCount, minutes: service.estimatedWaitMinutes,
                                               openWindows: service.openWindows)
            let name = service.name.text(in: words.language)
            let (color, inner) = buttonBackground(.takeNumberWithCard(serviceId: service.id), frame, style: .primary,
                                                  label: name + " " + info, enabled: reason == nil)
            // A refusal may take two lines (the holder must understand why); the name then keeps one.
            let infoLines = reason == nil ? 1 : 2
            let (infoRow, nameArea) = inner.slicedFromBottom(metrics.line(infoSize) * Double(infoLines), gap: (0.3 * gap).rounded())
            text(info, in: infoRow, size: infoSize, minimum: (infoSize * 0.75).rounded(), bold: reason != nil, color: color,
                 maxLines: infoLines)
            text(name, in: nameArea, size: nameSize, minimum: (nameSize * 0.6).rounded(), bold: true, color: color,
                 maxLines: 3 - infoLines)
        }
        if let pager {
            let cells = pager.columns(3, gap: gap)
            button(.checkinPage(page - 1), cells[0], label: words(.homePreviousPage), style: .secondary, size: metrics.font(34),
                   enabled: page > 0)
            text(words(.homePage, ["page": String(page + 1), "pages": String(pageCount)]), in: cells[1], size: metrics.font(30),
                 color: theme.text, alignment: .center)
            button(.checkinPage(page + 1), cells[2], label: words(.homeNextPage), style: .secondary, size: metrics.font(34),
                   enabled: page + 1 < pageCount)
        }
    }

    /// Typing a booking code: title, prompt, the entry, the hint; letters and digits; 签到 and 返回首页.
    mutating func drawBookingKeypad(_ state: KioskState, entry: String, in content: Rect, words: Wording) {
        let buttons: [(KioskAction, String, ButtonStyle)] = [
            (.backHome, words(.commonHome), .secondary),
            (.keypad(.submit), words(.checkinCheckIn), .primary),
        ]
        // The booking code alphabet has no look-alikes (no I, L, O: the hall server's `BookingCode`).
        let letters = Array("ABCDEFGHJKMNPQRSTUVWXYZ")
        if content.width > content.height * 1.2 {
            let (left, right) = content.slicedFromLeft((content.width * 0.4).rounded(), gap: metrics.gap * 2)
            drawBookingInfo(entry, in: bottomButtons(buttons, in: left), words: words)
            drawKeypad(letters: letters, in: right, enabled: true, words: words)
        } else {
            let rest = bottomButtons(buttons, in: content)
            let (info, keys) = rest.slicedFromTop(bookingInfoHeight(), gap: metrics.gap)
            drawBookingInfo(entry, in: info, words: words)
            drawKeypad(letters: letters, in: keys, enabled: true, words: words)
        }
        if entry.isEmpty { disableRegion(.keypad(.submit)) }
    }

    func bookingInfoHeight() -> Double {
        metrics.line(metrics.font(56)) + 2 * metrics.line(metrics.font(34)) + entryBoxHeight() + 2 * metrics.line(metrics.font(30))
            + 3 * metrics.gap
    }

    mutating func drawBookingInfo(_ entry: String, in area: Rect, words: Wording) {
        let height = min(area.height, bookingInfoHeight())
        let block = Rect(x: area.x, y: (area.midY - height / 2).rounded(), width: area.width, height: height)
        let (titleRow, afterTitle) = block.slicedFromTop(metrics.line(metrics.font(56)), gap: metrics.gap)
        text(words(.checkinKeypadTitle), in: titleRow, size: metrics.font(56), bold: true, color: theme.text, alignment: .center)
        let (promptRow, afterPrompt) = afterTitle.slicedFromTop(2 * metrics.line(metrics.font(34)), gap: metrics.gap)
        text(words(.checkinKeypadPrompt), in: promptRow, size: metrics.font(34), color: theme.text, alignment: .center,
             maxLines: 2)
        let (box, afterBox) = afterPrompt.slicedFromTop(entryBoxHeight(), gap: metrics.gap)
        let boxFrame = Rect(x: box.x + box.width * 0.05, y: box.y, width: box.width * 0.9, height: box.height).pixelAligned
        fill(boxFrame, theme.card, radius: metrics.cornerRadius)
        stroke(boxFrame, theme.outline, width: max(2, (4 * metrics.unit).rounded()), radius: metrics.cornerRadius)
        let boxInner = boxFrame.insetBy(dx: metrics.padding, dy: 4)
        if entry.isEmpty {
            text(words(.checkinKeypadPlaceholder), in: boxInner, size: metrics.font(44), color: theme.mutedText, alignment: .center)
        } else {
            text(entry, in: boxInner, size: metrics.font(72), bold: true, color: theme.text, alignment: .center)
        }
        text(words(.checkinPlaceCardHint), in: afterBox, size: metrics.font(30), color: theme.mutedText, alignment: .center,
             maxLines: 2)
    }

    /// The home screen's check-in row: "刷身份证取号" and the booking code button.
    mutating func drawCheckinRow(hint: String, _ hintFrame: Rect, _ buttonFrame: Rect, words: Wording) {
        fill(hintFrame, theme.card, radius: metrics.cornerRadius)
        stroke(hintFrame, theme.accentText, width: max(2, (4 * metrics.unit).rounded()), radius: metrics.cornerRadius)
        text(hint, in: hintFrame.insetBy(dx: metrics.padding, dy: (metrics.padding * 0.5).rounded()), size: metrics.font(36),
             minimum: (metrics.font(36) * 0.7).rounded(), bold: true, color: theme.accentText, alignment: .center, maxLines: 2)
        button(.openBookingCode, buttonFrame, label: words(.checkinBookingCodeButton), style: .secondary, size: metrics.font(34))
    }
}
