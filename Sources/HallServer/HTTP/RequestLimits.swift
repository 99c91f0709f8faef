import Foundation
import HallAPI
import Hummingbird
import NIOCore

/// `[limits]` in `hall.toml`: how much one client may ask of the hall server. `0` switches a limit off.
///
/// | key | meaning | default |
/// |---|---|---|
/// | `perClientPerMinute`, `perClientBurst` | requests per minute from one IP address (phones behind the hall Wi-Fi share one) | 1200, 300 |
/// | `perDevicePerMinute`, `perDeviceBurst` | requests per minute with one device token | 600, 120 |
/// | `loginAttemptsPerMinute` | staff and admin logins per minute from one IP address | 10 |
/// | `maxBodyKiB` | largest request body (413 above it) | 64 |
/// | `exemptLoopback` | requests from 127.0.0.0/8 and ::1 skip the rate limits and the connection cap (same-box kiosk, benchmarks) | true |
/// | `idleSeconds` | a connection that sends nothing for this long — idle between requests or stalled inside one — is closed | 20 |
/// | `maxConnectionsPerClient` | open connections from one IP address at once (more are closed at once) | 64 |
/// | `requestSeconds` | a request (head and body) that has not fully arrived this long after it began closes its connection | 30 |
public struct LimitsSettings: Codable, Sendable, Equatable {
    public var perClientPerMinute: Int?
    public var perClientBurst: Int?
    public var perDevicePerMinute: Int?
    public var perDeviceBurst: Int?
    public var loginAttemptsPerMinute: Int?
    public var maxBodyKiB: Int?
    public var exemptLoopback: Bool?
    public var idleSeconds: Int?
    public var maxConnectionsPerClient: Int?
    public var requestSeconds: Int?

    public init(perClientPerMinute: Int? = nil, perClientBurst: Int? = nil, perDevicePerMinute: Int? = nil,
                perDeviceBurst: Int? = nil, loginAttemptsPerMinute: Int? = nil, maxBodyKiB: Int? = nil, exemptLoopback: Bool? = nil,
                idleSeconds: Int? = nil, maxConnectionsPerClient: Int? = nil, requestSeconds: Int? = nil) {
        self.perClientPerMinute = perClientPerMinute
        self.perClientBurst = perClientBurst
        self.perDevicePerMinute = perDevicePerMinute
        self.perDeviceBurst = perDeviceBurst
        self.loginAttemptsPerMinute = loginAttemptsPerMinute
        self.maxBodyKiB = maxBodyKiB
        self.exemptLoopback = exemptLoopback
        self.idleSeconds = idleSeconds
        self.maxConnectionsPerClient = maxConnectionsPerClient
        self.requestSeconds = requestSeconds
    }
}

/// Validated request limits (see `LimitsSettings` for the keys and defaults).
public struct RequestLimits: Sendable, Equatable {
    /// A token bucket: `perMinute` sustained, up to `burst` at once. Nil rates are off.
    public struct Rate: Sendable, Equatable {
        public var perMinute: Int
        public var burst: Int
        public init(perMinute: Int, burst: Int) {
            self.perMinute = perMinute
            self.burst = burst
        }
    }

    public var perClient: Rate?
    public var perDevice: Rate?
    public var logins: Rate?
    public var maxBodyBytes: Int
    public var exemptLoopback: Bool
    /// Seconds a connection may send nothing (between requests or in the middle of one) before it is closed.
    public var idleSeconds: Int
    /// Open connections one IP address may hold at once; nil is no cap.
    public var maxConnectionsPerClient: Int?
    /// Seconds from a request's first line to its last body byte before its connection is closed.
    public var requestSeconds: Int

    /// The defaults: generous enough for a hall's kiosks and phones, tight on logins.
    public init() {
        perClient = Rate(perMinute: 1200, burst: 300)
        perDevice = Rate(perMinute: 600, burst: 120)
        logins = Rate(perMinute: 10, burst: 10)
        maxBodyBytes = 64 * 1024
        exemptLoopback = true
        idleSeconds = 20
        maxConnectionsPerClient = 64
        requestSeconds = 30
    }

