import Crypto
import Foundation
import GRDB
import HallAPI

/// A staff member authenticated at a window.
public struct StaffSession: Sendable {
    public var staff: Hall.Staff
    public var windowId: String
}

extension HallDesk {
    /// Employee number + PIN → a staff token valid at this window. Ends any other login at the window
    /// and any other window of the same staff member.
    public func login(windowId: String, _ request: StaffLoginRequest) async throws -> StaffLoginResponse {
        guard let window = hall.window(windowId) else {
            throw HallError(404, APIErrorCode.unknownWindow, "no window has id '\(windowId)'")
        }
        let now = self.now
        let limiterKey = request.employeeNo
        if let wait = loginLimiter.lockedFor(limiterKey, now: now) {
            throw HallError(429, APIErrorCode.tooManyAttempts,
                            "too many wrong PINs for this employee number; try again in \(Int(wait / 60) + 1) minutes")
        }
        guard let staff = hall.staffMember(employeeNo: request.employeeNo), staff.pinHash.matches(request.pin) else {
            loginLimiter.recordFailure(limiterKey, now: now)
            logger.notice("staff login failed", metadata: ["window.id": "\(windowId)"])
            throw HallError(401, APIErrorCode.loginFailed, "employee number or PIN is wrong")
        }
        loginLimiter.recordSuccess(limiterKey)
        let token = random.urlSafeToken(byteCount: 24)
        let digest = Self.digest(token)
        let expires = now + hall.staffSessionSeconds
        let events: [WindowEvent] = try await database.write { [self] db in
            var events: [WindowEvent] = []
            let previous = try Row.fetchAll(db, sql: """
                SELECT tokenHash, staffId, windowId FROM staffSession
                WHERE endedAt IS NULL AND expiresAt > ? AND (windowId = ? OR staffId = ?)
                """, arguments: [now, windowId, staff.id])
            for row in previous {
                try db.execute(sql: "UPDATE staffSession SET endedAt = ? WHERE tokenHash = ?", arguments: [now, row["tokenHash"] as String])
                let sid: String = row["staffId"]
                events.append(try WindowEventStore.append(db, type: .staffLoggedOut, windowId: row["windowId"], at: now, ticket: nil,
                                                          staff: hall.staffMember(sid)?.summary))
            }
            try db.execute(sql: "INSERT INTO staffSession (tokenHash, staffId, windowId, createdAt, expiresAt) VALUES (?, ?, ?, ?, ?)",
                           arguments: [digest, staff.id, windowId, now, expires])
            events.append(try WindowEventStore.append(db, type: .staffLoggedIn, windowId: windowId, at: now, ticket: nil,
                                                      staff: staff.summary))
            return events
        }
        self.events.publish(events)
        logger.info("staff logged in", metadata: ["window.id": "\(windowId)", "staff.id": "\(staff.id)"])
        return StaffLoginResponse(staffToken: token, staff: staff.summary, window: window.ref, expiresAt: expires)
    }

    /// Ends the session behind `token`.
    public func logout(session: StaffSession, token: String) async throws {
        let now = self.now
        let digest = Self.digest(token)
        let events: [WindowEvent] = try await database.write { db in
            try db.execute(sql: "UPDATE staffSession SET endedAt = ? WHERE tokenHash = ? AND endedAt IS NULL", arguments: [now, digest])
            guard db.changesCount > 0 else { return [] }
            return [try WindowEventStore.append(db, type: .staffLoggedOut, windowId: session.windowId, at: now, ticket: nil,
                                                staff: session.staff.summary)]
        }
        self.events.publish(events)
        logger.info("staff logged out", metadata: ["window.id": "\(session.windowId)", "staff.id": "\(session.staff.id)"])
    }

    /// The live session behind a staff bearer token, or nil.
    public func staffSession(token: String) async throws -> StaffSession? {
        let digest = Self.digest(token)
        let now = self.now
        return try await database.read { [self] db in
            guard let row = try Row.fetchOne(db, sql: """
                SELECT staffId, windowId FROM staffSession WHERE tokenHash = ? AND endedAt IS NULL AND expiresAt > ?
                """, arguments: [digest, now]), let staff = hall.staffMember(row["staffId"]) else { return nil }
            return StaffSession(staff: staff, windowId: row["windowId"])
        }
    }

    static func digest(_ token: String) -> String {
        Hex.encode(SHA256.hash(data: Data(token.utf8)))
    }
}
