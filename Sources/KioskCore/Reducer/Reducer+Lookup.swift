import HallAPI

extension Reducer {
    /// The longest ticket number the keypad accepts.
    static let maxEntryLength = 8

    /// A keypad key on the lookup screen. Keys do nothing while a lookup is under way. Rating by number takes
    /// two steps: the number, then the ticket's 4-digit rating code (Delete on an empty code goes back to the number).
    func keypad(_ state: inout KioskState, _ key: KeypadKey) -> [KioskEffect] {
        if case .adminPin = state.screen { return adminKeypad(&state, key) }
        if case .checkin = state.screen { return checkinKeypad(&state, key) }
        guard case .lookup(var lookup) = state.screen else { return [] }
        if case .pending = lookup.phase { return [] }
        if lookup.step == .code { return codeKeypad(&state, lookup, key) }
        switch key {
        case .character(let character):
            guard lookup.entry.count < Self.maxEntryLength else { return [] }
            lookup.entry.append(character)
        case .backspace:
            if !lookup.entry.isEmpty { lookup.entry.removeLast() }
        case .clear:
            lookup.entry = ""
        case .submit:
            guard !lookup.entry.isEmpty else { return [] }
            if lookup.purpose == .rating {
                lookup.step = .code
                lookup.code = ""
                break
            }
            let query = LookupQuery.number(lookup.entry)
            lookup.phase = .pending(query)
            state.screen = .lookup(lookup)
            return [.hall(.lookupTicket(query))]
        }
        lookup.phase = .editing
        state.screen = .lookup(lookup)
        return []
    }

    /// The keypad while the rating code is typed: digits only, at most `LookupScreen.codeDigits`.
    private func codeKeypad(_ state: inout KioskState, _ lookup: LookupScreen, _ key: KeypadKey) -> [KioskEffect] {
        var lookup = lookup
        switch key {
        case .character(let character):
            guard character.isASCII, character.isNumber, lookup.code.count < LookupScreen.codeDigits else { return [] }
            lookup.code.append(character)
        case .backspace:
            if lookup.code.isEmpty { lookup.step = .number } else { lookup.code.removeLast() }
        case .clear:
            lookup.code = ""
        case .submit:
            guard lookup.code.count == LookupScreen.codeDigits else { return [] }
            let query = LookupQuery.numberWithCode(lookup.entry, code: lookup.code)
            lookup.phase = .pending(query)
            state.screen = .lookup(lookup)
            return [.hall(.lookupTicket(query))]
        }
        lookup.phase = .editing
        state.screen = .lookup(lookup)
        return []
    }

    /// The answer to the lookup on screen; answers to older queries are dropped.
    func lookupAnswered(_ state: inout KioskState, query: LookupQuery,
                        result: Result<TicketProgress, LookupFailure>) -> [KioskEffect] {
        guard case .lookup(var lookup) = state.screen, lookup.phase == .pending(query) else { return [] }
        switch result {
        case .success(let progress) where lookup.purpose == .rating:
            ratingLookupAnswered(&state, progress, proof: RatingProof(query))
        case .success(let progress):
            state.screen = .lookupResult(LookupResultScreen(purpose: lookup.purpose, progress: progress))
        case .failure(let failure):
            lookup.phase = .failed(failure.kind)
            if lookup.step == .code {
                lookup.code = ""
                // An unknown number is the number's fault: back to it, with the message.
                if failure.kind == .notFound { lookup.step = .number }
            }
            state.screen = .lookup(lookup)
        }
        return []
    }

    /// Text from a barcode scanner or keyboard. It is collected until Enter (or a newline in the
    /// text); on the lookup screen, letters and digits also appear in the entry as they come.
    func text(_ state: inout KioskState, _ text: String) -> [KioskEffect] {
        noteActivity(&state)
        guard acceptsScannedText(state.screen) else { return [] }
        var effects: [KioskEffect] = []
        for character in text {
            if character == "\n" || character == "\r" {
                effects += submitScan(&state)
                continue
            }
            state.scanBuffer.append(character)
            if state.scanBuffer.count > 512 { state.scanBuffer.removeFirst(state.scanBuffer.count - 512) }
            checkinTyped(&state, character)
            if case .lookup(var lookup) = state.screen, !ScanText.looksLikeURL(state.scanBuffer),
               let typed = ScanText.ticketCharacter(character) {
                if case .pending = lookup.phase { continue }
                if lookup.step == .code {
                    guard typed.isNumber, lookup.code.count < LookupScreen.codeDigits else { continue }
                    lookup.code.append(typed)
                } else {
                    guard lookup.entry.count < Self.maxEntryLength else { continue }
                    lookup.entry.append(typed)
                }
                lookup.phase = .editing
                state.screen = .lookup(lookup)
            }
        }
        return effects
    }

    /// Keys: Enter submits what was scanned or typed, Backspace deletes, Escape goes home.
    func key(_ state: inout KioskState, name: String) -> [KioskEffect] {
        noteActivity(&state)
        switch name.lowercased() {
        case "return", "enter", "keypad enter", "kp_enter", "return2":
            guard acceptsScannedText(state.screen) else { return [] }
            return submitScan(&state)
        case "backspace":
            if !state.scanBuffer.isEmpty { state.scanBuffer.removeLast() }
            return keypad(&state, .backspace)
        case "escape":
            state.scanBuffer = ""
            return backHome(&state)
        default:
            return []
        }
    }

    /// Screens where holding a ticket under the scanner starts a lookup.
    func acceptsScannedText(_ screen: KioskScreen) -> Bool {
        switch screen {
        case .home, .lookup, .lookupResult, .closed, .checkin: true
        case .issuing, .ticket, .offline, .rating, .ratingIdle, .adminPin, .admin: false
        }
    }

    /// Looks up what the scanner sent: a token when it is a ticket URL (`…/t/<token>`), else a
    /// ticket number; on the lookup screen an empty scan submits the typed entry.
    func submitScan(_ state: inout KioskState) -> [KioskEffect] {
        let scanned = state.scanBuffer
        state.scanBuffer = ""
        if let effects = checkinScan(&state, scanned) { return effects }
        let purpose: LookupPurpose
        switch state.screen {
        case .lookup(let lookup): purpose = lookup.purpose
        case .lookupResult(let result): purpose = result.purpose
        default: purpose = .progress
        }
        let query: LookupQuery
        var entry = ""
        if let token = ScanText.token(in: scanned) {
            query = .token(token)
        } else if case .lookup(let lookup) = state.screen, lookup.step == .code {
            return keypad(&state, .submit)
        } else if let number = ScanText.ticketNumber(in: scanned) {
            if purpose == .rating {
                // A number alone cannot rate: ask for the ticket's rating code next.
                if case .lookup(let lookup) = state.screen, case .pending = lookup.phase { return [] }
                state.pressed = nil
                state.screen = .lookup(LookupScreen(purpose: .rating, entry: number, step: .code))
                return []
            }
            query = .number(number)
            entry = number
        } else if case .lookup(let lookup) = state.screen, !lookup.entry.isEmpty {
            return keypad(&state, .submit)
        } else {
            return []
        }
        if case .lookup(let lookup) = state.screen, case .pending = lookup.phase { return [] }
        state.pressed = nil
        state.screen = .lookup(LookupScreen(purpose: purpose, entry: entry, phase: .pending(query)))
        return [.hall(.lookupTicket(query))]
    }
}

/// Why a lookup failed, as a Swift error for `Result`.
struct LookupFailure: Error, Hashable {
    var kind: LookupFailureKind
}
