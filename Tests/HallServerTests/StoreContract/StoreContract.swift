import Foundation
import HallAPI
@testable import HallServer
import XCTest

/// The rules every `HallStore` keeps, written once and run on each backend (`SQLiteStoreContractTests`,
/// `PostgresStoreContractTests`). The rules closures here stand in for `HallDesk`'s: they number tickets
/// `firstNumber + issuedToday` and refuse what the test asks them to.
struct StoreContract {
    let store: any HallStore
    /// Which backend, for failure messages.
    let backend: String

    static let day = "2026-12-07"
    static let nextDay = "2026-12-08"
    /// A Monday morning, in whole milliseconds.
    static let t0 = Date(timeIntervalSince1970: 1_796_634_000.125)
    static let hukou = ServiceRef(id: "hukou", name: LocalizedText(zh: "户籍", en: "Household"), prefix: "A")

    static func numbering(prefix: String = "A") -> @Sendable (IssueSnapshot) throws -> IssueDecision {
        { snapshot in
            let seq = 1 + snapshot.issuedToday
            return IssueDecision(seq: seq, number: prefix + String(format: "%03d", seq), estimateMinutes: snapshot.waitingAhead * 5)
        }
    }

    @discardableResult
    func issue(_ serviceId: String = "hukou", key: String = UUID().uuidString, kiosk: String = "kiosk-1", day: String = StoreContract.day,
               rank: Int = 1, at: Date = StoreContract.t0, fingerprint: String? = nil, token: String? = nil,
               rules: (@Sendable (IssueSnapshot) throws -> IssueDecision)? = nil) async throws -> IssueOutcome {
        let issue = TicketIssue(id: UUID().uuidString, token: token ?? "tok" + UUID().uuidString.replacingOccurrences(of: "-", with: ""),
                                kioskId: kiosk, idempotencyKey: key, requestFingerprint: fingerprint ?? "\(serviceId)|\(rank)",
                                hallDay: day, serviceId: serviceId, priority: rank == 0 ? .elderly : nil, rank: rank, issuedAt: at)
        return try await store.issueTicket(issue, rules: rules ?? Self.numbering(prefix: serviceId == "hukou" ? "A" : "B"))
    }

    func issued(_ serviceId: String = "hukou", day: String = StoreContract.day, rank: Int = 1, at: Date = StoreContract.t0) async throws -> StoredTicket {
        guard case .issued(let t) = try await issue(serviceId, day: day, rank: rank, at: at) else {
            throw TestFailure("\(backend): a new key answered an existing ticket")
        }
        return t
    }

    static func event(_ type: WindowEventType, _ windowId: String, at: Date, ticket: StoredTicket?) -> WindowEvent {
        WindowEvent(id: 0, type: type, windowId: windowId, at: at,
                    ticket: ticket.map { EventTicket(id: $0.id, number: $0.number, service: hukou, completedAt: $0.completedAt) }, staff: nil)
    }

    /// A move at `windowId` whose check refuses a busy window (call next) or an idle one (the rest).
    static func move(_ windowId: String = "w1", staff: String = "s1", at: Date, type: WindowEventType, needsCurrent: Bool = true) -> WindowMove {
        WindowMove(windowId: windowId, staffId: staff, at: at, check: { current in
            if needsCurrent, current == nil { throw HallError(.invalidTransition, "no ticket at \(windowId)") }
            if !needsCurrent, let current { throw HallError(.windowBusy, "\(current.number) is still at \(windowId)") }
        }, event: { ticket in event(type, windowId, at: at, ticket: ticket) })
    }

    func callNext(_ windowId: String = "w1", staff: String = "s1", at: Date, days: [String] = [StoreContract.day],
                  services: [String] = ["hukou"], appointmentsInARow: Int = 2) async throws -> WindowMoveResult? {
        try await store.callNext(Self.move(windowId, staff: staff, at: at, type: .ticketCalled, needsCurrent: false), hallDays: days, serviceIds: services,
                                 appointmentsInARow: appointmentsInARow)
    }

    func login(_ windowId: String, staff: String, token: String, at: Date, hours: Double = 8) async throws -> [WindowEvent] {
        try await store.loginStaff(StaffLoginWrite(tokenHash: token, staffId: staff, windowId: windowId, at: at, expiresAt: at + hours * 3600),
                                   loggedOut: { s, w in Self.event(.staffLoggedOut, w, at: at, ticket: nil).with(staff: s) },
                                   loggedIn: Self.event(.staffLoggedIn, windowId, at: at, ticket: nil).with(staff: staff))
    }

