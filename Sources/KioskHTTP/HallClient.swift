import AsyncHTTPClient
import Foundation
import HallAPI
import KioskCore
import Logging
import NIOCore
import NIOHTTP1
import NIOSSL

/// How the kiosk reaches its hall server.
public struct HallClientConfiguration: Sendable {
    /// Base URL of the hall server, e.g. `http://127.0.0.1:8080`.
    public var baseURL: String
    /// This device's id and bearer token.
    public var deviceId: String
    public var deviceToken: String
    /// PEM file of the hall's private CA for `https` (nil = the system trust store).
    public var caFile: String?
    /// Seconds before any request is given up. Default 5.
    public var requestTimeoutSeconds: Double

    public init(baseURL: String, deviceId: String, deviceToken: String, caFile: String? = nil, requestTimeoutSeconds: Double = 5) {
        self.baseURL = baseURL.hasSuffix("/") ? String(baseURL.dropLast()) : baseURL
        self.deviceId = deviceId
        self.deviceToken = deviceToken
        self.caFile = caFile
        self.requestTimeoutSeconds = requestTimeoutSeconds
    }
}

/// What went wrong talking to the hall server.
public enum HallClientError: Error, Sendable, CustomStringConvertible {
    /// No connection, a timeout, or a transport error: retrying is safe.
    case unreachable(String)
    /// The server answered with an error body.
    case rejected(status: Int, code: String, message: String)
    /// The server answered something that is not the API (wrong program on that port, a proxy page…).
    case malformed(status: Int, detail: String)

    public var description: String {
        switch self {
        case .unreachable(let why): "hall server unreachable: \(why)"
        case .rejected(let status, let code, let message): "hall server refused (\(status) \(code)): \(message)"
        case .malformed(let status, let detail): "hall server answered something unexpected (HTTP \(status)): \(detail)"
        }
    }

    /// True when the same request may simply be sent again (transport errors, 5xx, 429).
    public var isRetryable: Bool {
        switch self {
        case .unreachable: true
        case .rejected(let status, _, _): status >= 500 || status == 429
        case .malformed(let status, _): status >= 500
        }
    }
}

/// The kiosk's client of the hall API. One instance per program; call `shutdown()` before exit.
public final class HallClient: Sendable {
    public let configuration: HallClientConfiguration
    let http: HTTPClient
    private let logger: Logger

    public init(configuration: HallClientConfiguration, logger: Logger = Logger(label: "hallkiosk.http")) throws {
        self.configuration = configuration
        self.logger = logger
        self.http = try Self.makeHTTPClient(configuration, readTimeout: .seconds(Int64(max(1, configuration.requestTimeoutSeconds))))
    }

    /// An HTTP client for this hall (TLS with the hall CA when configured). `readTimeout` nil = none
    /// (the event stream watches its own silence).
    static func makeHTTPClient(_ configuration: HallClientConfiguration, readTimeout: TimeAmount?) throws -> HTTPClient {
        var http = HTTPClient.Configuration(redirectConfiguration: .disallow, timeout: .init(connect: .seconds(3), read: readTimeout))
        if let ca = configuration.caFile {
            guard FileManager.default.isReadableFile(atPath: ca) else {
                throw HallClientError.unreachable("CA file '\(ca)' cannot be read; set server.caFile to the hall CA's PEM file")
            }
            var tls = TLSConfiguration.makeClientConfiguration()
            tls.trustRoots = .file(ca)
            tls.certificateVerification = .fullVerification
            http.tlsConfiguration = tls
        }
        http.httpVersion = .http1Only
        // The hall server closes connections idle for 20 s (`limits.idleSeconds`); letting ours go first
        // keeps a request from being sent on a connection the server is closing.
        http.connectionPool = .init(idleTimeout: .seconds(15))
        return HTTPClient(eventLoopGroupProvider: .singleton, configuration: http)
    }

    public func shutdown() async {
        try? await http.shutdown()
    }

    // MARK: API

    /// `GET /api/v1/hall`.
    public func hallStatus() async throws(HallClientError) -> HallStatus {
        try await send(HallRoutes.hall(), as: HallStatus.self)
    }

    /// `POST /api/v1/tickets` under the citizen's intent key (in a priority lane when the citizen chose one).
    public func issueTicket(serviceId: String, intentKey: String,
                            priority: PriorityKind? = nil) async throws(HallClientError) -> IssuedTicket {
        let body = IssueTicketRequest(serviceId: serviceId, kioskId: configuration.deviceId, priority: priority)
        return try await send(HallRoutes.issueTicket(), body: body, headers: [("Idempotency-Key", intentKey)], as: IssuedTicket.self)
    }

    /// `GET /api/v1/tickets?number=` or `GET /api/v1/tickets/{token}`.
    public func lookup(_ query: LookupQuery) async throws(HallClientError) -> TicketProgress {
        switch query {
        case .number(let number):
            return try await send(HallRoutes.ticketByNumber(query: [("number", number)]), as: TicketProgress.self)
        case .numberWithCode(let number, let code):
            return try await send(HallRoutes.ticketByNumber(query: [("number", number), ("ratingCode", code)]), as: TicketProgress.self)
        case .token(let token):
            return try await send(HallRoutes.ticketByToken(token), as: TicketProgress.self)
        }
    }

    /// `POST /api/v1/devices/{id}/heartbeat`.
    public func heartbeat(_ beat: DeviceHeartbeat) async throws(HallClientError) -> HeartbeatAck {
        try await send(HallRoutes.heartbeat(configuration.deviceId), body: beat, as: HeartbeatAck.self)
    }

