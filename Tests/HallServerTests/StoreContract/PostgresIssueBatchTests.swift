import Foundation
import HallAPI
@testable import HallServer
import HallTestSupport
import Logging
import PostgresNIO
import XCTest

/// The PostgreSQL store's issue batches from inside: requests that wait together go in one transaction and keep their
/// own answers, and a connection cut in the middle of a batch loses nothing that was answered.
final class PostgresIssueBatchTests: XCTestCase {
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

    /// 25 requests wait behind the counter row another transaction holds: they go in one batch; a twin (same key) waits
    /// for the next one and gets the same ticket; requests the rules refuse and a row the database refuses (a token
    /// another ticket has) fail alone; every other request gets its number, gap-free.
    func testRequestsThatWaitTogetherShareOneTransactionAndKeepTheirOwnAnswers() async throws {
        let store = try await open(LogLines())
        let c = StoreContract(store: store, backend: "PostgreSQL")
        let taken = try await c.issued()
        let holder = try await CounterHolder.hold(store)
        let first = Task { try await c.issue() }
        try await waitUntil("the first batch waits for the counter row") { await self.lockWaiters(store) == 1 }
        let answers = (0..<24).map { i in
            Task { () -> Result<IssueOutcome, any Error> in
                do {
                    switch i {
                    case 5, 6: return .success(try await c.issue(key: "twin"))
                    case 7, 14, 21: return .success(try await c.issue(rules: { _ in throw HallError(.quotaReached, "refused \(i)") }))
                    case 10: return .success(try await c.issue(token: taken.token))
                    default: return .success(try await c.issue())
                    }
                } catch {
                    return .failure(error)
                }
            }
        }
        try await waitUntil("24 requests wait for the next batch") { store.issuing.statistics.waiting == 24 }
        await holder.release()
        var seqs = [taken.seq, try await first.value.ticket.seq]
        var twins: [IssueOutcome] = []
        for (i, task) in answers.enumerated() {
            switch (i, await task.value) {
            case (5, .success(let outcome)), (6, .success(let outcome)): twins.append(outcome)
            case (7, .failure(let error)), (14, .failure(let error)), (21, .failure(let error)):
                XCTAssertEqual((error as? HallError)?.code, APIErrorCode.quotaReached, "#\(i): \(error)")
            case (10, .failure(let error)):
                XCTAssertTrue("\(error)".contains("ticket_token_key"), "the refusal names the constraint: \(error)")
            case (let i, .success(let outcome)) where ![5, 6, 7, 10, 14, 21].contains(i):
                XCTAssertTrue(outcome.isNew, "#\(i)")
                seqs.append(outcome.ticket.seq)
            case (let i, let answer):
                XCTFail("#\(i): unexpected \(answer)")
            }
        }
        XCTAssertEqual(twins.filter(\.isNew).count, 1, "the twins issued \(twins.filter(\.isNew).count) tickets")
        XCTAssertEqual(Set(twins.map(\.ticket.id)).count, 1)
        seqs.append(contentsOf: twins.filter(\.isNew).map(\.ticket.seq))
        XCTAssertEqual(seqs.sorted(), Array(1...21), "numbers not gap-free")
        let stats = store.issuing.statistics
        XCTAssertGreaterThanOrEqual(stats.largest, 23, "the 23 waiting requests with different keys went in one batch: \(stats)")
        XCTAssertEqual(try counted(), "21|21|1|21", "tickets, distinct numbers, lowest, highest in the database")
    }

