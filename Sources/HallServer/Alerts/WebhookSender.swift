import AsyncHTTPClient
import Foundation
import Logging
import NIOCore
import NIOHTTP1

/// Posts alert notices to the hall's webhook one at a time, in order: a bounded queue (beyond `queueLimit` the oldest
/// are dropped, counted and logged), retries with doubling waits (`retrySeconds` … `maxRetrySeconds`) while the
/// receiver fails or cannot be reached. A notice is delivered when the receiver answers 2xx.
final class WebhookSender: @unchecked Sendable {
    /// What the admin page shows about deliveries.
    struct Status: Sendable {
        var queued: Int
        var delivered: Int
        var dropped: Int
        var lastError: String?
        var lastErrorAt: Date?
    }

    let url: String
    let format: WebhookFormat
    let rules: AlertRules
    private let logger: Logger
    private let lock = NSLock()
    private var queue: [AlertNotice] = []
    private var status = Status(queued: 0, delivered: 0, dropped: 0)
    private var wake: CheckedContinuation<Void, Never>?

    init(url: String, rules: AlertRules, logger: Logger) {
        self.url = url
        self.format = rules.format
        self.rules = rules
        self.logger = logger
    }

    var current: Status { lock.withLock { var s = status; s.queued = queue.count; return s } }

    /// Queues `notice` (dropping the oldest when the queue is full).
    func enqueue(_ notice: AlertNotice) {
        let (waiter, dropped): (CheckedContinuation<Void, Never>?, AlertNotice?) = lock.withLock {
            var dropped: AlertNotice?
            if queue.count >= rules.queueLimit {
                dropped = queue.removeFirst()
                status.dropped += 1
            }
            queue.append(notice)
            defer { wake = nil }
            return (wake, dropped)
        }
        if let dropped {
            logger.warning("alert webhook queue full: dropped the oldest notice", metadata: ["alert.key": "\(dropped.key)", "queue.limit": "\(rules.queueLimit)"])
        }
        waiter?.resume()
    }

    /// Delivers until cancelled.
    func run() async {
        let client = HTTPClient(eventLoopGroupProvider: .singleton,
                                configuration: .init(redirectConfiguration: .disallow, timeout: .init(connect: .seconds(5), read: .seconds(10))))
        var wait = rules.retrySeconds
        while !Task.isCancelled {
            guard let next = lock.withLock({ queue.first }) else {
                await withTaskCancellationHandler {
                    await withCheckedContinuation { (c: CheckedContinuation<Void, Never>) in
                        let resumeNow: Bool = lock.withLock {
                            if !queue.isEmpty || Task.isCancelled { return true }
                            wake = c
                            return false
                        }
                        if resumeNow { c.resume() }
                    }
                } onCancel: {
                    let waiter: CheckedContinuation<Void, Never>? = lock.withLock { defer { wake = nil }; return wake }
                    waiter?.resume()
                }
                continue
            }
            let problem = await deliver(next, client: client)
            if let problem {
                lock.withLock { status.lastError = problem; status.lastErrorAt = Date() }
                logger.warning("alert webhook delivery failed; retrying", metadata: ["alert.key": "\(next.key)", "error": "\(problem)",
                                                                                      "retry.seconds": "\(wait)"])
                let jitter = Double.random(in: 0.8...1.2)
                try? await Task.sleep(for: .seconds(wait * jitter))
                wait = min(wait * 2, rules.maxRetrySeconds)
            } else {
                wait = rules.retrySeconds
                lock.withLock {
                    // Delivered: drop it (unless the queue overflowed past it meanwhile).
                    if queue.first == next { queue.removeFirst() }
                    status.delivered += 1
                }
            }
        }
        try? await client.shutdown()
    }

    /// Nil when the receiver answered 2xx; otherwise what went wrong.
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
            return "\(error)"
        }
    }
}
