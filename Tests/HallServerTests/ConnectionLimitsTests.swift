import FaultInjection
import Foundation
@testable import HallServer
import XCTest

/// Connections that send half a request and stall, and clients that open connection after connection:
/// the rate limits count whole requests only, so these are closed by the idle timeout and the per-address cap.
final class ConnectionLimitsTests: XCTestCase {
    var live: LiveHall?
    var sockets: [Int32] = []

    override func tearDown() async throws {
        for fd in sockets { close(fd) }
        await live?.stop()
    }

    private func start(limits: String) async throws -> LiveHall {
        let hall = try await LiveHall.start(toml: TestHallConfig.toml() + "\n[limits]\n" + limits + "\n")
        live = hall
        return hall
    }

    /// A connection that has sent the start of a request and then nothing.
    private func stalledConnection(_ hall: LiveHall) throws -> Int32 {
        let fd = try XCTUnwrap(Loopback.connection(to: hall.port), "connect to the hall server")
        sockets.append(fd)
        XCTAssertTrue(Loopback.writeAll(fd, Array("GET /healthz HTTP/1.1\r\nHost: hall\r\n".utf8)))
        return fd
    }

    /// True when the server closes `fd` within `seconds` (the read sees the end of the stream).
    private func closedByServer(_ fd: Int32, within seconds: Double) -> Bool {
        let deadline = Date().addingTimeInterval(seconds)
        var buffer = [UInt8](repeating: 0, count: 4096)
        while Date() < deadline {
            var p = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
            guard poll(&p, 1, 100) >= 0 else { return true }
            if p.revents != 0 {
                let n = read(fd, &buffer, buffer.count)
                if n <= 0 { return true }
            }
        }
        return false
    }

    func testAStalledRequestIsClosedAfterTheIdleTimeout() async throws {
        // Given a hall that closes connections idle for 5 s
        let hall = try await start(limits: "idleSeconds = 5")
        // When a client sends half a request and stops
        let fd = try stalledConnection(hall)
        // Then it is still open at 3 s and closed by about 5 s
        XCTAssertFalse(closedByServer(fd, within: 3), "closed before the idle timeout")
        XCTAssertTrue(closedByServer(fd, within: 5), "a stalled request must not hold a connection for ever")
        // And the server answers everyone else meanwhile
        let health = try await hall.send(.GET, "/healthz")
        XCTAssertEqual(health.status, 200)
    }

    func testOneAddressCannotHoldMoreConnectionsThanTheCap() async throws {
        // Given a cap of 4 connections per address (loopback not exempt: every test client is on 127.0.0.1)
        let hall = try await start(limits: "maxConnectionsPerClient = 4\nexemptLoopback = false\nidleSeconds = 60")
        let held = try (1...4).map { _ in try stalledConnection(hall) }
        for fd in held { XCTAssertFalse(closedByServer(fd, within: 0.3), "connections within the cap stay open") }
        // When a fifth comes
        let fifth = try stalledConnection(hall)
        // Then it is closed at once
        XCTAssertTrue(closedByServer(fifth, within: 2), "the connection over the cap must be closed")
        // And when one of the four goes, its place is free again
        close(held[0])
        sockets.removeAll { $0 == held[0] }
        // The place is free once the server has read the end of that connection, a moment later on a busy machine:
        // until then a new one is still over the cap and closed at once. So a new connection is tried until one is
        // served (for 10 s), not once after a fixed 300 ms.
        var answer: (head: String, rest: [UInt8])?
        let freedBy = Date().addingTimeInterval(10)
        while answer == nil, Date() < freedBy {
            let again = try XCTUnwrap(Loopback.connection(to: hall.port))
            sockets.append(again)
            if Loopback.writeAll(again, Array("GET /healthz HTTP/1.1\r\nHost: hall\r\n\r\n".utf8)) {
                answer = Loopback.readHead(again, timeoutSeconds: 5)
            }
            if answer == nil { try await Task.sleep(for: .milliseconds(50)) }
        }
        let served = try XCTUnwrap(answer, "a freed place serves a request")
        XCTAssertTrue(served.head.hasPrefix("HTTP/1.1 200"), served.head)
    }

    func testLoopbackIsExemptFromTheCapByDefault() async throws {
        // A same-box reverse proxy or kiosk opens many connections from 127.0.0.1.
        let hall = try await start(limits: "maxConnectionsPerClient = 2")
        let held = try (1...5).map { _ in try stalledConnection(hall) }
        for fd in held { XCTAssertFalse(closedByServer(fd, within: 0.3)) }
    }

    func testConnectionLimitDefaultsAndBadValues() throws {
        let defaults = RequestLimits()
        XCTAssertEqual(defaults.idleSeconds, 20)
        XCTAssertEqual(defaults.maxConnectionsPerClient, 64)
        XCTAssertNil(try RequestLimits(LimitsSettings(maxConnectionsPerClient: 0)).maxConnectionsPerClient, "0 switches the cap off")
        XCTAssertThrowsError(try RequestLimits(LimitsSettings(idleSeconds: 1))) { error in
            XCTAssertTrue("\(error)".contains("limits.idleSeconds: 1 must be 5 … 3600"), "\(error)")
        }
        XCTAssertThrowsError(try RequestLimits(LimitsSettings(maxConnectionsPerClient: -1))) { error in
            XCTAssertTrue("\(error)".contains("limits.maxConnectionsPerClient: -1"), "\(error)")
        }
    }
}
