import HallAPI

extension Reducer {
    /// Finger down: remember the enabled region under it so the next frame draws it pressed.
    func touchDown(_ state: inout KioskState, at point: Point) -> [KioskEffect] {
        noteActivity(&state)
        noteAdminCorner(&state, at: point)
        let region = view(state, in: context.display).hitRegion(at: point)
        // In the ticket's first moment a touch is the double tap's second half and does nothing: no press
        // look either, or the citizen sees 完成 pressed and nothing happen.
        let ignored = ticketJustShown(state)
        state.pressed = (region?.enabled ?? false) && !ignored ? region?.action : nil
        return []
    }

    /// Finger up: activate the region only if the finger went down on the same enabled region.
    /// A touch on no region at all may dismiss the screen (the ticket screen returns home).
    func touchUp(_ state: inout KioskState, at point: Point) -> [KioskEffect] {
        noteActivity(&state)
        state.adminCornerDownAt = nil
        let pressed = state.pressed
        state.pressed = nil
        let region = view(state, in: context.display).hitRegion(at: point)
        if let pressed, let region, region.enabled, region.action == pressed {
            return activate(&state, pressed)
        }
        if pressed == nil, region == nil {
            return backgroundTouched(&state)
        }
        return []
    }

    /// Performs what a button does on the current screen.
    func activate(_ state: inout KioskState, _ action: KioskAction) -> [KioskEffect] {
        switch action {
        case .takeNumber(let serviceId):
            return takeNumber(&state, serviceId: serviceId)
        case .selectGroup, .previousPage, .nextPage:
            return navigateHome(&state, action)
        case .toggleLanguage:
            state.language = state.language == .zh ? .en : .zh
            return []
        case .toggleLargeText:
            state.largeText.toggle()
            resetHomePage(&state)
            return []
        case .toggleHighContrast:
            state.highContrast.toggle()
            return []
        case .openLookup:
            state.screen = .lookup(LookupScreen(purpose: .progress))
            return []
        case .openRating:
            guard state.ratingsUnavailable == nil else { return [] }
            state.screen = .lookup(LookupScreen(purpose: .rating))
            return []
        case .keypad(let key):
            return keypad(&state, key)
        case .backHome:
            return backHome(&state)
        case .retryIssue:
            return retryIssue(&state)
        case .lookupAnother:
            if case .lookupResult(let result) = state.screen {
                state.screen = .lookup(LookupScreen(purpose: result.purpose))
            }
            return []
        case .rate(let level):
            return rate(&state, level: level)
        case .toggleReason(let reason):
            return toggleReason(&state, reason)
        case .submitRating:
            return submitRating(&state)
        case .changeLevel:
            return changeLevel(&state)
        case .togglePresetNote(let index):
            return togglePresetNote(&state, index)
        case .admin(let command):
            return adminCommand(&state, command)
        case .toggleIssuingPaused:
            return toggleIssuingPaused(&state)
        case .choosePriority(let lane):
            return choosePriority(&state, lane)
        case .checkInAppointment, .takeNumberWithCard, .reprint, .openBookingCode, .checkinPage:
            return activateCheckin(&state, action)
        }
    }

    /// 完成 / 返回首页 from any screen (not in the first moment of a ticket: see `ticketJustShown`). After a ticket,
    /// a progress answer or a rating the citizen is done: the next person finds the hall's language and text size.
    func backHome(_ state: inout KioskState) -> [KioskEffect] {
        if ticketJustShown(state) { return [] }
        switch state.screen {
        case .issuing(let intent):
            goHome(&state, position: intent.returnPosition)
        case .ticket, .lookupResult, .rating, .checkin:
            resetForNextCitizen(&state)
        default:
            goHome(&state)
        }
        return []
    }

    /// A touch outside every button: the ticket screen returns home unless no paper came out
    /// (then only 完成 closes it, so the QR code is not lost by accident).
    func backgroundTouched(_ state: inout KioskState) -> [KioskEffect] {
        if case .ticket(let ticket) = state.screen, !ticket.printStatus.leavesNoPaper, !ticketJustShown(state) {
            resetForNextCitizen(&state)
        }
        return []
    }

    /// True during the grace period after a ticket appeared, when a touch is most likely the
    /// second tap of a double tap on the service button.
    func ticketJustShown(_ state: KioskState) -> Bool {
        guard case .ticket(let ticket) = state.screen else { return false }
        return state.uptime - ticket.shownAt < context.ticketTouchGraceSeconds
    }
}
