import Foundation
import HallAPI

extension Canvas {
    /// The home screen: header, department tabs, service buttons, pager, and the footer with
    /// progress lookup, rating and the language / large text / high contrast toggles.
    mutating func drawHome(_ state: KioskState, position: HomePosition, words: Wording) {
        let (band, layout) = HomeBand.home(state, position: position, content: header(state, words), canvas: self,
                                           words: words)
        drawHomeBand(band, state: state, words: words)
        let services = state.hall?.services ?? []
        drawFooter(layout.footer, state: state, words: words)

        guard state.hall != nil, !services.isEmpty else {
            text(words(state.hall == nil ? .homeConnecting : .homeNoServices), in: layout.messageFrame,
                 size: metrics.font(44), bold: true, color: theme.text, alignment: .center, maxLines: 3)
            return
        }
        let tabFonts = HomeLayout.TabFonts(metrics)
        for (index, (frame, title)) in zip(layout.tabFrames, layout.tabTitles).enumerated() {
            let style: ButtonStyle = index == layout.position.group ? .selected : .secondary
            let (color, inner) = buttonBackground(.selectGroup(index), frame, style: style, label: title.label)
            bilingualText(title.first, title.second, in: inner, size: tabFonts.first, minimum: tabFonts.firstMinimum,
                          maxLines: tabFonts.firstMaxLines, secondSize: tabFonts.second, secondMaxLines: 2, color: color, alignment: .center)
        }
        for (service, frame) in zip(layout.visibleServices, layout.serviceFrames) {
            drawServiceButton(service, frame: frame, fonts: layout.fonts, showGroup: layout.showsGroupOnButtons,
                              pausedHere: state.issuingPaused, timeZone: state.hall.flatMap { TimeZone(identifier: $0.timezone) },
                              words: words)
        }
        if let pager = layout.pagerFrame {
            drawPager(pager, page: layout.position.page, pageCount: layout.pageCount, words: words)
        }
    }

    /// A service: department (when all are shown together), name (with the other language's name in small
    /// type under it), and either the wait in words or why it cannot be taken now (drawn disabled).
    mutating func drawServiceButton(_ service: ServiceStatus, frame: Rect, fonts: HomeLayout.ServiceButtonFonts,
                                    showGroup: Bool, pausedHere: Bool = false, timeZone: TimeZone? = nil, words: Wording) {
        let name = service.name.text(in: words.language)
        let secondName = HomeLayout.showsSecondLanguage(metrics) ? service.name.secondLine(besides: words.language) : nil
        let reason = pausedHere ? words(.servicePausedHere) : words.unavailableReason(service, timeZone: timeZone)
        let info = reason ?? words.waiting(count: service.waitingCount, minutes: service.estimatedWaitMinutes,
                                           openWindows: service.openWindows)
        let enabled = reason == nil
        let label = [name, secondName, info].compactMap { $0 }.joined(separator: " ")
        let (color, inner) = buttonBackground(.takeNumber(serviceId: service.id), frame, style: .primary,
                                              label: label, enabled: enabled)
        // A service paused by staff answers a touch (why, and until when) instead of doing nothing.
        if !pausedHere, service.state == .paused || service.reason == .pausedByStaff { answersTouch(.takeNumber(serviceId: service.id)) }
        var rest = inner
        if showGroup, let group = service.group {
            let split = rest.slicedFromTop(metrics.line(fonts.group))
            text(group.text(in: words.language), in: split.slice, size: fonts.group, color: color)
            rest = split.rest
        }
        let infoSplit = rest.slicedFromBottom(metrics.line(fonts.info), gap: (0.4 * metrics.gap).rounded())
        text(info, in: infoSplit.slice, size: fonts.info, minimum: (fonts.info * 0.75).rounded(), bold: !enabled,
             color: color)
        bilingualText(name, secondName, in: infoSplit.rest, size: fonts.name, minimum: (fonts.name * 0.7).rounded(),
                      maxLines: 2, secondSize: fonts.second, color: color)
    }

    /// ‹ previous · page n of m · next ›; the ends are drawn disabled.
    mutating func drawPager(_ frame: Rect, page: Int, pageCount: Int, words: Wording) {
        let cells = frame.columns(3, gap: metrics.gap)
        let size = metrics.font(34)
        button(.previousPage, cells[0], label: words(.homePreviousPage), style: .secondary, size: size,
               enabled: page > 0)
        text(words(.homePage, ["page": String(page + 1), "pages": String(pageCount)]), in: cells[1],
             size: metrics.font(30), color: theme.text, alignment: .center)
        button(.nextPage, cells[2], label: words(.homeNextPage), style: .secondary, size: size,
               enabled: page + 1 < pageCount)
    }

    mutating func drawFooter(_ footer: [(action: KioskAction, frame: Rect)], state: KioskState, words: Wording) {
        for (action, frame) in footer {
            let isOn = (action == .toggleLargeText && state.largeText)
                || (action == .toggleHighContrast && state.highContrast)
            let style: ButtonStyle = isOn ? .selected : .secondary
            if action == .openRating, state.ratingsUnavailable != nil {
                // Nothing can be stored here now: the citizen rates on the phone page (the ticket's QR code).
                button(action, frame, label: words(.homeRateUnavailable), style: style, size: metrics.font(34), enabled: false)
                continue
            }
            button(action, frame, label: HomeLayout.footerLabel(action, words), style: style, size: metrics.font(34))
        }
    }
}
