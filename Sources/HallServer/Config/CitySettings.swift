import Foundation

/// `[city]` in `hall.toml`: the city administrator's token for the city report page (`/city`) and its CSV, which show
/// every hall of the PostgreSQL database this hall server uses. Without it the city page is closed. The token follows
/// the admin token's rules: `token` (plain, at least 16 characters) or `tokenSha256` (64 hex digits, `sha256sum` of it).
///
/// | key | meaning |
/// |---|---|
/// | `token` | the city administrator's token (e.g. `openssl rand -hex 24`) |
/// | `tokenSha256` | its SHA-256 in hex instead, so the file does not hold the token |
public struct CitySettings: Codable, Sendable, Equatable {
    public var token: String?
    public var tokenSha256: String?

    public init(token: String? = nil, tokenSha256: String? = nil) {
        self.token = token
        self.tokenSha256 = tokenSha256
    }

    /// The token's SHA-256; nil when none is set; a weak or malformed one is refused naming the key.
    func tokenDigest() throws(ConfigProblem) -> [UInt8]? {
        try Hall.tokenDigest(plain: token, hex: tokenSha256, key: "city.token")
    }
}
