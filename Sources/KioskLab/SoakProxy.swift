import FaultInjection
import Foundation
import KioskApp

/// The soak's loopback proxy between the kiosk and the hall server: a `FaultProxy` that forwards every request
/// (one connection each, `Connection: close`) unless a queued fault matches it — then it answers 500, answers
/// garbage, hangs for a while, or forwards the request and loses the answer. A server that is down looks as it
/// would without a proxy (a closed connection), and a peer silent for 10 s is given up.
final class SoakProxy: @unchecked Sendable {
    enum Fault: Sendable, CustomStringConvertible {
        case error500
        case garbage
        case hang(seconds: Double)
        case loseAnswer

        var description: String {
            switch self {
            case .error500: "500"
            case .garbage: "garbage"
            case .hang(let s): "hang \(String(format: "%.1f", s)) s"
            case .loseAnswer: "lost answer"
            }
        }

        /// What the proxy does with a request this fault applies to.
        var behaviour: FaultProxy.Behaviour {
            switch self {
            case .error500:
                .answer(status: 500, body: #"{"error":{"code":"internal","message":"soak: injected 500"}}"#,
                        headers: ["Content-Type: application/json"])
            case .garbage: .garbage
            case .hang(let seconds): .hangFor(seconds: seconds)
            case .loseAnswer: .loseAnswer
            }
        }
    }

    /// Which requests a fault applies to.
    enum Target: String, Sendable, CaseIterable {
        case any, hallStatus, tickets, lookups, ratings

        func matches(method: String, path: String) -> Bool {
            let p = path.components(separatedBy: "?")[0]
            switch self {
            case .any: return true
            case .hallStatus: return p == "/api/v1/hall"
            case .tickets: return method == "POST" && p == "/api/v1/tickets"
            case .lookups: return method == "GET" && p.hasPrefix("/api/v1/tickets")
            case .ratings: return p.hasPrefix("/api/v1/ratings")
            }
        }
    }

    private struct Pending {
        var target: Target
        var fault: Fault
        var remaining: Int
    }

    private let proxy: FaultProxy
    var port: Int { proxy.port }
    var baseURL: String { proxy.baseURL }
    private let lock = NSLock()
    private var pending: [Pending] = []
    private var applied = 0
    private var forwarded = 0

    init(upstreamPort: Int) throws {
        proxy = try FaultProxy(upstreamPort: upstreamPort,
                               options: FaultProxy.Options(readTimeoutSeconds: 10, answer502WhenServerDown: false))
        proxy.setRule { [weak self] line in self?.decide(method: line.method, path: line.path)?.behaviour ?? .forward }
    }

    /// The next `count` requests matching `target` get `fault`.
    func inject(_ fault: Fault, target: Target, count: Int) {
        lock.withLock { pending.append(Pending(target: target, fault: fault, remaining: count)) }
    }

    /// Drops faults not applied yet.
    func clearFaults() { lock.withLock { pending.removeAll() } }

    /// Faults applied so far, requests forwarded so far.
    var counts: (applied: Int, forwarded: Int) { lock.withLock { (applied, forwarded) } }

    func stop() { proxy.stop() }

    private func decide(method: String, path: String) -> Fault? {
        lock.withLock {
            guard let i = pending.firstIndex(where: { $0.target.matches(method: method, path: path) }) else {
                forwarded += 1
                return nil
            }
            let fault = pending[i].fault
            pending[i].remaining -= 1
            if pending[i].remaining <= 0 { pending.remove(at: i) }
            applied += 1
            return fault
        }
    }
}

/// Why the soak stopped.
public struct SoakFailure: Error, CustomStringConvertible {
    public var description: String
    public init(_ description: String) { self.description = description }
}
