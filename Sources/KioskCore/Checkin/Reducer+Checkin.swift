import Foundation
import HallAPI

extension Reducer {
    /// A card was read. On the screens where a citizen stands at the kiosk it starts the card flow (a new card
    /// replaces the last holder); while a number is being taken, a rating runs or the admin is in, it is ignored.
    /// Offline: refused at once, nothing sent, nothing kept.
    func cardPlaced(_ state: inout KioskState, _ card: CardHolder) -> [KioskEffect] {
        guard acceptsCard(state) else { return [] }
        noteActivity(&state)
        state.pressed = nil
        state.scanBuffer = ""
        if case .offline = outOfServiceScreen(state) {
            state.screen = .checkin(CheckinScreen(card: nil, phase: .refused(.offline), requestStartedAt: state.uptime))
            return [.sound(.error)]
        }
        let key = state.intentKeys.next()
        state.screen = .checkin(CheckinScreen(card: card, phase: .lookingUp(requestKey: key), requestStartedAt: state.uptime))
        return [.hall(.lookupCard(card, requestKey: key))]
    }

    /// A card lay on the reader but gave no identity: say what to do (place it flat, or go to a counter).
    func cardUnreadable(_ state: inout KioskState, placeAgain: Bool) -> [KioskEffect] {
        guard acceptsCard(state) else { return [] }
        noteActivity(&state)
        state.pressed = nil
        state.screen = .checkin(CheckinScreen(card: nil, phase: .refused(placeAgain ? .placeCardAgain : .cardNotAccepted),
                                              requestStartedAt: state.uptime))
        return [.sound(.error)]
    }

    /// Screens on which a placed card is taken: wherever a citizen may be standing, not while a number is being
    /// taken, in the ticket's first moment, during a rating or on the admin screens.
    func acceptsCard(_ state: KioskState) -> Bool {
        guard context.role == .ticketKiosk else { return false }
        switch state.screen {
        case .home, .checkin, .lookup, .lookupResult, .closed, .offline: return true
        case .ticket: return !ticketJustShown(state)
        case .issuing(let intent): return intent.failure != nil
        case .rating, .ratingIdle, .adminPin, .admin: return false
        }
    }

    /// What there is for the card holder today.
    func cardLookupArrived(_ state: inout KioskState, _ lookup: CardLookup, requestKey: String) -> [KioskEffect] {
        guard case .checkin(var screen) = state.screen, screen.pendingKey == requestKey else { return [] }
        screen.phase = .offer(CheckinOffer(lookup: lookup))
        state.screen = .checkin(screen)
        noteActivity(&state)
        return []
    }

    /// The appointment was checked in: its ticket, in the appointment lane (or the normal queue when late); a repeated
    /// check-in gives the same ticket back, shown as 补打; a walk-in number the holder already had at the service is
    /// that same number, moved into the appointment lane (or, already called, shown as 补打).
    func checkedIn(_ state: inout KioskState, _ result: CheckinResult, intentKey: String) -> [KioskEffect] {
        guard case .checkin(let screen) = state.screen, screen.pendingKey == intentKey else { return [] }
        let notice: TicketNotice? = result.reprint ? .reprint
            : result.movedToAppointmentLane == true ? .movedToAppointmentLane
            : (result.lane == .normalLate ? .lateNormalQueue : nil)
        return showCheckinTicket(&state, result.ticket, notice: notice)
    }

    /// A walk-in number taken with the card: a fresh ticket, or the one the holder already had (补打).
    func cardTicketIssued(_ state: inout KioskState, _ ticket: IssuedTicket, intentKey: String) -> [KioskEffect] {
        guard case .checkin(let screen) = state.screen, screen.pendingKey == intentKey else { return [] }
        return showCheckinTicket(&state, ticket, notice: ticket.existing == true ? .reprint : nil)
    }

    /// A lookup, check-in or card ticket was refused (or got no answer): say why. Nothing is retried in the
    /// background and nothing of the card is kept.
    func checkinRefused(_ state: inout KioskState, _ failure: CheckinFailure, key: String) -> [KioskEffect] {
        guard case .checkin(var screen) = state.screen, screen.pendingKey == key else { return [] }
        screen.phase = .refused(failure.refusal)
        // The holder has been told; the number is not needed for anything more.
        screen.card = nil
        state.screen = .checkin(screen)
        noteActivity(&state)
        let refresh: [KioskEffect] = failure.refusal == .offline ? [] : [.hall(.fetchHallStatus)]
        return [.sound(.error)] + refresh
    }

    /// The ticket screen for a check-in or card ticket: printed (or e-ticket when the printer is down). The card
    /// holder is dropped with the check-in screen.
    func showCheckinTicket(_ state: inout KioskState, _ ticket: IssuedTicket, notice: TicketNotice?) -> [KioskEffect] {
        state.pressed = nil
        let ticket = Self.withPageLanguage(ticket, state.language)
        if let down = printerDown(state) {
            state.screen = .ticket(TicketScreen(ticket: ticket, printStatus: down, shownAt: state.uptime,
                                                returnAt: state.uptime + context.ticketScreenSecondsWithoutPaper, notice: notice))
            return [.sound(.ticketIssued), .hall(.fetchHallStatus)]
        }
        state.screen = .ticket(TicketScreen(ticket: ticket, printStatus: .printing, shownAt: state.uptime,
                                            returnAt: state.uptime + context.ticketScreenSeconds, notice: notice))
        return [.printer(.printTicket(ticket)), .sound(.ticketIssued), .hall(.fetchHallStatus)]
    }

