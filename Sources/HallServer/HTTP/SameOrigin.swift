import Crypto
import Foundation
import HallAPI
import HTTPTypes
import Hummingbird

/// Cross-site request forgery defence for the pages that act on a cookie (the staff console, the admin pages).
///
/// Two layers, either of which stops a page on another origin — also one on another port of this same host,
/// which browsers treat as the same *site*, so `SameSite=Strict` cookies alone do not stop it:
/// 1. `SameOriginMiddleware`: a state-changing request (not GET/HEAD/OPTIONS) that carries cookies must not
///    come from another origin: its `Origin` (or, without one, its `Referer`) must name this server — the
///    `Host` it was sent to or the hall's `publicBaseUrl`. Otherwise 403.
/// 2. `FormToken`: every staff and admin form carries a token derived from the session cookie, which a page on
///    another origin cannot read; the handlers refuse a form without the right one.
struct SameOriginMiddleware: RouterMiddleware {
    typealias Context = HallRequestContext
    /// Origins (`scheme://host[:port]`, lowercased, default port dropped) always accepted besides the Host's.
    let publicOrigins: Set<String>
    /// The scheme this server itself speaks ("https" with `[tls]`): the own origin is built from it and the
    /// `Host` header, never from the scheme the request's `Origin` claims.
    let scheme: String
    init(publicBaseUrl: String, tls: Bool) {
        publicOrigins = Set([Self.origin(publicBaseUrl)].compactMap { $0 })
        scheme = tls ? "https" : "http"
    }

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        guard ![.get, .head, .options].contains(request.method), request.headers[.cookie] != nil else {
            return try await next(request, context)
        }
        let claimed = request.headers[.origin] ?? request.headers[.referer]
        guard let claimed else { return try await next(request, context) }
        guard let origin = Self.origin(claimed), isOwn(origin, request: request) else {
            context.logger.notice("cross-origin form refused", metadata: ["origin": "\(claimed.prefix(100))", "client": "\(context.clientAddress)"])
            return Responses.errorJSON(.forbidden,
                                       message: "this form was sent from another site (\(claimed.prefix(100))); open the page on this server and try again")
        }
        return try await next(request, context)
    }

    private func isOwn(_ origin: String, request: Request) -> Bool {
        if publicOrigins.contains(origin) { return true }
        guard let authority = request.head.authority?.lowercased() else { return false }
        return Self.origin("\(scheme)://\(authority)") == origin
    }

    /// `scheme://host[:port]` of a URL, lowercased, without the scheme's default port; nil for "null" and non-http(s).
    static func origin(_ text: String) -> String? {
        guard let url = URL(string: text), let scheme = url.scheme?.lowercased(), ["http", "https"].contains(scheme),
              let host = url.host?.lowercased(), !host.isEmpty else { return nil }
        let port = url.port.flatMap { (scheme == "http" && $0 == 80) || (scheme == "https" && $0 == 443) ? nil : $0 }
        let shownHost = host.contains(":") && !host.hasPrefix("[") ? "[\(host)]" : host
        return "\(scheme)://\(shownHost)" + (port.map { ":\($0)" } ?? "")
    }
}

/// The hidden form field that proves a form was served by this server to this session.
enum FormToken {
    static let field = "csrf"

    /// The token for a session cookie's value (not reversible to it).
    static func value(session: String) -> String {
        String(Hex.encode(SHA256.hash(data: Data("hk-form|\(session)".utf8))).prefix(32))
    }

    /// True when `fields` carry the session's token.
    static func isValid(_ fields: [(String, String)], session: String) -> Bool {
        guard let sent = fields.first(where: { $0.0 == field })?.1 else { return false }
        return constantTimeEqual(Array(sent.utf8), Array(value(session: session).utf8))
    }
}

extension HTTPField.Name {
    static let origin = HTTPField.Name("Origin")!
    static let referer = HTTPField.Name("Referer")!
}
