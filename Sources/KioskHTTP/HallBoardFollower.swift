import AsyncHTTPClient
import Foundation
import HallAPI
import Logging
import NIOCore

/// What `HallClient.followHall` yields to a calling display.
public enum HallBoardUpdate: Sendable, Hashable {
    /// A fresh snapshot: at the start and after every reconnect (the screen then equals the server's board).
    case snapshot(HallBoard)
    /// One hall event, in id order, each once.
    case event(HallEvent)
    /// Waiting counts changed.
    case queues(HallQueuesUpdate)
    /// The link broke (or the server cannot be reached); the follower reconnects by itself.
    case lost(reason: String)
}

/// How the hall's calls are followed. Every value has a default.
public struct HallBoardFollowOptions: Sendable {
    /// No byte at all (the server sends a heartbeat every second) for this long → the link is dead. Default 2.5 s,
    /// so the lost-link banner is up within 3 s of a cut cable.
    public var idleTimeoutSeconds: Double
    /// First reconnect delay after a failure (doubling up to `reconnectCapSeconds`, with jitter). Default 0.5 s.
    public var reconnectBaseSeconds: Double
    /// Longest reconnect delay. Default 1.5 s: a display shows the server's board within 2 s of the server being back
    /// (an attempt is one small GET; a hall's twenty displays retrying cost nothing).
    public var reconnectCapSeconds: Double

    public init(idleTimeoutSeconds: Double = 2.5, reconnectBaseSeconds: Double = 0.5, reconnectCapSeconds: Double = 1.5) {
        self.idleTimeoutSeconds = idleTimeoutSeconds
        self.reconnectBaseSeconds = reconnectBaseSeconds
        self.reconnectCapSeconds = reconnectCapSeconds
    }
}

extension HallClient {
    /// `GET /api/v1/hall/board`: what the calling displays show, as of `lastEventId`.
    public func hallBoard() async throws(HallClientError) -> HallBoard {
        try await send(HallRoutes.hallBoard(), as: HallBoard.self)
    }

    /// Follows the hall's calls for a calling display: a snapshot, then `GET /api/v1/hall/calls/events` from the
    /// snapshot's `lastEventId`; after any failure or silence (`lost`), a new snapshot and stream, with backoff.
    /// Every reconnect starts from a fresh snapshot, so what the display shows equals the server's board as soon as
    /// the server answers, and the calls made meanwhile are in it.
    /// - Returns: an endless stream; stop following by ending the iteration (or cancelling its task).
    public func followHall(options: HallBoardFollowOptions = HallBoardFollowOptions(),
                           logger: Logger = Logger(label: "hallkiosk.board")) -> AsyncStream<HallBoardUpdate> {
        let (stream, continuation) = AsyncStream<HallBoardUpdate>.makeStream(bufferingPolicy: .bufferingNewest(4096))
        let follower = HallBoardFollower(client: self, options: options, logger: logger, output: continuation)
        let task = Task { await follower.run() }
        continuation.onTermination = { _ in task.cancel() }
        return stream
    }
}

/// The loop behind `HallClient.followHall`.
final class HallBoardFollower: @unchecked Sendable {
    private let client: HallClient
    private let options: HallBoardFollowOptions
    private let logger: Logger
    private let output: AsyncStream<HallBoardUpdate>.Continuation
    // Touched only by the run loop's task (the reader child finishes before the loop goes on).
    private var lastId: Int64 = 0
    private let decoder = HallJSON.decoder()

    init(client: HallClient, options: HallBoardFollowOptions, logger: Logger, output: AsyncStream<HallBoardUpdate>.Continuation) {
        self.client = client
        self.options = options
        self.logger = logger
        self.output = output
    }