    /// Validates `[limits]`; the problem names the key.
    public init(_ settings: LimitsSettings?) throws(ConfigProblem) {
        self.init()
        guard let s = settings else { return }
        func rate(_ perMinute: Int?, _ burst: Int?, _ key: String, _ fallback: Rate?) throws(ConfigProblem) -> Rate? {
            let minute = perMinute ?? fallback?.perMinute ?? 0
            guard minute >= 0, minute <= 1_000_000 else { throw ConfigProblem("limits.\(key)PerMinute: \(minute) must be 0 (off) … 1000000") }
            guard minute > 0 else { return nil }
            let size = burst ?? (perMinute == nil ? fallback?.burst : nil) ?? max(1, minute / 4)
            guard size >= 1, size <= 1_000_000 else { throw ConfigProblem("limits.\(key)Burst: \(size) must be 1 … 1000000") }
            return Rate(perMinute: minute, burst: size)
        }
        perClient = try rate(s.perClientPerMinute, s.perClientBurst, "perClient", perClient)
        perDevice = try rate(s.perDevicePerMinute, s.perDeviceBurst, "perDevice", perDevice)
        if let n = s.loginAttemptsPerMinute {
            guard (0...10_000).contains(n) else { throw ConfigProblem("limits.loginAttemptsPerMinute: \(n) must be 0 (off) … 10000") }
            logins = n == 0 ? nil : Rate(perMinute: n, burst: n)
        }
        if let kib = s.maxBodyKiB {
            guard (1...65536).contains(kib) else { throw ConfigProblem("limits.maxBodyKiB: \(kib) must be 1 … 65536 (KiB)") }
            maxBodyBytes = kib * 1024
        }
        exemptLoopback = s.exemptLoopback ?? exemptLoopback
        if let idle = s.idleSeconds {
            guard (5...3600).contains(idle) else { throw ConfigProblem("limits.idleSeconds: \(idle) must be 5 … 3600 (seconds)") }
            idleSeconds = idle
        }
        if let cap = s.maxConnectionsPerClient {
            guard (0...100_000).contains(cap) else { throw ConfigProblem("limits.maxConnectionsPerClient: \(cap) must be 0 (off) … 100000") }
            maxConnectionsPerClient = cap == 0 ? nil : cap
        }
        if let seconds = s.requestSeconds {
            guard (5...3600).contains(seconds) else { throw ConfigProblem("limits.requestSeconds: \(seconds) must be 5 … 3600 (seconds)") }
            requestSeconds = seconds
        }
    }
}

extension HallConfig {
    /// Checks `[backup]` and `[limits]` (a `ConfigProblem` names the key).
    func validateBackupAndLimits() throws {
        _ = try (backup ?? BackupSettings()).validated()
        _ = try RequestLimits(limits)
    }
}

/// Token buckets by key (an IP address, a device id), on a monotonic clock.
final class RateLimiter: @unchecked Sendable {
    private struct Bucket {
        var tokens: Double
        var updated: Double
    }

    private let lock = NSLock()
    private var buckets: [String: Bucket] = [:]
    private var calls = 0
    let rate: RequestLimits.Rate

    init(_ rate: RequestLimits.Rate) {
        self.rate = rate
    }

    /// Takes one token for `key`; nil when allowed, else the seconds until the next token.
    func take(_ key: String, now: Double) -> Double? {
        let perSecond = Double(rate.perMinute) / 60
        let capacity = Double(rate.burst)
        return lock.withLock {
            calls += 1
            if calls % 4096 == 0 || buckets.count >= Self.maxKeys { prune(now: now, perSecond: perSecond, capacity: capacity) }
            var bucket = buckets[key] ?? Bucket(tokens: capacity, updated: now)
            bucket.tokens = min(capacity, bucket.tokens + max(0, now - bucket.updated) * perSecond)
            bucket.updated = now
            defer { buckets[key] = bucket }
            if bucket.tokens >= 1 {
                bucket.tokens -= 1
                return nil
            }
            return (1 - bucket.tokens) / perSecond
        }
    }

    /// Most keys held at once: past it the refilled buckets go at once, and if that is not enough the least
    /// recently used half (a forgotten bucket starts full again: the limit errs towards the client, never the memory).
    static let maxKeys = 65_536

    /// Drops buckets that have refilled (they are the same as a fresh one): memory stays bounded.
    private func prune(now: Double, perSecond: Double, capacity: Double) {
        buckets = buckets.filter { $0.value.tokens + (now - $0.value.updated) * perSecond < capacity }
        if buckets.count >= Self.maxKeys {
            let keep = buckets.sorted { $0.value.updated > $1.value.updated }.prefix(Self.maxKeys / 2)
            buckets = Dictionary(uniqueKeysWithValues: keep.map { ($0.key, $0.value) })
        }
    }

    var count: Int { lock.withLock { buckets.count } }
}

/// Applies `RequestLimits` before any route: 413 for a declared body over the limit (and sets the limit
/// the handlers collect bodies with), 429 with `Retry-After` for a client IP address, a device token or
/// login attempts over their rate. Answers are the API's JSON error shape.
struct RequestLimitsMiddleware: RouterMiddleware {
    typealias Context = HallRequestContext
    let limits: RequestLimits
    let desk: HallDesk
    let clients: RateLimiter?
    let devices: RateLimiter?

