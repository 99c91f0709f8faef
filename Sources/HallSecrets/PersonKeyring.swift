import Crypto
import Foundation

/// The hall server's identity keys: what turns an ID number into a keyed HMAC (the only form any store keeps) and
/// seals a phone number for storage. The keys live in a credential file outside the database (`[identity] keyFile`),
/// readable by the server's user only.
///
/// The file holds one key per line, oldest first — `<key id> <created, RFC 3339> <32 bytes, base64>` — and `#`
/// comments. The last line is the current key: new rows are keyed and sealed with it; lookups try every key, so a
/// rotation (`rotated(at:)`, a new last line) never loses a person's earlier tickets or bookings. A key is retired
/// (`retiring(_:)`) once no stored row needs it any more (tickets live a day; appointments and bans at most their horizon).
public struct PersonKeyring: Sendable {
    /// One key of the ring.
    public struct Key: Sendable, Hashable {
        /// A short label (`k1`, `k2` …) stored in front of every value made with the key.
        public var id: String
        public var created: Date
        fileprivate var bytes: [UInt8]
        fileprivate var secret: SymmetricKey { SymmetricKey(data: bytes) }

        public static func == (a: Key, b: Key) -> Bool {
            a.id == b.id && a.created == b.created && a.bytes == b.bytes
        }
        public func hash(into hasher: inout Hasher) { hasher.combine(id) }
    }

    /// Why a key file cannot be used; each message names the file and the fix.
    public enum Problem: Error, CustomStringConvertible, Equatable {
        case missing(path: String)
        case unreadable(path: String, reason: String)
        case tooOpen(path: String, mode: String)
        case malformed(path: String, line: Int, reason: String)
        case empty(path: String)

        public var description: String {
            switch self {
            case .missing(let path):
                "the identity key file \(path) does not exist; create it with `hallserver identity new-key --file \(path)` "
                    + "(ID-card and appointment check-in stay off until then)"
            case .unreadable(let path, let reason):
                "the identity key file \(path) cannot be read (\(reason)); give the hall server's user read access (chmod 600, chown)"
            case .tooOpen(let path, let mode):
                "the identity key file \(path) is readable by other users (mode \(mode)); run `chmod 600 \(path)`"
            case .malformed(let path, let line, let reason):
                "the identity key file \(path) line \(line): \(reason); expected `<id> <created RFC 3339> <32 bytes base64>`"
            case .empty(let path):
                "the identity key file \(path) holds no key; add one with `hallserver identity rotate --file \(path)`"
            }
        }
    }

    /// Every key, oldest first; the last is current. Never empty.
    public private(set) var keys: [Key]

    /// The key new values are made with.
    public var current: Key { keys[keys.count - 1] }

    /// A ring of the given keys (oldest first); nil when empty or ids repeat.
    public init?(keys: [Key]) {
        guard !keys.isEmpty, Set(keys.map(\.id)).count == keys.count else { return nil }
        self.keys = keys
    }

    /// A new one-key ring with a fresh random key.
    public static func fresh(at now: Date) -> PersonKeyring {
        PersonKeyring(keys: [Key(id: "k1", created: now, bytes: randomBytes())])!
    }

    /// A key from its parts (tests and the file reader).
    public static func key(id: String, created: Date, bytes: [UInt8]) -> Key? {
        guard bytes.count == 32, Self.isValidId(id) else { return nil }
        return Key(id: id, created: created, bytes: bytes)
    }

    /// The ring with a new current key appended (`k<n+1>`).
    public func rotated(at now: Date) -> PersonKeyring {
        let next = (keys.compactMap { Int($0.id.dropFirst()) }.max() ?? 0) + 1
        var ring = self
        ring.keys.append(Key(id: "k\(next)", created: now, bytes: Self.randomBytes()))
        return ring
    }

    /// The ring without the key `id`; nil when it is the current key or unknown.
    public func retiring(_ id: String) -> PersonKeyring? {
        guard id != current.id, keys.contains(where: { $0.id == id }) else { return nil }
        return PersonKeyring(keys: keys.filter { $0.id != id })
    }

    // MARK: Person keys

    /// The stored form of an ID number under the current key: `k2:` + base64url(HMAC-SHA256(key, number)).
    /// The number is upper-cased and trimmed first, so `x` and `X` check characters give the same key.
    public func personKey(_ idNumber: String) -> String {
        Self.personKey(idNumber, with: current)
    }

    /// The number's stored form under every key, current first: what a lookup matches rows against.
    public func allPersonKeys(_ idNumber: String) -> [String] {
        keys.reversed().map { Self.personKey(idNumber, with: $0) }
    }

    private static func personKey(_ idNumber: String, with key: Key) -> String {
        let normalized = idNumber.trimmingCharacters(in: .whitespaces).uppercased()
        let mac = HMAC<SHA256>.authenticationCode(for: Array(normalized.utf8), using: key.secret)
        return key.id + ":" + base64url(Array(mac))
    }

    // MARK: Sealed text (phone numbers)

    /// `text` sealed with AES-GCM under a key derived from the current key: `k2:` + base64url(nonce|ciphertext|tag).
    /// Each call uses a fresh nonce, so equal phones give different values (they are never looked up by value).
    public func seal(_ text: String) -> String {
        let key = Self.sealingKey(current)
        // AES.GCM.seal only throws for a bad nonce or key size; both are fixed here.
        let box = try! AES.GCM.seal(Array(text.utf8), using: key)
        return current.id + ":" + Self.base64url(Array(box.combined!))
    }

