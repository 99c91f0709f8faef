import Foundation
import HallAPI
import Logging
import NIOCore
import NIOSSL
import PostgresNIO

/// How the PostgreSQL store uses its connections. Every value has a default.
public struct PostgresOptions: Sendable {
    /// Most connections one hall-server instance opens. Default 16.
    public var maximumConnections: Int
    /// How long a request waits for a connection before it is answered 503 `databaseUnavailable`. Default 3 s.
    public var leaseTimeoutSeconds: Double
    /// Times a transaction is run again after a serialization failure, deadlock or lost connection. Default 4.
    public var retries: Int
    /// Longest a leased connection may take to finish a transaction before it is given up as lost (a connection that
    /// died without the driver noticing must not hold a request for ever). Default 30 s: far beyond any report.
    public var answerTimeoutSeconds: Double
    /// `Retry-After` of the 503 answers while the database cannot be reached. Default 5.
    public var retryAfterSeconds: Int

    public init(maximumConnections: Int = 16, leaseTimeoutSeconds: Double = 3, retries: Int = 4, retryAfterSeconds: Int = 5,
                answerTimeoutSeconds: Double = 30) {
        self.maximumConnections = maximumConnections
        self.answerTimeoutSeconds = answerTimeoutSeconds
        self.leaseTimeoutSeconds = leaseTimeoutSeconds
        self.retries = retries
        self.retryAfterSeconds = retryAfterSeconds
    }
}

/// A PostgreSQL database for one hall: a connection pool, transactions that are run again after serialization
/// failures (40001), deadlocks (40P01) and connections lost before the commit (each retry logged with its reason),
/// and the store's health (whether the database can be reached now).
///
/// Only READ COMMITTED is used, never SERIALIZABLE (openGauss-family servers do not have it); concurrency is
/// handled with row locks (`UPDATE … RETURNING`, `SELECT … FOR UPDATE`) and unique constraints.
final class PostgresDatabase: Sendable {
    let location: PostgresLocation
    let options: PostgresOptions
    let logger: Logger
    /// The connection pool now; replaced by a fresh one when the database comes back after an outage (the old
    /// pool would wait out its growing reconnect backoff, up to a minute).
    private let pool: PoolBox
    private let state = PostgresHealthState()
    private let recoveryGate = RecoveryGate()

    /// Connects once to check the URL (a clear refusal when it fails), then starts the pool on the first host that
    /// answers (and accepts writes, unless `target_session_attrs=any`).
    static func connect(_ location: PostgresLocation, options: PostgresOptions, logger: Logger) async throws -> PostgresDatabase {
        let index = try await probeHosts(location, logger: logger)
        return try PostgresDatabase(location: location, hostIndex: index, options: options, logger: logger)
    }

    private init(location: PostgresLocation, hostIndex: Int, options: PostgresOptions, logger: Logger) throws {
        self.location = location
        self.options = options
        self.logger = logger
        var quiet = logger
        quiet.logLevel = max(logger.logLevel, .error)
        pool = PoolBox(configuration: try Self.poolConfiguration(location.only(hostIndex), options: options), logger: quiet)
        hostInUse = HostInUse(hostIndex)
    }

    /// The index (in `location.hosts`) of the host the pool connects to.
    private let hostInUse: HostInUse

    /// The host the pool connects to now.
    var currentHost: PostgresHost { location.hosts[hostInUse.index] }

    private static func poolConfiguration(_ single: PostgresLocation, options: PostgresOptions) throws -> PostgresClient.Configuration {
        var config = PostgresClient.Configuration(host: single.host, port: single.port, username: single.user,
                                                  password: single.password, database: single.database,
                                                  tls: try Self.clientTLS(single))
        config.options.maximumConnections = single.poolSize ?? options.maximumConnections
        config.options.connectTimeout = .seconds(Int64(single.connectTimeoutSeconds))
        config.options.additionalStartupParameters = [("application_name", "hallserver")]
        return config
    }

    /// Stops the pool (closes every connection).
    func close() {
        pool.close()
    }

    deinit { pool.close() }

    // MARK: Health

    var refusingWrites: String? { state.reason }
    var refusedWrites: Int { state.refused }

