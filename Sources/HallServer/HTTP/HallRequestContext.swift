import Hummingbird
import NIOCore

/// Request context of the hall server: the body limit (64 KiB unless `[limits] maxBodyKiB` says otherwise,
/// set per request by `RequestLimitsMiddleware`), the client's address (for rate limits) and who the caller is
/// (`credentials`, set by `AuthenticationMiddleware`).
public struct HallRequestContext: RequestContext, RemoteAddressRequestContext {
    public var coreContext: CoreRequestContextStorage
    /// The peer of the connection (nil in in-process router tests).
    public let remoteAddress: SocketAddress?
    /// Largest request body accepted, in bytes.
    public var bodyLimit: Int = 64 * 1024
    /// Who the caller is, as `AuthenticationMiddleware` found it.
    var credentials = RequestCredentials.anonymous

    public init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        remoteAddress = source.channel.remoteAddress
    }

    public var maxUploadSize: Int { bodyLimit }
}
