import HallAPI
import Hummingbird

/// Who is calling.
enum Caller: Sendable {
    case device(Hall.Device)
    case staff(StaffSession)
    case admin
}

/// What the credentials a request brings turned out to be: found once, before any route runs, by
/// `AuthenticationMiddleware` (which is where staff tokens are looked up); routes only read it.
struct RequestCredentials: Sendable {
    /// What the `Authorization: Bearer` token is.
    enum Bearer: Sendable {
        /// No bearer token.
        case none
        case device(Hall.Device)
        /// The hall's admin token.
        case admin
        /// A live staff session (with its token).
        case staff(StaffSession, token: String)
        /// A staff token that was logged out or expired: an old console, not a guess.
        case formerStaff
        /// A token that is nothing here (perhaps the metrics token).
        case unknown
    }

    /// A staff console's live session from its `hk_staff` cookie.
    struct ConsoleSession: Sendable {
        var session: StaffSession
        var token: String
    }

    var bearer: Bearer = .none
    /// The `hk_staff` cookie's live session, if any.
    var console: ConsoleSession?
    /// The `hk_admin` cookie, unchecked: checking a page session extends it, so only routes that accept one check it
    /// (`hasAdminSession`).
    var adminCookie: String?
    /// GET or HEAD: a request that changes nothing.
    var isSafeMethod = false

    /// No credentials (a request the middleware has not seen).
    static let anonymous = RequestCredentials()
}

/// Authentication: finds who the caller is (device, staff, admin, or nobody) and puts it in the request context
/// (`HallRequestContext.credentials`). It refuses nothing itself; routes say what they need (`requireDevice`,
/// `requireStaff`, `requireAdmin`, `requireCaller`) and get the same answers whichever route it is.
struct AuthenticationMiddleware: RouterMiddleware {
    typealias Context = HallRequestContext
    let desk: HallDesk

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        var context = context
        context.credentials = try await desk.credentials(bearer: request.bearerToken,
                                                         consoleCookie: request.cookie(StaffCookie.name),
                                                         adminCookie: request.cookie(AdminCookie.name),
                                                         isSafeMethod: request.method.isSafe)
        return try await next(request, context)
    }
}

extension HallDesk {
    /// What a request's credentials are. Device and admin tokens are checked in memory; a staff token costs one read
    /// of the store, and a token that is nothing one more (was it ever a staff token?).
    func credentials(bearer token: String?, consoleCookie: String?, adminCookie: String?, isSafeMethod: Bool) async throws -> RequestCredentials {
        var credentials = RequestCredentials(adminCookie: adminCookie.flatMap { $0.isEmpty ? nil : $0 }, isSafeMethod: isSafeMethod)
        if let token {
            if let d = device(bearer: token) {
                credentials.bearer = .device(d)
            } else if isAdmin(bearer: token) {
                credentials.bearer = .admin
            } else if let s = try await staffSession(token: token) {
                credentials.bearer = .staff(s, token: token)
            } else {
                credentials.bearer = try await wasStaffToken(token) ? .formerStaff : .unknown
            }
        }
        if let cookie = consoleCookie, !cookie.isEmpty, let s = try await staffSession(token: cookie) {
            credentials.console = .init(session: s, token: cookie)
        }
        return credentials
    }

    /// One lockout for every way of presenting the admin credential (login page, bearer on any route): 429 while
    /// the address is locked (whether or not this one is right), else counts a wrong one.
    func presentAdminCredential(matched: Bool, context: HallRequestContext) async throws {
        let address = context.clientAddress
        if let lock = try await loginGuard.check(.admin, address: address, now: now) {
            throw HallError(.tooManyAttempts, "too many wrong admin tokens from this address; try again in "
                + "\(Int(lock.retryAfter / 60) + 1) minutes").retryAfter(lock.retryAfter)
        }
        if matched {
            try await loginGuard.succeeded(.admin, address: address)
        } else {
            try await loginGuard.failed(.admin, address: address, now: now)
            logger.notice("wrong admin token", metadata: ["client": "\(address)"])
        }
    }
}

