import HallAPI

extension Canvas {
    /// A ticket's progress in words, as on the phone page; 再查一个 and 返回首页.
    mutating func drawLookupResult(_ state: KioskState, result: LookupResultScreen, words: Wording) {
        let content = header(state, words)
        let area = bottomButtons([
            (.lookupAnother, words(.resultAnother), .secondary),
            (.backHome, words(.commonHome), .primary),
        ], in: content)
        let progress = result.progress
        var lines = [
            Line(text: words(.resultTitle), size: metrics.font(44), color: theme.mutedText),
            Line(text: progress.number, size: metrics.font(160), bold: true, color: theme.accentText),
            // A window transferred the ticket: say so ("已转至身份证办理"), not only the new service's name.
            Line(text: words(progress.transferredFrom == nil ? .resultService : .resultTransferred,
                             ["service": progress.service.name.text(in: words.language)]),
                 size: metrics.font(40), bold: progress.transferredFrom != nil, color: theme.text, maxLines: 2),
            Line(text: statusText(progress, words), size: metrics.font(56), bold: true, color: theme.text, maxLines: 2),
        ]
        if progress.status == .waiting, let ahead = progress.waitingAhead {
            lines.append(Line(text: ahead > 0 ? words(.ticketAhead, ["count": String(ahead)]) : words(.ticketNoneAhead),
                              size: metrics.font(40), color: theme.text, maxLines: 2))
            if ahead > 0, let minutes = progress.estimatedWaitMinutes {
                lines.append(Line(text: words(.ticketWait, ["wait": words.duration(minutes: minutes)]),
                                  size: metrics.font(40), color: theme.text, maxLines: 2))
            }
        }
        if result.purpose == .rating {
            // Ratable tickets go straight to the rating screens; this says why this one cannot be rated.
            let key: StringKey = switch progress.status {
            case _ where progress.rating.rated: .resultAlreadyRated
            case .completed: .resultRatingClosed
            // 过号 and 未办理 will never be completed: "办结后才能评价" would promise a rating that cannot come.
            case .noShow, .expired: .resultNotServed
            case .waiting, .called, .serving: .resultNotYetRatable
            }
            lines.append(Line(text: words(key), size: metrics.font(38), bold: true, color: theme.accentText,
                              maxLines: 2))
        }
        column(lines, in: area)
    }

    func statusText(_ progress: TicketProgress, _ words: Wording) -> String {
        let window = progress.window?.name.text(in: words.language)
        switch progress.status {
        case .waiting: return words(.statusWaiting)
        case .called: return window.map { words(.statusCalled, ["window": $0]) } ?? words(.statusCalledAnyWindow)
        case .serving: return window.map { words(.statusServing, ["window": $0]) } ?? words(.statusServingAnyWindow)
        case .completed: return words(.statusCompleted)
        case .noShow: return words(.statusNoShow)
        case .expired: return words(.statusExpired)
        }
    }
}
