import Crypto
import Foundation
import HallAPI

/// "This browser has logged this clerk in before": a signed, long-lived cookie per staff member, set at each
/// successful login. A login that presents it is not held back by the locks strangers can cause (see
/// `LoginGuard`), so a clerk at their own console can always log in, whatever a phone on the hall Wi-Fi tries.
///
/// The cookie is `hk_console_<8 hex of the staff id's SHA-256>` = `v1.<nonce>.<expires>.<mac>`; the MAC is an
/// HMAC-SHA256 with the server's `console-trust` key over the staff id, nonce and expiry. It proves nothing
/// but an earlier login: it never logs anyone in.
struct TrustedConsole: Sendable {
    private let keyBytes: [UInt8]
    /// How long a console stays trusted after its last login. Default 180 days.
    let lifetime: TimeInterval

    init(key: [UInt8], lifetime: TimeInterval = 180 * 86400) {
        self.keyBytes = key
        self.lifetime = lifetime
    }

    /// The cookie name for a staff member.
    static func cookieName(staffId: String) -> String {
        "hk_console_" + String(Hex.encode(SHA256.hash(data: Data(staffId.utf8))).prefix(8))
    }

    /// A fresh cookie value for `staffId`, valid for `lifetime` from `now`.
    func issue(staffId: String, now: Date, random: any RandomSource) -> String {
        let nonce = random.urlSafeToken(byteCount: 12)
        let expires = Int(now.timeIntervalSince1970 + lifetime)
        return "v1.\(nonce).\(expires).\(mac(staffId, nonce, expires))"
    }

    /// The console's id (its nonce) when `value` is a valid, unexpired cookie for `staffId`; nil otherwise.
    func verify(_ value: String, staffId: String, now: Date) -> String? {
        let parts = value.split(separator: ".", omittingEmptySubsequences: false)
        guard value.utf8.count <= 128, parts.count == 4, parts[0] == "v1", let expires = Int(parts[2]),
              Double(expires) > now.timeIntervalSince1970 else { return nil }
        let nonce = String(parts[1])
        guard constantTimeEqual(Array(mac(staffId, nonce, expires).utf8), Array(parts[3].utf8)) else { return nil }
        return nonce
    }

    private func mac(_ staffId: String, _ nonce: String, _ expires: Int) -> String {
        let code = HMAC<SHA256>.authenticationCode(for: Data("console|\(staffId)|\(nonce)|\(expires)".utf8), using: SymmetricKey(data: keyBytes))
        return String(Hex.encode(Array(code)).prefix(32))
    }
}
