import Foundation
import KioskCore
import KioskSDL

/// Answers from background work (HTTP, printing), handed to the UI thread; wakes the window's wait.
final class EventInbox: @unchecked Sendable {
    private let lock = NSLock()
    private var events: [KioskEvent] = []

    func post(_ event: KioskEvent) {
        lock.withLock { events.append(event) }
        KioskWindow.wake()
    }

    func drain() -> [KioskEvent] {
        lock.withLock {
            let out = events
            events.removeAll()
            return out
        }
    }
}

/// Values the UI thread publishes for background reporters (heartbeat, admin).
final class KioskStatusBoard: @unchecked Sendable {
    private let lock = NSLock()
    private var screenName = "starting"
    private var lastError: String?
    private var issuingPaused = false

    func update(screen: String, lastError: String?, issuingPaused: Bool = false) {
        lock.withLock {
            screenName = screen
            self.lastError = lastError
            self.issuingPaused = issuingPaused
        }
    }

    var snapshot: (screen: String, lastError: String?, issuingPaused: Bool) {
        lock.withLock { (screenName, lastError, issuingPaused) }
    }
}
