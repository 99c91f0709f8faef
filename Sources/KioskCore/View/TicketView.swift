import HallAPI

extension Canvas {
    /// The ticket: big number, service, people ahead, estimated wait, QR code of the progress
    /// page, what to do with the paper (or the honest message when none came out), and 完成.
    mutating func drawTicket(_ state: KioskState, ticket screen: TicketScreen, words: Wording) {
        let content = header(state, words)
        let ticket = screen.ticket
        let noPaper = screen.printStatus.leavesNoPaper
        let area = bottomButtons([(.backHome, words(.ticketDone), .primary)], in: content)

        // The headline says what is true now: printing, take the paper, or photograph the code (no paper).
        let headline: StringKey = noPaper ? .ticketPhotograph
            : (screen.printStatus == .printing ? .ticketPrintingTitle : .ticketTakeTicket)
        let title = Line(text: words(headline), size: metrics.font(56),
                         bold: true, color: noPaper ? theme.warningText : theme.text, maxLines: 2)
        let ahead = ticket.waitingAhead > 0
            ? words(.ticketAhead, ["count": String(ticket.waitingAhead)]) : words(.ticketNoneAhead)
        var facts = [
            Line(text: words(.ticketYourNumber), size: metrics.font(36), color: theme.mutedText),
            Line(text: ticket.number, size: min(metrics.font(200), (metrics.unit * 240).rounded()), bold: true,
                 color: theme.accentText),
            Line(text: ticket.service.name.text(in: words.language), size: metrics.font(46), bold: true,
                 color: theme.text, maxLines: 2),
            Line(text: ahead, size: metrics.font(38), color: theme.text, maxLines: 2),
        ]
        if let lane = ticket.priority {
            facts.insert(Line(text: words.lane(lane), size: metrics.font(38), bold: true, color: theme.accentText), at: 3)
        }
        if let notice = screen.notice {
            let said: StringKey = switch notice {
            case .reprint: .ticketNoticeReprint
            case .lateNormalQueue: .ticketNoticeLate
            case .movedToAppointmentLane: .ticketNoticeMovedToAppointmentLane
            }
            // A warning (补打: do not take another; late), except the good news of a number moved into its lane.
            facts.insert(Line(text: words(said), size: metrics.font(36),
                              bold: true, color: notice == .movedToAppointmentLane ? theme.accentText : theme.warningText, maxLines: 2), at: 0)
        }
        if ticket.waitingAhead > 0 {
            facts.append(Line(text: words(.ticketWait, ["wait": words.duration(minutes: ticket.estimatedWaitMinutes)]),
                              size: metrics.font(38), color: theme.text, maxLines: 2))
        }
        let status = Line(text: printStatusText(screen.printStatus, words), size: metrics.font(36), bold: noPaper,
                          color: noPaper ? theme.warningText : theme.text, maxLines: 3)
        let caption = Line(text: words(.ticketScanHint), size: metrics.font(30), color: theme.mutedText, maxLines: 2)

        let titleHeight = metrics.line(title.size) * 2
        let factsHeight = facts.reduce(0) { $0 + metrics.line($1.size) } + metrics.gap * Double(facts.count)
        let qrSide = min((520 * metrics.unit).rounded(), (area.width * 0.5).rounded())
        let qrBlock = qrSide + metrics.line(caption.size) * 2 + metrics.line(status.size) * 3 + 2 * metrics.gap
        let factsRoom = area.height - titleHeight - qrBlock - 2 * metrics.gap
        if area.width > area.height * 1.2 || factsRoom < factsHeight * 0.75 {
            let (left, right) = area.slicedFromLeft((area.width * 0.55).rounded(), gap: metrics.gap)
            column([title] + facts, in: left)
            drawQR(ticket.lookupUrl, caption: caption, status: status, in: right)
        } else {
            // Portrait: title on top, the QR code at a scannable size at the bottom, the facts between
            // (their fonts shrink a little if the room is short).
            let (titleArea, rest) = area.slicedFromTop(titleHeight, gap: metrics.gap)
            column([title], in: titleArea)
            let (qrArea, factsArea) = rest.slicedFromBottom(qrBlock, gap: metrics.gap)
            column(facts, in: factsArea)
            drawQR(ticket.lookupUrl, caption: caption, status: status, in: qrArea)
        }
    }

    /// The QR code on a white card with its caption, and the print status below.
    mutating func drawQR(_ payload: String, caption: Line, status: Line, in area: Rect) {
        let captionHeight = metrics.line(caption.size) * 2
        let statusHeight = metrics.line(status.size) * 3
        let cardPadding = (16 * metrics.unit).rounded()
        let maxSide = min(area.width, area.height - captionHeight - statusHeight - 2 * metrics.gap)
        let side = max(0, min((520 * metrics.unit).rounded(), maxSide)).rounded()
        let blockHeight = side + captionHeight + statusHeight + 2 * metrics.gap
        var top = max(area.minY, (area.midY - blockHeight / 2).rounded())
        let card = Rect(x: (area.midX - side / 2).rounded(), y: top, width: side, height: side)
        fill(card, Color(hex: 0xFFFFFF), radius: metrics.cornerRadius)
        qr(payload, card.insetBy(dx: cardPadding, dy: cardPadding))
        top = card.maxY + metrics.gap
        let captionFrame = Rect(x: area.x, y: top, width: area.width, height: captionHeight)
        text(caption.text, in: captionFrame, size: caption.size, color: caption.color, alignment: .center, maxLines: 2)
        let statusFrame = Rect(x: area.x, y: captionFrame.maxY + metrics.gap, width: area.width, height: statusHeight)
        text(status.text, in: statusFrame, size: status.size, bold: status.bold, color: status.color,
             alignment: .center, maxLines: 3)
    }

    func printStatusText(_ status: PrintStatus, _ words: Wording) -> String {
        switch status {
        case .printing: words(.ticketPrinting)
        case .printed: words(.ticketPrinted)
        case .failed: words(.ticketPrintFailed)
        case .notConfigured: words(.ticketNoPrinter)
        case .printerUnavailable(.paperOut): words(.ticketPrinterNoPaper)
        case .printerUnavailable: words(.ticketPrinterDown)
        }
    }
}
