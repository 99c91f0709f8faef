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
/// Every table is bounded (`RecentFailures`) and keyed by validated values: socket addresses (IPv6 by /64, see
/// `ClientAddress`), configured staff ids, well-formed employee numbers, verified console cookies.
final class LoginGuard: @unchecked Sendable {
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
    private let lock = NSLock()
    private var pairs: RecentFailures
    private var addresses: RecentFailures
    private var knownAccounts: RecentFailures
    private var unknownAccounts: RecentFailures
    private var consoles: RecentFailures

    /// `staffCount` sizes the table of real accounts, so made-up numbers can never push a real one out.
    init(policy: Policy = Policy(), staffCount: Int) {
        self.policy = policy
        let w = policy.window
        pairs = RecentFailures(window: w, keep: policy.perAddressAndAccount, capacity: policy.maxAddresses * 2)
        addresses = RecentFailures(window: w, keep: policy.perAddress, capacity: policy.maxAddresses)
        knownAccounts = RecentFailures(window: w, keep: policy.perAccountUntrusted, capacity: staffCount + 1)
        unknownAccounts = RecentFailures(window: w, keep: policy.perAccountUntrusted, capacity: policy.maxAddresses)
        consoles = RecentFailures(window: w, keep: policy.perTrustedConsole, capacity: policy.maxAddresses)
    }

    /// Nil when the attempt may be checked; otherwise the lock that stops it. `account` is nil for an employee
    /// number that is nobody's and not even well-formed (only the address's lock applies). `trustedConsole` is
    /// the verified console cookie's id when the client presented one for this very account.
    func check(_ account: Account?, address: String, trustedConsole: String? = nil, now: Date) -> Lock? {
        lock.withLock {
            if let console = trustedConsole, consoles.lockedFor(console, limit: policy.perTrustedConsole, now: now) == nil {
                return nil
            }
            guard let account else {
                return addresses.lockedFor(address, limit: policy.perAddress, now: now).map { .address(retryAfter: $0) }
            }
            if account != .admin, let s = addresses.lockedFor(address, limit: policy.perAddress, now: now) { return .address(retryAfter: s) }
            if let s = pairs.lockedFor(pairKey(account, address), limit: policy.perAddressAndAccount, now: now) {
                return .addressAndAccount(retryAfter: s)
            }
            // A number under attack from many addresses stays open to clean addresses (a clerk at a new
            // console has no wrong PINs of its own); an address that has guessed wrong before waits.
            guard addresses.lockedFor(address, limit: 1, now: now) != nil else { return nil }
            switch account {
            case .admin: return nil
            case .staff:
                return knownAccounts.lockedFor(account.key, limit: policy.perAccountUntrusted, now: now).map { .account(retryAfter: $0) }
            case .unknownStaff:
                return unknownAccounts.lockedFor(account.key, limit: policy.perAccountUntrusted, now: now).map { .account(retryAfter: $0) }
            }
        }
    }

    /// A wrong secret (or a malformed account, `account` nil: counted against the address only). Wrong admin
    /// tokens count only towards the admin lock of the address: junk bearer tokens must not lock staff logins.
    func failed(_ account: Account?, address: String, trustedConsole: String? = nil, now: Date) {
        lock.withLock {
            if account != .admin { addresses.record(address, now: now) }
            guard let account else { return }
            pairs.record(pairKey(account, address), now: now)
            if let console = trustedConsole {
                consoles.record(console, now: now)
                return
            }
            switch account {
            case .admin: break
            case .staff: knownAccounts.record(account.key, now: now)
            case .unknownStaff: unknownAccounts.record(account.key, now: now)
            }
        }
    }

    /// The right secret: this address's count for the account starts again (the others stay).
    func succeeded(_ account: Account, address: String, trustedConsole: String? = nil) {
        lock.withLock {
            pairs.forget(pairKey(account, address))
            if let console = trustedConsole { consoles.forget(console) }
        }
    }

    /// Keys held in all tables together (for tests and the hostile-client run).
    var keyCount: Int {
        lock.withLock { pairs.count + addresses.count + knownAccounts.count + unknownAccounts.count + consoles.count }
    }

    private func pairKey(_ account: Account, _ address: String) -> String { account.key + "@" + address }

    /// An employee number as the hall configures them: 1…32 letters, digits, '-' or '_'. Anything else is nobody's
    /// and is never used as a key.
    static func isWellFormedEmployeeNo(_ text: String) -> Bool {
        (1...32).contains(text.utf8.count) && text.utf8.allSatisfy { b in
            (b >= 0x30 && b <= 0x39) || (b >= 0x41 && b <= 0x5A) || (b >= 0x61 && b <= 0x7A) || b == 0x2D || b == 0x5F
        }
    }
}
