import Foundation
import HallAPI
@testable import HallServer
import HallTestSupport
import Logging
import XCTest

/// The storage contract on PostgreSQL: a fresh database on the private server (`PrivatePostgres`, or the one
/// `kiosk/test` started) per test; plus what only a server database has: instances and halls sharing it, a refused
/// URL, a newer schema, an outage.
final class PostgresStoreContractTests: XCTestCase {
    private var opened: [PostgresHallStore] = []
    private var databases: [String] = []

    static var quiet: Logger {
        var logger = Logger(label: "postgres-contract")
        logger.logLevel = .critical
        return logger
    }

    /// A new empty database on the shared private server; its URL.
    private func freshDatabase() throws -> String {
        let url = try PrivatePostgres.shared().freshDatabase()
        databases.append(String(url.split(separator: "/").last!))
        return url
    }

    private func open(_ url: String, hallId: String = "test-hall", options: PostgresOptions = PostgresOptions()) async throws -> PostgresHallStore {
        let store = try await PostgresHallStore.open(try PostgresLocation(url: url), hallId: hallId, options: options, logger: Self.quiet)
        opened.append(store)
        return store
    }

    private func contract() async throws -> StoreContract {
        StoreContract(store: try await open(try freshDatabase()), backend: "PostgreSQL")
    }

    override func tearDown() async throws {
        for store in opened { store.close() }
        opened = []
        if let server = try? PrivatePostgres.shared() {
            for name in databases { server.dropDatabase(name) }
        }
        databases = []
    }

    // MARK: The contract

    func testNumbersAreGapFreeUnderConcurrency() async throws { try await contract().numbersAreGapFreeUnderConcurrency() }
    func testIdempotentRetryReturnsSameTicket() async throws { try await contract().idempotentRetryReturnsSameTicket() }
    func testIssuingRulesSeeTheDayAndRefusalsLeaveNoTrace() async throws { try await contract().issuingRulesSeeTheDayAndRefusalsLeaveNoTrace() }
    func testCallNextOrderAndChecks() async throws { try await contract().callNextOrderAndChecks() }
    func testConcurrentWindowsCallDifferentTickets() async throws { try await contract().concurrentWindowsCallDifferentTickets() }
    func testWindowMovesChangeTheCurrentTicket() async throws { try await contract().windowMovesChangeTheCurrentTicket() }
    func testTransferKeepsNumberAndPlace() async throws { try await contract().transferKeepsNumberAndPlace() }
    func testExpiryAtDayEnd() async throws { try await contract().expiryAtDayEnd() }
    func testTicketLookups() async throws { try await contract().ticketLookups() }
    func testTimesRoundTrip() async throws { try await contract().timesRoundTrip() }
    func testRateExactlyOnce() async throws { try await contract().rateExactlyOnce() }
    func testFollowUpSeesFirstLevel() async throws { try await contract().followUpSeesFirstLevel() }
    func testReportFacts() async throws { try await contract().reportFacts() }
    func testStaffSessions() async throws { try await contract().staffSessions() }
    func testWindowEventsAndPruning() async throws { try await contract().windowEventsAndPruning() }
    func testHeartbeats() async throws { try await contract().heartbeats() }
    func testServerKeys() async throws { try await contract().serverKeys() }
    func testCallTicketOutOfTurn() async throws { try await contract().callTicketOutOfTurn() }
    func testUndoNoShowServesTheTicket() async throws { try await contract().undoNoShowServesTheTicket() }
    func testRequeueTakesItsPlace() async throws { try await contract().requeueTakesItsPlace() }
    func testBookingsHoldCapacityAndPerPersonLimitsUnderConcurrency() async throws {
        try await contract().bookingsHoldCapacityAndPerPersonLimitsUnderConcurrency()
    }
    func testBreaksAndHeldServices() async throws { try await contract().breaksAndHeldServices() }
    func testPauseNotes() async throws { try await contract().pauseNotes() }
    func testPauseEndsAtUntil() async throws { try await contract().pauseEndsAtUntil() }
    func testLoginRefusedInsideItsTransactionLeavesAll() async throws { try await contract().loginRefusedInsideItsTransactionLeavesAll() }
    func testConsoleSnapshotCounts() async throws { try await contract().consoleSnapshotCounts() }
    func testBurstOverThreeServicesIsGapFree() async throws { try await contract().burstOverThreeServicesIsGapFree() }
    func testDuplicateKeysInABurstGetOneTicket() async throws { try await contract().duplicateKeysInABurstGetOneTicket() }
    func testRefusedRequestsInABurstFailAlone() async throws { try await contract().refusedRequestsInABurstFailAlone() }
    func testSettingsAreVersionedAndSavedOnlyOverTheVersionSeen() async throws { try await contract().settingsAreVersionedAndSavedOnlyOverTheVersionSeen() }
    func testAlertStatesChangeOnceEach() async throws { try await contract().alertStatesChangeOnceEach() }

