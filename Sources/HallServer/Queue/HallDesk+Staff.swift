import Crypto
import Foundation
import HallAPI

/// Where a login attempt comes from and what it brings besides the PIN.
public struct LoginClient: Sendable {
    /// The socket's IP address ("local" in-process).
    public var address: String
    /// The request's `hk_console_*` cookies by name (console trust, checked by the desk).
    public var consoleCookies: [String: String]
    /// A device whose bearer token came with the request (its window's own device is trusted).
    public var windowDeviceId: String?

    public init(address: String, consoleCookies: [String: String] = [:], windowDeviceId: String? = nil) {
        self.address = address
        self.consoleCookies = consoleCookies
        self.windowDeviceId = windowDeviceId
    }
}

/// A successful login: the API answer and the console-trust cookie to set.
public struct StaffLogin: Sendable {
    public var response: StaffLoginResponse
    public var consoleCookie: (name: String, value: String)
}

/// A staff member authenticated at a window.
public struct StaffSession: Sendable {
    public var staff: Hall.Staff
    public var windowId: String
}

extension HallDesk {
    /// Employee number + PIN → a staff token valid at this window. Ends any other login of the same staff member;
    /// another clerk signed in at the window is signed out only when `request.takeover` says so (else 409 `windowBusy`
    /// naming them, checked in the login's transaction), and their `staffLoggedOut` event says who took over. `client` says where the attempt comes from and what it
    /// proves (see `LoginGuard`); the answer carries a fresh console-trust cookie for the caller to set.
    public func login(windowId: String, _ request: StaffLoginRequest, client: LoginClient) async throws -> StaffLogin {
        guard let window = hall.window(windowId) else {
            throw HallError(.unknownWindow, "no window has id '\(windowId)'")
        }
        let now = self.now
        let staffMember = hall.staffMember(employeeNo: request.employeeNo)
        let account: LoginGuard.Account? = staffMember.map { .staff(id: $0.id) }
            ?? (LoginGuard.isWellFormedEmployeeNo(request.employeeNo) ? .unknownStaff(employeeNo: request.employeeNo) : nil)
        let console = staffMember.flatMap { member in
            client.windowDeviceId.flatMap { id in hall.devices.first { $0.id == id && $0.windowId == windowId }.map { "device:" + $0.id } }
                ?? client.consoleCookies[TrustedConsole.cookieName(staffId: member.id)].flatMap {
                    trustedConsole.verify($0, staffId: member.id, now: now)
                }
        }
        let trusted = console != nil
        guard pinChecks.enter(trusted: trusted) else {
            throw HallError(.tooManyAttempts, "the server is checking another login; try again in a second").retryAfter(1)
        }
        defer { pinChecks.leave(trusted: trusted) }
        if let lock = try await loginGuard.check(account, address: client.address, trustedConsole: console, now: now) {
            throw HallError(.tooManyAttempts, Self.lockMessage(lock)).retryAfter(lock.retryAfter)
        }
        // The PIN is checked against a hash of the same cost whether or not the number exists: the time taken
        // does not tell which employee numbers are real.
        let pinMatches = (staffMember?.pinHash ?? decoyPinHash).matches(request.pin)
        guard let staff = staffMember, pinMatches else {
            try await loginGuard.failed(account, address: client.address, trustedConsole: console, now: now)
            logger.notice("staff login failed", metadata: ["window.id": "\(windowId)", "client": "\(client.address)"])
            throw HallError(.loginFailed, "employee number or PIN is wrong")
        }
        try await loginGuard.succeeded(.staff(id: staff.id), address: client.address, trustedConsole: console)
        guard !staff.disabled else {
            throw HallError(.loginFailed, "staff member \(staff.employeeNo) is disabled in the hall settings; ask the hall manager")
        }
        let token = random.urlSafeToken(byteCount: 24)
        let digest = Self.digest(token)
        let expires = now + hall.staffSessionSeconds
        let staffDirectory = self.hall
        let takeover = request.takeover ?? false
        let newcomer = staff.summary
        let events = try await store.loginStaff(
            StaffLoginWrite(tokenHash: digest, staffId: staff.id, windowId: windowId, at: now, expiresAt: expires),
            loggedOut: { staffId, endedWindowId in
                let displaced = endedWindowId == windowId && staffId != newcomer.id
                let member = staffDirectory.staffMember(staffId)?.summary
                if displaced && !takeover { throw Self.windowOccupied(windowId, by: member, staffId: staffId) }
                return WindowEvent(id: 0, type: .staffLoggedOut, windowId: endedWindowId, at: now, ticket: nil, staff: member,
                                   displacedBy: displaced ? newcomer : nil)
            },
            loggedIn: WindowEvent(id: 0, type: .staffLoggedIn, windowId: windowId, at: now, ticket: nil, staff: newcomer))
        self.events.publish(events)
        logger.info("staff logged in", metadata: ["window.id": "\(windowId)", "staff.id": "\(staff.id)"])
        let answer = StaffLoginResponse(staffToken: token, staff: staff.summary, window: window.ref, expiresAt: expires)
        return StaffLogin(response: answer, consoleCookie: (TrustedConsole.cookieName(staffId: staff.id),
                                                            trustedConsole.issue(staffId: staff.id, now: now, random: random)))
    }

