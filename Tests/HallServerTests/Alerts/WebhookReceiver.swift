import Foundation
import HallAPI
import Hummingbird
import Logging
import ServiceLifecycle
import struct HallTestSupport.TestSetupFailure
@testable import HallServer

/// A hall's alert receiver on a loopback port: keeps every POST it accepts; answers 500 to the first `failFirst`,
/// 500 to every POST while `down`, and 400 to the notices `refuses` picks.
final class WebhookReceiver: @unchecked Sendable {
    private let lock = NSLock()
    private var accepted: [Data] = []
    private var attempts = 0
    private var tried: [(key: String, event: String, accepted: Bool)] = []
    private var failFirst: Int
    private var isDown = false
    private var refusing: (@Sendable (AlertNotice) -> Bool)?
    private var task: Task<Void, Error>?
    private var group: ServiceGroup?
    private(set) var port = 0

    init(failFirst: Int = 0) { self.failFirst = failFirst }

    var url: String { "http://127.0.0.1:\(port)/hook" }
    var attemptCount: Int { lock.withLock { attempts } }
    /// Every POST in order: the notice's key and event, and whether it was accepted.
    var attemptLog: [(key: String, event: String, accepted: Bool)] { lock.withLock { tried } }
    /// Tries of notices about `key`, as `raised` / `resolved` (accepted or not).
    func tries(_ key: String) -> [String] { attemptLog.filter { $0.key == key }.map(\.event) }
    /// While true every POST gets 500.
    var down: Bool {
        get { lock.withLock { isDown } }
        set { lock.withLock { isDown = newValue } }
    }
    /// Notices this picks get 400 (nil: none).
    func refuse(_ pick: (@Sendable (AlertNotice) -> Bool)?) { lock.withLock { refusing = pick } }
    /// The JSON notices accepted, in order.
    var notices: [AlertNotice] { lock.withLock { accepted }.compactMap { try? HallJSON.decoder().decode(AlertNotice.self, from: $0) } }
    var bodies: [Data] { lock.withLock { accepted } }

    /// Accepted notices about `key`, as `raised` / `resolved`.
    func events(_ key: String) -> [String] { notices.filter { $0.key == key }.map(\.event.rawValue) }

    static func start(failFirst: Int = 0) async throws -> WebhookReceiver {
        let receiver = WebhookReceiver(failFirst: failFirst)
        let router = Router()
        router.post("/hook") { request, _ -> Response in
            let body = try await request.body.collect(upTo: 1 << 20)
            let data = Data(body.readableBytesView)
            let notice = try? HallJSON.decoder().decode(AlertNotice.self, from: data)
            let status: HTTPResponse.Status = receiver.lock.withLock {
                receiver.attempts += 1
                var status = HTTPResponse.Status.ok
                if receiver.failFirst > 0 {
                    receiver.failFirst -= 1
                    status = .internalServerError
                } else if receiver.isDown {
                    status = .internalServerError
                } else if let notice, receiver.refusing?(notice) == true {
                    status = .badRequest
                }
                receiver.tried.append((notice?.key ?? "?", notice?.event.rawValue ?? "?", status == .ok))
                if status == .ok { receiver.accepted.append(data) }
                return status
            }
            return Response(status: status)
        }
        let ports = PortBox()
        var logger = Logger(label: "webhook-receiver")
        logger.logLevel = .critical
        let app = Application(router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0)),
                              onServerRunning: { ports.set($0.localAddress?.port ?? 0) }, logger: logger)
        let group = ServiceGroup(configuration: .init(services: [app], logger: logger))
        receiver.group = group
        receiver.task = Task { try await group.run() }
        for _ in 0..<500 {
            if ports.get() != 0 { receiver.port = ports.get(); return receiver }
            try await Task.sleep(for: .milliseconds(10))
        }
        throw TestSetupFailure("webhook receiver did not start within 5 s")
    }

    func stop() async {
        await group?.triggerGracefulShutdown()
        _ = try? await task?.value
    }

    /// Waits until `predicate` holds (up to `seconds`); false when it never did.
    func wait(seconds: Double = 10, until predicate: () -> Bool) async throws -> Bool {
        let end = Date() + seconds
        while Date() < end {
            if predicate() { return true }
            try await Task.sleep(for: .milliseconds(20))
        }
        return predicate()
    }
}
