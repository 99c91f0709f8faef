import CCups
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// An IPP URI split for connecting: host, port, resource, encryption.
struct IPPEndpoint: Hashable, Sendable {
    var uri: String
    var host: String
    var port: Int32
    var resource: String
    var encrypted: Bool

    /// Splits `uri` (`ipp://host[:port]/path`, `ipps://…`); `nil` when libcups cannot parse it.
    init?(uri: String) {
        var scheme = [CChar](repeating: 0, count: 32), user = [CChar](repeating: 0, count: 256)
        var host = [CChar](repeating: 0, count: 256), resource = [CChar](repeating: 0, count: 1024)
        var port: Int32 = 0
        let status = httpSeparateURI(HTTP_URI_CODING_ALL, uri, &scheme, 32, &user, 256, &host, 256, &port, &resource, 1024)
        guard status.rawValue >= HTTP_URI_STATUS_OK.rawValue else { return nil }
        self.uri = uri
        self.host = String(cString: host)
        self.port = port
        self.resource = String(cString: resource)
        self.encrypted = String(cString: scheme) == "ipps"
    }

    /// A queue on the cupsd of `CUPS_SERVER` (or the default server).
    init(queue: String) {
        let server = String(cString: cupsServer())
        let name = queue.addingPercentEncoding(withAllowedCharacters: .urlPathAllowed) ?? queue
        self.host = server
        self.port = ippPort()
        self.resource = "/printers/\(name)"
        self.uri = server.hasPrefix("/") ? "ipp://localhost/printers/\(name)" : "ipp://\(server):\(ippPort())/printers/\(name)"
        self.encrypted = false
    }

    /// Opens a blocking connection with `timeout` seconds for connecting and for each answer; close with `httpClose`.
    func connect(timeout: Double) -> Result<OpaquePointer, PrintError> {
        var cancel: Int32 = 0
        errno = 0
        guard let http = httpConnect2(host, port, nil, AF_UNSPEC, encrypted ? HTTP_ENCRYPTION_ALWAYS : HTTP_ENCRYPTION_IF_REQUESTED,
                                      1, Int32(timeout * 1000), &cancel) else {
            let where_ = host.hasPrefix("/") ? host : "\(host):\(port)"
            // libcups closes its sockets before returning, so errno is often EBADF from that close, not the cause.
            let reason: String
            switch errno {
            case 0: reason = "no answer within \(timeout) s"
            case EBADF: reason = "nothing answers there (is cupsd, or the printer, running?)"
            default: reason = String(cString: strerror(errno))
            }
            return .failure(PrintError(.unreachable, "cannot connect to \(where_): \(reason)"))
        }
        httpSetTimeout(http, timeout, nil, nil)
        return .success(http)
    }
}