    /// The 409 of a login at a window where `member` is signed in, naming them (work name and number only).
    static func windowOccupied(_ windowId: String, by member: StaffSummary?, staffId: String) -> HallError {
        let occupant = WindowOccupant(name: member?.name ?? staffId, employeeNo: member?.employeeNo ?? "")
        var error = HallError(.windowBusy, "\(occupant.name) (\(occupant.employeeNo)) is signed in at window \(windowId); "
                              + "log in with \"takeover\": true to take the window over (their session ends)")
        error.signedIn = occupant
        return error
    }

    /// What a refused login says: which lock, and for how long.
    static func lockMessage(_ lock: LoginGuard.Lock) -> String {
        let minutes = Int(lock.retryAfter / 60) + 1
        switch lock {
        case .addressAndAccount: return "too many wrong PINs for this employee number from this device; try again in \(minutes) minutes"
        case .address: return "too many wrong PINs from this address; try again in \(minutes) minutes"
        case .account: return "too many wrong PINs for this employee number from several places; log in at your usual console or try again in \(minutes) minutes"
        }
    }

    /// True when `token` was a staff token once (logged out or expired): an old console, not a guess.
    func wasStaffToken(_ token: String) async throws -> Bool {
        let digest = Self.digest(token)
        return try await store.isFormerStaffToken(tokenHash: digest)
    }

    /// Ends the session behind `token`.
    public func logout(session: StaffSession, token: String) async throws {
        let now = self.now
        let digest = Self.digest(token)
        let ended = try await store.logoutStaff(tokenHash: digest, at: now, event: WindowEvent(
            id: 0, type: .staffLoggedOut, windowId: session.windowId, at: now, ticket: nil, staff: session.staff.summary))
        let events = ended.map { [$0] } ?? []
        self.events.publish(events)
        logger.info("staff logged out", metadata: ["window.id": "\(session.windowId)", "staff.id": "\(session.staff.id)"])
    }

    /// The live session behind a staff bearer token, or nil.
    public func staffSession(token: String) async throws -> StaffSession? {
        let digest = Self.digest(token)
        let now = self.now
        guard let open = try await store.openStaffSession(tokenHash: digest, at: now),
              let staff = hall.staffMember(open.staffId), !staff.disabled else { return nil }
        return StaffSession(staff: staff, windowId: open.windowId)
    }

    static func digest(_ token: String) -> String {
        Hex.encode(SHA256.hash(data: Data(token.utf8)))
    }
}
