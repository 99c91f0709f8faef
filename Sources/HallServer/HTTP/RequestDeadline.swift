import HTTPTypes
import NIOHTTPTypes
import Logging
import NIOCore

/// Closes a connection whose request has not fully arrived within `seconds` of its first line.
///
/// The idle timeout (`[limits] idleSeconds`) starts again with every byte, so a client that sends a body one byte
/// every 10 s would hold a connection (and a handler waiting for the body) for ever; this deadline does not move.
/// Streams the server sends (server-sent events) are not affected: the deadline ends when the request ends.
final class RequestDeadlineHandler: ChannelDuplexHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPRequestPart
    typealias InboundOut = HTTPRequestPart
    typealias OutboundIn = HTTPResponsePart
    typealias OutboundOut = HTTPResponsePart

    private let seconds: Int
    private let logger: Logger
    private var deadline: Scheduled<Void>?

    init(seconds: Int, logger: Logger) {
        self.seconds = seconds
        self.logger = logger
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head:
            deadline?.cancel()
            let seconds = self.seconds
            let logger = self.logger
            let channel = context.channel
            deadline = context.eventLoop.scheduleTask(in: .seconds(Int64(seconds))) {
                logger.notice("request not complete in time; connection closed",
                              metadata: ["client": "\(channel.remoteAddress?.ipAddress ?? "?")", "limit.seconds": "\(seconds)"])
                channel.close(promise: nil)
            }
        case .end:
            deadline?.cancel()
            deadline = nil
        case .body:
            break
        }
        context.fireChannelRead(data)
    }

    func channelInactive(context: ChannelHandlerContext) {
        deadline?.cancel()
        deadline = nil
        context.fireChannelInactive()
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        deadline?.cancel()
        deadline = nil
    }
}
