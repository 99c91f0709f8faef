import Foundation
import Glibc
import HallAPI
import HallTestSupport
import KioskCore
@testable import KioskHTTP
import XCTest

/// The kiosk's hall client against the real hall server over loopback.
final class HallClientTests: XCTestCase {
    static let kioskToken = "demo-kiosk-01-token-change-me"

    func client(_ url: String, timeout: Double = 5) throws -> HallClient {
        try HallClient(configuration: HallClientConfiguration(baseURL: url, deviceId: "kiosk-01", deviceToken: Self.kioskToken,
                                                              requestTimeoutSeconds: timeout))
    }

    func testIssuingLookupAndRetriesThroughEffects() async throws {
        let server = try HallServerProcess()
        defer { server.stop() }
        let c = try client(server.baseURL)
        let status = await c.perform(.fetchHallStatus)
        guard case .hallStatusArrived(let hall, _) = status else { return XCTFail("no hall status: \(String(describing: status))") }
        XCTAssertEqual(hall.hallId, "demo-hall")
        XCTAssertEqual(hall.services.count, 11)

        let first = await c.perform(.issueTicket(serviceId: "hukou", intentKey: "intent-1"))
        let again = await c.perform(.issueTicket(serviceId: "hukou", intentKey: "intent-1"))
        guard case .ticketIssued("intent-1", let t1) = first, case .ticketIssued("intent-1", let t2) = again else {
            return XCTFail("not issued: \(String(describing: first)) / \(String(describing: again))")
        }
        XCTAssertEqual(t1, t2, "the same intent key is the same ticket")
        XCTAssertEqual(t1.number, "A001")

        let byNumber = await c.perform(.lookupTicket(.number("A001")))
        guard case .lookupResult(let p, _) = byNumber else { return XCTFail("\(String(describing: byNumber))") }
        XCTAssertEqual(p.id, t1.id)
        let byToken = await c.perform(.lookupTicket(.token(t1.token)))
        guard case .lookupResult(let p2, _) = byToken else { return XCTFail("\(String(describing: byToken))") }
        XCTAssertEqual(p2.status, .waiting)
        let unknown = await c.perform(.lookupTicket(.number("Z999")))
        XCTAssertEqual(unknown, .lookupFailed(.notFound, query: .number("Z999")))
        let (health, ms) = try await c.health()
        XCTAssertEqual(health.status, "ok")
        XCTAssertLessThan(ms, 1000)
        await c.shutdown()
    }

    func testRatingCodeLookupsBecomeWrongCodeThenTooManyWrongCodes() async throws {
        let server = try HallServerProcess()
        defer { server.stop() }
        let c = try client(server.baseURL)
        guard case .ticketIssued(_, let t) = await c.perform(.issueTicket(serviceId: "hukou", intentKey: "code-1")) else {
            return XCTFail("not issued")
        }
        let code = try XCTUnwrap(t.ratingCode)
        let wrong = code == "0000" ? "0001" : "0000"
        let right = await c.perform(.lookupTicket(.numberWithCode(t.number, code: code)))
        guard case .lookupResult(let p, _) = right else { return XCTFail("\(String(describing: right))") }
        XCTAssertEqual(p.id, t.id)
        for _ in 0..<5 {
            let refused = await c.perform(.lookupTicket(.numberWithCode(t.number, code: wrong)))
            XCTAssertEqual(refused, .lookupFailed(.wrongCode, query: .numberWithCode(t.number, code: wrong)))
        }
        let locked = await c.perform(.lookupTicket(.numberWithCode(t.number, code: code)))
        XCTAssertEqual(locked, .lookupFailed(.tooManyWrongCodes, query: .numberWithCode(t.number, code: code)))
        await c.shutdown()
    }

    func testAKioskRatingWithAWrongCodeIsRejectedForGoodNotRetried() async throws {
        let server = try HallServerProcess()
        defer { server.stop() }
        let c = try client(server.baseURL)
        guard case .ticketIssued(_, let t) = await c.perform(.issueTicket(serviceId: "hukou", intentKey: "code-2")) else {
            return XCTFail("not issued")
        }
        let staff = try server.staffToken()
        for action in ["call-next", "complete"] {
            try HallServerProcess.request("POST", "\(server.baseURL)/api/v1/windows/w01/\(action)", token: staff, body: "{}")
        }
        let wrong = (t.ratingCode == "0000") ? "0001" : "0000"
        let rating = RatingSubmission(ratingId: UUID().uuidString, ticketId: t.id, ratingCode: wrong, channel: .kiosk,
                                      deviceId: "kiosk-01", level: .satisfied)
        let delivery = await c.submitRating(rating)
        guard case .rejected(403, APIErrorCode.wrongRatingCode, _) = delivery else {
            return XCTFail("a wrong rating code can never succeed: \(delivery)")
        }
        XCTAssertTrue(delivery.isFinal)
        var right = rating
        right.ratingId = UUID().uuidString
        right.ratingCode = t.ratingCode
        guard case .delivered = await c.submitRating(right) else { return XCTFail("the right code rates") }
        await c.shutdown()
    }

