import AsyncHTTPClient
import Foundation
import HallAPI
import Logging
import NIOCore

/// How a window event stream is followed. Every value has a default.
public struct WindowEventStreamOptions: Sendable {
    /// No byte at all (not even the server's `: heartbeat`, sent every 15 s) for this long → the
    /// connection is dead; reconnect. Default 45 s.
    public var idleTimeoutSeconds: Double
    /// Giving up on a connection that has not answered with headers. Default 5 s.
    public var connectTimeoutSeconds: Double
    /// First reconnect delay after a failure, before jitter; the server's `retry:` replaces it. Default 1 s.
    public var reconnectBaseSeconds: Double
    /// Longest reconnect delay. Default 30 s.
    public var reconnectCapSeconds: Double
    /// Failed stream attempts in a row after which events are polled instead. Default 3.
    public var failuresBeforePolling: Int
    /// Seconds between polls while polling. Default 2.
    public var pollIntervalSeconds: Double
    /// While polling, try the stream again this often. Default 60 s.
    public var streamRetrySeconds: Double

    public init(idleTimeoutSeconds: Double = 45, connectTimeoutSeconds: Double = 5, reconnectBaseSeconds: Double = 1,
                reconnectCapSeconds: Double = 30, failuresBeforePolling: Int = 3, pollIntervalSeconds: Double = 2,
                streamRetrySeconds: Double = 60) {
        self.idleTimeoutSeconds = idleTimeoutSeconds
        self.connectTimeoutSeconds = connectTimeoutSeconds
        self.reconnectBaseSeconds = reconnectBaseSeconds
        self.reconnectCapSeconds = reconnectCapSeconds
        self.failuresBeforePolling = max(1, failuresBeforePolling)
        self.pollIntervalSeconds = pollIntervalSeconds
        self.streamRetrySeconds = streamRetrySeconds
    }
}

/// How events reach the device now (for the admin screen and logs; the UI needs only the events).
public enum WindowStreamState: Sendable, Hashable {
    /// The event stream is open.
    case streaming
    /// The stream ended or failed; the next attempt is in `inSeconds`.
    case reconnecting(failures: Int, inSeconds: Double, reason: String)
    /// The stream failed repeatedly; events are polled (`recent-events`) and the stream is retried now and then.
    case polling(reason: String)
}

/// What `HallClient.windowEvents` yields.
public enum WindowStreamUpdate: Sendable, Hashable {
    /// A window event, in id order, each once — across reconnects, server restarts and polling.
    case event(WindowEvent)
    /// The connection changed.
    case state(WindowStreamState)
}

extension HallClient {
    /// Follows `GET /api/v1/windows/{id}/events` with this device's token: events in order, each once.
    ///
    /// Reconnects with `Last-Event-ID` after the stream ends or fails (backoff with jitter, the
    /// server's `retry:`), treats silence longer than `idleTimeoutSeconds` as a dead connection, and
    /// polls `recent-events` after `failuresBeforePolling` failures in a row until the stream works again.
    /// - Parameter after: the last event already handled — pass `WindowState.lastEventId`. nil: from the
    ///   window's newest event (asked from the server first).
    /// - Returns: an endless stream; stop following by ending the iteration (or cancelling its task).
    public func windowEvents(windowId: String, after: Int64?, options: WindowEventStreamOptions = WindowEventStreamOptions(),
                             logger: Logger = Logger(label: "hallkiosk.events")) -> AsyncStream<WindowStreamUpdate> {
        let (stream, continuation) = AsyncStream<WindowStreamUpdate>.makeStream(bufferingPolicy: .unbounded)
        let follower = WindowEventFollower(client: self, windowId: windowId, lastId: after, options: options, logger: logger,
                                           output: continuation)
        let task = Task { await follower.run() }
        continuation.onTermination = { _ in task.cancel() }
        return stream
    }
}

/// The loop behind `HallClient.windowEvents`.
final class WindowEventFollower: @unchecked Sendable {
    private let client: HallClient
    private let windowId: String
    private let options: WindowEventStreamOptions
    private let logger: Logger
    private let output: AsyncStream<WindowStreamUpdate>.Continuation
    // Touched only by the run loop's task (the reader child finishes before the loop goes on).
    private var lastId: Int64?
    private var retryBase: Double
    private let decoder = HallJSON.decoder()