    func run() async {
        let http: HTTPClient
        do {
            http = try HallClient.makeHTTPClient(client.configuration, readTimeout: nil)
        } catch {
            logger.error("cannot follow the hall's calls", metadata: ["error": "\(error)"])
            output.yield(.lost(reason: "\(error)"))
            output.finish()
            return
        }
        defer {
            output.finish()
            Task { try? await http.shutdown() }
        }
        var failures = 0
        var lostSaid = false
        while !Task.isCancelled {
            let reason: String
            do {
                let board = try await client.hallBoard()
                lastId = board.lastEventId
                output.yield(.snapshot(board))
                if lostSaid { logger.notice("hall server back: board reloaded", metadata: ["last.event.id": "\(lastId)"]) }
                lostSaid = false
                failures = 0
                reason = await streamOnce(http)
            } catch {
                reason = "\(error)"
            }
            if Task.isCancelled { break }
            output.yield(.lost(reason: reason))
            if !lostSaid { logger.warning("link to the hall server lost; reconnecting", metadata: ["reason": "\(reason)"]) }
            lostSaid = true
            failures += 1
            let ceiling = min(options.reconnectCapSeconds, options.reconnectBaseSeconds * pow(2, Double(min(failures, 10) - 1)))
            try? await Task.sleep(for: .milliseconds(Int64(Double.random(in: 0.5...1) * ceiling * 1000)))
        }
    }

    /// One connection, until it ends, fails or goes silent; returns why it ended.
    private func streamOnce(_ http: HTTPClient) async -> String {
        let activity = LinkActivity()
        let idle = options.idleTimeoutSeconds
        return await withTaskGroup(of: String?.self) { group -> String in
            group.addTask { await self.read(http, activity) }
            group.addTask {
                // Sleeps until the link would have been silent too long, not on a beat: an idle display wakes for the
                // server's heartbeat only.
                while !Task.isCancelled {
                    let silent = activity.silentSeconds()
                    if silent > idle { return "no data (not even a heartbeat) for \(idle) s: link presumed dead" }
                    try? await Task.sleep(for: .milliseconds(Int64((idle - silent) * 1000) + 20))
                }
                return nil
            }
            var reason = "cancelled"
            if let first = await group.next(), let ended = first { reason = ended }
            group.cancelAll()
            return reason
        }
    }

    private func read(_ http: HTTPClient, _ activity: LinkActivity) async -> String {
        var request = HTTPClientRequest(url: client.configuration.baseURL + HallRoutes.hallCallEvents.path())
        request.headers.add(name: "Authorization", value: "Bearer \(client.configuration.deviceToken)")
        request.headers.add(name: "Accept", value: "text/event-stream")
        request.headers.add(name: "Cache-Control", value: "no-store")
        request.headers.add(name: "Last-Event-ID", value: String(lastId))
        do {
            let response = try await http.execute(request, deadline: .distantFuture)
            let status = Int(response.status.code)
            let type = response.headers.first(name: "Content-Type") ?? ""
            guard status == 200, type.hasPrefix("text/event-stream") else {
                let body = (try? await response.body.collect(upTo: 65536)).map { Data($0.readableBytesView) } ?? Data()
                let answer = HallClient.RawAnswer(status: status, headers: response.headers, body: body)
                return status == 200 ? "HTTP 200 with '\(type)', not an event stream" : HallClient.failure(answer).description
            }
            var parser = SSEParser()
            for try await chunk in response.body {
                activity.touch()
                for message in parser.feed(chunk.readableBytesView) {
                    if let problem = handle(message) { return problem }
                }
            }
            return "the server closed the stream"
        } catch {
            return Task.isCancelled ? "cancelled" : HallClient.describe(error)
        }
    }

    /// Passes one message on; returns a reason to start over (a `reset`: events were pruned, reload the board).
    private func handle(_ message: SSEMessage) -> String? {
        switch message.event {
        case "hall":
            guard let event = try? decoder.decode(HallEvent.self, from: Data(message.data.utf8)) else {
                logger.warning("unreadable hall event skipped", metadata: ["event.id": "\(message.lastEventId)"])
                if let id = Int64(message.lastEventId), id > lastId { lastId = id }
                return nil
            }
            guard event.id > lastId else { return nil }
            lastId = event.id
            output.yield(.event(event))
        case "queues":
            if let update = try? decoder.decode(HallQueuesUpdate.self, from: Data(message.data.utf8)) { output.yield(.queues(update)) }
        case "reset":
            return "the server no longer keeps the events after \(lastId): reloading the board"
        default:
            break  // a kind this version does not know
        }
        return nil
    }
}

/// When the link last showed life.
private final class LinkActivity: @unchecked Sendable {
    private let lock = NSLock()
    private var last = ContinuousClock.now

    func touch() { lock.withLock { last = .now } }

    func silentSeconds() -> Double {
        let elapsed = lock.withLock { ContinuousClock.now - last }
        return Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
    }
}
