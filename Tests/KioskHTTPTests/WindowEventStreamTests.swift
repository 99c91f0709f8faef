import Foundation
import HallAPI
import HallTestSupport
@testable import KioskHTTP
import XCTest

/// The rating device following its window's events from the real hall server on loopback.
final class WindowEventStreamTests: XCTestCase {
    static let ratingToken = "demo-rating-w01-token-change-me"

    func ratingClient(_ url: String) throws -> HallClient {
        try HallClient(configuration: HallClientConfiguration(baseURL: url, deviceId: "rating-w01", deviceToken: Self.ratingToken))
    }

    func testACompletedServiceArrivesWithinASecond() async throws {
        let server = try HallServerProcess()
        defer { server.stop() }
        let client = try ratingClient(server.baseURL)
        let staff = try server.staffToken(window: "w01")
        let state = try await client.windowState(windowId: "w01")
        XCTAssertTrue(state.window.isOpen)
        XCTAssertEqual(state.window.staff?.employeeNo, "1001")
        let inbox = Inbox(client.windowEvents(windowId: "w01", after: state.lastEventId))
        defer { inbox.stop() }
        let streaming = await inbox.waitFor(10) { $0.contains(.state(.streaming)) }
        XCTAssertTrue(streaming)

        let ticket = try await Staff.issue(server)
        try Staff.act(server, "call-next", staff)
        let called = await inbox.waitFor(5) { $0.events.contains { $0.type == .ticketCalled } }
        XCTAssertTrue(called)
        let start = ContinuousClock.now
        try Staff.act(server, "complete", staff)
        let completed = await inbox.waitFor(5) { $0.events.contains { $0.type == .serviceCompleted } }
        let elapsed = ContinuousClock.now - start
        XCTAssertTrue(completed)
        XCTAssertLessThan(elapsed, .seconds(1), "serviceCompleted took \(elapsed)")
        let event = try XCTUnwrap(inbox.events.first { $0.type == .serviceCompleted })
        XCTAssertEqual(event.ticket?.id, ticket.id)
        XCTAssertEqual(event.staff?.id, "s01")
        XCTAssertNotNil(event.ticket?.completedAt)
        await client.shutdown()
    }

    func testResumesAfterAServerRestartWithoutLosingOrRepeatingEvents() async throws {
        let server = try HallServerProcess()
        defer { server.stop() }
        let client = try ratingClient(server.baseURL)
        let staff = try server.staffToken(window: "w01")
        let start = try await client.windowState(windowId: "w01").lastEventId
        let inbox = Inbox(client.windowEvents(windowId: "w01", after: start,
                                              options: WindowEventStreamOptions(reconnectBaseSeconds: 0.5)))
        defer { inbox.stop() }
        _ = await inbox.waitFor(10) { $0.contains(.state(.streaming)) }
        _ = try await Staff.issue(server, count: 3)
        try Staff.act(server, "call-next", staff)
        try Staff.act(server, "complete", staff)
        let firstTwo = await inbox.waitFor(5) { $0.events.count == 2 }
        XCTAssertTrue(firstTwo)

        // The server restarts; events happen while the device is disconnected, and after.
        try server.restart()
        try Staff.act(server, "call-next", staff)
        try Staff.act(server, "complete", staff)
        let reconnected = await inbox.waitFor(20) { $0.filter { $0 == .state(.streaming) }.count >= 2 }
        XCTAssertTrue(reconnected, "updates: \(inbox.updates)")
        try Staff.act(server, "call-next", staff)
        try Staff.act(server, "complete", staff)
        let all = await inbox.waitFor(10) { $0.events.count >= 6 }
        XCTAssertTrue(all, "events: \(inbox.events.map(\.type))")

        // Exactly the server's events, in order, each once.
        let (data, status) = try HallServerProcess.request("GET", "\(server.baseURL)/api/v1/windows/w01/recent-events?after=\(start)&limit=500",
                                                           token: Self.ratingToken)
        XCTAssertEqual(status, 200)
        let truth = try HallJSON.decoder().decode(WindowEventPage.self, from: data).events
        try await Task.sleep(for: .milliseconds(300))  // nothing more may arrive
        XCTAssertEqual(inbox.events.map(\.id), truth.map(\.id))
        XCTAssertEqual(inbox.events.map(\.type), [.ticketCalled, .serviceCompleted, .ticketCalled, .serviceCompleted,
                                                  .ticketCalled, .serviceCompleted])
        XCTAssertTrue(inbox.updates.contains { if case .state(.reconnecting) = $0 { true } else { false } })
        await client.shutdown()
    }