    init(client: HallClient, windowId: String, lastId: Int64?, options: WindowEventStreamOptions, logger: Logger,
         output: AsyncStream<WindowStreamUpdate>.Continuation) {
        self.client = client
        self.windowId = windowId
        self.lastId = lastId
        self.options = options
        self.logger = logger
        self.output = output
        self.retryBase = options.reconnectBaseSeconds
    }

    func run() async {
        let http: HTTPClient
        do {
            http = try HallClient.makeHTTPClient(client.configuration, readTimeout: nil)
        } catch {
            logger.error("cannot follow window events", metadata: ["error": "\(error)"])
            output.finish()
            return
        }
        defer {
            output.finish()
            Task { try? await http.shutdown() }
        }
        if lastId == nil { lastId = try? await client.recentWindowEvents(windowId: windowId, after: nil).lastEventId }
        var failures = 0
        var pollingSince: ContinuousClock.Instant? = nil
        while !Task.isCancelled {
            if let since = pollingSince {
                await pollOnce()
                try? await Task.sleep(for: .milliseconds(Int64(options.pollIntervalSeconds * 1000)))
                if ContinuousClock.now - since >= .milliseconds(Int64(options.streamRetrySeconds * 1000)) {
                    // One stream attempt; a failure sends us straight back to polling.
                    pollingSince = nil
                    failures = options.failuresBeforePolling - 1
                }
                continue
            }
            let end = await streamOnce(http)
            if Task.isCancelled { break }
            failures = end.healthy ? 0 : failures + 1
            if failures >= options.failuresBeforePolling {
                logger.warning("window event stream keeps failing; polling instead",
                               metadata: ["window.id": "\(windowId)", "error": "\(end.reason)"])
                output.yield(.state(.polling(reason: end.reason)))
                pollingSince = .now
                continue
            }
            let ceiling = end.healthy ? retryBase : min(options.reconnectCapSeconds, retryBase * pow(2, Double(failures - 1)))
            let delay = max(0.1, Double.random(in: 0.5...1) * ceiling)
            logger.info("window event stream ended; reconnecting",
                        metadata: ["window.id": "\(windowId)", "reason": "\(end.reason)", "retry.in.seconds": "\(String(format: "%.1f", delay))"])
            output.yield(.state(.reconnecting(failures: failures, inSeconds: delay, reason: end.reason)))
            try? await Task.sleep(for: .milliseconds(Int64(delay * 1000)))
        }
    }

    // MARK: Stream

    struct StreamEnd: Sendable {
        var healthy: Bool
        var reason: String
    }

    /// One connection, until it ends, fails or goes silent.
    private func streamOnce(_ http: HTTPClient) async -> StreamEnd {
        let activity = Activity()
        let before = lastId
        let limits = (connect: options.connectTimeoutSeconds, idle: options.idleTimeoutSeconds)
        let end = await withTaskGroup(of: StreamEnd?.self) { group -> StreamEnd in
            group.addTask { await self.read(http, activity) }
            group.addTask {
                while !Task.isCancelled {
                    try? await Task.sleep(for: .milliseconds(200))
                    let (connected, silent) = activity.state()
                    let limit = connected ? limits.idle : limits.connect
                    if silent > limit {
                        return StreamEnd(healthy: false, reason: connected
                            ? "no data (not even a heartbeat) for \(Int(limit)) s: connection presumed dead"
                            : "no answer within \(Int(limit)) s")
                    }
                }
                return nil
            }
            var result = StreamEnd(healthy: false, reason: "cancelled")
            if let first = await group.next(), let end = first { result = end }
            group.cancelAll()
            return result
        }
        // A stream that delivered events, or stayed up a while, was healthy even if it ends now.
        let lived = activity.secondsConnected()
        return StreamEnd(healthy: end.healthy || lastId != before || lived > min(10, options.idleTimeoutSeconds), reason: end.reason)
    }

