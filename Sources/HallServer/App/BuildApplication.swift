import Foundation
import HallAPI
import Hummingbird
import HummingbirdCore
import HummingbirdTLS
import NIOCore
import NIOSSL
import Logging

/// Version of the hall server.
public enum HallServerInfo {
    public static let version = "0.1.0"
}

/// How to run a hall server. Every parameter has a default.
public struct HallServerConfiguration: Sendable {
    /// The validated hall (from `hall.toml`).
    public var hall: Hall
    /// SQLite database file. Default `hallserver.sqlite` in the working folder.
    public var databasePath: String
    /// Listen address. Default `127.0.0.1`.
    public var host: String
    /// Listen port; 0 picks a free one. Default 8080.
    public var port: Int
    /// Seconds between SSE heartbeat comments. Default 15.
    public var sseHeartbeatSeconds: Double
    /// Clock and randomness (tests inject fakes).
    public var now: any NowSource
    public var random: any RandomSource
    public var logLevel: Logger.Level
    /// Request rate and size limits (`[limits]` in `hall.toml`). Default `RequestLimits()`.
    public var limits: RequestLimits
    /// https with this configuration (`[tls]`, see `ServerTLS`); nil is plain http.
    public var tls: TLSConfiguration?
    /// Background upkeep: hall-day closing, event pruning, disk reserve (`[maintenance]`). Default `Maintenance()`.
    public var maintenance: Maintenance
    /// Where the server logs; nil: a `hallserver` logger at `logLevel`.
    public var logger: Logger?
    /// The decoded `hall.toml` `hall` was made from: with it the settings can be edited on the admin pages
    /// (`SettingsKeeper`); nil: they cannot. Default nil.
    public var settingsSeed: SettingsSeed?

    public init(hall: Hall, databasePath: String = "hallserver.sqlite", host: String = "127.0.0.1", port: Int = 8080,
                sseHeartbeatSeconds: Double = 15, now: any NowSource = SystemNow(), random: any RandomSource = SystemRandom(),
                logLevel: Logger.Level = .info, limits: RequestLimits = RequestLimits(), tls: TLSConfiguration? = nil,
                maintenance: Maintenance = Maintenance(), logger: Logger? = nil, settingsSeed: SettingsSeed? = nil) {
        self.hall = hall
        self.databasePath = databasePath
        self.host = host
        self.port = port
        self.sseHeartbeatSeconds = sseHeartbeatSeconds
        self.now = now
        self.random = random
        self.logLevel = logLevel
        self.limits = limits
        self.tls = tls
        self.maintenance = maintenance
        self.logger = logger
        self.settingsSeed = settingsSeed
    }
}

/// The built server: the application to run plus what tests look into.
public struct HallServerApp: Sendable {
    public var application: Application<RouterResponder<HallRequestContext>>
    public var desk: HallDesk
    /// Every route the router answers, as Hummingbird lists them (`GET /api/v1/tickets/{token}`).
    public var routes: [String]
}

/// Builds the hall server on the SQLite file `config.databasePath`; `main` and the tests both use this.
public func buildHallServer(_ config: HallServerConfiguration, onServerRunning: @escaping @Sendable (Int) async -> Void = { _ in }) throws -> HallServerApp {
    let logger = config.serverLogger
    let store = try SQLiteHallStore(path: config.databasePath, reserveBytes: config.maintenance.reserveBytes,
                                    retryAfterSeconds: max(1, Int(config.maintenance.diskCheckSeconds.rounded(FloatingPointRoundingRule.up))), logger: logger)
    let settings = config.settingsKeeper(stored: try store.storedSettingsNow(), logger: logger)
    let desk = HallDesk(hall: settings.hall, store: store, start: try store.deskStartNow(hall: settings.hall, random: config.random),
                        now: config.now, random: config.random, logger: logger, settings: settings)
    return try assembleHallServer(config, desk: desk, storeName: config.databasePath, onServerRunning: onServerRunning)
}

/// Builds the hall server on `store` (any `HallStore`; `storeName` says which in the start-up log line).
public func buildHallServer(_ config: HallServerConfiguration, store: any HallStore, storeName: String,
                            onServerRunning: @escaping @Sendable (Int) async -> Void = { _ in }) async throws -> HallServerApp {
    let settings = config.settingsKeeper(stored: try await store.storedSettings(), logger: config.serverLogger)
    let start = try await DeskStart.load(from: store, hall: settings.hall, random: config.random)
    let desk = HallDesk(hall: settings.hall, store: store, start: start, now: config.now, random: config.random, logger: config.serverLogger,
                        settings: settings)
    return try assembleHallServer(config, desk: desk, storeName: storeName, onServerRunning: onServerRunning)
}

