import Crypto
import Foundation
import HallAPI
import Hummingbird

/// Builds JSON, HTML and error responses.
struct Responses: Sendable {
    let encoder: JSONEncoder

    init(timeZone: TimeZone) {
        encoder = HallJSON.encoder(timeZone: timeZone)
    }

    func json<T: Encodable>(_ value: T, status: HTTPResponse.Status = .ok) throws -> Response {
        let data = try encoder.encode(value)
        var headers = HTTPFields()
        headers[.contentType] = "application/json; charset=utf-8"
        headers[.cacheControl] = "no-store"
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }

    /// An HTML page with a strict Content-Security-Policy: no script runs, nothing loads from elsewhere — except
    /// `script` (an inline script of the page's own, constant text), allowed by its SHA-256 with same-origin
    /// connections (its `EventSource`).
    static func html(_ text: String, status: HTTPResponse.Status = .ok, headers extra: HTTPFields = [:],
                     script: String? = nil) -> Response {
        var headers = extra
        headers[.contentType] = "text/html; charset=utf-8"
        headers[.cacheControl] = "no-store"
        var policy = "default-src 'none'; style-src 'unsafe-inline'; img-src 'self'; form-action 'self'; frame-ancestors 'none'"
        if let script {
            let hash = Data(SHA256.hash(data: Data(script.utf8))).base64EncodedString()
            policy += "; script-src 'sha256-\(hash)'; connect-src 'self'"
        }
        headers[.contentSecurityPolicy] = policy
        headers[.init("X-Content-Type-Options")!] = "nosniff"
        // same-origin, not no-referrer: under no-referrer a browser sends `Origin: null` with its own forms, which the
        // same-origin check (`SameOriginMiddleware`) must refuse; other sites still get no referrer.
        headers[.init("Referrer-Policy")!] = "same-origin"
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(string: text)))
    }

    static func text(_ text: String, contentType: String, status: HTTPResponse.Status = .ok, headers extra: HTTPFields = [:]) -> Response {
        var headers = extra
        headers[.contentType] = contentType
        headers[.cacheControl] = "no-store"
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(string: text)))
    }

    /// The API's error body for `kind`, with its HTTP status unless `status` says otherwise.
    static func errorJSON(_ kind: APIErrorKind, status: Int? = nil, message: String) -> Response {
        errorJSON(status: status ?? kind.httpStatus, code: kind.rawValue, message: message)
    }

    fileprivate static func errorJSON(status: Int, code: String, message: String, at: Date? = nil) -> Response {
        let body = (try? HallJSON.encoder().encode(APIErrorBody(code: code, message: message, at: at))) ?? Data("{}".utf8)
        var headers = HTTPFields()
        headers[.contentType] = "application/json; charset=utf-8"
        headers[.cacheControl] = "no-store"
        return Response(status: .init(code: status), headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: body)))
    }
}

extension HallError: HTTPResponseError {
    public var status: HTTPResponse.Status { .init(code: httpStatus) }

    public func response(from request: Request, context: some RequestContext) throws -> Response {
        response(encoder: HallJSON.encoder())
    }

    /// The error as JSON; a 409 for an existing rating carries that rating too, a 409 for an occupied window who is there.
    func response(encoder: JSONEncoder) -> Response {
        let extended: Data? = if let existing = existingRating {
            try? encoder.encode(AlreadyRatedBody(error: .init(code: code, message: message), existing: existing))
        } else if let signedIn {
            try? encoder.encode(WindowOccupiedBody(error: .init(code: code, message: message), signedIn: signedIn))
        } else {
            nil
        }
        if let data = extended {
            var headers = HTTPFields()
            headers[.contentType] = "application/json; charset=utf-8"
            headers[.cacheControl] = "no-store"
            return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: data)))
        }
        var response = Responses.errorJSON(status: httpStatus, code: code, message: message, at: at)
        if let retryAfterSeconds { response.headers[.retryAfter] = "\(retryAfterSeconds)" }
        return response
    }
}