    /// Whether the database answers now. During an outage: one new connection outside the pool (no backoff); when
    /// it works the pool is replaced by a fresh one and the outage ends. Otherwise: one round trip on the pool.
    func checkReachable() async -> Bool {
        if state.reason != nil {
            let index: Int
            do {
                index = try await Self.probeHosts(location, timeoutSeconds: min(location.connectTimeoutSeconds, 3), logger: logger)
            } catch {
                state.update(Self.reason(error, location))
                return false
            }
            let previous = hostInUse.index
            do {
                pool.renew(configuration: try Self.poolConfiguration(location.only(index), options: options))
            } catch {
                state.update("\(error)")
                return false
            }
            hostInUse.index = index
            if index != previous {
                logger.notice("PostgreSQL: switched to another host of the URL (the first that answers and accepts writes)", metadata: [
                    "db": "\(location.description)", "host.previous": "\(location.hosts[previous])", "host.now": "\(location.hosts[index])"])
            }
            noteReachable()
            return true
        }
        do {
            try await withConnection { connection in try await connection.query("SELECT 1", logger: self.logger) }
            return true
        } catch {
            return false
        }
    }

    /// During an outage every request that meets it starts one recovery attempt (`checkReachable`), at most one at a
    /// time and one a second, so the server is back within about a second of the database (or a promoted standby)
    /// instead of waiting for the maintenance loop's next round.
    private func recoverSoon() {
        guard recoveryGate.begin(minimumSeconds: 1) else { return }
        Task {
            _ = await self.checkReachable()
            self.recoveryGate.end()
        }
    }

    /// Why a connection to `location` fails and what fixes it ("connection refused: nothing listens there; …").
    private static func reason(_ error: any Error, _ location: PostgresLocation) -> String {
        if let refusal = error as? PostgresStartupError { return refusal.reasonAndFix }
        return PostgresStartupError.connecting(location, error).reasonAndFix
    }

    private func noteReachable() {
        if let since = state.recovered() {
            logger.notice("PostgreSQL reachable again; requests are answered", metadata: [
                "db": "\(location.description)", "unavailable.seconds": "\(Int(Date().timeIntervalSince(since)))"])
        }
    }

    private func unavailable(_ reason: String) -> HallError {
        if state.lost(reason) {
            logger.error("PostgreSQL cannot be reached; requests are answered 503 until it is back", metadata: [
                "db": "\(location.description)", "reason": "\(reason)"])
        }
        return HallError(.databaseUnavailable,
                         "the database (\(location.address)) cannot be reached: \(reason); try again shortly",
                         retryAfterSeconds: options.retryAfterSeconds)
    }

    // MARK: Work

    /// Runs `body` in a READ COMMITTED transaction named `name` (for logs). A serialization failure, a deadlock or a
    /// connection lost before COMMIT was sent runs the whole transaction again (up to `options.retries` times, each
    /// logged); errors `body` throws itself (`HallError`) roll back and are rethrown unchanged. A connection lost
    /// during COMMIT is not retried (the commit may have happened): it is answered 503.
    func transaction<T: Sendable>(_ name: String, _ body: @escaping @Sendable (PostgresTransaction) async throws -> T) async throws -> T {
        try await run(name, begin: "BEGIN", body)
    }

    /// Runs `body` in a read-only REPEATABLE READ transaction: every statement sees the same snapshot (never a
    /// serialization failure: it writes nothing). Retried like `transaction` when the connection is lost.
    func read<T: Sendable>(_ name: String, _ body: @escaping @Sendable (PostgresTransaction) async throws -> T) async throws -> T {
        try await run(name, begin: "BEGIN ISOLATION LEVEL REPEATABLE READ, READ ONLY", body)
    }

