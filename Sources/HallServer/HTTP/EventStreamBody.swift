import Hummingbird
import ServiceLifecycle

/// The response of a server-sent event stream (a window's events, the hall's calls, a phone page's live link).
enum EventStreamBody {
    /// `text/event-stream`, never cached, never buffered by a proxy.
    static var headers: HTTPFields {
        var headers = HTTPFields()
        headers[.contentType] = "text/event-stream; charset=utf-8"
        headers[.cacheControl] = "no-store"
        headers[.init("X-Accel-Buffering")!] = "no"
        return headers
    }

    /// A body that runs `stream` until it returns or fails; on graceful shutdown it stops at once, even in the middle
    /// of a write to a slow reader (clients resume with `Last-Event-ID`).
    static func make(_ stream: @escaping @Sendable (EventStreamWriter) async throws -> Void) -> ResponseBody {
        ResponseBody { writer in
            let box = EventStreamWriter(writer)
            do {
                try await cancelWhenGracefulShutdown { try await stream(box) }
            } catch is CancellationError {
                // Shutting down.
            }
            var finishing = box.writer
            try? await finishing.finish(nil)
        }
    }
}

/// The response writer, handed to the task `cancelWhenGracefulShutdown` runs (used by that one task only).
final class EventStreamWriter: @unchecked Sendable {
    var writer: any ResponseBodyWriter
    init(_ writer: any ResponseBodyWriter) { self.writer = writer }

    func write(_ text: String) async throws {
        try await writer.write(ByteBuffer(string: text))
    }
}

/// What wakes an event stream: each item of `live`, and nil every `heartbeatSeconds`. Only the newest `keep` wake-ups
/// wait for a slow reader; dropping some loses nothing, since the streams read what they send from the store.
/// `stop()` when the stream ends.
struct StreamWakeups<Element: Sendable>: Sendable {
    let items: AsyncStream<Element?>
    private let continuation: AsyncStream<Element?>.Continuation
    private let forward: Task<Void, Never>
    private let beat: Task<Void, Never>

    init(live: AsyncStream<Element>, heartbeatSeconds: Double, keep: Int = 64) {
        let (items, continuation) = AsyncStream<Element?>.makeStream(bufferingPolicy: .bufferingNewest(keep))
        self.items = items
        self.continuation = continuation
        forward = Task {
            for await item in live { continuation.yield(item) }
            continuation.finish()
        }
        beat = Task {
            while !Task.isCancelled {
                try? await Task.sleep(for: .seconds(heartbeatSeconds))
                continuation.yield(nil)
            }
        }
    }

    func stop() {
        forward.cancel()
        beat.cancel()
        continuation.finish()
    }
}
