import Foundation
import Logging
import NIOCore

/// Open connections per client address, shared by every connection's `ConnectionCapHandler`.
///
/// A client that opens connection after connection and sends half a request on each (a "slow" attack) is
/// not slowed by the rate limits, which count whole requests; without a cap it could take every file
/// descriptor the server has and lock the hall's kiosks out. Connections over the cap are closed at once.
final class ConnectionCap: @unchecked Sendable {
    let limit: Int
    let exemptLoopback: Bool
    private let lock = NSLock()
    private var open: [String: Int] = [:]
    private let logger: Logger

    init(limit: Int, exemptLoopback: Bool, logger: Logger) {
        self.limit = limit
        self.exemptLoopback = exemptLoopback
        self.logger = logger
    }

    /// Counts a new connection from `address`; false when it would exceed the cap (it is not counted then).
    func admit(_ address: String) -> Bool {
        if exemptLoopback && RequestLimitsMiddleware.isLoopback(address) { return true }
        let admitted: Bool = lock.withLock {
            let count = open[address, default: 0]
            guard count < limit else { return false }
            open[address] = count + 1
            return true
        }
        if !admitted {
            logger.notice("connection refused: too many open connections from one address",
                          metadata: ["client": "\(address)", "limit": "\(limit)"])
        }
        return admitted
    }

    /// Forgets a connection `admit` counted.
    func release(_ address: String) {
        if exemptLoopback && RequestLimitsMiddleware.isLoopback(address) { return }
        lock.withLock {
            let count = open[address, default: 0] - 1
            open[address] = count > 0 ? count : nil
        }
    }

    /// Open connections counted for `address` (for tests and the log).
    func openConnections(_ address: String) -> Int { lock.withLock { open[address, default: 0] } }
}

/// Admits a connection under its address's cap when it joins the pipeline, closes it otherwise, and
/// gives its place back when it closes.
final class ConnectionCapHandler: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = NIOAny

    private let cap: ConnectionCap
    private var counted: String?

    init(cap: ConnectionCap) {
        self.cap = cap
    }

    func handlerAdded(context: ChannelHandlerContext) {
        guard let address = RequestLimitsMiddleware.clientAddress(context.channel.remoteAddress) else { return }
        if cap.admit(address) {
            counted = address
        } else {
            context.close(promise: nil)
        }
    }

    func channelInactive(context: ChannelHandlerContext) {
        giveBack()
        context.fireChannelInactive()
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        giveBack()
    }

    private func giveBack() {
        if let address = counted {
            counted = nil
            cap.release(address)
        }
    }
}