    func completedTicket(window: String = "w1", at: Date) async throws -> StoredTicket {
        _ = try await issued(at: at)
        guard let called = try await callNext(window, at: at + 1) else { throw TestFailure("\(backend): nothing to call") }
        return try await store.complete(Self.move(window, at: at + 60, type: .serviceCompleted)).ticket.with(called: called)
    }

    static func rating(_ ratingId: String, ticket: StoredTicket, level: RatingLevel, assess: Int = 1, at: Date,
                       source: RatingSource = .active) -> RatingEntry {
        RatingEntry(record: RatingRecord(
            ratingId: ratingId, ticketId: ticket.id, ticketNumber: ticket.number, hallId: "test-hall", windowId: ticket.windowId,
            staffId: ticket.staffId, staffName: nil, serviceId: ticket.serviceId, channel: .windowDevice, deviceId: "rating-w1",
            level: level, reasons: level.isBad ? [.attitude] : [], reasonsVersion: nil, text: nil, assessNumber: assess, source: source,
            serviceCompletedAt: ticket.completedAt ?? at, ratedAt: at, receivedAt: at, flags: []), hallDay: ticket.hallDay)
    }

    /// Rates `ticket` as the rating rules would: refusing what is already rated and follow-ups after a good rating.
    func rate(_ ticket: StoredTicket, id: String = UUID().uuidString, level: RatingLevel = .satisfied, assess: Int = 1, at: Date,
              fingerprint: String? = nil, source: RatingSource = .active) async throws -> RatingOutcome {
        try await store.rate(RatingAttempt(ratingId: id, fingerprint: fingerprint ?? "\(ticket.id)|\(level.rawValue)|\(assess)",
                                           ticket: .id(ticket.id), assessNumber: assess)) { facts in
            guard let t = facts.ticket else { throw HallError(.unknownTicket, "no such ticket") }
            if let existing = facts.existing {
                throw HallError(.alreadyRated, "already rated", existingRating: existing)
            }
            if assess == 2, !(facts.firstLevel.flatMap(RatingLevel.init(rawValue:))?.isBad ?? false) {
                throw HallError(.followUpNotAllowed, "follow-up only after a 差评")
            }
            return Self.rating(id, ticket: t, level: level, assess: assess, at: at, source: source)
        }
    }
}

struct TestFailure: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

extension WindowEvent {
    func with(staff id: String) -> WindowEvent {
        var copy = self
        copy.staff = StaffSummary(id: id, name: "Staff \(id)", employeeNo: id, photoUrl: nil)
        return copy
    }
}

extension StoredTicket {
    /// Keeps what `complete` returned, checking it is the ticket that was called.
    func with(called: WindowMoveResult) -> StoredTicket {
        precondition(called.ticket.id == id)
        return self
    }
}

extension IssueOutcome {
    var ticket: StoredTicket {
        switch self {
        case .issued(let t), .existing(let t): t
        }
    }

    var isNew: Bool {
        if case .issued = self { return true }
        return false
    }
}

/// The code of a `HallError` thrown by `body`, or nil when it returned.
func hallErrorCode(_ body: () async throws -> Void) async -> String? {
    do {
        try await body()
        return nil
    } catch let error as HallError {
        return error.code
    } catch {
        return "unexpected: \(error)"
    }
}

/// `XCTAssertNotEqual` for values computed with `await`.
func assertNotEq<T: Equatable>(_ a: T, _ b: T, _ message: String = "", file: StaticString = #filePath, line: UInt = #line) {
    XCTAssertNotEqual(a, b, message, file: file, line: line)
}

/// `XCTAssertTrue` for values computed with `await`.
func assertYes(_ a: Bool, _ message: String = "", file: StaticString = #filePath, line: UInt = #line) {
    XCTAssertTrue(a, message, file: file, line: line)
}

/// `XCTAssertFalse` for values computed with `await`.
func assertNo(_ a: Bool, _ message: String = "", file: StaticString = #filePath, line: UInt = #line) {
    XCTAssertFalse(a, message, file: file, line: line)
}

/// `XCTAssertNotNil` for values computed with `await`.
func assertSome<T>(_ a: T?, _ message: String = "", file: StaticString = #filePath, line: UInt = #line) {
    XCTAssertNotNil(a, message, file: file, line: line)
}
