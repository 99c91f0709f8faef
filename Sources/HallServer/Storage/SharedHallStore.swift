import Foundation

/// A store several hall-server instances share (PostgreSQL), behind a load balancer: beyond the hall's data, what one
/// instance does the others must see — window events as they are committed, admin page sessions, failed logins.
///
/// A store one server owns (SQLite) is not one: its server's own commits are the only window events, and admin
/// sessions and login failures stay in that server's memory.
///
/// Not shared, on purpose: request rate limits and the one-PIN-check-at-a-time gate protect each instance's own
/// cores (a database round trip per request would be the very load they keep off); the lockouts, which are what
/// stops guessing, are shared. Staff sessions are rows of the store already, and the console-trust key is a
/// `serverKey`, the same on every instance.
public protocol SharedHallStore: HallStore {
    /// Runs until cancelled: calls `wake(windowId, eventId)` when an event of a window is committed by any instance
    /// sharing the store (ids per window in commit order). Keeps its own connection and reconnects by itself; after a
    /// reconnect it wakes every window of `subscribedWindows()` with its newest stored event id, so streams catch up
    /// from the store on what was committed while it was away.
    func followWindowEvents(subscribedWindows: @escaping @Sendable () -> [String],
                            wake: @escaping @Sendable (_ windowId: String, _ eventId: Int64) -> Void) async throws

    /// Admin page sessions kept in the store.
    func adminSessionBook() -> any AdminSessionBook

    /// Failed logins kept in the store, bounded by `limits`.
    func loginFailureBook(_ limits: FailureLimits) -> any LoginFailureBook
}