    // MARK: Only on a shared database

    /// Two hall-server instances on one database: numbers stay gap-free and unique, a retry that lands on the other
    /// instance returns the same ticket, both get the same server key.
    func testTwoInstancesShareNumbersAndIdempotency() async throws {
        let url = try freshDatabase()
        let a = StoreContract(store: try await open(url), backend: "PostgreSQL instance A")
        let b = StoreContract(store: try await open(url), backend: "PostgreSQL instance B")
        let tickets = try await withThrowingTaskGroup(of: StoredTicket.self) { group in
            for i in 0..<40 { group.addTask { try await (i % 2 == 0 ? a : b).issue().ticket } }
            return try await group.reduce(into: [StoredTicket]()) { $0.append($1) }
        }
        XCTAssertEqual(tickets.map(\.seq).sorted(), Array(1...40))
        let first = try await a.issue(key: "shared-key")
        let retry = try await b.issue(key: "shared-key")
        XCTAssertTrue(first.isNew)
        XCTAssertFalse(retry.isNew, "the retry on the other instance must not issue a second ticket")
        XCTAssertEqual(retry.ticket, first.ticket)
        let keyA = try await a.store.serverKey(named: "console-trust") { Array(repeating: 1, count: 32) }
        let keyB = try await b.store.serverKey(named: "console-trust") { Array(repeating: 2, count: 32) }
        XCTAssertEqual(keyA, keyB)
    }

    /// Many halls in one database: each numbers, queues and sees only its own.
    func testHallsShareOneDatabaseApart() async throws {
        let url = try freshDatabase()
        let county = StoreContract(store: try await open(url, hallId: "county"), backend: "county")
        let town = StoreContract(store: try await open(url, hallId: "town"), backend: "town")
        let c = try await county.issued()
        let t = try await town.issued()
        XCTAssertEqual(c.seq, 1)
        XCTAssertEqual(t.seq, 1, "each hall numbers from 1")
        assertNone(try await town.store.ticketView(.id(c.id), at: StoreContract.t0), "a hall sees only its own tickets")
        assertNone(try await town.store.ticketView(.token(c.token), at: StoreContract.t0))
        assertEq(try await town.callNext(at: StoreContract.t0 + 1)?.ticket.id, t.id)
        assertNone(try await town.callNext("w2", at: StoreContract.t0 + 2))
        assertEq(try await county.store.waitingCount(hallDays: [StoreContract.day], serviceIds: ["hukou"]), 1)
    }

    /// A database made by a newer hallserver is refused, naming both versions; an older one is brought up to date.
    func testNewerSchemaIsRefusedNamingBothVersions() async throws {
        let url = try freshDatabase()
        let store = try await open(url)
        store.close()
        let name = databases.last!
        let bumped = try PrivatePostgres.shared().psql(name, """
            INSERT INTO hall_schema_migration (version, name, applied_at) VALUES (\(PostgresSchema.knownVersion + 1), 'v99: from the future', now())
            """)
        XCTAssertEqual(bumped.code, 0, bumped.err)
        do {
            _ = try await open(url)
            XCTFail("a newer schema was accepted")
        } catch let error as PostgresStartupError {
            XCTAssertTrue(error.description.contains("schema version \(PostgresSchema.knownVersion + 1)"), error.description)
            XCTAssertTrue(error.description.contains("version \(PostgresSchema.knownVersion))"), error.description)
            XCTAssertTrue(error.description.contains("newer"), error.description)
        }
    }

