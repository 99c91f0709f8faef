import HallAPI
import Hummingbird

/// Who is calling.
enum Caller: Sendable {
    case device(Hall.Device)
    case staff(StaffSession)
    case admin
}

extension HallDesk {
    /// The device behind the bearer token; 401 otherwise. `role` narrows which devices may call.
    func requireDevice(_ request: Request, role: DeviceRole? = nil) throws -> Hall.Device {
        guard let token = request.bearerToken else {
            throw HallError(401, APIErrorCode.unauthorized, "send the device token as 'Authorization: Bearer <token>'")
        }
        guard let device = device(bearer: token) else {
            throw HallError(401, APIErrorCode.unauthorized, "the bearer token belongs to no configured device")
        }
        if let role, device.role != role {
            throw HallError(403, APIErrorCode.forbidden, "device '\(device.id)' is a \(device.role.rawValue); this needs a \(role.rawValue)")
        }
        return device
    }

    /// The staff session behind the bearer token, which must be at `windowId`.
    func requireStaff(_ request: Request, windowId: String) async throws -> (StaffSession, String) {
        guard let token = request.bearerToken else {
            throw HallError(401, APIErrorCode.unauthorized, "log in at the window first and send 'Authorization: Bearer <staffToken>'")
        }
        guard let session = try await staffSession(token: token) else {
            throw HallError(401, APIErrorCode.unauthorized, "the staff token is unknown, expired or logged out; log in again")
        }
        guard session.windowId == windowId else {
            throw HallError(403, APIErrorCode.forbidden, "this staff token is for window '\(session.windowId)', not '\(windowId)'")
        }
        return (session, token)
    }

    /// Passes for the admin token as a bearer, or for a live admin page session on a read (GET/HEAD): a session
    /// cookie never changes anything through the API, so a page on another origin cannot use it (CSRF).
    /// Wrong bearer tokens count towards the address's admin lockout (`LoginGuard`), and while it holds even the
    /// right token gets 429.
    func requireAdmin(_ request: Request, context: HallRequestContext) throws {
        if let token = request.bearerToken {
            let admin = isAdmin(bearer: token)
            try presentAdminCredential(matched: admin, context: context)
            guard admin else {
                throw HallError(401, APIErrorCode.unauthorized, "this needs the hall's admin token ('Authorization: Bearer <adminToken>')")
            }
            return
        }
        guard request.method.isSafe, hasAdminSession(request) else {
            throw HallError(401, APIErrorCode.unauthorized, "this needs the hall's admin token ('Authorization: Bearer <adminToken>')")
        }
    }

    /// True for a live admin page session (the `hk_admin` cookie); the admin pages use this.
    func hasAdminSession(_ request: Request) -> Bool {
        guard let cookie = request.cookie(AdminCookie.name), !cookie.isEmpty else { return false }
        return adminSessions.isLive(cookie, now: now)
    }

    /// Any authenticated caller: a device, a logged-in staff member or the admin (token, or page session on reads).
    /// An unknown bearer token counts towards the address's admin lockout, unless it is an old staff token.
    func requireCaller(_ request: Request, context: HallRequestContext) async throws -> Caller {
        guard let token = request.bearerToken else {
            if request.method.isSafe, hasAdminSession(request) { return .admin }
            throw HallError(401, APIErrorCode.unauthorized, "send a device, staff or admin token as 'Authorization: Bearer <token>'")
        }
        if let d = device(bearer: token) { return .device(d) }
        if isAdmin(bearer: token) {
            try presentAdminCredential(matched: true, context: context)
            return .admin
        }
        if let s = try await staffSession(token: token) { return .staff(s) }
        if try await !wasStaffToken(token) {
            try presentAdminCredential(matched: false, context: context)
        }
        throw HallError(401, APIErrorCode.unauthorized, "the bearer token is not valid here")
    }

    /// One lockout for every way of presenting the admin credential (login page, bearer on any route): 429 while
    /// the address is locked (whether or not this one is right), else counts a wrong one.
    func presentAdminCredential(matched: Bool, context: HallRequestContext) throws {
        let address = context.clientAddress
        if let lock = loginGuard.check(.admin, address: address, now: now) {
            throw HallError(429, APIErrorCode.tooManyAttempts, "too many wrong admin tokens from this address; try again in "
                + "\(Int(lock.retryAfter / 60) + 1) minutes").retryAfter(lock.retryAfter)
        }
        if matched {
            loginGuard.succeeded(.admin, address: address)
        } else {
            loginGuard.failed(.admin, address: address, now: now)
            logger.notice("wrong admin token", metadata: ["client": "\(address)"])
        }
    }
}

extension HTTPRequest.Method {
    /// GET and HEAD: requests that change nothing.
    var isSafe: Bool { self == .get || self == .head }
}

extension HallRequestContext {
    /// The client's address as the socket gives it, as counted (`ClientAddress.key`: IPv6 by /64); "local" for
    /// in-process requests. A validated key.
    var clientAddress: String { RequestLimitsMiddleware.clientAddress(remoteAddress).map(ClientAddress.key) ?? "local" }
}

enum AdminCookie {
    static let name = "hk_admin"
}

enum StaffCookie {
    static let name = "hk_staff"
}
