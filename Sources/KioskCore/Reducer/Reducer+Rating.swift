import Foundation
import HallAPI

extension Reducer {
    // MARK: - Opening a prompt

    /// An event of this rating device's window. A completed service opens the rating prompt (replacing an
    /// unanswered one); logins, logouts and calls keep the idle screen current. A logout does not close an
    /// open prompt: the citizen may still rate the service that was just completed.
    func windowEvent(_ state: inout KioskState, _ event: WindowEvent) -> [KioskEffect] {
        guard context.role == .ratingDevice, event.windowId == context.windowId else { return [] }
        var effects: [KioskEffect] = []
        if var panel = state.window {
            switch event.type {
            case .staffLoggedIn:
                panel.staff = event.staff
                panel.satisfaction = nil
                panel.currentTicketNumber = nil
                panel.breakReason = nil
            case .staffLoggedOut:
                panel.staff = nil
                panel.satisfaction = nil
                panel.currentTicketNumber = nil
                panel.breakReason = nil
            case .ticketCalled, .ticketRecalled, .serviceStarted:
                panel.currentTicketNumber = event.ticket?.number
                panel.breakReason = nil  // a call means the clerk serves again
                if let staff = event.staff { panel.staff = staff }
            case .serviceCompleted, .ticketNoShow, .ticketTransferred:
                panel.currentTicketNumber = nil
            case .windowPaused:
                // 暂停服务: the idle screen says so and why, instead of inviting a rating.
                panel.breakReason = event.breakReason ?? ""
                if let staff = event.staff { panel.staff = staff }
            case .windowResumed:
                panel.breakReason = nil
                if let staff = event.staff { panel.staff = staff }
            }
            panel.photoReady = photoReady(state, panel.staff)
            state.window = panel
        }
        if [.staffLoggedIn, .staffLoggedOut].contains(event.type) {
            // The satisfaction figure and photo belong to the staff member: ask again.
            state.lastWindowStateRequestAt = state.uptime
            effects.append(.ratings(.fetchWindowState))
        }
        effects += photoRequest(&state, for: event.staff)
        guard event.type == .serviceCompleted, let ticket = event.ticket else { return effects }
        // Nothing could be stored: no prompt a citizen would answer in vain (the idle screen points to the phone).
        guard state.ratingsUnavailable == nil else { return effects }
        if case .rating(let current) = state.screen, case .storing = current.phase {
            // The previous citizen's rating is being written (milliseconds); it finishes on its own.
        }
        let window = state.window?.window ?? WindowRef(id: event.windowId, name: LocalizedText(zh: event.windowId, en: event.windowId))
        let subject = RatingSubject(ticketId: ticket.id, ticketNumber: ticket.number, service: ticket.service, window: window,
                                    staff: event.staff ?? state.window?.staff, completedAt: ticket.completedAt ?? event.at)
        state.pressed = nil
        state.screen = .rating(RatingScreen(subject: subject, channel: .windowDevice,
                                            deadline: state.uptime + context.ratingPromptSeconds))
        return effects
    }

    /// The kiosk's rating lookup found the ticket: rate it if the hall server says it can be rated.
    func ratingLookupAnswered(_ state: inout KioskState, _ progress: TicketProgress, proof: RatingProof?) {
        guard progress.status == .completed, progress.rating.canRate, !progress.rating.rated else {
            state.screen = .lookupResult(LookupResultScreen(purpose: .rating, progress: progress))
            return
        }
        let subject = RatingSubject(ticketId: progress.id, ticketNumber: progress.number, service: progress.service,
                                    window: progress.window, staff: progress.staff, completedAt: progress.completedAt, proof: proof)
        state.screen = .rating(RatingScreen(subject: subject, channel: .kiosk,
                                            deadline: state.uptime + context.ratingPromptSeconds))
    }

    /// Rating device: the window's state arrived.
    func windowStateArrived(_ state: inout KioskState, _ panel: WindowPanel) -> [KioskEffect] {
        guard context.role == .ratingDevice else { return [] }
        var panel = panel
        panel.photoReady = photoReady(state, panel.staff)
        state.window = panel
        return photoRequest(&state, for: panel.staff)
    }

    /// The photo at `path` is decoded and registered with the renderer.
    func staffPhotoReady(_ state: inout KioskState, path: String) -> [KioskEffect] {
        state.photosReady.insert(path)
        if var panel = state.window, panel.staff?.photoUrl == path {
            panel.photoReady = true
            state.window = panel
        }
        return []
    }

    /// Whether `staff`'s photo (by its URL) is with the renderer.
    private func photoReady(_ state: KioskState, _ staff: StaffSummary?) -> Bool {
        staff?.photoUrl.map(state.photosReady.contains) ?? false
    }

    /// Asks for `staff`'s photo once per URL and start (a failed photo is not asked again until the URL changes).
    private func photoRequest(_ state: inout KioskState, for staff: StaffSummary?) -> [KioskEffect] {
        guard let staff, let path = staff.photoUrl, !state.photosReady.contains(path),
              !state.photosRequested.contains(path) else { return [] }
        state.photosRequested.insert(path)
        return [.ratings(.fetchStaffPhoto(staffId: staff.id, path: path))]
    }

    // MARK: - Choosing

    /// A level button: a 差评 opens the reasons; any other level is stored at once.
    func rate(_ state: inout KioskState, level: RatingLevel) -> [KioskEffect] {
        guard case .rating(var rating) = state.screen, case .choosing = rating.phase else { return [] }
        if level.isBad {
            rating.phase = .reasons(level: level, selected: [])
            rating.deadline = state.uptime + context.ratingPromptSeconds
            state.screen = .rating(rating)
            return []
        }
        return store(&state, rating, level: level, reasons: [], source: .active)
    }

