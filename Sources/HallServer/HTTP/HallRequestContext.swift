import Hummingbird

/// Request context of the hall server: bodies are limited to 64 KiB.
public struct HallRequestContext: RequestContext {
    public var coreContext: CoreRequestContextStorage

    public init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
    }

    public var maxUploadSize: Int { 64 * 1024 }
}