    /// The server cuts the connection of a batch of 20 in the middle of its transaction (waiting for a lock after its
    /// first statement): the batch runs again on another connection, with its log line, and every request gets a
    /// ticket that is in the database, numbered without a gap.
    func testAConnectionCutInTheMiddleOfABatchRunsItAgain() async throws {
        let lines = LogLines()
        let store = try await open(lines)
        let c = StoreContract(store: store, backend: "PostgreSQL")
        _ = try await c.issued()
        let holder = try await CounterHolder.hold(store)
        let first = Task { try await c.issue() }
        try await waitUntil("the first batch waits for the counter row") { await self.lockWaiters(store) == 1 }
        let batch = (0..<20).map { _ in Task { try await c.issue() } }
        try await waitUntil("20 requests wait for the next batch") { store.issuing.statistics.waiting == 20 }
        // A second holder asks for the staff sessions table whole, which the first batch has read: PostgreSQL grants it
        // as that batch commits, before the next batch starts, and the batch of 20 then waits for it when it reads
        // the open sessions — after its first statement.
        let second = Task { try await CounterHolder.hold(store, "LOCK TABLE staff_session IN ACCESS EXCLUSIVE MODE") }
        try await waitUntil("the second holder queues behind the first batch") { await self.lockWaiters(store) == 2 }
        await holder.release()
        let secondHolder = try await second.value
        _ = try await first.value
        try await waitUntil("the batch of 20 waits for the sessions table") { await self.lockWaiters(store) == 1 }
        let cut = try PrivatePostgres.shared().psql(database!, """
            SELECT pg_terminate_backend(pid) FROM pg_stat_activity
            WHERE datname = current_database() AND wait_event_type = 'Lock' AND query LIKE '%FROM staff_session%'
            """)
        XCTAssertEqual(cut.code, 0, cut.err)
        XCTAssertEqual(cut.out.split(separator: "\n").filter { $0 == "t" }.count, 1, "not one batch connection cut: \(cut.out)")
        try await waitUntil("the batch runs again and waits for the table", detail: { "\(lines.matching("PostgreSQL")); \(await self.activity(store))" }) {
            let waiters = await self.lockWaiters(store)
            let retried = lines.matching("PostgreSQL connection lost; transaction retried on another connection").filter { $0.contains("issue tickets") }
            return !retried.isEmpty && waiters == 1
        }
        await secondHolder.release()
        var answered: [StoredTicket] = []
        for task in batch { answered.append(try await task.value.ticket) }
        XCTAssertEqual(answered.map(\.seq).sorted(), Array(3...22))
        // The batch's transaction, once (the test's own probes may lease the cut connection back from the pool once too).
        let retried = lines.matching("PostgreSQL connection lost; transaction retried on another connection").filter { $0.contains("issue tickets") }
        XCTAssertEqual(retried.count, 1, "\(lines.matching("PostgreSQL"))")
        XCTAssertTrue(retried.first?.contains("57P01") ?? false, "\(retried)")
        let stored = try storedTickets()
        for ticket in answered { XCTAssertTrue(stored.contains(ticket.stored), "answered \(ticket.number) is not in the database") }
        XCTAssertEqual(try counted(), "22|22|1|22")
    }

    /// Connections cut again and again while 150 requests over three services come in: a request is answered with a
    /// ticket that is in the database, or with 503 `databaseUnavailable` (its batch's commit may have been cut); the
    /// kiosk's retry with the same key then gets its ticket; in the end every service's numbers are gap-free.
    func testConnectionsCutDuringABurstLoseNothingAnswered() async throws {
        let lines = LogLines()
        // A cut that lands just as a statement is written to the dying connection can still leave the driver without
        // an answer (PostgresTransaction checks the connection before each statement, not during the write): 5 s,
        // not 30, until such an attempt is given up and run again.
        let store = try await open(lines, options: PostgresOptions(answerTimeoutSeconds: 5))
        let c = StoreContract(store: store, backend: "PostgreSQL")
        let services = ["hukou", "dept", "tax"]
        let name = database!
        let started = Date()
        // Six cuts of every connection of the store, 150 ms apart, while the requests come in (7 ms apart).
        let cutter = Task { () -> Int in
            var cuts = 0
            for _ in 0..<6 {
                try? await Task.sleep(for: .milliseconds(150))
                if let r = try? PrivatePostgres.shared().psql(name, """
                    SELECT pg_terminate_backend(pid) FROM pg_stat_activity
                    WHERE datname = current_database() AND application_name = 'hallserver'
                    """), r.code == 0 { cuts += 1 }
            }
            return cuts
        }
        let first = try await withThrowingTaskGroup(of: (Int, Result<IssueOutcome, any Error>).self) { group in
            for i in 0..<150 {
                try await Task.sleep(for: .milliseconds(7))
                group.addTask {
                    do {
                        return (i, .success(try await c.issue(services[i % 3], key: "burst-\(i)")))
                    } catch {
                        return (i, .failure(error))
                    }
                }
            }
            return try await group.reduce(into: [Int: Result<IssueOutcome, any Error>]()) { $0[$1.0] = $1.1 }
        }
        let cuts = await cutter.value
        XCTAssertEqual(cuts, 6)
        XCTAssertLessThan(Date().timeIntervalSince(started), 25, "the cuts held requests for more than a few answer timeouts")
        var failed: [Int] = []
        let stored = try storedTickets()
        for (i, answer) in first {
            switch answer {
            case .success(let outcome):
                XCTAssertTrue(stored.contains(outcome.ticket.stored), "#\(i): answered \(outcome.ticket.number) is not in the database")
            case .failure(let error):
                XCTAssertEqual((error as? HallError)?.code, APIErrorCode.databaseUnavailable, "#\(i): \(error)")
                failed.append(i)
            }
        }
        XCTAssertTrue(failed.count > 0 || !lines.matching("PostgreSQL connection lost").isEmpty, "no cut reached a transaction")
        var tickets = first.compactMapValues { try? $0.get().ticket }
        for i in failed { tickets[i] = try await c.issue(services[i % 3], key: "burst-\(i)").ticket }
        XCTAssertEqual(tickets.count, 150)
        for (i, service) in services.enumerated() {
            let seqs = tickets.filter { $0.key % 3 == i }.map(\.value.seq).sorted()
            XCTAssertEqual(seqs, Array(1...50), "\(service) numbers")
            XCTAssertEqual(try counted(service), "50|50|1|50", service)
        }
    }