    func testRefusalsBecomeTheRightFailureKinds() async throws {
        let server = try HallServerProcess { $0.replacingOccurrences(of: "dailyQuota = 120", with: "dailyQuota = 1") }
        defer { server.stop() }
        let c = try client(server.baseURL)
        _ = await c.perform(.issueTicket(serviceId: "exit-entry", intentKey: "q-1"))
        let quota = await c.perform(.issueTicket(serviceId: "exit-entry", intentKey: "q-2"))
        guard case .ticketFailed(_, let failure) = quota else { return XCTFail("\(String(describing: quota))") }
        XCTAssertEqual(failure.kind, .quotaReached)
        try HallServerProcess.request("POST", "\(server.baseURL)/api/v1/services/idcard/pause", token: "demo-admin-token-change-me")
        let paused = await c.perform(.issueTicket(serviceId: "idcard", intentKey: "p-1"))
        guard case .ticketFailed(_, let pausedFailure) = paused else { return XCTFail("\(String(describing: paused))") }
        XCTAssertEqual(pausedFailure.kind, .paused)
        let wrongToken = try HallClient(configuration: HallClientConfiguration(baseURL: server.baseURL, deviceId: "kiosk-01",
                                                                              deviceToken: "not-the-right-token-at-all"))
        let refused = await wrongToken.perform(.fetchHallStatus)
        guard case .hallUnreachable(let error, _) = refused else { return XCTFail("\(String(describing: refused))") }
        XCTAssertTrue(error.contains("401"), error)
        await c.shutdown()
        await wrongToken.shutdown()
    }

    func testNoServerIsANetworkFailureQuickly() async throws {
        let c = try client("http://127.0.0.1:1", timeout: 2)
        let start = ContinuousClock.now
        let answer = await c.perform(.issueTicket(serviceId: "hukou", intentKey: "n-1"))
        XCTAssertLessThan(ContinuousClock.now - start, .seconds(3))
        guard case .ticketFailed(_, let failure) = answer else { return XCTFail("\(String(describing: answer))") }
        XCTAssertEqual(failure.kind, .network, "safe to retry under the same key")
        await c.shutdown()
    }

    func testAServerThatNeverAnswersTimesOut() async throws {
        // A socket that accepts connections (kernel backlog) but never reads or answers.
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(fd) }
        var addr = sockaddr_in()
        addr.sin_family = sa_family_t(AF_INET)
        addr.sin_addr.s_addr = inet_addr("127.0.0.1")
        addr.sin_port = 0
        var len = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafePointer(to: &addr) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, len) } }
        listen(fd, 16)
        _ = withUnsafeMutablePointer(to: &addr) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &len) } }
        let port = Int(UInt16(bigEndian: addr.sin_port))
        let c = try client("http://127.0.0.1:\(port)", timeout: 1)
        let start = ContinuousClock.now
        let answer = await c.perform(.fetchHallStatus)
        XCTAssertLessThan(ContinuousClock.now - start, .seconds(3), "every request has a deadline")
        guard case .hallUnreachable = answer else { return XCTFail("\(String(describing: answer))") }
        await c.shutdown()
    }

    func testGarbageIsReportedNotCrashed() async throws {
        // A "server" answering HTML, as a captive portal or the wrong program on the port would.
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(fd) }
        var addr = sockaddr_in()
        addr.sin_family = sa_family_t(AF_INET)
        addr.sin_addr.s_addr = inet_addr("127.0.0.1")
        var len = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafePointer(to: &addr) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, len) } }
        listen(fd, 16)
        _ = withUnsafeMutablePointer(to: &addr) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &len) } }
        let port = Int(UInt16(bigEndian: addr.sin_port))
        let listener = fd
        let thread = Thread {
            for _ in 0..<2 {
                let conn = accept(listener, nil, nil)
                guard conn >= 0 else { return }
                var buffer = [UInt8](repeating: 0, count: 4096)
                _ = read(conn, &buffer, buffer.count)
                let reply = "HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: 20\r\nConnection: close\r\n\r\n<html>login!</html>\n"
                _ = reply.withCString { write(conn, $0, strlen($0)) }
                close(conn)
            }
        }
        thread.start()
        let c = try client("http://127.0.0.1:\(port)")
        let answer = await c.perform(.fetchHallStatus)
        guard case .hallUnreachable(let error, _) = answer else { return XCTFail("\(String(describing: answer))") }
        XCTAssertTrue(error.contains("unexpected"), error)
        XCTAssertTrue(error.contains("<html>"), "the log line shows what came back: \(error)")
        // Garbage in answer to a ticket request may hide a ticket the server did issue: retry under the same key.
        let issue = await c.perform(.issueTicket(serviceId: "svc", intentKey: "intent-1"))
        guard case .ticketFailed(let key, let failure) = issue else { return XCTFail("\(String(describing: issue))") }
        XCTAssertEqual(key, "intent-1")
        XCTAssertEqual(failure.kind, .network, "a garbled answer to POST /tickets is retried under the same key")
        XCTAssertTrue(failure.message.contains("unexpected"), failure.message)
        await c.shutdown()
    }
}
