import Foundation
import HallAPI
@testable import HallServer
import HallTestSupport
import Logging
import XCTest

/// Transactions the database refuses for reasons of its own (a deadlock, a connection cut by the server) are run
/// again, with a log line saying why.
final class PostgresRetryTests: XCTestCase {
    private var store: PostgresHallStore?
    private var database: String?

    private func open(_ lines: LogLines, options: PostgresOptions = PostgresOptions()) async throws -> PostgresHallStore {
        let url = try PrivatePostgres.shared().freshDatabase()
        database = String(url.split(separator: "/").last!)
        var logger = lines.logger()
        logger.logLevel = .info
        let store = try await PostgresHallStore.open(try PostgresLocation(url: url), hallId: "test-hall", options: options, logger: logger)
        self.store = store
        return store
    }

    override func tearDown() async throws {
        store?.close()
        if let database { try? PrivatePostgres.shared().dropDatabase(database) }
    }

    /// Two transactions lock two rows in opposite orders: PostgreSQL breaks the deadlock (40P01) by failing one,
    /// which runs again and succeeds.
    func testDeadlockIsRetriedWithALogLine() async throws {
        let lines = LogLines()
        let db = try await open(lines).database
        // The two lock rows exist first: each transaction below only locks them.
        try await db.transaction("make the rows") { tx in
            try await tx.lock(hallId: "test-hall", "row-x")
            try await tx.lock(hallId: "test-hall", "row-y")
        }
        let bothHoldFirst = Countdown(2)
        let attempts = Countdown(0)
        async let a: Void = db.transaction("deadlock A") { tx in
            attempts.add()
            try await tx.lock(hallId: "test-hall", "row-x")
            if attempts.value <= 2 { await bothHoldFirst.arriveAndWait(timeout: 5) }
            try await tx.lock(hallId: "test-hall", "row-y")
        }
        async let b: Void = db.transaction("deadlock B") { tx in
            attempts.add()
            try await tx.lock(hallId: "test-hall", "row-y")
            if attempts.value <= 2 { await bothHoldFirst.arriveAndWait(timeout: 5) }
            try await tx.lock(hallId: "test-hall", "row-x")
        }
        _ = try await (a, b)
        // PostgreSQL fails one of the two; its retry may meet the other once more before that one commits.
        let retried = lines.matching("PostgreSQL transaction retried")
        XCTAssertGreaterThanOrEqual(retried.count, 1, "the deadlock was not retried")
        XCTAssertEqual(attempts.value, 2 + retried.count, "every extra attempt has its log line: \(retried)")
        XCTAssertTrue(retried.allSatisfy { $0.contains("deadlock (40P01)") }, "\(retried)")
    }

    /// The server ends the connection in the middle of a transaction (an administrator, a restart, a failover):
    /// the transaction runs again on a new connection, and the caller gets its answer.
    func testLostConnectionIsRetriedWithALogLine() async throws {
        let lines = LogLines()
        let store = try await open(lines)
        let contract = StoreContract(store: store, backend: "PostgreSQL")
        _ = try await contract.issued()
        let attempts = Countdown(0)
        let number = try await store.database.transaction("issue after a cut") { tx -> Int in
            attempts.add()
            if attempts.value == 1 {
                _ = try await tx.rows("SELECT pg_terminate_backend(pg_backend_pid())")
            }
            return try await store.incrementCounter(tx, day: StoreContract.day, serviceId: "hukou")
        }
        XCTAssertEqual(attempts.value, 2)
        XCTAssertEqual(number, 2, "the cut attempt's increment was rolled back with its connection")
        let retried = lines.matching("PostgreSQL connection lost; transaction retried on another connection")
        XCTAssertEqual(retried.count, 1, "\(lines.matching("PostgreSQL"))")
        XCTAssertTrue(retried.first?.contains("issue after a cut") ?? false, "\(retried)")
        XCTAssertNil(store.health.refusingWrites, "one cut connection is not an outage")
        assertEq(try await contract.issued().seq, 3)
    }
}