    /// The text of a sealed value; nil when its key was retired or the value was altered.
    public func open(_ sealed: String) -> String? {
        guard let colon = sealed.firstIndex(of: ":"),
              let key = keys.first(where: { $0.id == sealed[..<colon] }),
              let bytes = Self.fromBase64url(String(sealed[sealed.index(after: colon)...])),
              let box = try? AES.GCM.SealedBox(combined: bytes),
              let plain = try? AES.GCM.open(box, using: Self.sealingKey(key)) else { return nil }
        return String(decoding: plain, as: UTF8.self)
    }

    private static func sealingKey(_ key: Key) -> SymmetricKey {
        HKDF<SHA256>.deriveKey(inputKeyMaterial: key.secret, info: Array("hallkiosk sealed text v1".utf8), outputByteCount: 32)
    }

    // MARK: The file

    /// The file's text for this ring.
    public var fileText: String {
        var lines = ["# HallKiosk identity keys (hallserver identity …). Keep this file outside the database and its backups;",
                     "# mode 600. Oldest first; the last key is current. Losing it makes stored ID keys and phones unusable."]
        for key in keys {
            let bytes = Data(key.bytes)
            lines.append("\(key.id) \(Self.rfc3339(key.created)) \(bytes.base64EncodedString())")
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// Reads a key file, refusing one that other users can read.
    public static func load(path: String) throws -> PersonKeyring {
        var info = stat()
        guard stat(path, &info) == 0 else {
            if errno == ENOENT { throw Problem.missing(path: path) }
            throw Problem.unreadable(path: path, reason: String(cString: strerror(errno)))
        }
        if info.st_mode & 0o077 != 0 {
            throw Problem.tooOpen(path: path, mode: String(info.st_mode & 0o777, radix: 8))
        }
        let text: String
        do { text = try String(contentsOfFile: path, encoding: .utf8) } catch {
            throw Problem.unreadable(path: path, reason: "\(error.localizedDescription)")
        }
        return try parse(text, path: path)
    }

    /// Parses a key file's text.
    public static func parse(_ text: String, path: String) throws -> PersonKeyring {
        var keys: [Key] = []
        for (index, raw) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let line = raw.trimmingCharacters(in: .whitespaces)
            if line.isEmpty || line.hasPrefix("#") { continue }
            let parts = line.split(separator: " ", omittingEmptySubsequences: true)
            guard parts.count == 3 else { throw Problem.malformed(path: path, line: index + 1, reason: "three fields expected") }
            guard isValidId(String(parts[0])) else {
                throw Problem.malformed(path: path, line: index + 1, reason: "key id `\(parts[0])` is not k<number>")
            }
            guard let created = parseRFC3339(String(parts[1])) else {
                throw Problem.malformed(path: path, line: index + 1, reason: "`\(parts[1])` is not an RFC 3339 time")
            }
            guard let bytes = Data(base64Encoded: String(parts[2])), bytes.count == 32 else {
                throw Problem.malformed(path: path, line: index + 1, reason: "the key is not 32 bytes of base64")
            }
            if keys.contains(where: { $0.id == parts[0] }) {
                throw Problem.malformed(path: path, line: index + 1, reason: "key id \(parts[0]) appears twice")
            }
            keys.append(Key(id: String(parts[0]), created: created, bytes: Array(bytes)))
        }
        guard let ring = PersonKeyring(keys: keys) else { throw Problem.empty(path: path) }
        return ring
    }

    /// Writes the ring to `path` atomically with mode 600 (a temporary file in the same folder, then rename).
    public func write(to path: String) throws {
        let temporary = path + ".tmp-\(getpid())"
        let fd = Glibc.open(temporary, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o600)
        guard fd >= 0 else { throw Problem.unreadable(path: temporary, reason: String(cString: strerror(errno))) }
        let bytes = Array(fileText.utf8)
        let written = bytes.withUnsafeBytes { Foundation.write(fd, $0.baseAddress, $0.count) }
        let synced = fsync(fd)
        close(fd)
        guard written == bytes.count, synced == 0, rename(temporary, path) == 0 else {
            let reason = String(cString: strerror(errno))
            unlink(temporary)
            throw Problem.unreadable(path: path, reason: reason)
        }
    }

    // MARK: Helpers

    fileprivate static func randomBytes() -> [UInt8] {
        SymmetricKey(size: .bits256).withUnsafeBytes { Array($0) }
    }

    private static func isValidId(_ id: String) -> Bool {
        id.count >= 2 && id.count <= 8 && id.first == "k" && id.dropFirst().allSatisfy(\.isASCII) && Int(id.dropFirst()) != nil
    }

    static func base64url(_ bytes: [UInt8]) -> String {
        Data(bytes).base64EncodedString().replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }

    static func fromBase64url(_ text: String) -> [UInt8]? {
        var standard = text.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        while standard.count % 4 != 0 { standard += "=" }
        return Data(base64Encoded: standard).map(Array.init)
    }

    private static func rfc3339(_ date: Date) -> String {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime]
        return formatter.string(from: date)
    }

    private static func parseRFC3339(_ text: String) -> Date? {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime]
        return formatter.date(from: text)
    }
}
