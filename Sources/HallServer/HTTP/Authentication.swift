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

    /// Passes for the admin token (bearer or the admin page cookie).
    func requireAdmin(_ request: Request) throws {
        guard isAdminRequest(request) else {
            throw HallError(401, APIErrorCode.unauthorized, "this needs the hall's admin token ('Authorization: Bearer <adminToken>')")
        }
    }

    /// True for the admin bearer token or the admin page cookie (hex SHA-256 of the admin token).
    func isAdminRequest(_ request: Request) -> Bool {
        if let token = request.bearerToken { return isAdmin(bearer: token) }
        if let cookie = request.cookie(AdminCookie.name), let digest = Hex.decode(cookie), let admin = hall.adminTokenDigest {
            return constantTimeEqual(admin, digest)
        }
        return false
    }

    /// Any authenticated caller: a device, a logged-in staff member or the admin.
    func requireCaller(_ request: Request) async throws -> Caller {
        if request.bearerToken == nil, isAdminRequest(request) { return .admin }
        guard let token = request.bearerToken else {
            throw HallError(401, APIErrorCode.unauthorized, "send a device, staff or admin token as 'Authorization: Bearer <token>'")
        }
        if let d = device(bearer: token) { return .device(d) }
        if isAdmin(bearer: token) { return .admin }
        if let s = try await staffSession(token: token) { return .staff(s) }
        throw HallError(401, APIErrorCode.unauthorized, "the bearer token is not valid here")
    }
}

enum AdminCookie {
    static let name = "hk_admin"
}

enum StaffCookie {
    static let name = "hk_staff"
}
