import Foundation
import HallAPI

/// Applies `event` to the calling display's state; returns the work for the adapters. Pure.
public func reduceBoard(_ state: inout BoardState, _ event: BoardEvent) -> [BoardEffect] {
    let effects = reduceBoardEvent(&state, event)
    return effects + photoRequest(&state)
}

/// A window screen asks for its clerk's photo, once per URL.
private func photoRequest(_ state: inout BoardState) -> [BoardEffect] {
    guard case .window(let id) = state.role, let path = state.board?.windows.first(where: { $0.id == id })?.staff?.photoUrl,
          !state.photosReady.contains(path), !state.photosRequested.contains(path) else { return [] }
    state.photosRequested.insert(path)
    return [.fetchPhoto(path: path)]
}

private func reduceBoardEvent(_ state: inout BoardState, _ event: BoardEvent) -> [BoardEffect] {
    switch event {
    case .photoReady(let path):
        state.photosReady.insert(path)
        return []
    case .tick(let now, let uptime):
        state.now = now
        state.uptime = uptime
        advanceFeature(&state)
        return []
    case .snapshot(let board):
        return applySnapshot(&state, board)
    case .hallEvent(let event):
        return applyHallEvent(&state, event)
    case .queues(let update):
        if let queues = state.board?.queues { state.board?.queues = merged(queues, update.queues) }
        return []
    case .notice(let notice):
        state.board?.notice = notice
        return []
    case .linkLost(let reason):
        if case .lost = state.link { return [] }
        state.link = .lost(since: state.uptime, reason: reason)
        return []
    case .speaking(let eventId):
        state.speaking = eventId
        if let eventId, state.voiceLeads, state.call(eventId) != nil {
            state.featured = FeaturedCall(eventId: eventId, since: state.uptime, blinks: true)
            state.featureQueue.removeAll { $0 == eventId }
        }
        return []
    case .voiceLeads(let leads):
        state.voiceLeads = leads
        if leads { state.featureQueue = [] }
        return []
    }
}

/// A snapshot replaces what the display shows. Calls it did not know are added; those made within
/// `BoardTiming.liveCallAge` while the link was down are announced (oldest first) — at the first start nothing is,
/// so a display that restarts does not say a call a second time.
private func applySnapshot(_ state: inout BoardState, _ board: HallBoard) -> [BoardEffect] {
    let firstStart = state.board == nil
    state.serverClockOffset = board.serverTime.timeIntervalSince(state.now)
    state.board = board
    state.lastEventId = max(board.lastEventId, firstStart ? board.lastEventId : state.lastEventId)
    state.link = .live
    var effects: [BoardEffect] = []
    var calls: [KnownCall] = []
    for call in board.recentCalls.prefix(HallBoard.recentCallLimit) {
        if let known = state.call(call.eventId) {
            calls.append(KnownCall(call: call, learnedAt: known.learnedAt, live: known.live))
        } else {
            let live = !firstStart && isRecent(call, state)
            calls.append(KnownCall(call: call, learnedAt: state.uptime, live: live))
        }
    }
    let newlyLive = calls.filter { $0.live && state.call($0.call.eventId) == nil }.map(\.call)
    state.calls = calls
    for call in newlyLive.sorted(by: { $0.eventId < $1.eventId }) where concerns(state.role, call) {
        effects.append(.announce(call))
        queueFeature(&state, call.eventId)
    }
    if state.featured.map({ state.call($0.eventId) == nil }) ?? true {
        state.featured = mine(state).first.map { FeaturedCall(eventId: $0.call.eventId, since: state.uptime, blinks: false) }
    }
    let known = Set(state.calls.map(\.call.eventId))
    state.featureQueue.removeAll { !known.contains($0) }
    return effects
}

private func applyHallEvent(_ state: inout BoardState, _ event: HallEvent) -> [BoardEffect] {
    guard event.id > state.lastEventId, state.board != nil else { return [] }
    state.lastEventId = event.id
    if let index = state.board?.windows.firstIndex(where: { $0.id == event.window.id }) {
        state.board?.windows[index] = event.window
    } else {
        state.board?.windows.append(event.window)
    }
    if let queues = state.board?.queues { state.board?.queues = merged(queues, event.queues) }
    state.board?.lastEventId = event.id
    guard let call = event.call, event.type == .ticketCalled || event.type == .ticketRecalled else { return [] }
    let live = isRecent(call, state)
    // A recall moves the ticket to the top: one row per ticket.
    state.calls.removeAll { $0.call.ticketId == call.ticketId }
    state.calls.insert(KnownCall(call: call, learnedAt: state.uptime, live: live), at: 0)
    if state.calls.count > HallBoard.recentCallLimit { state.calls.removeLast(state.calls.count - HallBoard.recentCallLimit) }
    state.board?.recentCalls = state.calls.map(\.call)
    let known = Set(state.calls.map(\.call.eventId))
    state.featureQueue.removeAll { !known.contains($0) }
    guard live, concerns(state.role, call) else {
        if state.featured == nil || state.call(state.featured!.eventId) == nil {
            state.featured = FeaturedCall(eventId: call.eventId, since: state.uptime, blinks: false)
        }
        return []
    }
    queueFeature(&state, call.eventId)
    return [.announce(call)]
}

/// Without a voice, a new call is featured at once when the featured area has shown its call long enough, else it
/// waits its turn (at most 3 wait; older ones are only highlighted in the list). With a voice, the voice decides.
private func queueFeature(_ state: inout BoardState, _ eventId: Int64) {
    guard !state.voiceLeads else {
        if state.featured.map({ state.call($0.eventId) == nil }) ?? true {
            state.featured = FeaturedCall(eventId: eventId, since: state.uptime, blinks: false)
        }
        return
    }
    state.featureQueue.append(eventId)
    if state.featureQueue.count > 3 { state.featureQueue.removeFirst(state.featureQueue.count - 3) }
    advanceFeature(&state)
}

private func advanceFeature(_ state: inout BoardState) {
    guard !state.voiceLeads, !state.featureQueue.isEmpty else { return }
    if let featured = state.featured, featured.blinks, state.call(featured.eventId) != nil,
       state.uptime - featured.since < BoardTiming.featureDwellSeconds {
        return
    }
    let next = state.featureQueue.removeFirst()
    state.featured = FeaturedCall(eventId: next, since: state.uptime, blinks: true)
}

/// Calls this display shows large and says: every call on the hall screen, the window's own on a window screen.
func concerns(_ role: BoardRole, _ call: BoardCall) -> Bool {
    switch role {
    case .hall: true
    case .window(let id): call.windowId == id
    }
}

/// The calls this display features, newest first.
func mine(_ state: BoardState) -> [KnownCall] { state.calls.filter { concerns(state.role, $0.call) } }

/// True when `call` was made within `liveCallAge` of now (server clock).
private func isRecent(_ call: BoardCall, _ state: BoardState) -> Bool {
    let serverNow = state.now.addingTimeInterval(state.serverClockOffset)
    return serverNow.timeIntervalSince(call.at) <= BoardTiming.liveCallAge
}

private func merged(_ queues: [BoardQueue], _ updates: [BoardQueue]) -> [BoardQueue] {
    var result = queues
    for update in updates {
        if let index = result.firstIndex(where: { $0.service.id == update.service.id }) {
            result[index] = update
        } else {
            result.append(update)
        }
    }
    return result
}
