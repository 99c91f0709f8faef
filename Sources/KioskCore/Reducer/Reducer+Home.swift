import HallAPI

extension Reducer {
    /// A service button: start one intent with a fresh idempotency key — only from home and
    /// only for a service that is open now. Everything else (a second tap while issuing, a
    /// disabled service) does nothing.
    func takeNumber(_ state: inout KioskState, serviceId: String) -> [KioskEffect] {
        guard case .home(let position) = state.screen, !state.issuingPaused,
              let service = state.hall?.services.first(where: { $0.id == serviceId })
        else { return [] }
        if service.state == .paused || service.reason == .pausedByStaff {
            // Paused by staff: answer why (and until when) instead of doing nothing; nothing is sent.
            var intent = IssuingIntent(serviceId: serviceId, intentKey: "", attempts: 0, startedAt: state.uptime, returnPosition: position)
            intent.failure = IssueFailure(kind: .paused, message: "service paused by staff (touched at home)")
            state.screen = .issuing(intent)
            return []
        }
        guard service.state == .open else { return [] }
        let key = state.intentKeys.next()
        let lane = offeredPriorityLane(state)
        state.screen = .issuing(IssuingIntent(serviceId: serviceId, intentKey: key, attempts: 1, startedAt: state.uptime,
                                              returnPosition: position, priority: lane))
        return [.hall(.issueTicket(serviceId: serviceId, intentKey: key, priority: lane))]
    }

    /// The citizen's priority lane, if the hall still offers it.
    func offeredPriorityLane(_ state: KioskState) -> PriorityKind? {
        guard let lane = state.priorityLane, state.hall?.kioskPriorityLanes?.contains(lane) == true else { return nil }
        return lane
    }

    /// 绿色通道: choose a lane (the elderly, the disabled) before the service; the same button again drops it.
    func choosePriority(_ state: inout KioskState, _ lane: PriorityKind) -> [KioskEffect] {
        guard case .home = state.screen, state.hall?.kioskPriorityLanes?.contains(lane) == true else { return [] }
        state.priorityLane = state.priorityLane == lane ? nil : lane
        return []
    }

    /// Department tabs and the pager, clamped to what the home layout really has.
    func navigateHome(_ state: inout KioskState, _ action: KioskAction) -> [KioskEffect] {
        guard case .home(let position) = state.screen else { return [] }
        let current = homeLayout(state, position: position).position
        var target = current
        switch action {
        case .selectGroup(let index): target = HomePosition(group: index, page: 0)
        case .previousPage: target.page = current.page - 1
        case .nextPage: target.page = current.page + 1
        default: return []
        }
        state.screen = .home(homeLayout(state, position: target).position)
        return []
    }

    /// After the text size changed, pages and tabs hold other services: start at the first.
    func resetHomePage(_ state: inout KioskState) {
        if case .home = state.screen {
            state.screen = .home(HomePosition())
        }
    }

    /// The home layout for `state` as the view draws it.
    func homeLayout(_ state: KioskState, position: HomePosition) -> HomeLayout {
        let display = context.display
        let metrics = Metrics(size: display.size, largeText: state.largeText)
        var canvas = Canvas(metrics: metrics, theme: .palette(highContrast: state.highContrast),
                            measurer: display.measurer, pressed: nil)
        canvas.checkinOffered = display.checkinOffered
        let words = Wording(strings: display.strings, language: state.language)
        return HomeBand.home(state, position: position, content: canvas.header(state, words), canvas: canvas,
                             words: words).layout
    }
}