    func testASilentConnectionIsDetectedAndReplaced() async throws {
        let server = try HallServerProcess()
        defer { server.stop() }
        let proxy = try FaultProxy(upstreamPort: server.port)
        defer { proxy.stop() }
        let client = try ratingClient(proxy.baseURL)
        let staff = try server.staffToken(window: "w01")
        let start = try await client.windowState(windowId: "w01").lastEventId
        let inbox = Inbox(client.windowEvents(windowId: "w01", after: start,
                                              options: WindowEventStreamOptions(idleTimeoutSeconds: 2, reconnectBaseSeconds: 0.2)))
        defer { inbox.stop() }
        _ = await inbox.waitFor(10) { $0.contains(.state(.streaming)) }
        _ = try await Staff.issue(server)
        try Staff.act(server, "call-next", staff)
        _ = await inbox.waitFor(5) { $0.events.count == 1 }

        // The link dies silently: no bytes, no close.
        proxy.freezeOpenConnections()
        try Staff.act(server, "complete", staff)
        let recovered = await inbox.waitFor(15) { $0.events.contains { $0.type == .serviceCompleted } }
        XCTAssertTrue(recovered, "updates: \(inbox.updates)")
        let reason = inbox.updates.compactMap { u -> String? in
            if case .state(.reconnecting(_, _, let r)) = u { return r } else { return nil }
        }.first ?? ""
        XCTAssertTrue(reason.contains("no data"), reason)
        XCTAssertEqual(inbox.events.map(\.type), [.ticketCalled, .serviceCompleted])
        proxy.thawConnections()
        await client.shutdown()
    }

    func testPollsWhenTheStreamKeepsFailingAndGoesBackToStreaming() async throws {
        let server = try HallServerProcess()
        defer { server.stop() }
        let proxy = try FaultProxy(upstreamPort: server.port)
        defer { proxy.stop() }
        // A proxy that refuses long responses: the stream fails, everything else works.
        proxy.setRule { $0.path.contains("/events") ? .answer(status: 502, body: "Bad Gateway", headers: []) : .forward }
        let client = try ratingClient(proxy.baseURL)
        let staff = try server.staffToken(window: "w01")
        let start = try await client.windowState(windowId: "w01").lastEventId
        let inbox = Inbox(client.windowEvents(windowId: "w01", after: start, options: WindowEventStreamOptions(
            reconnectBaseSeconds: 0.1, failuresBeforePolling: 2, pollIntervalSeconds: 0.3, streamRetrySeconds: 2)))
        defer { inbox.stop() }
        let polling = await inbox.waitFor(10) { $0.contains { if case .state(.polling) = $0 { true } else { false } } }
        XCTAssertTrue(polling, "updates: \(inbox.updates)")

        let ticket = try await Staff.issue(server)
        try Staff.act(server, "call-next", staff)
        try Staff.act(server, "complete", staff)
        let polled = await inbox.waitFor(5) { $0.events.contains { $0.type == .serviceCompleted } }
        XCTAssertTrue(polled)
        XCTAssertEqual(inbox.events.last?.ticket?.id, ticket.id)
        XCTAssertGreaterThan(proxy.requestCount(pathPrefix: "/api/v1/windows/w01/recent-events"), 1)

        // The proxy is fixed: the device streams again, and nothing is repeated.
        proxy.behaviour = .forward
        let back = await inbox.waitFor(15) { $0.last == .state(.streaming) }
        XCTAssertTrue(back, "updates: \(inbox.updates)")
        _ = try await Staff.issue(server)
        try Staff.act(server, "call-next", staff)
        let live = await inbox.waitFor(5) { $0.events.count == 3 }
        XCTAssertTrue(live, "events: \(inbox.events.map(\.type))")
        XCTAssertEqual(inbox.events.map(\.type), [.ticketCalled, .serviceCompleted, .ticketCalled])
        await client.shutdown()
    }
}

/// Staff and kiosk actions on the demo hall, over plain HTTP.
enum Staff {
    @discardableResult
    static func issue(_ server: HallServerProcess, count: Int = 1) async throws -> IssuedTicket {
        let kiosk = try HallClient(configuration: HallClientConfiguration(baseURL: server.baseURL, deviceId: "kiosk-01",
                                                                          deviceToken: "demo-kiosk-01-token-change-me"))
        var last: IssuedTicket?
        for _ in 0..<count { last = try await kiosk.issueTicket(serviceId: "hukou", intentKey: UUID().uuidString) }
        await kiosk.shutdown()
        return last!
    }

    static func act(_ server: HallServerProcess, _ action: String, _ staff: String, file: StaticString = #filePath, line: UInt = #line) throws {
        let (data, status) = try HallServerProcess.request("POST", "\(server.baseURL)/api/v1/windows/w01/\(action)", token: staff)
        XCTAssertEqual(status, 200, String(decoding: data, as: UTF8.self), file: file, line: line)
    }
}

/// Collects what a window event stream yields.
final class Inbox: @unchecked Sendable {
    private let lock = NSLock()
    private var items: [WindowStreamUpdate] = []
    private var task: Task<Void, Never>?

    init(_ stream: AsyncStream<WindowStreamUpdate>) {
        task = Task { [weak self] in
            for await u in stream { self?.lock.withLock { self?.items.append(u) } }
        }
    }

    var updates: [WindowStreamUpdate] { lock.withLock { items } }
    var events: [WindowEvent] { updates.events }

    func waitFor(_ seconds: Double, _ condition: ([WindowStreamUpdate]) -> Bool) async -> Bool {
        let deadline = Date().addingTimeInterval(seconds)
        while Date() < deadline {
            if condition(updates) { return true }
            try? await Task.sleep(for: .milliseconds(20))
        }
        return condition(updates)
    }

    func stop() { task?.cancel() }
}

extension Array where Element == WindowStreamUpdate {
    var events: [WindowEvent] { compactMap { if case .event(let e) = $0 { e } else { nil } } }
}