    private func run<T: Sendable>(_ name: String, begin: PostgresQuery,
                                  _ body: @escaping @Sendable (PostgresTransaction) async throws -> T) async throws -> T {
        var attempt = 0
        while true {
            attempt += 1
            let phase = TransactionPhase()
            do {
                let value = try await withConnection { connection in
                    let tx = PostgresTransaction(connection: connection, logger: self.logger)
                    try await tx.execute(begin)
                    do {
                        let value = try await body(tx)
                        phase.committing = true
                        try await tx.execute("COMMIT")
                        return value
                    } catch {
                        if !phase.committing { try? await tx.execute("ROLLBACK") }
                        throw error
                    }
                }
                noteReachable()
                return value
            } catch {
                // The rules' own errors (HallError …) roll back and go to the caller unchanged.
                guard let problem = PostgresProblem(databaseError: error) else {
                    noteReachable()
                    throw error
                }
                switch problem {
                case .retryable(let state) where attempt <= options.retries:
                    logger.notice("PostgreSQL transaction retried", metadata: [
                        "transaction": "\(name)", "reason": "\(state == "40P01" ? "deadlock" : "serialization failure") (\(state))",
                        "attempt": "\(attempt + 1) of \(options.retries + 1)"])
                    try await Task.sleep(for: .milliseconds(Int64.random(in: 1...(5 << min(attempt, 5)))))
                    continue
                case .connectionLost(let reason) where !phase.committing && attempt <= options.retries:
                    logger.warning("PostgreSQL connection lost; transaction retried on another connection", metadata: [
                        "transaction": "\(name)", "reason": "\(reason)", "attempt": "\(attempt + 1) of \(options.retries + 1)"])
                    try await Task.sleep(for: .milliseconds(Int64(50 * attempt)))
                    continue
                case .connectionLost(var reason), .noConnection(var reason):
                    if state.reason == nil, !phase.committing {
                        // The start of an outage: one direct attempt says why ("connection refused") for the log line.
                        do {
                            _ = try await Self.probeHosts(location, timeoutSeconds: min(location.connectTimeoutSeconds, 2), logger: logger)
                        } catch {
                            reason = Self.reason(error, location)
                        }
                    }
                    let refusal = unavailable(reason)
                    recoverSoon()
                    throw refusal
                case .uniqueViolation(let constraint):
                    throw PostgresStoreError("\(name): unique constraint \(constraint ?? "?") refused a row: \(String(reflecting: error))")
                case .retryable(let state):
                    throw HallError(.databaseUnavailable,
                                    "the database kept refusing '\(name)' (\(state)) after \(attempt) attempts; try again",
                                    retryAfterSeconds: 1)
                case .other(let reason):
                    logger.error("PostgreSQL error", metadata: ["transaction": "\(name)", "reason": "\(reason)"])
                    throw PostgresStoreError("\(name): \(reason)")
                }
            }
        }
    }

