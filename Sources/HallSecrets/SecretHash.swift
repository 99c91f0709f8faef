import _CryptoExtras
import Crypto
import Foundation

/// A salted PBKDF2-SHA256 hash of a PIN or password: `pbkdf2-sha256$<rounds>$<salt b64>$<hash b64>`.
public struct SecretHash: Sendable, Hashable {
    public var rounds: Int
    public var salt: [UInt8]
    public var hash: [UInt8]

    /// Parses the text form; nil when it is not one.
    public init?(_ text: String) {
        let parts = text.split(separator: "$", omittingEmptySubsequences: false)
        guard parts.count == 4, parts[0] == "pbkdf2-sha256", let r = Int(parts[1]), r >= 1000, r <= 10_000_000,
              let s = Data(base64Encoded: String(parts[2])), s.count >= 8,
              let h = Data(base64Encoded: String(parts[3])), h.count == 32 else { return nil }
        rounds = r
        salt = Array(s)
        hash = Array(h)
    }

    /// Hashes `secret` with a fresh random salt.
    public static func make(_ secret: String, rounds: Int = 210_000) throws -> SecretHash {
        var salt = [UInt8](repeating: 0, count: 16)
        var rng = SystemRandomNumberGenerator()
        for i in salt.indices { salt[i] = UInt8.random(in: 0...255, using: &rng) }
        let key = try Self.derive(secret, salt: salt, rounds: rounds)
        return SecretHash(rounds: rounds, salt: salt, hash: key)
    }

    private init(rounds: Int, salt: [UInt8], hash: [UInt8]) {
        self.rounds = rounds
        self.salt = salt
        self.hash = hash
    }

    public var text: String {
        "pbkdf2-sha256$\(rounds)$\(Data(salt).base64EncodedString())$\(Data(hash).base64EncodedString())"
    }

    /// Checks `secret` in constant time.
    public func matches(_ secret: String) -> Bool {
        guard let key = try? Self.derive(secret, salt: salt, rounds: rounds) else { return false }
        return constantTimeEqual(key, hash)
    }

    private static func derive(_ secret: String, salt: [UInt8], rounds: Int) throws -> [UInt8] {
        let key = try KDF.Insecure.PBKDF2.deriveKey(from: Array(secret.utf8), salt: salt, using: .sha256,
                                                    outputByteCount: 32, unsafeUncheckedRounds: rounds)
        return key.withUnsafeBytes { Array($0) }
    }
}

/// Compares two byte strings in constant time (for the same length).
public func constantTimeEqual(_ a: [UInt8], _ b: [UInt8]) -> Bool {
    guard a.count == b.count else { return false }
    var diff: UInt8 = 0
    for (x, y) in zip(a, b) { diff |= x ^ y }
    return diff == 0
}