    private func read(_ http: HTTPClient, _ activity: Activity) async -> StreamEnd {
        var request = HTTPClientRequest(url: client.configuration.baseURL + HallRoutes.windowEvents(windowId).path)
        request.headers.add(name: "Authorization", value: "Bearer \(client.configuration.deviceToken)")
        request.headers.add(name: "Accept", value: "text/event-stream")
        request.headers.add(name: "Cache-Control", value: "no-store")
        if let lastId { request.headers.add(name: "Last-Event-ID", value: String(lastId)) }
        do {
            let response = try await http.execute(request, deadline: .distantFuture)
            let status = Int(response.status.code)
            let type = response.headers.first(name: "Content-Type") ?? ""
            guard status == 200, type.hasPrefix("text/event-stream") else {
                let body = (try? await response.body.collect(upTo: 65536)).map { Data($0.readableBytesView) } ?? Data()
                let answer = HallClient.RawAnswer(status: status, headers: response.headers, body: body)
                let reason = status == 200 ? "HTTP 200 with '\(type)', not an event stream" : HallClient.failure(answer).description
                return StreamEnd(healthy: false, reason: reason)
            }
            activity.connected()
            output.yield(.state(.streaming))
            var parser = SSEParser()
            for try await chunk in response.body {
                activity.touch()
                for message in parser.feed(chunk.readableBytesView) { handle(message) }
                if let ms = parser.retryMilliseconds { retryBase = min(options.reconnectCapSeconds, max(0.1, Double(ms) / 1000)) }
            }
            return StreamEnd(healthy: false, reason: "the server closed the stream")
        } catch {
            return StreamEnd(healthy: false, reason: Task.isCancelled ? "cancelled" : HallClient.describe(error))
        }
    }

    private func handle(_ message: SSEMessage) {
        if message.event == "reset", let reset = try? decoder.decode(WindowEventsReset.self, from: Data(message.data.utf8)) {
            // Resumed from before the oldest event the server keeps: what was missed is gone; go on after it.
            logger.notice("window events before the server's oldest kept event were pruned; following on",
                          metadata: ["window.id": "\(windowId)", "pruned.through": "\(reset.prunedThrough)"])
            if reset.prunedThrough > (lastId ?? -1) { lastId = reset.prunedThrough }
            return
        }
        guard let event = try? decoder.decode(WindowEvent.self, from: Data(message.data.utf8)) else {
            // An event this version cannot read (a newer server): skip it, but never ask for it again.
            logger.warning("unreadable window event skipped", metadata: ["event.id": "\(message.lastEventId)", "event.type": "\(message.event)"])
            if let id = Int64(message.lastEventId), id > (lastId ?? -1) { lastId = id }
            return
        }
        deliver(event)
    }

    private func deliver(_ event: WindowEvent) {
        guard event.id > (lastId ?? -1) else { return }
        lastId = event.id
        output.yield(.event(event))
    }

    // MARK: Polling

    private func pollOnce() async {
        do {
            while !Task.isCancelled {
                let page = try await client.recentWindowEvents(windowId: windowId, after: lastId, limit: 100)
                for e in page.events { deliver(e) }
                if lastId == nil || page.lastEventId > lastId! { lastId = page.lastEventId }
                if !page.hasMore { return }
            }
        } catch {
            logger.warning("polling window events failed", metadata: ["window.id": "\(windowId)", "error": "\(error)"])
        }
    }
}

/// When the stream last showed life.
private final class Activity: @unchecked Sendable {
    private let lock = NSLock()
    private var last = ContinuousClock.now
    private var isConnected = false
    private var connectedAt: ContinuousClock.Instant?

    func connected() { lock.withLock { isConnected = true; connectedAt = .now; last = .now } }
    func touch() { lock.withLock { last = .now } }

    /// Whether headers arrived, and seconds since the last sign of life.
    func state() -> (Bool, Double) {
        lock.withLock {
            let d = ContinuousClock.now - last
            return (isConnected, Double(d.components.seconds) + Double(d.components.attoseconds) / 1e18)
        }
    }

    /// Seconds the connection was up (0 when it never was).
    func secondsConnected() -> Double {
        lock.withLock {
            guard let at = connectedAt else { return 0 }
            let d = ContinuousClock.now - at
            return Double(d.components.seconds) + Double(d.components.attoseconds) / 1e18
        }
    }
}