    /// The waiting counts (`queue_count`) equal a recount of the waiting tickets after every kind of move — issues with
    /// refusals, priority tickets, a call, a transfer, the day's expiry — and each new ticket was told the people ahead
    /// from them; a retry that the rules would refuse now (quota reached) still gets its ticket and uses no number.
    func testWaitingCountsFollowEveryMoveAndARetryRefusedByTheRulesGetsItsTicket() async throws {
        let store = try await open(LogLines())
        let c = StoreContract(store: store, backend: "PostgreSQL")
        let full: @Sendable (IssueSnapshot) throws -> IssueDecision = { _ in throw HallError(.quotaReached, "today's quota is used up") }
        let first = try await c.issue(key: "first")
        let second = try await c.issue(key: "second")
        XCTAssertEqual(second.ticket.aheadAtIssue, 1)
        try assertWaitingCountsMatchTickets("after two tickets")

        let retry = try await c.issue(key: "first", rules: full)
        XCTAssertFalse(retry.isNew, "a retry refused by the rules issued a ticket")
        XCTAssertEqual(retry.ticket, first.ticket, "a retry refused by the rules did not get its ticket")
        do {
            _ = try await c.issue(key: "new", rules: full)
            XCTFail("a new request passed rules that refuse")
        } catch let error as HallError {
            XCTAssertEqual(error.code, APIErrorCode.quotaReached)
        }
        try assertWaitingCountsMatchTickets("after the refusals")

        let elderly = try await c.issued(rank: 0)
        XCTAssertEqual(elderly.aheadAtIssue, 0, "a priority ticket is ahead of the regular ones")
        let third = try await c.issued()
        XCTAssertEqual(third.aheadAtIssue, 3)
        XCTAssertEqual(third.seq, 4, "a refusal used a number")
        assertEq(try await c.callNext(at: StoreContract.t0 + 10)?.ticket.id, elderly.id)
        _ = try await store.transfer(StoreContract.move(at: StoreContract.t0 + 20, type: .ticketTransferred), toServiceId: "dept")
        try assertWaitingCountsMatchTickets("after a call and a transfer")
        assertEq(try await c.issued("dept", at: StoreContract.t0 + 30).aheadAtIssue, 1, "the transferred ticket waits ahead")

        let expired = try await store.expireWaitingTickets(hallDay: StoreContract.day, at: StoreContract.t0 + 3600)
        XCTAssertEqual(expired, ["hukou": 3, "dept": 2])
        try assertWaitingCountsMatchTickets("after the expiry")
        XCTAssertEqual(try waitingCounts().values.reduce(0, +), 0)
    }

    // MARK: Helpers

    /// `queue_count` by "day service rank", rows of 0 left out (read with psql).
    private func waitingCounts() throws -> [String: Int] {
        try psqlCounts("SELECT hall_day || ' ' || service_id || ' ' || rank || '|' || waiting FROM queue_count WHERE waiting <> 0")
    }

    private func assertWaitingCountsMatchTickets(_ when: String, file: StaticString = #filePath, line: UInt = #line) throws {
        let recount = try psqlCounts("""
            SELECT hall_day || ' ' || service_id || ' ' || rank || '|' || COUNT(*) FROM ticket WHERE status = 'waiting'
            GROUP BY hall_day, service_id, rank
            """)
        XCTAssertEqual(try waitingCounts(), recount, "queue_count drifted from the tickets \(when)", file: file, line: line)
    }