extension HallRequestContext {
    /// The device behind the bearer token; 401 otherwise. `role` narrows which devices may call.
    func requireDevice(role: DeviceRole? = nil) throws -> Hall.Device {
        switch credentials.bearer {
        case .none:
            throw HallError(.unauthorized, "send the device token as 'Authorization: Bearer <token>'")
        case .device(let device):
            if let role, device.role != role {
                throw HallError(.forbidden, "device '\(device.id)' is a \(device.role.rawValue); this needs a \(role.rawValue)")
            }
            return device
        case .admin, .staff, .formerStaff, .unknown:
            throw HallError(.unauthorized, "the bearer token belongs to no configured device")
        }
    }

    /// The staff session behind the bearer token (and the token), which must be at `windowId`.
    func requireStaff(windowId: String) throws -> (StaffSession, String) {
        switch credentials.bearer {
        case .none:
            throw HallError(.unauthorized, "log in at the window first and send 'Authorization: Bearer <staffToken>'")
        case .staff(let session, let token):
            guard session.windowId == windowId else {
                throw HallError(.forbidden, "this staff token is for window '\(session.windowId)', not '\(windowId)'")
            }
            return (session, token)
        case .device, .admin, .formerStaff, .unknown:
            throw HallError(.unauthorized, "the staff token is unknown, expired or logged out; log in again")
        }
    }

    /// Passes for the admin token as a bearer, or for a live admin page session on a read (GET/HEAD): a session
    /// cookie never changes anything through the API, so a page on another origin cannot use it (CSRF).
    /// Wrong bearer tokens count towards the address's admin lockout (`LoginGuard`), and while it holds even the
    /// right token gets 429.
    func requireAdmin(_ desk: HallDesk) async throws {
        if case .none = credentials.bearer {
            guard credentials.isSafeMethod, try await hasAdminSession(desk) else {
                throw HallError(.unauthorized, "this needs the hall's admin token ('Authorization: Bearer <adminToken>')")
            }
            return
        }
        let admin: Bool
        if case .admin = credentials.bearer { admin = true } else { admin = false }
        try await desk.presentAdminCredential(matched: admin, context: self)
        guard admin else {
            throw HallError(.unauthorized, "this needs the hall's admin token ('Authorization: Bearer <adminToken>')")
        }
    }

    /// True for a live admin page session (the `hk_admin` cookie); the admin pages use this. Checking extends it.
    func hasAdminSession(_ desk: HallDesk) async throws -> Bool {
        guard let cookie = credentials.adminCookie else { return false }
        return try await desk.adminSessions.isLive(cookie, now: desk.now)
    }

    /// True for the admin, by page session or by token (an admin page: anything else is sent to the login page).
    func isAdminOnPage(_ desk: HallDesk) async throws -> Bool {
        if try await hasAdminSession(desk) { return true }
        do {
            try await requireAdmin(desk)
            return true
        } catch let error as HallError where error.kind == .databaseUnavailable {
            throw error
        } catch {
            return false
        }
    }

    /// Any authenticated caller: a device, a logged-in staff member or the admin (token, or page session on reads).
    /// An unknown bearer token counts towards the address's admin lockout, unless it is an old staff token.
    func requireCaller(_ desk: HallDesk) async throws -> Caller {
        switch credentials.bearer {
        case .none:
            if credentials.isSafeMethod, try await hasAdminSession(desk) { return .admin }
            throw HallError(.unauthorized, "send a device, staff or admin token as 'Authorization: Bearer <token>'")
        case .device(let d):
            return .device(d)
        case .admin:
            try await desk.presentAdminCredential(matched: true, context: self)
            return .admin
        case .staff(let s, _):
            return .staff(s)
        case .formerStaff:
            throw HallError(.unauthorized, "the bearer token is not valid here")
        case .unknown:
            try await desk.presentAdminCredential(matched: false, context: self)
            throw HallError(.unauthorized, "the bearer token is not valid here")
        }
    }

    /// The staff console's live session (`hk_staff` cookie) with its token, or nil.
    var staffConsole: (StaffSession, String)? { credentials.console.map { ($0.session, $0.token) } }

    /// The client's address as the socket gives it, as counted (`ClientAddress.key`: IPv6 by /64); "local" for
    /// in-process requests. A validated key.
    var clientAddress: String { RequestLimitsMiddleware.clientAddress(remoteAddress).map(ClientAddress.key) ?? "local" }
}

extension HTTPRequest.Method {
    /// GET and HEAD: requests that change nothing.
    var isSafe: Bool { self == .get || self == .head }
}

enum AdminCookie {
    static let name = "hk_admin"
}

enum StaffCookie {
    static let name = "hk_staff"
}
