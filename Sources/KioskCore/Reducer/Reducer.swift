import Foundation
import HallAPI

/// The kiosk's one state transition: applies `event` to `state` and returns the work for the
/// adapters. Pure: no clock, randomness or I/O — time comes from `tick` events (timers run on their
/// monotonic `uptime`, never on the wall clock), keys from the state's `IntentKeyGenerator`, touches are
/// matched against `view(state, context.display)`.
public func reduce(_ state: inout KioskState, _ event: KioskEvent, context: KioskContext) -> [KioskEffect] {
    let reducer = Reducer(context: context)
    switch event {
    case .touchDown(let x, let y):
        return reducer.touchDown(&state, at: Point(x: x, y: y))
    case .touchUp(let x, let y):
        return reducer.touchUp(&state, at: Point(x: x, y: y))
    case .touchCancel:
        state.pressed = nil
        state.adminCornerDownAt = nil
        return []
    case .key(let name):
        return reducer.key(&state, name: name)
    case .text(let text):
        return reducer.text(&state, text)
    case .tick(let now, let uptime):
        return reducer.tick(&state, now: now, uptime: uptime)
    case .hallStatusArrived(let status, let at):
        return reducer.hallStatusArrived(&state, status, at: at)
    case .hallUnreachable(let error, let at):
        return reducer.hallUnreachable(&state, error: error, at: at)
    case .ticketIssued(let intentKey, let ticket):
        return reducer.ticketIssued(&state, intentKey: intentKey, ticket: ticket)
    case .ticketFailed(let intentKey, let failure):
        return reducer.ticketFailed(&state, intentKey: intentKey, failure: failure)
    case .lookupResult(let progress, let query):
        return reducer.lookupAnswered(&state, query: query, result: .success(progress))
    case .lookupFailed(let kind, let query):
        return reducer.lookupAnswered(&state, query: query, result: .failure(LookupFailure(kind: kind)))
    case .printFinished(let ticketId, let outcome):
        return reducer.printFinished(&state, ticketId: ticketId, outcome: outcome)
    case .printerChanged(let health):
        state.printer = health
        return []
    case .windowEvent(let event):
        return reducer.windowEvent(&state, event)
    case .windowStateArrived(let panel, _):
        return reducer.windowStateArrived(&state, panel)
    case .staffPhotoReady(_, let path):
        return reducer.staffPhotoReady(&state, path: path)
    case .ratingStored(let ratingId):
        return reducer.ratingStored(&state, ratingId: ratingId)
    case .ratingStoreFailed(let ratingId, _):
        return reducer.ratingStoreFailed(&state, ratingId: ratingId)
    case .ratingStorageChanged(let problem):
        state.ratingsUnavailable = problem
        return []
    case .adminPinChecked(let accepted):
        return reducer.adminPinChecked(&state, accepted: accepted)
    case .adminInfoArrived(let info):
        return reducer.adminInfoArrived(&state, info)
    case .adminCommandFinished(_, let message):
        return reducer.adminCommandFinished(&state, message: message)
    case .cardPlaced(let card):
        return reducer.cardPlaced(&state, card)
    case .cardUnreadable(let placeAgain):
        return reducer.cardUnreadable(&state, placeAgain: placeAgain)
    case .cardLookupArrived(let lookup, let requestKey):
        return reducer.cardLookupArrived(&state, lookup, requestKey: requestKey)
    case .checkedIn(let result, let intentKey):
        return reducer.checkedIn(&state, result, intentKey: intentKey)
    case .cardTicketIssued(let ticket, let intentKey):
        return reducer.cardTicketIssued(&state, ticket, intentKey: intentKey)
    case .checkinRefused(let failure, let key):
        return reducer.checkinRefused(&state, failure, key: key)
    }
}

/// The reducer's rules, split by concern into `Reducer+*.swift`.
struct Reducer {
    let context: KioskContext

    /// A citizen did something: push the idle deadline back.
    func noteActivity(_ state: inout KioskState) {
        state.idleDeadline = state.uptime + context.idleTimeoutSeconds
    }

    /// The screen to show instead of home when the kiosk cannot serve: offline after the grace
    /// period without the hall server, closed when the hall says so.
    func outOfServiceScreen(_ state: KioskState) -> KioskScreen? {
        if let since = state.unreachableSince, state.uptime - since >= context.offlineGraceSeconds {
            return .offline(since: since)
        }
        // A rating device shows its window whatever the hall's hours: "window closed" when nobody serves.
        if context.role == .ratingDevice { return nil }
        if let hall = state.hall, !hall.isOpenNow {
            return .closed(todayHours: hall.todayHours)
        }
        return nil
    }

    /// Leaves the current screen for home (or the out-of-service screen that replaces it).
    func goHome(_ state: inout KioskState, position: HomePosition = HomePosition()) {
        state.pressed = nil
        state.screen = outOfServiceScreen(state) ?? homeScreen(position)
    }

    /// The role's resting screen: service buttons on a ticket kiosk, the window on a rating device.
    func homeScreen(_ position: HomePosition = HomePosition()) -> KioskScreen {
        context.role == .ratingDevice ? .ratingIdle : .home(position)
    }

    /// Re-checks home / closed / offline after the hall status or the clock changed.
    /// Other screens finish first; they come back through `goHome`. A failed ticket request is not
    /// "under way": when the hall closes or the server stays away, the out-of-service screen replaces it.
    func refreshOutOfService(_ state: inout KioskState) {
        switch state.screen {
        case .issuing(let intent) where intent.failure != nil:
            if let target = outOfServiceScreen(state) {
                state.pressed = nil
                state.screen = target
            }
        case .home, .closed, .offline, .ratingIdle:
            let position: HomePosition
            if case .home(let current) = state.screen { position = current } else { position = HomePosition() }
            let target = outOfServiceScreen(state) ?? homeScreen(position)
            if target != state.screen {
                if case .offline = state.screen, case .offline = target { return }
                state.pressed = nil
                state.screen = target
            }
        case .issuing, .ticket, .lookup, .lookupResult, .rating, .adminPin, .admin, .checkin:
            return
        }
    }

    /// Forgets the citizen: home, default language, normal text and contrast, no priority lane, nothing typed.
    func resetForNextCitizen(_ state: inout KioskState) {
        state.priorityLane = nil
        state.language = context.defaultLanguage
        state.largeText = false
        state.highContrast = false
        state.scanBuffer = ""
        state.idleDeadline = nil
        goHome(&state)
    }
}