    private func psqlCounts(_ sql: String) throws -> [String: Int] {
        let r = try PrivatePostgres.shared().psql(database!, sql)
        XCTAssertEqual(r.code, 0, r.err)
        var out: [String: Int] = [:]
        for line in r.out.split(separator: "\n") {
            let parts = line.trimmingCharacters(in: .whitespaces).split(separator: "|")
            if parts.count == 2, let n = Int(parts[1]) { out[String(parts[0])] = n }
        }
        return out
    }

    /// "count|distinct numbers|lowest|highest" of a service's tickets in the database.
    private func counted(_ serviceId: String = "hukou") throws -> String {
        let r = try PrivatePostgres.shared().psql(database!, """
            SELECT COUNT(*) || '|' || COUNT(DISTINCT number) || '|' || MIN(seq) || '|' || MAX(seq) FROM ticket WHERE service_id = '\(serviceId)'
            """)
        XCTAssertEqual(r.code, 0, r.err)
        return r.out.trimmingCharacters(in: .whitespacesAndNewlines).split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }
            .first { $0.contains("|") } ?? r.out
    }

    /// Every ticket in the database as "id:service:number:seq", read with psql (not through the store under test).
    private func storedTickets() throws -> Set<String> {
        let r = try PrivatePostgres.shared().psql(database!, "SELECT id || ':' || service_id || ':' || number || ':' || seq FROM ticket")
        XCTAssertEqual(r.code, 0, r.err)
        return Set(r.out.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) })
    }

    /// Connections of this database waiting for a row lock now.
    private func lockWaiters(_ store: PostgresHallStore) async -> Int {
        (try? await store.database.transaction("count lock waiters") { tx in
            try await tx.first("""
                SELECT COUNT(*) FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'
                """)?.decode(Int.self) ?? 0
        }) ?? -1
    }

    /// What the database's connections do now (for failure messages).
    private func activity(_ store: PostgresHallStore) async -> String {
        (try? await store.database.transaction("activity") { tx in
            try await tx.rows("SELECT state || ' ' || COALESCE(wait_event_type, '-') || ' ' || left(query, 60) FROM pg_stat_activity WHERE datname = current_database()")
                .map { try $0.decode(String.self) }.joined(separator: " | ")
        }) ?? "?"
    }

    private func waitUntil(_ what: String, timeout: Double = 10, detail: (() async -> String)? = nil,
                           _ condition: @escaping () async -> Bool) async throws {
        let deadline = Date().addingTimeInterval(timeout)
        while !(await condition()) {
            guard Date() < deadline else { throw TestFailure("gave up waiting \(timeout) s until \(what) \(await detail?() ?? "")") }
            try await Task.sleep(for: .milliseconds(10))
        }
    }
}

/// Another transaction (another instance, in effect) holding a lock — the day's counter row of hukou — until released.
private final class CounterHolder: @unchecked Sendable {
    private let lock = NSLock()
    private var released = false
    private var holding = false
    private var task: Task<Void, any Error>?

    /// Runs `sql` (by default: locks the counter row of hukou) in a transaction that stays open until `release()`;
    /// returns once `sql` ran.
    static func hold(_ store: PostgresHallStore, _ sql: String? = nil) async throws -> CounterHolder {
        let holder = CounterHolder()
        holder.task = Task {
            try await store.database.transaction("hold a lock") { tx in
                if let sql {
                    try await tx.execute(PostgresQuery(unsafeSQL: sql))
                } else {
                    try await tx.execute("""
                        UPDATE daily_counter SET issued = issued
                        WHERE hall_id = 'test-hall' AND hall_day = \(StoreContract.day) AND service_id = 'hukou'
                        """)
                }
                holder.lock.withLock { holder.holding = true }
                while !holder.lock.withLock({ holder.released }) { try await Task.sleep(for: .milliseconds(5)) }
            }
        }
        let deadline = Date().addingTimeInterval(10)
        while !holder.lock.withLock({ holder.holding }) {
            guard Date() < deadline else { throw TestFailure("the holder did not get the counter row") }
            try await Task.sleep(for: .milliseconds(5))
        }
        return holder
    }

    func release() async {
        lock.withLock { released = true }
        _ = await task?.result
    }
}

private extension StoredTicket {
    /// As `storedTickets()` lists it.
    var stored: String { "\(id):\(serviceId):\(number):\(seq)" }
}
