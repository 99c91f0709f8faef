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
        var inner = screen.insetBy(dx: (bounds.height * 0.06).rounded(), dy: (bounds.height * 0.06).rounded())
        let wide = bounds.width >= bounds.height * 2
        // The clerk's photo (3:4) at the left, once it is decoded; the layout without it otherwise.
        if let path = window?.staff?.photoUrl, window?.activity != .closed, state.photosReady.contains(path) {
            let (photo, rest) = inner.slicedFromLeft((inner.height * 0.75).rounded(), gap: (inner.height * 0.06).rounded())
            canvas.image(WindowPanel.photoImageName(path), photo)
            inner = rest
        }
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
        if let window, window.activity == .paused {
            drawWindowBreak(window, in: mainArea)
            return
        }
        guard let window, window.activity != .closed else {
            canvas.bilingualText(words(.boardClosed), words.other(.boardClosed), in: mainArea,
                                 size: (mainArea.height * 0.42).rounded(), minimum: (mainArea.height * 0.2).rounded(),
                                 maxLines: 1, secondSize: (mainArea.height * 0.16).rounded(), color: theme.closedText,
                                 alignment: .center)
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

    /// 暂停服务 with the clerk's reason, each in both languages ("午休" / "Lunch break" for the hall's standard reasons).
    private mutating func drawWindowBreak(_ window: BoardWindow, in area: Rect) {
        let reason = window.pauseReason.map { reason in
            // A reason the server sends untranslated (the same words twice) is put in this language's words when known.
            reason.en == reason.zh ? words.breakReason(reason.zh) : reason.text(in: words.language)
        }
        let otherReason = window.pauseReason.map { reason in
            reason.en == reason.zh ? words.other.breakReason(reason.zh) : reason.text(in: words.language.other)
        }
        let hasReason = !(reason ?? "").isEmpty
        let (titleArea, reasonArea) = area.slicedFromTop((area.height * (hasReason ? 0.58 : 1)).rounded())
        canvas.bilingualText(words(.breakTitle), words.other(.breakTitle), in: titleArea,
                             size: (titleArea.height * (hasReason ? 0.56 : 0.42)).rounded(), minimum: (titleArea.height * 0.25).rounded(),
                             maxLines: 1, secondSize: (titleArea.height * (hasReason ? 0.22 : 0.16)).rounded(),
                             color: theme.closedText, alignment: .center)
        guard hasReason, let reason else { return }
        let first = words(.breakBecause, ["reason": reason])
        let second = otherReason.map { words.other(.breakBecause, ["reason": $0]) }
        canvas.bilingualText(first, second == first ? nil : second, in: reasonArea,
                             size: (reasonArea.height * 0.48).rounded(), minimum: (reasonArea.height * 0.22).rounded(),
                             maxLines: 1, secondSize: (reasonArea.height * 0.26).rounded(), color: theme.text,
                             alignment: .center)
    }
}