extension PostgresRetryTests {
    /// A call into the driver that never comes back (a connection that died without the driver noticing — seen once
    /// in about 60 runs of the test above) does not hold the request: after the answer timeout the attempt counts
    /// as a lost connection, runs again on another one, and the caller gets its answer.
    func testAnAttemptThatNeverAnswersIsGivenUpAndRetried() async throws {
        let lines = LogLines()
        let store = try await open(lines, options: PostgresOptions(answerTimeoutSeconds: 1))
        let attempts = Countdown(0)
        let started = Date()
        let value = try await store.database.transaction("stuck once") { tx -> Int in
            attempts.add()
            if attempts.value == 1 {
                // Never resumed, and deaf to cancellation: the worst a driver call can do.
                await withCheckedContinuation { (_: CheckedContinuation<Void, Never>) in }
            }
            return try await store.incrementCounter(tx, day: StoreContract.day, serviceId: "hukou")
        }
        XCTAssertEqual(value, 1)
        XCTAssertEqual(attempts.value, 2)
        XCTAssertLessThan(Date().timeIntervalSince(started), 10, "answered after the 1 s answer timeout, not never")
        let retried = lines.matching("PostgreSQL connection lost; transaction retried on another connection")
        XCTAssertEqual(retried.count, 1, "\(lines.matching("PostgreSQL"))")
        XCTAssertTrue(retried.first?.contains("no answer from PostgreSQL within 1 s") ?? false, "\(retried)")
    }
}

extension PostgresRetryTests {
    /// The server ends the connection while the transaction is between two statements (the driver would never answer
    /// the next one): the connection counts as lost at once — not after the 30 s answer timeout — and the transaction
    /// runs again.
    func testAConnectionClosedBetweenStatementsIsRetriedAtOnce() async throws {
        let lines = LogLines()
        let store = try await open(lines)
        let attempts = Countdown(0)
        let started = Date()
        let name = database!
        let value = try await store.database.transaction("cut between statements") { tx -> Int in
            attempts.add()
            let pid = try await tx.first("SELECT pg_backend_pid()")!.decode(Int32.self)
            if attempts.value == 1 {
                let cut = try PrivatePostgres.shared().psql(name, "SELECT pg_terminate_backend(\(pid))")
                XCTAssertEqual(cut.code, 0, cut.err)
                // The driver sees the end of the connection shortly after the server closed it.
                let deadline = Date().addingTimeInterval(5)
                while !tx.connection.isClosed, Date() < deadline { try await Task.sleep(for: .milliseconds(5)) }
            }
            return try await store.incrementCounter(tx, day: StoreContract.day, serviceId: "hukou")
        }
        XCTAssertEqual(value, 1)
        XCTAssertEqual(attempts.value, 2)
        XCTAssertLessThan(Date().timeIntervalSince(started), 10, "waited for the answer timeout")
        let retried = lines.matching("PostgreSQL connection lost; transaction retried on another connection")
        XCTAssertEqual(retried.count, 1, "\(lines.matching("PostgreSQL"))")
        XCTAssertTrue(retried.first?.contains("the server closed the connection") ?? false, "\(retried)")
    }
}

/// A counter tests wait on: `arriveAndWait` returns once `target` tasks arrived (or after `timeout` seconds).
final class Countdown: @unchecked Sendable {
    private let lock = NSLock()
    private var count = 0
    private let target: Int

    init(_ target: Int) { self.target = target }

    var value: Int { lock.withLock { count } }
    func add() { lock.withLock { count += 1 } }

    func arriveAndWait(timeout: Double) async {
        add()
        let deadline = Date().addingTimeInterval(timeout)
        while value < target, Date() < deadline { try? await Task.sleep(for: .milliseconds(5)) }
    }
}
