import HallAPI

extension Reducer {
    /// The ticket for the intent on screen arrived: show it, print it, refresh the counts.
    /// A ticket for any other key (an abandoned intent) is never shown.
    func ticketIssued(_ state: inout KioskState, intentKey: String, ticket: IssuedTicket) -> [KioskEffect] {
        guard case .issuing(let intent) = state.screen, intent.intentKey == intentKey else { return [] }
        state.pressed = nil
        let ticket = Self.withPageLanguage(ticket, state.language)
        if let down = printerDown(state) {
            state.screen = .ticket(TicketScreen(ticket: ticket, printStatus: down, shownAt: state.uptime,
                                                returnAt: state.uptime + context.ticketScreenSecondsWithoutPaper))
            return [.sound(.ticketIssued), .hall(.fetchHallStatus)]
        }
        state.screen = .ticket(TicketScreen(ticket: ticket, printStatus: .printing, shownAt: state.uptime,
                                            returnAt: state.uptime + context.ticketScreenSeconds))
        return [.printer(.printTicket(ticket)), .sound(.ticketIssued), .hall(.fetchHallStatus)]
    }

    /// The request failed. Network errors are retried automatically under the same key a few
    /// times; then, and for every other failure, the citizen is told why.
    func ticketFailed(_ state: inout KioskState, intentKey: String, failure: IssueFailure) -> [KioskEffect] {
        guard case .issuing(var intent) = state.screen, intent.intentKey == intentKey, intent.failure == nil else {
            return []
        }
        let withinTime = state.uptime - intent.startedAt < context.issueTimeoutSeconds
        if failure.kind == .network, intent.attempts <= context.issueAutoRetries, withinTime {
            intent.attempts += 1
            state.screen = .issuing(intent)
            return [.hall(.issueTicket(serviceId: intent.serviceId, intentKey: intent.intentKey, priority: intent.priority))]
        }
        intent.failure = failure
        state.screen = .issuing(intent)
        noteActivity(&state)  // the citizen gets the whole idle timeout to read why and choose
        let refresh: [KioskEffect] = failure.kind == .network ? [] : [.hall(.fetchHallStatus)]
        return [.sound(.error)] + refresh
    }

    /// 再试一次: the same intent, the same key — the server answers with the same ticket if the
    /// first request did reach it.
    func retryIssue(_ state: inout KioskState) -> [KioskEffect] {
        guard case .issuing(var intent) = state.screen, let failure = intent.failure, failure.kind == .network else {
            return []
        }
        intent.failure = nil
        intent.attempts += 1
        intent.startedAt = state.uptime
        state.screen = .issuing(intent)
        return [.hall(.issueTicket(serviceId: intent.serviceId, intentKey: intent.intentKey, priority: intent.priority))]
    }

    /// No answer within the issuing timeout: let the citizen retry (same key) or go home.
    func checkIssuingTimeout(_ state: inout KioskState) {
        guard case .issuing(var intent) = state.screen, intent.failure == nil,
              state.uptime - intent.startedAt >= context.issueTimeoutSeconds else { return }
        intent.failure = IssueFailure(kind: .network,
                                      message: "no answer within the issuing timeout of \(context.issueTimeoutSeconds) s")
        state.screen = .issuing(intent)
        noteActivity(&state)
    }

    /// The e-ticket status to use instead of printing, when the printer is known to be unable.
    func printerDown(_ state: KioskState) -> PrintStatus? {
        guard context.eTicketWhenPrinterDown, let condition = state.printer?.condition else { return nil }
        switch condition {
        case .paperOut, .coverOpen, .offline, .stopped: return .printerUnavailable(condition)
        case .notConfigured: return .notConfigured
        case .ok, .paperLow, .unknown: return nil
        }
    }

    /// The ticket with its phone page in the citizen's language: `?lang=en` on the QR link when the number was taken
    /// in English (Chinese is the page's default). Only the language travels: the link stays free of personal data.
    static func withPageLanguage(_ ticket: IssuedTicket, _ language: Language) -> IssuedTicket {
        guard language != .zh, !ticket.lookupUrl.contains("lang=") else { return ticket }
        var ticket = ticket
        ticket.lookupUrl += (ticket.lookupUrl.contains("?") ? "&" : "?") + "lang=" + language.rawValue
        return ticket
    }

}