    func toggleReason(_ state: inout KioskState, _ reason: RatingReason) -> [KioskEffect] {
        guard case .rating(var rating) = state.screen, case .reasons(let level, var selected) = rating.phase else { return [] }
        if selected.contains(reason) { selected.remove(reason) } else { selected.insert(reason) }
        rating.phase = .reasons(level: level, selected: selected)
        rating.deadline = state.uptime + context.ratingPromptSeconds
        state.screen = .rating(rating)
        return []
    }

    /// 提交: a 差评 is stored only with at least one reason (the button is disabled until then).
    func submitRating(_ state: inout KioskState) -> [KioskEffect] {
        guard case .rating(let rating) = state.screen, case .reasons(let level, let selected) = rating.phase,
              !selected.isEmpty else { return [] }
        let ordered = RatingReason.allCases.filter(selected.contains)
        let note = rating.presetNote.map { context.display.strings.text(RatingScreen.presetNotes[$0], state.language) }
        return store(&state, rating, level: level, reasons: ordered, text: note, source: .active)
    }

    /// One short preset note at most; touching the chosen one again drops it.
    func togglePresetNote(_ state: inout KioskState, _ index: Int) -> [KioskEffect] {
        guard case .rating(var rating) = state.screen, case .reasons = rating.phase,
              RatingScreen.presetNotes.indices.contains(index) else { return [] }
        rating.presetNote = rating.presetNote == index ? nil : index
        rating.deadline = state.uptime + context.ratingPromptSeconds
        state.screen = .rating(rating)
        return []
    }

    func changeLevel(_ state: inout KioskState) -> [KioskEffect] {
        guard case .rating(var rating) = state.screen, case .reasons = rating.phase else { return [] }
        rating.phase = .choosing
        rating.presetNote = nil
        rating.deadline = state.uptime + context.ratingPromptSeconds
        state.screen = .rating(rating)
        return []
    }

    /// Builds the rating and asks the outbox to store it; "thank you" waits for `ratingStored`.
    private func store(_ state: inout KioskState, _ rating: RatingScreen, level: RatingLevel, reasons: [RatingReason],
                       text: String? = nil, source: RatingSource) -> [KioskEffect] {
        var rating = rating
        let ratingId = state.intentKeys.nextRatingId()
        let subject = rating.subject
        let submission = RatingSubmission(
            ratingId: ratingId, ticketId: subject.ticketId, ticketToken: subject.proof?.token, ratingCode: subject.proof?.code,
            windowId: subject.window?.id, staffId: subject.staff?.id,
            serviceId: subject.service.id, channel: rating.channel, deviceId: context.deviceId, level: level,
            reasons: reasons, reasonsVersion: RatingReason.listVersion, text: text, source: source,
            serviceCompletedAt: subject.completedAt, ratedAt: state.now)
        rating.phase = .storing(ratingId: ratingId)
        // Storing takes milliseconds; if the outbox never answers, the screen still ends (as "not stored").
        rating.deadline = state.uptime + max(5, context.ratingThanksSeconds)
        state.pressed = nil
        state.screen = .rating(rating)
        return [.ratings(.storeRating(submission))]
    }

    // MARK: - Outcome

    func ratingStored(_ state: inout KioskState, ratingId: String) -> [KioskEffect] {
        guard case .rating(var rating) = state.screen, rating.phase == .storing(ratingId: ratingId) else { return [] }
        rating.phase = .thanks
        rating.deadline = state.uptime + context.ratingThanksSeconds
        state.screen = .rating(rating)
        return []
    }

    func ratingStoreFailed(_ state: inout KioskState, ratingId: String) -> [KioskEffect] {
        guard case .rating(var rating) = state.screen, rating.phase == .storing(ratingId: ratingId) else { return [] }
        rating.phase = .notStored
        rating.deadline = state.uptime + max(8, context.ratingThanksSeconds * 2)
        state.screen = .rating(rating)
        return []
    }

    /// The rating screen's deadline: an unanswered prompt closes without recording anything (or records the
    /// hall's `systemDefault` where configured); "thank you" and "not stored" return to idle / home.
    func checkRatingDeadline(_ state: inout KioskState) -> [KioskEffect] {
        guard case .rating(let rating) = state.screen, state.uptime >= rating.deadline else { return [] }
        switch rating.phase {
        case .choosing, .reasons:
            if context.systemDefaultOnTimeout, rating.channel == .windowDevice {
                let effects = store(&state, rating, level: .satisfied, reasons: [], source: .systemDefault)
                // Nobody is there to thank: go straight back.
                goHome(&state)
                return effects
            }
            goHome(&state)
        case .storing:
            // The outbox did not answer in time: the citizen must not be told it was recorded.
            var failed = rating
            failed.phase = .notStored
            failed.deadline = state.uptime + max(8, context.ratingThanksSeconds * 2)
            state.screen = .rating(failed)
        case .thanks, .notStored:
            resetForNextCitizen(&state)
        }
        return []
    }

    /// Rating device: the window state is refreshed periodically (the event stream keeps it current between).
    func windowStateDue(_ state: inout KioskState) -> [KioskEffect] {
        guard context.role == .ratingDevice else { return [] }
        if let last = state.lastWindowStateRequestAt, state.uptime - last < context.windowStateRefreshSeconds { return [] }
        state.lastWindowStateRequestAt = state.uptime
        return [.ratings(.fetchWindowState)]
    }
}