    /// The buttons of the check-in screens.
    func activateCheckin(_ state: inout KioskState, _ action: KioskAction) -> [KioskEffect] {
        switch action {
        case .openBookingCode:
            guard context.display.checkinOffered else { return [] }
            switch state.screen {
            case .home, .checkin: break
            default: return []
            }
            state.screen = .checkin(CheckinScreen(card: nil, phase: .keypad(entry: ""), requestStartedAt: state.uptime))
            return []
        case .checkInAppointment(let id):
            return submit(&state, .appointment(id: id))
        case .takeNumberWithCard(let serviceId):
            return submit(&state, .walkIn(serviceId: serviceId))
        case .reprint(let ticketId):
            guard case .checkin(let screen) = state.screen, case .offer(let offer) = screen.phase,
                  let ticket = offer.lookup.pendingTickets.first(where: { $0.id == ticketId }) else { return [] }
            return showCheckinTicket(&state, ticket, notice: .reprint)
        case .checkinPage(let page):
            guard case .checkin(var screen) = state.screen, case .offer(var offer) = screen.phase else { return [] }
            offer.page = max(0, page)
            screen.phase = .offer(offer)
            state.screen = .checkin(screen)
            return []
        default:
            return []
        }
    }

    /// Sends a check-in or a card walk-in under a fresh key (one per citizen intent). Card submissions need the card
    /// holder still on screen; a booking code needs nothing more.
    func submit(_ state: inout KioskState, _ submission: CheckinSubmission) -> [KioskEffect] {
        guard case .checkin(var screen) = state.screen, screen.pendingKey == nil else { return [] }
        switch submission {
        case .bookingCode: break
        case .appointment, .walkIn:
            guard screen.card != nil, case .offer = screen.phase else { return [] }
        }
        if case .offline = outOfServiceScreen(state) {
            screen.card = nil
            screen.phase = .refused(.offline)
            state.screen = .checkin(screen)
            return [.sound(.error)]
        }
        let key = state.intentKeys.next()
        screen.phase = .submitting(intentKey: key, submission)
        screen.requestStartedAt = state.uptime
        state.screen = .checkin(screen)
        return [.hall(.submitCheckin(submission, card: screen.card, intentKey: key))]
    }

    /// Starts a check-in by booking code (scanned or typed) from any screen a citizen may stand at.
    func checkInByCode(_ state: inout KioskState, code: String) -> [KioskEffect] {
        state.pressed = nil
        state.screen = .checkin(CheckinScreen(card: nil, phase: .keypad(entry: code), requestStartedAt: state.uptime))
        return submit(&state, .bookingCode(code))
    }

    /// The keypad while a booking code is typed.
    func checkinKeypad(_ state: inout KioskState, _ key: KeypadKey) -> [KioskEffect] {
        guard case .checkin(var screen) = state.screen, case .keypad(var entry) = screen.phase else { return [] }
        switch key {
        case .character(let character):
            guard entry.count < ScanText.maxBookingCodeLength, let typed = ScanText.ticketCharacter(character) else { return [] }
            entry.append(typed)
        case .backspace:
            if !entry.isEmpty { entry.removeLast() }
        case .clear:
            entry = ""
        case .submit:
            guard !entry.isEmpty else { return [] }
            return submit(&state, .bookingCode(entry))
        }
        screen.phase = .keypad(entry: entry)
        state.screen = .checkin(screen)
        return []
    }

    /// Scanned text on the check-in screens or at home: a booking code (the booking QR holds just the code) checks in.
    /// Returns nil when the text is not the check-in's (the ticket lookup takes it).
    func checkinScan(_ state: inout KioskState, _ scanned: String) -> [KioskEffect]? {
        guard context.display.checkinOffered else { return nil }
        if case .checkin(let screen) = state.screen {
            guard screen.pendingKey == nil else { return [] }
            if let code = ScanText.bookingCode(in: scanned) { return checkInByCode(&state, code: code) }
            // Enter after typing on a keyboard: the entry already holds what was typed.
            if case .keypad = screen.phase { return checkinKeypad(&state, .submit) }
            return []
        }
        switch state.screen {
        case .home, .lookup, .lookupResult:
            guard let code = ScanText.bookingCode(in: scanned) else { return nil }
            return checkInByCode(&state, code: code)
        default:
            return nil
        }
    }

    /// Letters and digits typed on a keyboard (or by a scanner) go into the booking code entry as they come.
    func checkinTyped(_ state: inout KioskState, _ character: Character) {
        guard case .checkin(var screen) = state.screen, case .keypad(var entry) = screen.phase,
              let typed = ScanText.ticketCharacter(character), entry.count < ScanText.maxBookingCodeLength else { return }
        entry.append(typed)
        screen.phase = .keypad(entry: entry)
        state.screen = .checkin(screen)
    }

    /// No answer to a lookup or check-in within the issuing timeout: refused as offline (the citizen is told; nothing
    /// is kept for later).
    func checkCheckinTimeout(_ state: inout KioskState) {
        guard case .checkin(var screen) = state.screen, screen.pendingKey != nil,
              state.uptime - screen.requestStartedAt >= context.issueTimeoutSeconds else { return }
        screen.card = nil
        screen.phase = .refused(.offline)
        state.screen = .checkin(screen)
        noteActivity(&state)
    }
}
