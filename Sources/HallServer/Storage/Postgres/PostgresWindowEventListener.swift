import Crypto
import Foundation
import HallAPI
import Logging
import PostgresNIO

extension PostgresHallStore: SharedHallStore {
    public func followWindowEvents(subscribedWindows: @escaping @Sendable () -> [String],
                                   wake: @escaping @Sendable (_ windowId: String, _ eventId: Int64) -> Void) async throws {
        try await PostgresWindowEventListener(location: database.location, hallId: hallId, logger: logger,
                                              listen: notifications.state != .unsupported)
            .run(subscribedWindows: subscribedWindows, wake: wake)
    }

    public func adminSessionBook() -> any AdminSessionBook { PostgresAdminSessions(database: database, hallId: hallId) }

    public func loginFailureBook(_ limits: FailureLimits) -> any LoginFailureBook {
        PostgresLoginFailures(database: database, hallId: hallId, limits: limits)
    }

    /// Sends the hall's instances a wake-up for `event` (`NOTIFY`), inside the transaction that appends it: PostgreSQL
    /// delivers it only when that transaction commits, and never when it rolls back.
    ///
    /// The first time, `pg_notify` runs inside a savepoint: a server without it (openGauss-family servers refuse
    /// LISTEN/NOTIFY) then leaves the transaction usable, and from then on no event is announced — the other
    /// instances read them instead (`PostgresWindowEventListener`'s polling).
    func notifyWindowEvent(_ tx: PostgresTransaction, _ event: WindowEvent) async throws {
        let channel = PostgresWindowEventListener.channel(hallId: hallId)
        let payload = PostgresWindowEventListener.payload(windowId: event.windowId, eventId: event.id)
        let notify: PostgresQuery = "SELECT pg_notify(\(channel), \(payload))"
        switch notifications.state {
        case .supported:
            try await tx.execute(notify)
        case .unsupported:
            return
        case .unknown:
            try await tx.execute("SAVEPOINT notify_probe")
            do {
                try await tx.execute(notify)
                try await tx.execute("RELEASE SAVEPOINT notify_probe")
                notifications.state = .supported
            } catch where PostgresWindowEventListener.isUnsupported(error) {
                try await tx.execute("ROLLBACK TO SAVEPOINT notify_probe")
                try await tx.execute("RELEASE SAVEPOINT notify_probe")
                notifications.state = .unsupported
                logger.notice("this database has no pg_notify; window events are not announced, other instances read them every \(PostgresWindowEventListener.pollSeconds) s",
                              metadata: ["db": "\(database.location.description)"])
            }
        }
    }
}

/// Whether the database announces events (`NotifySupport.State`), learnt once.
final class NotifySupport: @unchecked Sendable {
    enum State { case unknown, supported, unsupported }
    private let lock = NSLock()
    private var value = State.unknown
    var state: State {
        get { lock.withLock { value } }
        set { lock.withLock { value = newValue } }
    }
}

/// Follows the window events every instance of a hall commits, over one connection of its own (`LISTEN` belongs to a
/// session, so not a pooled one): each `NOTIFY` (sent at the commit of an event's transaction) wakes the event's
/// window on this instance.
///
/// `NOTIFY` is not durable: what is committed while the connection is down is never announced. So the listener
/// reconnects by itself (logging the loss once and the return once) and, every time it is listening again, reads from
/// the database the newest event id of every window that has live streams here and wakes them with it; each stream
/// then sends what it has not sent from the database, after the last id it sent.
///
/// Why per window, by the newest id, is enough — ids come from one sequence, so across windows a lower id may commit
/// after a higher one; within one window they cannot: every event is appended while its transaction holds that
/// window's lock row (`hall_lock` 'window:ID'; see `PostgresHallStore+Window` and `+Staff`), so a window's event N
/// is allocated only after all its earlier events are committed. A stream that has sent up to id L of its window and
/// is woken with N > L therefore finds every event of (L, N] in the store, none committed later with a lower id. The
/// same holds for the SSE stream's own replay, which is why the streams track their window's last id, never a global one.
struct PostgresWindowEventListener: Sendable {
    let location: PostgresLocation
    let hallId: String
    let logger: Logger
    /// Seconds between round trips that prove the connection still works (one cut without a reset is found so).
    var pingSeconds: Double = 10
    /// The first wait before reconnecting; it doubles up to `maxReconnectSeconds`.
    var reconnectSeconds: Double = 0.25
    var maxReconnectSeconds: Double = 5
    /// false: never LISTEN, read the newest event ids every `pollSeconds` (what a server without LISTEN gets).
    var listen = true

    /// The hall's channel: a name from the hall id (any characters) that is a plain identifier.
    static func channel(hallId: String) -> String {
        "hall_window_events_" + Hex.encode(SHA256.hash(data: Data(hallId.utf8))).prefix(16)
    }

    /// `"<event id> <window id>"`.
    static func payload(windowId: String, eventId: Int64) -> String { "\(eventId) \(windowId)" }

    static func parse(_ payload: String) -> (windowId: String, eventId: Int64)? {
        guard let space = payload.firstIndex(of: " "), let id = Int64(payload[..<space]) else { return nil }
        let window = String(payload[payload.index(after: space)...])
        return window.isEmpty ? nil : (window, id)
    }

