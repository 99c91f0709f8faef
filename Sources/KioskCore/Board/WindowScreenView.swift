import Foundation
import HallAPI

/// A window's screen (窗口屏), a small display above one window: its name, the number called or served there, the
/// clerk on duty, 暂停服务 when nobody serves. The whole screen flashes when the window calls a number.
extension BoardPainter {
    mutating func drawWindowScreen(windowId: String) {
        let bounds = metrics.bounds
        let window = board?.windows.first { $0.id == windowId }
        // The newest call of this window, for the flash.
        let call = state.calls.first { $0.call.windowId == windowId }
        let phase: HighlightPhase = call.map { known in
            guard known.live, window?.activity == .calling, window?.ticketNumber == known.call.number else { return .none }
            return HighlightPhase.at(state.uptime, since: known.learnedAt, blinks: true)
        } ?? .none
        let lit = phase == .steady
        canvas.fill(bounds, lit ? theme.highlight : theme.background)
        let ink = lit ? theme.highlightText : theme.text
        var screen = bounds
        if linkLost {
            let (band, rest) = bounds.slicedFromTop(max(56, (bounds.height * 0.16).rounded()))
            drawLinkBanner(in: band)
            screen = rest
        }
        let inner = screen.insetBy(dx: (bounds.height * 0.06).rounded(), dy: (bounds.height * 0.06).rounded())
        let wide = bounds.width >= bounds.height * 2
        let (nameArea, mainArea) = wide
            ? inner.slicedFromLeft((inner.width * 0.36).rounded(), gap: (inner.height * 0.06).rounded())
            : inner.slicedFromTop((inner.height * 0.3).rounded())
        let name = window?.name ?? LocalizedText(zh: windowId, en: windowId)
        let (titleArea, staffArea) = nameArea.slicedFromTop((nameArea.height * (wide ? 0.62 : 0.7)).rounded())
        canvas.bilingualText(name.text(in: words.language), name.text(in: words.language.other), in: titleArea,
                             size: (titleArea.height * 0.6).rounded(), minimum: (titleArea.height * 0.3).rounded(),
                             maxLines: 1, secondSize: (titleArea.height * 0.24).rounded(),
                             color: lit ? ink : theme.window, alignment: wide ? .leading : .center)
        if let staff = window?.staff, window?.activity != .closed {
            canvas.text(words(.boardOnDuty, ["name": staff.name, "number": staff.employeeNo]), in: staffArea,
                        size: min((staffArea.height * 0.42).rounded(), (titleArea.height * 0.2).rounded()),
                        minimum: (staffArea.height * 0.15).rounded(),
                        color: lit ? ink : theme.mutedText, alignment: wide ? .leading : .center)
        }
        guard let window, window.activity != .closed, window.activity != .paused else {
            canvas.bilingualText(words(.boardClosed), words.other(.boardClosed), in: mainArea,
                                 size: (mainArea.height * 0.42).rounded(), minimum: (mainArea.height * 0.2).rounded(),
                                 maxLines: 1, secondSize: (mainArea.height * 0.16).rounded(), color: theme.closedText,
                                 alignment: .center)
            if let reason = window?.pauseReason?.text(in: words.language), !reason.isEmpty {
                let (reasonRow, _) = mainArea.slicedFromBottom((mainArea.height * 0.2).rounded())
                canvas.text(reason, in: reasonRow, size: (reasonRow.height * 0.7).rounded(), color: theme.mutedText,
                            alignment: .center)
            }
            return
        }
        guard let number = window.ticketNumber else {
            canvas.bilingualText(words(.boardOpen), words.other(.boardOpen), in: mainArea,
                                 size: (mainArea.height * 0.36).rounded(), minimum: (mainArea.height * 0.2).rounded(),
                                 maxLines: 1, secondSize: (mainArea.height * 0.14).rounded(), color: theme.mutedText,
                                 alignment: .center)
            return
        }
        let (numberArea, statusArea) = mainArea.slicedFromTop((mainArea.height * 0.68).rounded())
        let numberColor: Color = lit ? theme.highlightText : (phase == .dim ? theme.dimNumber : theme.number)
        canvas.text(number, in: numberArea, size: (numberArea.height * 0.85).rounded(),
                    minimum: (numberArea.height * 0.4).rounded(), bold: true, color: numberColor, alignment: .center)
        var status = window.activity == .calling ? words(.boardCalling) : words(.boardServing)
        if let known = call, known.call.number == number, known.call.isRecall, window.activity == .calling {
            status = words(.boardRecall) + " · " + status
        }
        let other = window.activity == .calling ? words.other(.boardCalling) : words.other(.boardServing)
        canvas.bilingualText(status, other, in: statusArea, size: (statusArea.height * 0.5).rounded(),
                             minimum: (statusArea.height * 0.3).rounded(), maxLines: 1,
                             secondSize: (statusArea.height * 0.26).rounded(), color: lit ? ink : theme.text,
                             alignment: .center)
    }
}
