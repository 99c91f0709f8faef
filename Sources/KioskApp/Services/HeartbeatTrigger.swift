import Foundation

/// Wakes the heartbeat early, without polling: `sendNow` for a printer change (always reported), `check` when
/// something a heartbeat reports may have changed (screen, error, pause, outbox). The heartbeat sleeps in `wait`
/// until one of them or its timeout.
final class HeartbeatTrigger: @unchecked Sendable {
    enum Reason: Sendable, Equatable {
        /// Send a heartbeat now (the printer changed).
        case sendNow
        /// Compare what a heartbeat would report with the last one sent.
        case check
    }

    private let lock = NSLock()
    private var pending: Reason?
    /// The heartbeat waiting now, with the timer that ends its wait (cancelled when a signal ends it first: a wait
    /// a screen change ends must not leave its timer sleeping for the rest of the 30 s — thousands of them on a busy
    /// kiosk).
    private var waiter: (id: Int, continuation: CheckedContinuation<Reason?, Never>, timer: Task<Void, Never>?)?
    private var nextId = 0

    /// The printer changed: the heartbeat goes at once (at most one a second).
    func sendNow() { signal(.sendNow) }

    /// Something a heartbeat reports may have changed.
    func check() { signal(.check) }

    private func signal(_ reason: Reason) {
        let waiting: (continuation: CheckedContinuation<Reason?, Never>, timer: Task<Void, Never>?)? = lock.withLock {
            if let waiter {
                self.waiter = nil
                return (waiter.continuation, waiter.timer)
            }
            if pending != .sendNow { pending = reason }
            return nil
        }
        waiting?.timer?.cancel()
        waiting?.continuation.resume(returning: reason)
    }

    /// Waits at most `seconds` for a signal (one that came while nobody waited counts); `nil` when the time ran out
    /// or the task was cancelled.
    func wait(seconds: Double) async -> Reason? {
        let id = lock.withLock { nextId += 1; return nextId }
        return await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<Reason?, Never>) in
                let early: Reason?? = lock.withLock {
                    if Task.isCancelled { return .some(nil) }
                    if let reason = pending {
                        pending = nil
                        return .some(reason)
                    }
                    waiter = (id, continuation, nil)
                    return nil
                }
                if let early {
                    continuation.resume(returning: early)
                    return
                }
                let timer = Task { [weak self] in
                    try? await Task.sleep(for: .seconds(max(0, seconds)))
                    guard !Task.isCancelled else { return }
                    self?.resume(id, with: nil)
                }
                let stillWaiting: Bool = lock.withLock {
                    guard waiter?.id == id else { return false }
                    waiter?.timer = timer
                    return true
                }
                if !stillWaiting { timer.cancel() }
            }
        } onCancel: {
            resume(id, with: nil)
        }
    }

    private func resume(_ id: Int, with reason: Reason?) {
        let waiting: (continuation: CheckedContinuation<Reason?, Never>, timer: Task<Void, Never>?)? = lock.withLock {
            guard let waiter, waiter.id == id else { return nil }
            self.waiter = nil
            return (waiter.continuation, waiter.timer)
        }
        waiting?.timer?.cancel()
        waiting?.continuation.resume(returning: reason)
    }
}
