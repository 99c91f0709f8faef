import Foundation
import HallAPI

/// The alerts as this instance last worked them out, for the admin page, and the webhook sender's state.
final class AlertBoard: @unchecked Sendable {
    /// One alert that holds, with when it was raised.
    struct Entry: Sendable {
        var alert: HallAlert
        var since: Date
    }

    private let lock = NSLock()
    private var entries: [Entry] = []
    private var checkedAt: Date?
    private var lastProblem: String?
    private var known: [String: HallAlert] = [:]
    private var senderBox: WebhookSender?

    /// The alerts that held at the last check (worst first, then oldest), when that was, and why it failed if it did.
    var snapshot: (entries: [Entry], checkedAt: Date?, problem: String?) { lock.withLock { (entries, checkedAt, lastProblem) } }

    var sender: WebhookSender? {
        get { lock.withLock { senderBox } }
        set { lock.withLock { senderBox = newValue } }
    }

    func record(_ alerts: [HallAlert], since: [String: Date], at now: Date) {
        lock.withLock {
            for a in alerts { known[a.key] = a }
            entries = alerts.map { Entry(alert: $0, since: since[$0.key] ?? now) }.sorted {
                ($0.alert.severity == .critical ? 0 : 1, $0.since, $0.alert.key) < ($1.alert.severity == .critical ? 0 : 1, $1.since, $1.alert.key)
            }
            checkedAt = now
            lastProblem = nil
        }
    }

    func failed(_ problem: String) { lock.withLock { lastProblem = problem } }

    /// The alert last seen under `key` (its words), and forgets it.
    func takeKnown(_ key: String) -> HallAlert? { lock.withLock { known.removeValue(forKey: key) } }
}
