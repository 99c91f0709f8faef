import Foundation

/// Decides whether a staff PIN or the admin token may be checked now, and learns from each outcome.
///
/// A stranger must not be able to lock the real person out, and nobody may guess at speed:
/// - one address and one account: 5 wrong secrets within 15 minutes lock that pair (the stranger's phone, not the
///   clerk's console);
/// - one address, any accounts (also made-up employee numbers): 30 wrong secrets lock the address;
/// - one staff account from untrusted clients, all addresses together: 20 wrong PINs lock it for addresses that
///   have guessed wrong themselves — a clean address (the clerk at a new console), a console that has logged this
///   clerk in before (a `TrustedConsole` cookie) and the window's own device still get through (the last two with
///   their own limit of 5);
/// - the admin account is locked per address only (its token is long and random).
/// Every table is bounded (`FailureLimits`) and keyed by validated values: socket addresses (IPv6 by /64, see
/// `ClientAddress`), configured staff ids, well-formed employee numbers, verified console cookies. The tables live in
/// a `LoginFailureBook`: in memory, or in the database when several server instances share it (then 5 wrong PINs
/// spread over two instances lock the pair as they would on one).
final class LoginGuard: Sendable {
    /// The thresholds; the window is the same for all.
    struct Policy: Sendable {
        var perAddressAndAccount = 5
        var perAccountUntrusted = 20
        var perAddress = 30
        var perTrustedConsole = 5
        var window: TimeInterval = 15 * 60
        var maxAddresses = 4096
    }

    /// What a login attempt is for.
    enum Account: Sendable, Hashable {
        /// A configured staff member.
        case staff(id: String)
        /// An employee number that is well-formed but belongs to nobody (treated like a real one, so the answers
        /// do not tell which numbers exist).
        case unknownStaff(employeeNo: String)
        case admin

        var key: String {
            switch self {
            case .staff(let id): "staff:" + id
            case .unknownStaff(let no): "nobody:" + no
            case .admin: "admin"
            }
        }
    }

    /// Why an attempt is refused.
    enum Lock: Sendable, Equatable {
        case addressAndAccount(retryAfter: TimeInterval)
        case address(retryAfter: TimeInterval)
        case account(retryAfter: TimeInterval)

        var retryAfter: TimeInterval {
            switch self {
            case .addressAndAccount(let s), .address(let s), .account(let s): s
            }
        }
    }

    let policy: Policy
    /// Where the failures are kept (in memory, or in a database several server instances share).
    private let book: any LoginFailureBook

    /// `staffCount` sizes the table of real accounts, so made-up numbers can never push a real one out. `book` makes
    /// the book from the limits (default: in memory).
    init(policy: Policy = Policy(), staffCount: Int,
         book: (FailureLimits) -> any LoginFailureBook = { MemoryLoginFailures($0) }) {
        self.policy = policy
        self.book = book(Self.limits(policy, staffCount: staffCount))
    }

    /// What each table keeps: as many timestamps as its limit needs, keys bounded per table.
    static func limits(_ policy: Policy, staffCount: Int) -> FailureLimits {
        FailureLimits(window: policy.window,
                      keep: [.pairs: policy.perAddressAndAccount, .addresses: policy.perAddress,
                             .knownAccounts: policy.perAccountUntrusted, .unknownAccounts: policy.perAccountUntrusted,
                             .consoles: policy.perTrustedConsole],
                      capacity: [.pairs: policy.maxAddresses * 2, .addresses: policy.maxAddresses, .knownAccounts: staffCount + 1,
                                 .unknownAccounts: policy.maxAddresses, .consoles: policy.maxAddresses])
    }

