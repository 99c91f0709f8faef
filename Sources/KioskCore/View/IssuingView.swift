import Foundation
import HallAPI

extension Canvas {
    /// "Taking your number…", or why it did not work with 再试一次 (network) and 返回首页.
    mutating func drawIssuing(_ state: KioskState, intent: IssuingIntent, words: Wording) {
        let content = header(state, words)
        let service = state.hall?.services.first { $0.id == intent.serviceId }
        let serviceName = service?.name.text(in: words.language) ?? ""
        guard let failure = intent.failure else {
            column([
                Line(text: serviceName, size: metrics.font(56), bold: true, color: theme.text, maxLines: 2),
                Line(text: words(.issuingTitle), size: metrics.font(44), color: theme.text, maxLines: 2),
            ], in: content)
            return
        }
        var buttons: [(KioskAction, String, ButtonStyle)] = []
        if failure.kind == .network { buttons.append((.retryIssue, words(.issuingRetry), .primary)) }
        buttons.append((.backHome, words(.commonHome), failure.kind == .network ? .secondary : .primary))
        let area = bottomButtons(buttons, in: content)
        column([
            Line(text: serviceName, size: metrics.font(56), bold: true, color: theme.text, maxLines: 2),
            Line(text: failure.kind == .paused && (service?.pauseReason != nil || service?.pausedUntil != nil)
                    ? service.flatMap { words.unavailableReason($0, timeZone: state.hall.flatMap { TimeZone(identifier: $0.timezone) }) }
                        ?? failureText(failure.kind, words)
                    : failureText(failure.kind, words), size: metrics.font(46), bold: true, color: theme.warningText,
                 maxLines: 3),
            Line(text: words(.commonHelpDesk), size: metrics.font(36), color: theme.text, maxLines: 2),
        ], in: area)
    }

    func failureText(_ kind: IssueFailureKind, _ words: Wording) -> String {
        switch kind {
        case .network: words(.issuingFailedNetwork)
        case .serviceClosed: words(.issuingFailedClosed)
        case .paused: words(.issuingFailedPaused)
        case .quotaReached: words(.issuingFailedQuota)
        case .other: words(.issuingFailedOther)
        }
    }
}
