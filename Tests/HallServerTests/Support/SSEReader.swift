import AsyncHTTPClient
import Foundation
import HallAPI
import NIOCore
import XCTest

/// Reads a server-sent event stream frame by frame.
final class SSEReader: @unchecked Sendable {
    struct Frame {
        var id: String?
        var event: String?
        var data: String?
        var comments: [String]
    }

    private var iterator: HTTPClientResponse.Body.AsyncIterator
    private var pending = ""
    let status: Int

    init(response: HTTPClientResponse) {
        status = Int(response.status.code)
        iterator = response.body.makeAsyncIterator()
    }

    static func open(_ live: LiveHall, window: String, token: String, lastEventId: String? = nil) async throws -> SSEReader {
        try await open(live, path: "/api/v1/windows/\(window)/events", token: token, lastEventId: lastEventId)
    }

    static func open(_ live: LiveHall, path: String, token: String, lastEventId: String? = nil, cookie: String? = nil) async throws -> SSEReader {
        var request = HTTPClientRequest(url: live.baseURL + path)
        request.headers.add(name: "Authorization", value: "Bearer \(token)")
        if let cookie { request.headers.add(name: "Cookie", value: cookie) }
        request.headers.add(name: "Accept", value: "text/event-stream")
        if let lastEventId { request.headers.add(name: "Last-Event-ID", value: lastEventId) }
        let response = try await live.client.execute(request, timeout: .seconds(60))
        return SSEReader(response: response)
    }

    /// The next frame (event or comment block), or nil at the end of the stream or after `timeout`.
    func next(timeout: Duration = .seconds(5)) async throws -> Frame? {
        let deadline = ContinuousClock.now + timeout
        while true {
            if let range = pending.range(of: "\n\n") {
                let block = String(pending[..<range.lowerBound])
                pending.removeSubrange(..<range.upperBound)
                var frame = Frame(comments: [])
                for line in block.split(separator: "\n", omittingEmptySubsequences: false) {
                    if line.hasPrefix(":") { frame.comments.append(String(line.dropFirst()).trimmingCharacters(in: .whitespaces)) }
                    else if line.hasPrefix("id: ") { frame.id = String(line.dropFirst(4)) }
                    else if line.hasPrefix("event: ") { frame.event = String(line.dropFirst(7)) }
                    else if line.hasPrefix("data: ") { frame.data = String(line.dropFirst(6)) }
                }
                return frame
            }
            guard ContinuousClock.now < deadline else { return nil }
            let chunk: ByteBuffer? = try await withThrowingTaskGroup(of: ByteBuffer?.self) { group in
                let it = UnsafeIterator(self)
                group.addTask { try await it.next() }
                group.addTask {
                    try await Task.sleep(until: deadline)
                    return nil
                }
                let first = try await group.next() ?? nil
                group.cancelAll()
                return first
            }
            guard let chunk else { return nil }
            pending += String(buffer: chunk)
        }
    }

    /// The next frame that carries an event.
    func nextEvent(timeout: Duration = .seconds(5)) async throws -> WindowEvent? {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            guard let frame = try await next(timeout: deadline - ContinuousClock.now) else { return nil }
            if let data = frame.data {
                let event = try HallJSON.decoder().decode(WindowEvent.self, from: Data(data.utf8))
                XCTAssertEqual(frame.id, String(event.id))
                XCTAssertEqual(frame.event, event.type.rawValue)
                return event
            }
        }
        return nil
    }

    /// The data of the next frame named `event` (frames of other names are passed over); nil when none comes in time.
    func nextData(event: String, timeout: Duration = .seconds(5)) async throws -> String? {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            guard let frame = try await next(timeout: deadline - ContinuousClock.now) else { return nil }
            if frame.event == event { return frame.data }
        }
        return nil
    }

    /// True once the server ended the stream.
    private(set) var ended = false

    fileprivate func pull() async throws -> ByteBuffer? {
        let chunk = try await iterator.next()
        if chunk == nil { ended = true }
        return chunk
    }

    private struct UnsafeIterator: @unchecked Sendable {
        let reader: SSEReader
        init(_ reader: SSEReader) { self.reader = reader }
        func next() async throws -> ByteBuffer? { try await reader.pull() }
    }
}