    /// Leases a connection, waiting at most `options.leaseTimeoutSeconds` for one (the server may be down), and runs
    /// `body` on it, giving up after `options.answerTimeoutSeconds` more. Whichever comes first answers: the loser is
    /// cancelled and not waited for, so a driver call that never returns (a connection that died unnoticed) cannot
    /// hold the request — a task group would wait for it.
    private func withConnection<T: Sendable>(_ body: @escaping @Sendable (PostgresConnection) async throws -> T) async throws -> T {
        let leased = LeaseFlag()
        // During an outage requests are answered at once (1 s) instead of each waiting the full lease time.
        let leaseSeconds = state.reason == nil ? options.leaseTimeoutSeconds : min(1, options.leaseTimeoutSeconds)
        let answerSeconds = options.answerTimeoutSeconds
        let client = pool.client
        let tasks = RaceTasks()
        return try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<T, any Error>) in
                let answer = FirstAnswer(continuation)
                tasks.timer = Task {
                    do { try await Task.sleep(for: .milliseconds(Int64(leaseSeconds * 1000))) } catch { return }
                    if !leased.isSet {
                        if answer.resume(.failure(PostgresLeaseTimeout(seconds: leaseSeconds))) { tasks.work?.cancel() }
                        return
                    }
                    do { try await Task.sleep(for: .milliseconds(Int64(answerSeconds * 1000))) } catch { return }
                    if answer.resume(.failure(PostgresNoAnswer(seconds: answerSeconds))) { tasks.work?.cancel() }
                }
                tasks.work = Task {
                    do {
                        let value = try await client.withConnection { connection in
                            leased.set()
                            return try await body(connection)
                        }
                        answer.resume(.success(value))
                    } catch {
                        answer.resume(.failure(error))
                    }
                    tasks.timer?.cancel()
                }
            }
        } onCancel: {
            tasks.cancelAll()
        }
    }

    // MARK: Connecting

    /// Tries the URL's hosts in order (`probe`); returns the index of the first that can be used. With one host its
    /// refusal is thrown as it is; with several, one refusal naming each host and why.
    static func probeHosts(_ location: PostgresLocation, timeoutSeconds: Int? = nil, logger: Logger) async throws -> Int {
        let hosts = location.hosts
        if hosts.count == 1 {
            try await probe(location, timeoutSeconds: timeoutSeconds, logger: logger)
            return 0
        }
        var reasons: [String] = []
        for index in hosts.indices {
            do {
                try await probe(location.only(index), timeoutSeconds: timeoutSeconds, logger: logger)
                return index
            } catch let refusal as PostgresStartupError {
                reasons.append("\(hosts[index]): \(refusal.reasonAndFix)")
            }
        }
        var refusal = PostgresStartupError("PostgreSQL at \(location.address) (database '\(location.database)', user '\(location.user)'): "
            + "no host can be used — " + reasons.joined(separator: "; "))
        refusal.reasonAndFix = "no host can be used — " + reasons.joined(separator: "; ")
        throw refusal
    }

    /// One connection with the URL's settings (its first host), closed again: the refusal names the host, the reason
    /// and the fix. With `target_session_attrs=read-write` (the default) a server that does not accept writes (a
    /// standby in recovery) is refused too.
    static func probe(_ location: PostgresLocation, timeoutSeconds: Int? = nil, logger: Logger) async throws {
        var config = PostgresConnection.Configuration(host: location.host, port: location.port, username: location.user,
                                                      password: location.password, database: location.database,
                                                      tls: try connectionTLS(location))
        let timeout = timeoutSeconds ?? location.connectTimeoutSeconds
        config.options.connectTimeout = .seconds(Int64(timeout))
        var quietLogger = logger
        quietLogger.logLevel = .critical
        let quiet = quietLogger
        let configuration = config
        let checkWrites = location.sessionAttributes == .readWrite
        do {
            // Connecting and the read-only check both inside the timeout: a server that accepts and then says nothing
            // cannot hold the probe.
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask {
                    let connection = try await PostgresConnection.connect(configuration: configuration, id: 0, logger: quiet)
                    var readOnly = false
                    do {
                        if checkWrites {
                            let rows = try await connection.query("SHOW transaction_read_only", logger: quiet).collect()
                            readOnly = try rows.first?.decode(String.self) == "on"
                        }
                    } catch {
                        try? await connection.close()
                        throw error
                    }
                    try? await connection.close()
                    if readOnly { throw PostgresReadOnly() }
                }
                group.addTask {
                    try await Task.sleep(for: .seconds(timeout + 1))
                    throw PostgresLeaseTimeout(seconds: Double(timeout))
                }
                defer { group.cancelAll() }
                try await group.next()!
            }
        } catch is PostgresReadOnly {
            var refusal = PostgresStartupError("PostgreSQL at \(location.address) (database '\(location.database)', user '\(location.user)'): "
                + "the server accepts no writes (a standby in recovery, or default_transaction_read_only = on): point the URL at the primary, "
                + "or list the primary and its standby (postgres://USER@primary:5432,standby:5432/DATABASE) to use whichever accepts writes")
            refusal.reasonAndFix = "the server accepts no writes (a standby in recovery, or default_transaction_read_only = on): "
                + "promote the standby, or point the URL at the primary"
            throw refusal
        } catch {
            throw PostgresStartupError.connecting(location, error)
        }
    }

    private static func tlsConfiguration(_ location: PostgresLocation) -> TLSConfiguration {
        var tls = TLSConfiguration.makeClientConfiguration()
        if location.tlsMode == .verifyFull {
            if let ca = location.rootCertificate { tls.trustRoots = .file(ca) }
        } else {
            // prefer / require, as libpq: encrypted, certificate not checked.
            tls.certificateVerification = .none
        }
        return tls
    }

    private static func clientTLS(_ location: PostgresLocation) throws -> PostgresClient.Configuration.TLS {
        switch location.tlsMode {
        case .disable: .disable
        case .prefer: .prefer(tlsConfiguration(location))
        case .require, .verifyFull: .require(tlsConfiguration(location))
        }
    }

    static func connectionTLS(_ location: PostgresLocation) throws -> PostgresConnection.Configuration.TLS {
        do {
            switch location.tlsMode {
            case .disable: return .disable
            case .prefer: return .prefer(try NIOSSLContext(configuration: tlsConfiguration(location)))
            case .require, .verifyFull: return .require(try NIOSSLContext(configuration: tlsConfiguration(location)))
            }
        } catch {
            throw PostgresStartupError("PostgreSQL at \(location.address): the TLS settings cannot be used (\(error)): "
                + "check sslrootcert=\(location.rootCertificate ?? "-") (a PEM file)")
        }
    }
}

/// At most one recovery attempt at a time, and not more often than a minimum interval.
private final class RecoveryGate: @unchecked Sendable {
    private let lock = NSLock()
    private var running = false
    private var last = Date.distantPast

    /// True when an attempt may start now (and is then counted as running).
    func begin(minimumSeconds: Double) -> Bool {
        lock.withLock {
            guard !running, Date().timeIntervalSince(last) >= minimumSeconds else { return false }
            running = true
            last = Date()
            return true
        }
    }

    func end() { lock.withLock { running = false } }
}

/// A server that accepts no writes where writes are needed.
private struct PostgresReadOnly: Error {}

/// The index of the host in use, changed when a failover moves the pool to another host.
private final class HostInUse: @unchecked Sendable {
    private let lock = NSLock()
    private var value: Int
    init(_ value: Int) { self.value = value }
    var index: Int {
        get { lock.withLock { value } }
        set { lock.withLock { value = newValue } }
    }
}

/// An error of the PostgreSQL store that is a fault, not an answer (a bug or a broken database); a 500.
struct PostgresStoreError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}
