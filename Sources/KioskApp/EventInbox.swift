import Foundation
import HallAPI
import KioskCore
import KioskSDL

/// Answers from background work (HTTP, printing), handed to the UI thread; wakes the window's wait.
final class EventInbox: @unchecked Sendable {
    private let lock = NSLock()
    private var events: [KioskEvent] = []
    private var exit: (code: Int32, reason: String)?

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

    /// Background work asks the run loop to end with `code` (the admin screen's restart): the loop returns it after
    /// handling the events posted before, and logs `reason`.
    func requestExit(code: Int32, reason: String) {
        lock.withLock { if exit == nil { exit = (code, reason) } }
        KioskWindow.wake()
    }

    /// The exit asked for, if any.
    var exitRequest: (code: Int32, reason: String)? { lock.withLock { exit } }
}

/// Values the UI thread publishes for background reporters (heartbeat, admin).
final class KioskStatusBoard: @unchecked Sendable {
    private let lock = NSLock()
    private var screenName = DeviceScreen.starting
    private var lastError: String?
    private var issuingPaused = false

    /// Publishes the values; returns whether any changed.
    @discardableResult
    func update(screen: DeviceScreen, lastError: String?, issuingPaused: Bool = false) -> Bool {
        lock.withLock {
            guard screenName != screen || self.lastError != lastError || self.issuingPaused != issuingPaused else { return false }
            screenName = screen
            self.lastError = lastError
            self.issuingPaused = issuingPaused
            return true
        }
    }

    var snapshot: (screen: DeviceScreen, lastError: String?, issuingPaused: Bool) {
        lock.withLock { (screenName, lastError, issuingPaused) }
    }
}