    init(limits: RequestLimits, desk: HallDesk) {
        self.limits = limits
        self.desk = desk
        clients = limits.perClient.map(RateLimiter.init)
        devices = limits.perDevice.map(RateLimiter.init)
    }

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        var context = context
        // A staff photo upload may be larger than an API body: its handler reads it only for a signed-in admin.
        let limit = request.uri.path == HallRoutes.adminStaffPhoto.template ? max(limits.maxBodyBytes, StaffPhoto.uploadLimitBytes)
            : limits.maxBodyBytes
        context.bodyLimit = limit
        if let declared = request.headers[.contentLength].flatMap({ Int($0) }), declared > limit {
            return Responses.errorJSON(.bodyTooLarge,
                                       message: "request body of \(declared) bytes is larger than the limit of \(limit / 1024) KiB")
        }
        guard let address = Self.clientAddress(context.remoteAddress), !(limits.exemptLoopback && Self.isLoopback(address)) else {
            return try await next(request, context)
        }
        let now = desk.monotonic.monotonicSeconds()
        if let clients, let wait = clients.take(ClientAddress.key(address), now: now) {
            return Self.tooMany(wait, "too many requests from this address (limit \(limits.perClient?.perMinute ?? 0) a minute); "
                + "retry after \(Self.seconds(wait)) s")
        }
        if let devices, let token = request.bearerToken, let device = desk.device(bearer: token), let wait = devices.take(device.id, now: now) {
            return Self.tooMany(wait, "too many requests from device '\(device.id)' (limit \(limits.perDevice?.perMinute ?? 0) a minute); "
                + "retry after \(Self.seconds(wait)) s")
        }
        return try await next(request, context)
    }

    static func tooMany(_ wait: Double, _ message: String, kind: APIErrorKind = .rateLimited) -> Response {
        var response = Responses.errorJSON(kind, message: message)
        response.headers[.retryAfter] = "\(seconds(wait))"
        return response
    }

    static func seconds(_ wait: Double) -> Int { max(1, Int(wait.rounded(.up))) }

    /// The peer's IP address as text (nil for non-IP peers such as in-process tests).
    static func clientAddress(_ address: SocketAddress?) -> String? {
        guard let address, let ip = address.ipAddress else { return nil }
        return ip
    }

    static func isLoopback(_ ip: String) -> Bool {
        ip == "::1" || ip.hasPrefix("127.") || ip.hasPrefix("::ffff:127.")
    }
}

/// `loginAttemptsPerMinute` from one address, attached to each login route itself (`POST /admin/login`,
/// `POST /staff/login`, `POST /api/v1/windows/{id}/login`), so it counts every request the router sends there —
/// `/staff/login/`, `//staff//login` and any other spelling alike. One instance is shared by all login routes.
struct LoginAttemptsMiddleware: RouterMiddleware {
    typealias Context = HallRequestContext
    let limits: RequestLimits
    let desk: HallDesk
    let logins: RateLimiter?
    /// For a form login: the page (with this message as its error) to answer 429 with, instead of JSON.
    var page: (@Sendable (String) -> String)?

    init(limits: RequestLimits, desk: HallDesk) {
        self.limits = limits
        self.desk = desk
        logins = limits.logins.map(RateLimiter.init)
    }

    /// The same limit (the same counts) answering with a login page, for the browser forms.
    func answering(with page: @escaping @Sendable (String) -> String) -> LoginAttemptsMiddleware {
        var copy = self
        copy.page = page
        return copy
    }

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        guard let logins, let address = RequestLimitsMiddleware.clientAddress(context.remoteAddress),
              !(limits.exemptLoopback && RequestLimitsMiddleware.isLoopback(address)) else {
            return try await next(request, context)
        }
        let now = desk.monotonic.monotonicSeconds()
        if let wait = logins.take(ClientAddress.key(address), now: now) {
            desk.logger.notice("login attempts limited", metadata: ["client": "\(address)"])
            let seconds = RequestLimitsMiddleware.seconds(wait)
            if let page {
                var headers = HTTPFields()
                headers[.retryAfter] = "\(seconds)"
                return Responses.html(page("登录尝试过于频繁，请 \(seconds) 秒后再试 / Too many sign-in attempts from this device; wait \(seconds) s"),
                                      status: .tooManyRequests, headers: headers)
            }
            throw HallError(.tooManyAttempts, "too many login attempts from this address; wait \(seconds) s and try again")
                .retryAfter(wait)
        }
        return try await next(request, context)
    }
}

extension Request {
    /// Where a login comes from: the socket's address, console-trust cookies, and a device token if one came along.
    func loginClient(_ context: HallRequestContext, desk: HallDesk) -> LoginClient {
        var consoles: [String: String] = [:]
        for header in headers[values: .cookie] {
            for part in header.split(separator: ";") where consoles.count < 16 {
                let pair = part.split(separator: "=", maxSplits: 1)
                let name = pair[0].trimmingCharacters(in: .whitespaces)
                if pair.count == 2, name.hasPrefix("hk_console_") { consoles[name] = String(pair[1]) }
            }
        }
        return LoginClient(address: context.clientAddress, consoleCookies: consoles,
                           windowDeviceId: bearerToken.flatMap { desk.device(bearer: $0)?.id })
    }
}
