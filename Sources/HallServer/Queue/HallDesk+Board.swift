import Foundation
import HallAPI

/// What the calling displays (叫号屏) show: a snapshot of the hall and its events as hall events.
extension HallDesk {
    /// How many of the hall's newest events the snapshot reads to find the recent calls and each window's activity.
    static let boardEventWindow = 400

    /// `GET /api/v1/hall/board`. The newest event id is read first, so an event committed while the rest is read
    /// is in the snapshot and replayed after it too (applying it twice changes nothing), never in neither.
    public func board() async throws -> HallBoard {
        let lastEventId = try await store.hallEvents(after: nil, limit: 0).latestId
        let status = try await hallStatus()
        let latest = try await store.latestHallEvents(limit: Self.boardEventWindow).filter { $0.id <= lastEventId }
        let openDays = Set(openHallDays(now: status.now))
        // Each window's newest event says whether it is calling or serving; the status says who is logged in.
        var newestByWindow: [String: WindowEvent] = [:]
        for event in latest where newestByWindow[event.windowId] == nil { newestByWindow[event.windowId] = event }
        let windows = status.windows.map { w -> BoardWindow in
            var window = boardWindow(w.id, after: nil)
            guard w.isOpen else {
                window.activity = .closed
                return window
            }
            window.staff = w.staff
            if let reason = w.breakReason, w.currentTicketNumber == nil {
                window.activity = .paused
                window.pauseReason = LocalizedText(zh: reason, en: reason)
                return window
            }
            guard let number = w.currentTicketNumber else { return window }
            window.ticketNumber = number
            let newest = newestByWindow[w.id]
            let calling = newest?.ticket?.number == number && (newest?.type == .ticketCalled || newest?.type == .ticketRecalled)
            window.activity = calling ? .calling : .serving
            return window
        }
        // Today's calls (and those of a hall day running on past midnight), one row per ticket, newest first.
        var seenTickets = Set<String>()
        var calls: [BoardCall] = []
        for event in latest where calls.count < HallBoard.recentCallLimit {
            guard let call = boardCall(event), openDays.contains(clock.moment(event.at).day) || isToday(event.at, status),
                  seenTickets.insert(call.ticketId).inserted else { continue }
            calls.append(call)
        }
        let queues = Self.boardQueues(status)
        return HallBoard(hallName: hall.name, timezone: hall.timeZone.identifier, recentCalls: calls, windows: windows,
                         queues: queues, notice: hall.notice, lastEventId: lastEventId, serverTime: status.now)
    }

    /// Waiting counts per service offered today (the `queues` messages of the hall stream).
    public func boardQueues() async throws -> [BoardQueue] {
        Self.boardQueues(try await hallStatus())
    }

    /// The services offered today (or with citizens still waiting), with their counts and any staff pause.
    static func boardQueues(_ status: HallStatus) -> [BoardQueue] {
        status.services.filter { $0.state != .closed || $0.waitingCount > 0 }.map { s in
            let paused = s.reason == .pausedByStaff
            return BoardQueue(service: ServiceRef(id: s.id, name: s.name, prefix: s.prefix), waiting: s.waitingCount,
                              paused: paused ? true : nil, pauseReason: paused ? s.pauseReason : nil, pausedUntil: paused ? s.pausedUntil : nil)
        }
    }

    /// Events of every window after `afterId`, oldest first, at most `windowEventPageSize`, as hall events.
    public func hallEvents(after afterId: Int64) async throws -> [HallEvent] {
        try await store.hallEvents(after: afterId, limit: Self.windowEventPageSize).events.map(hallEvent)
    }

    /// The newest hall event id and the prune horizon.
    public func hallEventIds() async throws -> (latest: Int64, prunedThrough: Int64) {
        let slice = try await store.hallEvents(after: nil, limit: 0)
        return (slice.latestId, slice.prunedThrough)
    }

    /// A window event as the calling displays see it: what happened, the window after it, the call.
    public func hallEvent(_ event: WindowEvent) -> HallEvent {
        let type: HallEventType = switch event.type {
        case .ticketCalled: .ticketCalled
        case .ticketRecalled: .ticketRecalled
        case .serviceStarted: .serviceStarted
        case .serviceCompleted: .serviceCompleted
        case .ticketNoShow: .ticketNoShow
        case .ticketTransferred: .ticketTransferred
        case .staffLoggedIn: .windowOpened
        case .staffLoggedOut: .windowClosed
        case .windowPaused: .windowPaused
        case .windowResumed: .windowResumed
        }
        return HallEvent(id: event.id, type: type, at: event.at, window: boardWindow(event.windowId, after: event),
                         call: boardCall(event), queues: [])
    }

    /// The window as an event leaves it (nil: as configured, open and idle).
    func boardWindow(_ windowId: String, after event: WindowEvent?) -> BoardWindow {
        let configured = hall.window(windowId)
        var window = BoardWindow(id: windowId, name: configured?.name ?? LocalizedText(zh: windowId, en: windowId),
                                 number: configured?.number, activity: .open, staff: event?.staff, ticketNumber: nil)
        guard let event else { return window }
        switch event.type {
        case .ticketCalled, .ticketRecalled:
            window.activity = .calling
            window.ticketNumber = event.ticket?.number
        case .serviceStarted:
            window.activity = .serving
            window.ticketNumber = event.ticket?.number
        case .serviceCompleted, .ticketNoShow, .ticketTransferred, .staffLoggedIn, .windowResumed:
            window.activity = .open
        case .windowPaused:
            window.activity = .paused
            window.pauseReason = event.breakReason.map { LocalizedText(zh: $0, en: $0) }
        case .staffLoggedOut:
            window.activity = .closed
            window.staff = nil
        }
        return window
    }

    /// The call an event made (for `ticketCalled` and `ticketRecalled`).
    func boardCall(_ event: WindowEvent) -> BoardCall? {
        guard event.type == .ticketCalled || event.type == .ticketRecalled, let ticket = event.ticket else { return nil }
        let window = hall.window(event.windowId)
        return BoardCall(eventId: event.id, ticketId: ticket.id, number: ticket.number, service: ticket.service,
                         windowId: event.windowId, windowName: window?.name ?? LocalizedText(zh: event.windowId, en: event.windowId),
                         windowNumber: window?.number,
                         recall: event.type == .ticketRecalled ? max(1, ticket.recallCount ?? 1) : 0,
                         priority: ticket.priority, at: event.at)
    }

    private func isToday(_ date: Date, _ status: HallStatus) -> Bool {
        clock.moment(date).day == status.hallDay
    }
}
