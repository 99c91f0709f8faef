import AsyncHTTPClient
import Foundation
import HallAPI
@testable import HallServer
import HallTestSupport
import Logging
import NIOCore
import XCTest
#if canImport(Glibc)
import Glibc
#endif

/// Several `hallserver` processes on one PostgreSQL database serve one hall (the demo hall): numbers stay unique and
/// gap-free, a retry on the other instance gets the same ticket, window events reach streams on every instance,
/// sessions and lockouts hold across instances, and `kill -9` of one instance under load loses no answered ticket.
final class MultiInstanceTests: XCTestCase {
    static let kioskToken = "demo-kiosk-01-token-change-me"
    static let adminToken = "demo-admin-token-change-me"
    /// Made per test (an `HTTPClient` must be shut down before it goes away).
    private var http: HTTPClient!
    private var client: InstanceClient { InstanceClient(http: http) }
    private var servers: [HallServerProcess] = []
    private var databaseName: String?
    private var opened: [PostgresHallStore] = []

    override func setUp() async throws {
        http = HTTPClient(eventLoopGroupProvider: .singleton,
                          configuration: .init(redirectConfiguration: .disallow, timeout: .init(connect: .seconds(2), read: .seconds(30))))
    }

    override func tearDown() async throws {
        for server in servers { server.stop() }
        servers = []
        for store in opened { store.close() }
        opened = []
        try? await http?.shutdown()
        http = nil
        if let name = databaseName { (try? PrivatePostgres.shared())?.dropDatabase(name) }
    }

    /// `count` demo-hall servers on one fresh database.
    private func instances(_ count: Int) throws -> [HallServerProcess] {
        let url = try PrivatePostgres.shared().freshDatabase()
        databaseName = String(url.split(separator: "/").last!)
        for _ in 0..<count { servers.append(try HallServerProcess(database: url)) }
        return servers
    }

