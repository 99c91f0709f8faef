import AsyncHTTPClient
import Foundation
import Logging
import NIOCore
import NIOHTTP1

/// Posts alert notices to the hall's webhook: the `WebhookOutbox` decides which notice is due (each on its own retry
/// ladder, `resolved` never before its `raised`, given up after `giveUpSeconds`, at most `queueLimit` waiting); this
/// adapter performs the POSTs one at a time. A notice is delivered when the receiver answers 2xx.
///
/// Times come from `now` (the hall's clock, manual in tests); the loop looks at the outbox every `senderTickSeconds`
/// of real time, so a retry is due when the hall's clock says so.
final class WebhookSender: @unchecked Sendable {
    let url: String
    let format: WebhookFormat
    let rules: AlertRules
    private let logger: Logger
    private let now: @Sendable () -> Date
    private let lock = NSLock()
    private var outbox: WebhookOutbox

    init(url: String, rules: AlertRules, logger: Logger, now: @escaping @Sendable () -> Date = { Date() }) {
        self.url = url
        self.format = rules.format
        self.rules = rules
        self.logger = logger
        self.now = now
        outbox = WebhookOutbox(rules: rules)
    }

    /// The outbox's state now, for the admin page.
    var current: WebhookOutbox.Status { lock.withLock { outbox.status } }

    /// Queues `notice` (dropping the oldest when the outbox is full).
    func enqueue(_ notice: AlertNotice) {
        let at = now()
        let dropped = lock.withLock { outbox.enqueue(notice, now: at) }
        if let dropped {
            logger.warning("alert webhook outbox full: dropped the oldest notice",
                           metadata: ["alert.key": "\(dropped.key)", "alert.event": "\(dropped.event.rawValue)", "queue.limit": "\(rules.queueLimit)"])
        }
    }

    /// Delivers until cancelled.
    func run() async {
        let client = HTTPClient(eventLoopGroupProvider: .singleton,
                                configuration: .init(redirectConfiguration: .disallow, timeout: .init(connect: .seconds(5), read: .seconds(10))))
        while !Task.isCancelled {
            if await step(client: client) { continue }
            do { try await Task.sleep(for: .seconds(rules.senderTickSeconds)) } catch { break }
        }
        try? await client.shutdown()
    }

    /// Gives up what is too old, then tries the notice that is due, if one is. Returns false when none was due.
    func step(client: HTTPClient) async -> Bool {
        let at = now()
        let (expired, next) = lock.withLock { (outbox.giveUpExpired(now: at), outbox.next(now: at)) }
        for p in expired {
            logger.error("alert webhook: gave up a notice never delivered", metadata: [
                "alert.key": "\(p.notice.key)", "alert.event": "\(p.notice.event.rawValue)", "attempts": "\(p.attempts)",
                "error": "\(p.lastError ?? "-")",
            ])
        }
        guard let next else { return false }
        let problem = await deliver(next.notice, client: client)
        let done = now()
        if let problem {
            // The next try is counted from when this one began.
            let wait: Double = lock.withLock {
                outbox.failed(next.id, error: problem, now: at)
                return outbox.retryWait(afterAttempts: next.attempts + 1)
            }
            logger.warning("alert webhook delivery failed; trying this notice again later", metadata: [
                "alert.key": "\(next.notice.key)", "error": "\(problem)", "attempt": "\(next.attempts + 1)", "retry.seconds": "\(wait)",
            ])
        } else {
            lock.withLock { outbox.delivered(next.id, now: done) }
        }
        return true
    }

    /// Nil when the receiver answered 2xx; otherwise what went wrong, in a short phrase.
    private func deliver(_ notice: AlertNotice, client: HTTPClient) async -> String? {
        do {
            var request = HTTPClientRequest(url: url)
            request.method = .POST
            request.headers.add(name: "Content-Type", value: "application/json; charset=utf-8")
            request.headers.add(name: "User-Agent", value: "hallserver/\(HallServerInfo.version)")
            request.body = .bytes(ByteBuffer(bytes: try notice.body(format)))
            let response = try await client.execute(request, timeout: .seconds(15))
            _ = try? await response.body.collect(upTo: 64 << 10)
            guard (200..<300).contains(Int(response.status.code)) else { return "HTTP \(response.status.code)" }
            return nil
        } catch {
            return WebhookProblem.phrase(error)
        }
    }
}
