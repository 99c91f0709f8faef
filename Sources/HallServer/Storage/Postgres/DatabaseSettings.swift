import Foundation

/// `[database]` in `hall.toml`: where the hall's data is. Every key is optional; `--db` on the command line wins.
///
/// | key | meaning | default |
/// |---|---|---|
/// | `url` | `postgres://USER[:PASSWORD]@HOST[:PORT]/DATABASE[?sslmode=…]` for PostgreSQL (password also from `PGPASSWORD`), or an SQLite file (`PATH` or `sqlite:PATH`) | `hallserver.sqlite` |
public struct DatabaseSettings: Codable, Sendable, Equatable {
    public var url: String?

    public init(url: String? = nil) {
        self.url = url
    }

    /// The location `url` names (nil when not set); a bad URL is refused naming what is wrong.
    public func location() throws -> DatabaseLocation? {
        guard let url else { return nil }
        do {
            return try DatabaseLocation(url)
        } catch {
            throw ConfigProblem("[database] url: \(error.description)")
        }
    }
}