    private func sql(_ query: String) throws -> String {
        let run = try PrivatePostgres.shared().psql(databaseName!, query)
        XCTAssertEqual(run.code, 0, run.err)
        return run.out.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    // MARK: Numbers

    func testNumbersStayUniqueAndGapFreeWhileBothInstancesIssue() async throws {
        let servers = try instances(2)
        let client = self.client
        let issued = try await withThrowingTaskGroup(of: [IssuedTicket].self) { group in
            for server in servers {
                for _ in 0..<6 {
                    group.addTask {
                        var mine: [IssuedTicket] = []
                        for _ in 0..<20 {
                            let reply = try await client.issue(server, service: "employment")
                            XCTAssertEqual(reply.status, 201, reply.text)
                            if let t = reply.ticket { mine.append(t) }
                        }
                        return mine
                    }
                }
            }
            return try await group.reduce(into: []) { $0 += $1 }
        }
        XCTAssertEqual(issued.count, 240)
        XCTAssertEqual(Set(issued.map(\.number)).count, 240, "a number was given twice")
        XCTAssertEqual(Set(issued.map(\.number)), Set((1...240).map { "F" + String(format: "%03d", $0) }), "numbers have gaps")
        XCTAssertEqual(try sql("SELECT COUNT(*), COUNT(DISTINCT seq), MIN(seq), MAX(seq) FROM ticket WHERE issued_service_id = 'employment'"),
                       "240|240|1|240")
    }

    func testARetryOnTheOtherInstanceGetsTheSameTicket() async throws {
        let servers = try instances(2)
        let client = self.client
        let key = UUID().uuidString
        let first = try await client.issue(servers[0], key: key)
        XCTAssertEqual(first.status, 201, first.text)
        let retry = try await client.issue(servers[1], key: key)
        XCTAssertEqual(retry.status, 200, "a retry is answered with the ticket issued before: \(retry.text)")
        XCTAssertEqual(retry.ticket, first.ticket)

        // The same key sent to both at the same moment: one ticket, both answers name it.
        let raced = UUID().uuidString
        async let a = client.issue(servers[0], key: raced)
        async let b = client.issue(servers[1], key: raced)
        let (ra, rb) = try await (a, b)
        XCTAssertEqual(Set([ra.status, rb.status]), [200, 201], "\(ra.text) / \(rb.text)")
        XCTAssertEqual(ra.ticket, rb.ticket)
        XCTAssertEqual(try sql("SELECT COUNT(*) FROM ticket WHERE idempotency_key IN ('\(key)', '\(raced)')"), "2")
    }

    // MARK: Window events

    func testACallOnOneInstanceReachesStreamsOnTheOtherWithinASecond() async throws {
        let servers = try instances(2)
        let client = self.client
        let (a, b) = (servers[0], servers[1])
        let staffToken = try a.staffToken(window: "w01")
        XCTAssertFalse(staffToken.isEmpty)
        // The window's rating device follows its events on B, an admin screen on A.
        let onB = try await openEvents(b, window: "w01", token: "demo-rating-w01-token-change-me")
        let onA = try await openEvents(a, window: "w01", token: Self.adminToken)
        // A calling display's hall stream on B too.
        let hallOnB = try await openStream(b, path: "/api/v1/hall/calls/events", token: Self.adminToken)
        let issuedOnA = try await client.issue(a)
        let ticket = try XCTUnwrap(issuedOnA.ticket)

        let started = ContinuousClock.now
        let called = try await client.act(a, "w01", "call-next", token: staffToken)
        XCTAssertEqual(called.status, 200, called.text)
        let seen = try await onB.nextEvent(timeout: .seconds(1))
        let delay = ContinuousClock.now - started
        XCTAssertEqual(seen?.type, .ticketCalled, "no call reached the stream on the other instance within a second")
        XCTAssertEqual(seen?.ticket?.number, ticket.number)
        XCTAssertLessThan(delay, .seconds(1))
        var hallFrame: SSEReader.Frame?
        while let frame = try await hallOnB.next(timeout: .seconds(1)) {
            if frame.event == "hall" { hallFrame = frame; break }
        }
        XCTAssertTrue(hallFrame?.data?.contains(ticket.number) ?? false, "the call did not reach the hall stream on B: \(String(describing: hallFrame))")
        XCTAssertLessThan(ContinuousClock.now - started, .seconds(2))
        let calledOnA = try await onA.nextEvent(timeout: .seconds(1))
        XCTAssertEqual(calledOnA?.type, .ticketCalled)

        // The other way round: B completes the service, A's stream hears it; ids are the same everywhere.
        let done = try await client.act(b, "w01", "complete", token: staffToken)
        XCTAssertEqual(done.status, 200, done.text)
        let onAComplete = try await onA.nextEvent(timeout: .seconds(1))
        let onBComplete = try await onB.nextEvent(timeout: .seconds(1))
        XCTAssertEqual(onAComplete?.type, .serviceCompleted)
        XCTAssertEqual(onAComplete, onBComplete)
    }

    /// The listener's connection is cut; an event committed before it is back still reaches the window's stream (from
    /// the database, by id), and the loss and the return are logged once each.
    func testTheListenerCatchesUpOnWhatCommittedWhileItsConnectionWasDown() async throws {
        let url = try PrivatePostgres.shared().freshDatabase()
        databaseName = String(url.split(separator: "/").last!)
        let lines = LogLines()
        var quiet = Logger(label: "quiet")
        quiet.logLevel = .critical
        let writer = try await PostgresHallStore.open(try PostgresLocation(url: url), hallId: "h", logger: quiet)
        let follower = try await PostgresHallStore.open(try PostgresLocation(url: url), hallId: "h", logger: lines.logger())
        opened += [writer, follower]
        let woken = WakeLog()
        let listening = Task {
            try await follower.followWindowEvents(subscribedWindows: { ["w1"] }, wake: { woken.add($0, $1) })
        }
        defer { listening.cancel() }

        let first = try await login(writer, window: "w1", staff: "s1")
        try await waitUntil("the first event is announced") { woken.ids("w1").contains(first) }
        let other = try await login(writer, window: "w2", staff: "s2")
        XCTAssertGreaterThan(other, first)
        _ = try sql("""
            SELECT pg_terminate_backend(pid) FROM pg_stat_activity
            WHERE application_name = '\(PostgresWindowEventListener.applicationName)' AND datname = '\(databaseName!)'
            """)
        try await waitUntil("the loss is logged") { !lines.matching("lost its PostgreSQL connection").isEmpty }
        // Committed while nobody listens: no NOTIFY reaches the follower for it.
        let missed = try await login(writer, window: "w1", staff: "s3")
        try await waitUntil("the missed event is caught up from the database") { woken.ids("w1").contains(missed) }
        // The return is logged once the catch-up has woken every window, a moment after the wake itself.
        try await waitUntil("the return is logged") { !lines.matching("connected again").isEmpty }
        XCTAssertEqual(lines.matching("lost its PostgreSQL connection").count, 1)
        let back = lines.matching("connected again")
        XCTAssertEqual(back.count, 1, "\(back)")
        XCTAssertTrue(back.first?.contains(#""windows.woken": 1"#) ?? false, "\(back)")
        // And live announcements work again.
        let after = try await login(writer, window: "w1", staff: "s4")
        try await waitUntil("announcements resume") { woken.ids("w1").contains(after) }
    }

    /// A server without LISTEN/NOTIFY (openGauss-family servers refuse them): the listener reads the newest event ids
    /// every half second instead, so another instance's event still arrives within a second.
    func testWithoutListenTheEventsOfOtherInstancesArriveByPolling() async throws {
        let url = try PrivatePostgres.shared().freshDatabase()
        databaseName = String(url.split(separator: "/").last!)
        var quiet = Logger(label: "quiet")
        quiet.logLevel = .critical
        let writer = try await PostgresHallStore.open(try PostgresLocation(url: url), hallId: "h", logger: quiet)
        opened.append(writer)
        let woken = WakeLog()
        let polling = PostgresWindowEventListener(location: try PostgresLocation(url: url), hallId: "h", logger: quiet, listen: false)
        let task = Task { try await polling.run(subscribedWindows: { ["w1"] }, wake: { woken.add($0, $1) }) }
        defer { task.cancel() }
        // The listener reads once it is connected: an event it has read proves that, so the second is timed from a
        // running poll (not from a connection still being made on a loaded machine).
        let first = try await login(writer, window: "w1", staff: "s0")
        try await waitUntil("the polling listener reads") { woken.ids("w1").contains(first) }
        let started = ContinuousClock.now
        let id = try await login(writer, window: "w1", staff: "s1")
        try await waitUntil("the event is read") { woken.ids("w1").contains(id) }
        XCTAssertLessThan(ContinuousClock.now - started, .seconds(1))
    }

    // MARK: Sessions and lockouts

    func testStaffAndAdminSessionsAndLockoutsHoldAcrossInstances() async throws {
        let servers = try instances(2)
        let client = self.client
        let (a, b) = (servers[0], servers[1])
        // A staff token from A works on B; logging out on A ends it on B.
        let staffToken = try a.staffToken(window: "w02", employeeNo: "1002")
        let onB = try await client.act(b, "w02", "call-next", token: staffToken)
        XCTAssertEqual(onB.status, 200, onB.text)
        let logout = try await client.act(a, "w02", "logout", token: staffToken)
        XCTAssertEqual(logout.status, 204, logout.text)
        let afterLogout = try await client.act(b, "w02", "call-next", token: staffToken)
        XCTAssertEqual(afterLogout.status, 401, "logged out on A, still in on B: \(afterLogout.text)")

        // An admin page session started on A is one on B; signing out on A ends it on B.
        let login = try RawHTTP(port: a.port).send("POST", "/admin/login", body: "token=\(Self.adminToken)&next=%2Fadmin%2Fdevices")
        XCTAssertEqual(login.status, 303, login.body)
        let session = try XCTUnwrap(login.cookies[AdminCookie.name])
        let cookie = [("Cookie", "\(AdminCookie.name)=\(session)")]
        XCTAssertEqual(try RawHTTP(port: b.port).send("GET", "/admin/devices", headers: cookie).status, 200)
        let out = try RawHTTP(port: a.port).send("POST", "/admin/logout", headers: cookie, body: "csrf=\(FormToken.value(session: session))")
        XCTAssertEqual(out.status, 303)
        XCTAssertEqual(try RawHTTP(port: b.port).send("GET", "/admin/devices", headers: cookie).status, 303, "signed out on A, still in on B")

        // Five wrong PINs for one clerk from one phone, three on A and two on B, lock that pair on both.
        let phone = "127.0.0.7"
        for server in [a, a, b, a, b] {
            XCTAssertEqual(try pinLogin(server, from: phone, pin: "000000").status, 401)
        }
        for server in [a, b] {
            let locked = try pinLogin(server, from: phone, pin: "123456")
            XCTAssertEqual(locked.status, 429, "the right PIN is refused while the pair is locked: \(locked.body)")
            XCTAssertTrue(locked.body.contains("from this device"), locked.body)
        }
        // The clerk at another console is not locked out.
        XCTAssertEqual(try pinLogin(b, from: "127.0.0.8", pin: "123456").status, 200)
        // The shared tables keep hashes, not tokens.
        XCTAssertEqual(try sql("SELECT COUNT(*) FROM admin_session WHERE token_hash = '\(session)'"), "0")
    }

    // MARK: kill -9 under load

    func testKillingOneInstanceUnderLoadLosesNoAnsweredTicket() async throws {
        let servers = try instances(2)
        let client = self.client
        let (a, b) = (servers[0], servers[1])
        let answered = AnsweredTickets()
        let running = RunFlag()
        let clients = Task {
            try await withThrowingTaskGroup(of: Void.self) { group in
                for server in [a, a, a, b, b, b] {
                    group.addTask {
                        while running.isOn {
                            do {
                                let reply = try await client.issue(server, service: "employment")
                                if reply.status == 201, let t = reply.ticket { answered.add(t, from: server.port) }
                            } catch {
                                // The killed instance: refused or cut connections are not answers.
                                try await Task.sleep(for: .milliseconds(20))
                            }
                        }
                    }
                }
                try await group.waitForAll()
            }
        }
        try await waitUntil("both instances answer under load") { answered.count(from: a.port) >= 20 && answered.count(from: b.port) >= 20 }
        kill(a.process.processIdentifier, SIGKILL)
        a.process.waitUntilExit()
        let atKill = answered.count(from: a.port)
        let bAtKill = answered.count(from: b.port)
        try await waitUntil("B goes on alone") { answered.count(from: b.port) >= bAtKill + 20 }
        try await Task.detached { try a.restart() }.value
        try await waitUntil("the restarted instance answers again") { answered.count(from: a.port) >= atKill + 20 }
        running.off()
        try await clients.value

        let tickets = answered.all
        XCTAssertEqual(Set(tickets.map(\.number)).count, tickets.count, "a number was answered twice")
        let stored = try sql("SELECT id || ' ' || number FROM ticket WHERE issued_service_id = 'employment'")
            .split(separator: "\n").map(String.init)
        let storedSet = Set(stored)
        let lost = tickets.filter { !storedSet.contains("\($0.id) \($0.number)") }
        XCTAssertEqual(lost.map(\.number), [], "answered 201 but not in the database")
        let counts = try sql("SELECT COUNT(*), COUNT(DISTINCT seq), MIN(seq), MAX(seq) FROM ticket WHERE issued_service_id = 'employment'")
        XCTAssertEqual(counts, "\(stored.count)|\(stored.count)|1|\(stored.count)", "numbers must stay unique and gap-free")
        XCTAssertGreaterThanOrEqual(stored.count, tickets.count)
    }

    // MARK: Helpers

    private func openEvents(_ server: HallServerProcess, window: String, token: String) async throws -> SSEReader {
        try await openStream(server, path: "/api/v1/windows/\(window)/events", token: token)
    }

    private func openStream(_ server: HallServerProcess, path: String, token: String) async throws -> SSEReader {
        var request = HTTPClientRequest(url: server.baseURL + path)
        request.headers.add(name: "Authorization", value: "Bearer \(token)")
        request.headers.add(name: "Accept", value: "text/event-stream")
        let reader = SSEReader(response: try await http.execute(request, timeout: .seconds(60)))
        XCTAssertEqual(reader.status, 200)
        // The first frame says the stream is open (and subscribed).
        let opening = try await reader.next(timeout: .seconds(5))
        XCTAssertNotNil(opening)
        return reader
    }

    private func pinLogin(_ server: HallServerProcess, from source: String, employeeNo: String = "1003", pin: String) throws -> RawHTTP.Reply {
        try RawHTTP(port: server.port, source: source).send("POST", "/api/v1/windows/w03/login",
                                                           body: #"{"employeeNo":"\#(employeeNo)","pin":"\#(pin)"}"#, contentType: "application/json")
    }

    /// Logs a staff member in through the store itself (one window event, or two when someone is logged out); returns
    /// the id of the `staffLoggedIn` event.
    private func login(_ store: PostgresHallStore, window: String, staff: String) async throws -> Int64 {
        let at = Date(timeIntervalSince1970: (Date().timeIntervalSince1970 * 1000).rounded() / 1000)
        let events = try await store.loginStaff(
            StaffLoginWrite(tokenHash: UUID().uuidString, staffId: staff, windowId: window, at: at, expiresAt: at + 3600),
            loggedOut: { s, w in WindowEvent(id: 0, type: .staffLoggedOut, windowId: w, at: at, ticket: nil, staff: nil) },
            loggedIn: WindowEvent(id: 0, type: .staffLoggedIn, windowId: window, at: at, ticket: nil, staff: nil))
        return events.last!.id
    }

    private func waitUntil(_ what: String, seconds: Double = 10, _ condition: () throws -> Bool) async throws {
        let deadline = ContinuousClock.now + .milliseconds(Int64(seconds * 1000))
        while ContinuousClock.now < deadline {
            if try condition() { return }
            try await Task.sleep(for: .milliseconds(10))
        }
        XCTFail("timed out waiting until \(what)")
        throw TestSetupFailure("timed out waiting until \(what)")
    }
}


/// HTTP to the instances (one client for all tasks).
private struct InstanceClient: Sendable {
    let http: HTTPClient

    struct Reply {
        var status: Int
        var text: String
        var ticket: IssuedTicket?
    }

    func issue(_ server: HallServerProcess, key: String = UUID().uuidString, service: String = "hukou") async throws -> Reply {
        var request = HTTPClientRequest(url: server.baseURL + "/api/v1/tickets")
        request.method = .POST
        request.headers.add(name: "Authorization", value: "Bearer \(MultiInstanceTests.kioskToken)")
        request.headers.add(name: "Idempotency-Key", value: key)
        request.headers.add(name: "Content-Type", value: "application/json")
        request.body = .bytes(ByteBuffer(string: #"{"serviceId":"\#(service)","kioskId":"kiosk-01"}"#))
        let response = try await http.execute(request, timeout: .seconds(30))
        let body = try await response.body.collect(upTo: 1 << 20)
        let status = Int(response.status.code)
        let ticket = status < 300 ? try? HallJSON.decoder().decode(IssuedTicket.self, from: Data(body.readableBytesView)) : nil
        return Reply(status: status, text: String(buffer: body), ticket: ticket)
    }

    func act(_ server: HallServerProcess, _ window: String, _ action: String, token: String) async throws -> Reply {
        var request = HTTPClientRequest(url: server.baseURL + "/api/v1/windows/\(window)/\(action)")
        request.method = .POST
        request.headers.add(name: "Authorization", value: "Bearer \(token)")
        let response = try await http.execute(request, timeout: .seconds(30))
        let body = try await response.body.collect(upTo: 1 << 20)
        return Reply(status: Int(response.status.code), text: String(buffer: body), ticket: nil)
    }

}

/// Wake-ups a listener gave, by window.
private final class WakeLog: @unchecked Sendable {
    private let lock = NSLock()
    private var byWindow: [String: [Int64]] = [:]
    func add(_ window: String, _ id: Int64) { lock.withLock { byWindow[window, default: []].append(id) } }
    func ids(_ window: String) -> [Int64] { lock.withLock { byWindow[window] ?? [] } }
}

/// Tickets answered 201, by the port of the instance that answered.
private final class AnsweredTickets: @unchecked Sendable {
    private let lock = NSLock()
    private var tickets: [(ticket: IssuedTicket, port: Int)] = []
    func add(_ ticket: IssuedTicket, from port: Int) { lock.withLock { tickets.append((ticket, port)) } }
    func count(from port: Int) -> Int { lock.withLock { tickets.filter { $0.port == port }.count } }
    var all: [IssuedTicket] { lock.withLock { tickets.map(\.ticket) } }
}

private final class RunFlag: @unchecked Sendable {
    private let lock = NSLock()
    private var on = true
    var isOn: Bool { lock.withLock { on } }
    func off() { lock.withLock { on = false } }
}