    /// Nil when the attempt may be checked; otherwise the lock that stops it. `account` is nil for an employee
    /// number that is nobody's and not even well-formed (only the address's lock applies). `trustedConsole` is
    /// the verified console cookie's id when the client presented one for this very account.
    func check(_ account: Account?, address: String, trustedConsole: String? = nil, now: Date) async throws -> Lock? {
        let addressKey = FailureKey(.addresses, address)
        let consoleKey = trustedConsole.map { FailureKey(.consoles, $0) }
        let pair = account.map { FailureKey(.pairs, pairKey($0, address)) }
        let accountKey: FailureKey? = switch account {
        case .staff?: FailureKey(.knownAccounts, account!.key)
        case .unknownStaff?: FailureKey(.unknownAccounts, account!.key)
        case .admin?, nil: nil
        }
        // One read of the book for every key the decision may need.
        let recent = try await book.recent([addressKey] + [consoleKey, pair, accountKey].compactMap { $0 }, now: now)
        func lockedFor(_ key: FailureKey, limit: Int) -> TimeInterval? {
            RecentFailures.lockedFor(recent[key] ?? [], limit: limit, window: policy.window, now: now)
        }
        if let consoleKey, lockedFor(consoleKey, limit: policy.perTrustedConsole) == nil {
            return nil
        }
        guard let account, let pair else {
            return lockedFor(addressKey, limit: policy.perAddress).map { .address(retryAfter: $0) }
        }
        if account != .admin, let s = lockedFor(addressKey, limit: policy.perAddress) { return .address(retryAfter: s) }
        if let s = lockedFor(pair, limit: policy.perAddressAndAccount) {
            return .addressAndAccount(retryAfter: s)
        }
        // A number under attack from many addresses stays open to clean addresses (a clerk at a new
        // console has no wrong PINs of its own); an address that has guessed wrong before waits.
        guard lockedFor(addressKey, limit: 1) != nil, let accountKey else { return nil }
        return lockedFor(accountKey, limit: policy.perAccountUntrusted).map { .account(retryAfter: $0) }
    }

    /// A wrong secret (or a malformed account, `account` nil: counted against the address only). Wrong admin
    /// tokens count only towards the admin lock of the address: junk bearer tokens must not lock staff logins.
    func failed(_ account: Account?, address: String, trustedConsole: String? = nil, now: Date) async throws {
        var keys: [FailureKey] = []
        if account != .admin { keys.append(FailureKey(.addresses, address)) }
        if let account {
            keys.append(FailureKey(.pairs, pairKey(account, address)))
            if let console = trustedConsole {
                keys.append(FailureKey(.consoles, console))
            } else {
                switch account {
                case .admin: break
                case .staff: keys.append(FailureKey(.knownAccounts, account.key))
                case .unknownStaff: keys.append(FailureKey(.unknownAccounts, account.key))
                }
            }
        }
        guard !keys.isEmpty else { return }
        try await book.record(keys, now: now)
    }

    /// The right secret: this address's count for the account starts again (the others stay).
    func succeeded(_ account: Account, address: String, trustedConsole: String? = nil) async throws {
        try await book.forget([FailureKey(.pairs, pairKey(account, address))] + (trustedConsole.map { [FailureKey(.consoles, $0)] } ?? []))
    }

    /// The hall manager unlocks a staff member: every failure counted against their account, from every address.
    func unlock(staffId: String) async throws {
        try await book.forgetAccount(Account.staff(id: staffId).key)
    }

    /// Wrong PINs counted against staff `staffId` from untrusted clients within the window (for the settings page).
    func recentFailures(staffId: String, now: Date) async throws -> Int {
        let key = FailureKey(.knownAccounts, Account.staff(id: staffId).key)
        return try await book.recent([key], now: now)[key]?.count ?? 0
    }

    /// Keys held in all tables together (for tests and the hostile-client run).
    var keyCount: Int { book.keyCount }

    private func pairKey(_ account: Account, _ address: String) -> String { account.key + "@" + address }

    /// An employee number as the hall configures them: 1…32 letters, digits, '-' or '_'. Anything else is nobody's
    /// and is never used as a key.
    static func isWellFormedEmployeeNo(_ text: String) -> Bool {
        (1...32).contains(text.utf8.count) && text.utf8.allSatisfy { b in
            (b >= 0x30 && b <= 0x39) || (b >= 0x41 && b <= 0x5A) || (b >= 0x61 && b <= 0x7A) || b == 0x2D || b == 0x5F
        }
    }
}