    /// Listens until cancelled, reconnecting after every loss. On a server without LISTEN (openGauss-family servers
    /// refuse it), or with `listen` false, reads the newest event ids every `pollSeconds` instead.
    func run(subscribedWindows: @escaping @Sendable () -> [String],
             wake: @escaping @Sendable (String, Int64) -> Void) async throws {
        var lostSince: Date? = nil
        var delay = reconnectSeconds
        var polling = !listen
        /// Caught up on a new connection: the loss (if any) is over.
        func caughtUp(_ woken: Int) {
            if let since = lostSince {
                logger.notice("window event listener connected again; live streams caught up from the database", metadata: [
                    "db": "\(location.description)", "windows.woken": "\(woken)",
                    "unavailable.seconds": "\(String(format: "%.1f", Date().timeIntervalSince(since)))"])
                lostSince = nil
            }
            delay = reconnectSeconds
        }
        while !Task.isCancelled {
            do {
                let connection = try await connect()
                do {
                    if !polling {
                        do {
                            try await connection.listen(on: Self.channel(hallId: hallId)) { notifications in
                                // Listening from here on: what committed before is read now, what commits after is announced.
                                caughtUp(try await catchUp(connection, windows: subscribedWindows(), wake: wake))
                                try await follow(connection, notifications, wake: wake)
                            }
                        } catch where Self.isUnsupported(error) {
                            polling = true
                            logger.notice("this database has no LISTEN; window events of other instances are read every \(Self.pollSeconds) s",
                                          metadata: ["db": "\(location.description)"])
                        }
                    }
                    if polling {
                        caughtUp(try await catchUp(connection, windows: subscribedWindows(), wake: wake))
                        while true {
                            try await Task.sleep(for: .milliseconds(Int64(Self.pollSeconds * 1000)))
                            _ = try await catchUp(connection, windows: subscribedWindows(), wake: wake)
                        }
                    }
                } catch {
                    try? await connection.close()
                    throw error
                }
                try? await connection.close()
            } catch {
                if Task.isCancelled { return }
                if lostSince == nil {
                    lostSince = Date()
                    logger.warning("window event listener lost its PostgreSQL connection; reconnecting (events of other instances wait until then)",
                                   metadata: ["db": "\(location.description)", "reason": "\(PostgresProblem(databaseError: error).map { "\($0)" } ?? "\(error)")"])
                }
                try? await Task.sleep(for: .milliseconds(Int64(delay * 1000)))
                delay = min(delay * 2, maxReconnectSeconds)
            }
        }
    }

    /// Seconds between reads of the newest event ids on a server without LISTEN/NOTIFY.
    static let pollSeconds = 0.5

    /// True for a refusal of LISTEN or `pg_notify` by a server that lacks them (feature not supported, no such
    /// function, or a statement it does not know).
    static func isUnsupported(_ error: any Error) -> Bool {
        guard let error = error as? PSQLError, let state = error.serverInfo?[.sqlState] else { return false }
        return ["0A000", "42883", "42601"].contains(state)
    }

    /// Wakes every window of `windows` with its newest stored event id. - Returns: how many had events.
    private func catchUp(_ connection: PostgresConnection, windows: [String], wake: (String, Int64) -> Void) async throws -> Int {
        guard !windows.isEmpty else { return 0 }
        let rows = try await connection.query("""
            SELECT window_id, MAX(id) FROM window_event WHERE hall_id = \(hallId) AND window_id = ANY(\(windows)) GROUP BY window_id
            """, logger: logger).collect()
        for row in rows {
            let (windowId, id) = try row.decode((String, Int64).self)
            wake(windowId, id)
        }
        return rows.count
    }

    /// Hands every notification to `wake` and checks the connection every `pingSeconds`; returns (throws) when either
    /// stops.
    private func follow(_ connection: PostgresConnection, _ notifications: PostgresNotificationSequence,
                        wake: @escaping @Sendable (String, Int64) -> Void) async throws {
        let pingSeconds = self.pingSeconds
        let logger = self.logger
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask {
                for try await notification in notifications {
                    if let (windowId, id) = Self.parse(notification.payload) { wake(windowId, id) }
                }
                throw PostgresStoreError("the notification stream ended")
            }
            group.addTask {
                while true {
                    try await Task.sleep(for: .milliseconds(Int64(pingSeconds * 1000)))
                    // A query that does not come back in time closes the connection, which fails it (and the listen).
                    let timer = Task {
                        try await Task.sleep(for: .milliseconds(Int64(pingSeconds * 1000)))
                        try? await connection.close()
                    }
                    defer { timer.cancel() }
                    _ = try await connection.query("SELECT 1", logger: logger).collect()
                }
            }
            try await group.next()
            group.cancelAll()
        }
    }

    private func connect() async throws -> PostgresConnection {
        var config = PostgresConnection.Configuration(host: location.host, port: location.port, username: location.user,
                                                      password: location.password, database: location.database,
                                                      tls: try PostgresDatabase.connectionTLS(location))
        config.options.connectTimeout = .seconds(Int64(location.connectTimeoutSeconds))
        config.options.additionalStartupParameters = [("application_name", Self.applicationName)]
        var quiet = logger
        quiet.logLevel = .critical
        return try await PostgresConnection.connect(configuration: config, id: 0, logger: quiet)
    }

    /// The listening connection's `application_name` (to find it in `pg_stat_activity`).
    static let applicationName = "hallserver events"
}