    /// `GET /healthz` and its round-trip time in milliseconds (for `doctor` and the admin screen); a degraded
    /// server's answer (503) is returned too, with what is wrong in `database` / `clock`.
    public func health() async throws(HallClientError) -> (HealthStatus, milliseconds: Double) {
        let start = ContinuousClock.now
        let answer = try await exchange(HallRoutes.health(), body: Optional<Empty>.none, authenticated: false)
        let elapsed = ContinuousClock.now - start
        // A degraded server answers 503 with the same body, naming what is wrong (its database, its clock).
        guard [200, 503].contains(answer.status), let status = try? HallJSON.decoder().decode(HealthStatus.self, from: answer.body) else {
            throw answer.status == 200
                ? .malformed(status: 200, detail: "expected HealthStatus; first bytes: \(Self.preview(answer.body))")
                : Self.failure(answer)
        }
        return (status, Double(elapsed.components.seconds) * 1000 + Double(elapsed.components.attoseconds) / 1e15)
    }

    // MARK: Transport

    struct Empty: Encodable {}

    func send<Answer: Decodable>(_ target: HallRoute.Target, headers: [(String, String)] = [],
                                 as: Answer.Type, authenticated: Bool = true) async throws(HallClientError) -> Answer {
        try await send(Self.method(target), target.path, headers: headers, as: Answer.self, authenticated: authenticated)
    }

    func send<Body: Encodable, Answer: Decodable>(_ target: HallRoute.Target, body: Body?, headers: [(String, String)] = [],
                                                  as: Answer.Type, authenticated: Bool = true) async throws(HallClientError) -> Answer {
        try await send(Self.method(target), target.path, body: body, headers: headers, as: Answer.self, authenticated: authenticated)
    }

    func exchange<Body: Encodable>(_ target: HallRoute.Target, body: Body?, headers: [(String, String)] = [],
                                   accept: String = "application/json",
                                   authenticated: Bool = true) async throws(HallClientError) -> RawAnswer {
        try await exchange(Self.method(target), target.path, body: body, headers: headers, accept: accept, authenticated: authenticated)
    }

    static func method(_ target: HallRoute.Target) -> HTTPMethod {
        switch target.method {
        case .GET: .GET
        case .POST: .POST
        }
    }

    func send<Answer: Decodable>(_ method: HTTPMethod, _ path: String, headers: [(String, String)] = [],
                                         as: Answer.Type, authenticated: Bool = true) async throws(HallClientError) -> Answer {
        try await send(method, path, body: Optional<Empty>.none, headers: headers, as: Answer.self, authenticated: authenticated)
    }

    func send<Body: Encodable, Answer: Decodable>(_ method: HTTPMethod, _ path: String, body: Body?,
                                                          headers: [(String, String)] = [], as: Answer.Type,
                                                          authenticated: Bool = true) async throws(HallClientError) -> Answer {
        let answer = try await exchange(method, path, body: body, headers: headers, authenticated: authenticated)
        let decoder = HallJSON.decoder()
        guard (200..<300).contains(answer.status) else {
            throw Self.failure(answer)
        }
        do {
            return try decoder.decode(Answer.self, from: answer.body)
        } catch {
            throw .malformed(status: answer.status, detail: "expected \(Answer.self): \(error); first bytes: \(Self.preview(answer.body))")
        }
    }

    /// A response as it came back: status, headers and the whole body (at most 4 MiB).
    struct RawAnswer: Sendable {
        var status: Int
        var headers: HTTPHeaders
        var body: Data
    }

    /// Sends one request with the device token and the client's deadline; any status is returned,
    /// only transport failures throw (`unreachable`). Shared by the typed helpers and the rating submit.
    func exchange<Body: Encodable>(_ method: HTTPMethod, _ path: String, body: Body?, headers: [(String, String)] = [],
                                   accept: String = "application/json",
                                   authenticated: Bool = true) async throws(HallClientError) -> RawAnswer {
        var request = HTTPClientRequest(url: configuration.baseURL + path)
        request.method = method
        if authenticated { request.headers.add(name: "Authorization", value: "Bearer \(configuration.deviceToken)") }
        request.headers.add(name: "Accept", value: accept)
        for (name, value) in headers { request.headers.add(name: name, value: value) }
        if let body {
            do {
                request.body = .bytes(ByteBuffer(bytes: try HallJSON.encoder().encode(body)))
            } catch {
                throw .malformed(status: 0, detail: "could not encode the request: \(error)")
            }
            request.headers.add(name: "Content-Type", value: "application/json")
        }
        do {
            let response = try await http.execute(request, timeout: .milliseconds(Int64(configuration.requestTimeoutSeconds * 1000)))
            let buffer = try await response.body.collect(upTo: 4 << 20)
            return RawAnswer(status: Int(response.status.code), headers: response.headers, body: Data(buffer.readableBytesView))
        } catch {
            throw .unreachable(Self.describe(error))
        }
    }

    /// The error for a non-2xx answer: the API's error body, or `malformed` when there is none.
    static func failure(_ answer: RawAnswer) -> HallClientError {
        if let body = try? HallJSON.decoder().decode(APIErrorBody.self, from: answer.body) {
            return .rejected(status: answer.status, code: body.error.code, message: body.error.message)
        }
        return .malformed(status: answer.status, detail: "no error body; first bytes: \(preview(answer.body))")
    }

    static func preview(_ data: Data) -> String {
        String(decoding: data.prefix(80), as: UTF8.self).replacingOccurrences(of: "\n", with: " ")
    }

    static func describe(_ error: Error) -> String {
        if let e = error as? HTTPClientError {
            if e == .connectTimeout || e == .deadlineExceeded || e == .readTimeout { return "timed out" }
            if e == .remoteConnectionClosed { return "connection closed by the server" }
        }
        let text = String(describing: error)
        if text.contains("connectionRefused") || text.contains("Connection refused") { return "connection refused" }
        return text
    }
}