    /// A URL that leads nowhere is refused with the host, the reason and the fix.
    func testUnusableURLsAreRefusedWithHostReasonAndFix() async throws {
        let server = try PrivatePostgres.shared()
        let closedPort = try PrivatePostgres.freePort()
        let refused = await startupError("postgres://hall@127.0.0.1:\(closedPort)/hall")
        XCTAssertTrue(refused.contains("127.0.0.1:\(closedPort)"), refused)
        XCTAssertTrue(refused.contains("connection refused"), refused)
        XCTAssertTrue(refused.contains("start PostgreSQL"), refused)
        let missing = await startupError("postgres://hall@127.0.0.1:\(server.port)/no_such_database")
        XCTAssertTrue(missing.contains("does not exist"), missing)
        XCTAssertTrue(missing.contains("createdb"), missing)
        let unknownHost = await startupError("postgres://hall@no-such-host.invalid:5432/hall?connect_timeout=5")
        XCTAssertTrue(unknownHost.contains("no-such-host.invalid"), unknownHost)
        XCTAssertTrue(unknownHost.contains("resolved") || unknownHost.contains("cannot connect"), unknownHost)
        XCTAssertThrowsError(try PostgresLocation(url: "postgres://127.0.0.1:5432/hall")) { error in
            XCTAssertTrue("\(error)".contains("names no user"), "\(error)")
        }
        XCTAssertThrowsError(try PostgresLocation(url: "postgres://hall:secret@127.0.0.1:5432/")) { error in
            XCTAssertTrue("\(error)".contains("names no database"), "\(error)")
            XCTAssertFalse("\(error)".contains("secret"), "a refusal must not print the password: \(error)")
        }
        XCTAssertThrowsError(try PostgresLocation(url: "postgres://hall@h/db?sslmode=sometimes")) { error in
            XCTAssertTrue("\(error)".contains("sslmode 'sometimes'"), "\(error)")
        }
        XCTAssertThrowsError(try PostgresLocation(url: "postgres://hall@h/db?pool_size=0")) { error in
            XCTAssertTrue("\(error)".contains("pool_size '0'"), "\(error)")
        }
        XCTAssertThrowsError(try PostgresLocation(url: "postgres://hall@h/db?poolsize=4")) { error in
            XCTAssertTrue("\(error)".contains("unknown parameter 'poolsize'"), "\(error)")
        }
        let full = try PostgresLocation(url: "postgresql://hall:p%40ss@db.city.example:6432/halls?sslmode=verify-full&sslrootcert=/etc/hall/ca.pem&pool_size=4&connect_timeout=3",
                                        environment: [:])
        XCTAssertEqual(full, PostgresLocation(host: "db.city.example", port: 6432, user: "hall", password: "p@ss", database: "halls",
                                              tlsMode: .verifyFull, rootCertificate: "/etc/hall/ca.pem", connectTimeoutSeconds: 3, poolSize: 4))
        XCTAssertEqual(full.description, "postgres://hall@db.city.example:6432/halls", "never the password")
        XCTAssertEqual(try PostgresLocation(url: "postgres://hall@h/db", environment: ["PGPASSWORD": "from-env"]).password, "from-env")
    }

    private func startupError(_ url: String) async -> String {
        do {
            _ = try await open(url)
            return "opened"
        } catch {
            return "\(error)"
        }
    }

    /// The database goes away while the store runs: requests are answered 503 `databaseUnavailable` with
    /// `Retry-After` (health says why), and once it is back the store works again without a restart.
    func testLostDatabaseAnswers503AndRecovers() async throws {
        let server = try PrivatePostgres.start()
        defer { server.stop() }
        let url = try server.createDatabase("outage")
        let store = try await open(url, options: PostgresOptions(leaseTimeoutSeconds: 1, retries: 1, retryAfterSeconds: 3))
        let c = StoreContract(store: store, backend: "PostgreSQL")
        _ = try await c.issued()
        // A fast shutdown cuts every connection (the private server runs with synchronous_commit=off: a crash could lose the
        // last commit, which is not what this test is about).
        try server.stopServer()
        do {
            _ = try await c.issue()
            XCTFail("issued a ticket with the database down")
        } catch let error as HallError {
            XCTAssertEqual(error.code, APIErrorCode.databaseUnavailable)
            XCTAssertEqual(error.httpStatus, 503)
            XCTAssertEqual(error.retryAfterSeconds, 3)
            XCTAssertTrue(error.message.contains("127.0.0.1:\(server.port)"), error.message)
        }
        XCTAssertNotNil(store.health.refusingWrites)
        XCTAssertGreaterThanOrEqual(store.health.refusedWrites, 1)
        let stillDown = await store.recoverWrites(now: StoreContract.t0)
        XCTAssertFalse(stillDown)
        try server.startServer()
        var recovered = false
        for _ in 0..<50 where !recovered {
            recovered = await store.recoverWrites(now: StoreContract.t0)
            if !recovered { try await Task.sleep(for: .milliseconds(200)) }
        }
        XCTAssertTrue(recovered, "the store did not reconnect by itself")
        XCTAssertNil(store.health.refusingWrites)
        assertEq(try await c.issued().seq, 2, "numbering goes on after the outage")
    }
}