extension HallServerConfiguration {
    /// The running hall: the stored settings over the seed, or `hall` fixed when there is no seed.
    func settingsKeeper(stored: StoredSettings?, logger: Logger) -> SettingsKeeper {
        guard let settingsSeed else { return SettingsKeeper(fixed: hall) }
        return SettingsKeeper(seed: settingsSeed, fileHall: hall, stored: stored, logger: logger)
    }

    /// `logger`, or a `hallserver` logger, at `logLevel`.
    var serverLogger: Logger {
        var logger = self.logger ?? Logger(label: "hallserver")
        logger.logLevel = logLevel
        return logger
    }
}

/// The routes, middlewares and services of a hall server around `desk`.
private func assembleHallServer(_ config: HallServerConfiguration, desk: HallDesk, storeName: String,
                                onServerRunning: @escaping @Sendable (Int) async -> Void) throws -> HallServerApp {
    let logger = desk.logger
    let responses = Responses(timeZone: config.hall.timeZone)
    let router = Router(context: HallRequestContext.self)
    router.middlewares.add(HallErrorMiddleware(metrics: desk.metrics, encoder: responses.encoder))
    router.middlewares.add(RequestLimitsMiddleware(limits: config.limits, desk: desk))
    router.middlewares.add(SameOriginMiddleware(publicBaseUrl: config.hall.publicBaseUrl, tls: config.tls != nil))
    router.middlewares.add(AuthenticationMiddleware(desk: desk))
    let loginAttempts = LoginAttemptsMiddleware(limits: config.limits, desk: desk)
    let secureCookies = config.tls != nil
    APIRoutes(desk: desk, responses: responses).register(on: router)
    CheckinRoutes(desk: desk, responses: responses).register(on: router)
    WindowRoutes(desk: desk, responses: responses, heartbeatSeconds: config.sseHeartbeatSeconds, loginAttempts: loginAttempts,
                 secureCookies: secureCookies).register(on: router)
    WindowStateRoutes(desk: desk, responses: responses).register(on: router)
    BoardRoutes(desk: desk, responses: responses, heartbeatSeconds: config.sseHeartbeatSeconds).register(on: router)
    PageRoutes(desk: desk, loginAttempts: loginAttempts, secureCookies: secureCookies).register(on: router)
    AdminSettingsRoutes(desk: desk).register(on: router)
    BookingRoutes(booking: BookingDesk(desk: desk), limits: config.limits).register(on: router)
    if let postgres = desk.store as? PostgresHallStore {
        // The city report names the hall's services, windows and staff: keep them as the settings change.
        desk.settings.onChange { hall in Task { try? await postgres.recordDirectory(of: hall) } }
    }
    CityRoutes(desk: desk, loginAttempts: loginAttempts, secureCookies: secureCookies,
               reporter: (desk.store as? PostgresHallStore).map(CityReporter.init(store:)), sessions: AdminSessions()).register(on: router)
    let cap = config.limits.maxConnectionsPerClient.map {
        ConnectionCap(limit: $0, exemptLoopback: config.limits.exemptLoopback, logger: logger)
    }
    let requestSeconds = config.limits.requestSeconds
    let deadlineLogger = logger
    let http1 = HTTP1Channel.Configuration(
        additionalChannelHandlers: (cap.map { cap in [ConnectionCapHandler(cap: cap)] } ?? [])
            + [RequestDeadlineHandler(seconds: requestSeconds, logger: deadlineLogger)],
        idleTimeout: .seconds(Int64(config.limits.idleSeconds)))
    var app = Application(
        router: router,
        server: try config.tls.map { try .tls(.http1(configuration: http1), tlsConfiguration: $0) } ?? .http1(configuration: http1),
        configuration: .init(address: .hostname(config.host, port: config.port), serverName: "hallserver"),
        onServerRunning: { channel in await onServerRunning(channel.localAddress?.port ?? 0) },
        logger: logger)
    app.addServices(HallMaintenance(desk: desk, settings: config.maintenance))
    app.addServices(SettingsFollower(desk: desk))
    app.addServices(AlertMonitor(desk: desk))
    if let shared = desk.store as? any SharedHallStore {
        app.addServices(WindowEventRelay(store: shared, hub: desk.events, windowIds: { desk.hall.windows.map(\.id) }))
    }
    let hall = desk.hall
    logger.info("hall server ready", metadata: ["hall.id": "\(hall.id)", "scheme": "\(config.tls == nil ? "http" : "https")", "database": "\(storeName)",
                                                "services": "\(hall.services.count)", "windows": "\(hall.windows.count)",
                                                "settings.version": "\(desk.settings.now.version)"])
    let routes = router.routes.map { "\($0.method) \($0.path)" }
    return HallServerApp(application: app, desk: desk, routes: routes)
}