/// Turns every failure into the API's error shape and counts every answer once (also the 413 and 429
/// answers `RequestLimitsMiddleware`, inside this one, makes itself).
struct HallErrorMiddleware: RouterMiddleware {
    typealias Context = HallRequestContext
    let metrics: HallMetrics
    let encoder: JSONEncoder

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        do {
            let response = try await next(request, context)
            metrics.answered(failed: response.status.code >= 500)
            return response
        } catch let error as HallError {
            metrics.answered(failed: error.httpStatus >= 500)
            // A full disk is logged once by DiskGuard, not once per refused request.
            if error.httpStatus >= 500 && error.kind != .diskFull {
                context.logger.error("request failed", metadata: ["error": "\(error.message)", "path": "\(request.uri.path)"])
            }
            return error.response(encoder: encoder)
        } catch let error as HTTPError {
            metrics.answered(failed: error.status.code >= 500)
            let kind: APIErrorKind
            let message: String
            switch error.status {
            case .notFound: (kind, message) = (.notFound, "no such resource: \(request.method) \(request.uri.path)")
            case .contentTooLarge: (kind, message) = (.bodyTooLarge, "request body is larger than this server allows ([limits] maxBodyKiB)")
            case .methodNotAllowed: (kind, message) = (.methodNotAllowed, "\(request.method) is not allowed on \(request.uri.path)")
            default: (kind, message) = (error.status.code >= 500 ? .internalError : .badRequest,
                                        error.body ?? error.status.reasonPhrase)
            }
            return Responses.errorJSON(kind, status: error.status.code, message: message)
        } catch {
            metrics.answered(failed: true)
            context.logger.error("unexpected error", metadata: ["error": "\(String(describing: error))", "path": "\(request.uri.path)"])
            return Responses.errorJSON(.internalError,
                                       message: "the hall server hit an unexpected error; see its log")
        }
    }
}

extension Request {
    /// Collects the body (≤ the context's limit) and decodes JSON, answering 400/413/415 with the reason.
    func decodeJSON<T: Decodable>(_ type: T.Type, context: HallRequestContext) async throws -> T {
        if let contentType = headers[.contentType], !contentType.lowercased().hasPrefix("application/json") {
            throw HallError(.unsupportedMediaType, "send the body as application/json (got '\(contentType)')")
        }
        let buffer: ByteBuffer
        do {
            buffer = try await body.collect(upTo: context.maxUploadSize)
        } catch {
            throw HallError(.bodyTooLarge, "request body is larger than \(context.maxUploadSize / 1024) KiB")
        }
        guard buffer.readableBytes > 0 else {
            throw HallError(.malformedJSON, "the request needs a JSON body")
        }
        do {
            return try HallJSON.decoder().decode(T.self, from: Data(buffer: buffer))
        } catch let error as DecodingError {
            throw HallError(.malformedJSON, "body does not match \(T.self): \(error.keyPathDescription)")
        } catch {
            throw HallError(.malformedJSON, "body is not valid JSON")
        }
    }

    /// Collects a URL-encoded form body.
    func formFields(context: HallRequestContext) async throws -> [(String, String)] {
        let buffer: ByteBuffer
        do {
            buffer = try await body.collect(upTo: context.maxUploadSize)
        } catch {
            throw HallError(.bodyTooLarge, "form is larger than \(context.maxUploadSize / 1024) KiB")
        }
        return FormDecoding.parse(String(buffer: buffer))
    }

    /// The bearer token of the `Authorization` header.
    var bearerToken: String? {
        guard let value = headers[.authorization], value.count > 7, value.lowercased().hasPrefix("bearer ") else { return nil }
        return String(value.dropFirst(7)).trimmingCharacters(in: .whitespaces)
    }

    /// A cookie value.
    func cookie(_ name: String) -> String? {
        cookies[name]?.value
    }
}

/// `application/x-www-form-urlencoded` parsing.
enum FormDecoding {
    static func parse(_ text: String) -> [(String, String)] {
        text.split(separator: "&").compactMap { pair in
            let kv = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            guard let k = decode(kv[0]) else { return nil }
            return (k, kv.count > 1 ? decode(kv[1]) ?? "" : "")
        }
    }

    private static func decode(_ s: Substring) -> String? {
        s.replacingOccurrences(of: "+", with: " ").removingPercentEncoding
    }
}

extension Data {
    init(buffer: ByteBuffer) {
        self = Data(buffer.readableBytesView)
    }
}
