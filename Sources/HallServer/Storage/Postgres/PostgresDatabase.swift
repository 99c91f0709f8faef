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

    /// Connects once to check the URL (a clear refusal when it fails), then starts the pool.
    static func connect(_ location: PostgresLocation, options: PostgresOptions, logger: Logger) async throws -> PostgresDatabase {
        try await probe(location, logger: logger)
        return try PostgresDatabase(location: location, options: options, logger: logger)
    }

    private init(location: PostgresLocation, options: PostgresOptions, logger: Logger) throws {
        self.location = location
        self.options = options
        self.logger = logger
        var config = PostgresClient.Configuration(host: location.host, port: location.port, username: location.user,
                                                  password: location.password, database: location.database,
                                                  tls: try Self.clientTLS(location))
        config.options.maximumConnections = location.poolSize ?? options.maximumConnections
        config.options.connectTimeout = .seconds(Int64(location.connectTimeoutSeconds))
        config.options.additionalStartupParameters = [("application_name", "hallserver")]
        var quiet = logger
        quiet.logLevel = max(logger.logLevel, .error)
        pool = PoolBox(configuration: config, logger: quiet)
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
            do {
                try await Self.probe(location, timeoutSeconds: min(location.connectTimeoutSeconds, 3), logger: logger)
            } catch {
                state.update(Self.reason(error, location))
                return false
            }
            pool.renew()
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
                            try await Self.probe(location, timeoutSeconds: min(location.connectTimeoutSeconds, 2), logger: logger)
                        } catch {
                            reason = Self.reason(error, location)
                        }
                    }
                    throw unavailable(reason)
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

    /// One connection with the URL's settings, closed again: the refusal names the host, the reason and the fix.
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
        do {
            let connection = try await withThrowingTaskGroup(of: PostgresConnection?.self) { group in
                group.addTask { try await PostgresConnection.connect(configuration: configuration, id: 0, logger: quiet) }
                group.addTask {
                    try await Task.sleep(for: .seconds(timeout + 1))
                    throw PostgresLeaseTimeout(seconds: Double(timeout))
                }
                defer { group.cancelAll() }
                return try await group.next()!!
            }
            try? await connection.close()
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

/// An error of the PostgreSQL store that is a fault, not an answer (a bug or a broken database); a 500.
struct PostgresStoreError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}
