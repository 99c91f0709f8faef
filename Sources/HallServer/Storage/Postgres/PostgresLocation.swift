import Foundation

/// Where the hall server keeps its data: an SQLite file (the default) or a PostgreSQL database.
///
/// `--db` (and `[database] url` in `hall.toml`) take `postgres://…` / `postgresql://…` for PostgreSQL, and a
/// path or `sqlite:PATH` for SQLite.
public enum DatabaseLocation: Sendable, Equatable {
    case sqlite(path: String)
    case postgres(PostgresLocation)

    /// Reads a `--db` value. A `postgres://` URL that cannot be understood is refused, naming what is wrong.
    public init(_ text: String) throws(DatabaseLocationError) {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        let lower = trimmed.lowercased()
        if lower.hasPrefix("postgres://") || lower.hasPrefix("postgresql://") {
            self = .postgres(try PostgresLocation(url: trimmed))
        } else if lower.hasPrefix("sqlite:") {
            let path = String(trimmed.dropFirst("sqlite:".count))
            guard !path.isEmpty else { throw DatabaseLocationError("'\(text)': sqlite: needs a file path, e.g. sqlite:/var/lib/hallserver/hall.sqlite") }
            self = .sqlite(path: path.hasPrefix("//") ? String(path.dropFirst(2)) : path)
        } else if lower.contains("://") {
            throw DatabaseLocationError("'\(Self.redacted(trimmed))' is neither a postgres:// URL nor a file path; "
                + "use postgres://USER:PASSWORD@HOST:5432/DATABASE or a path such as /var/lib/hallserver/hall.sqlite")
        } else {
            guard !trimmed.isEmpty else { throw DatabaseLocationError("--db is empty; give a file path or a postgres:// URL") }
            self = .sqlite(path: trimmed)
        }
    }

    /// What logs and messages show: the path, or the URL without its password.
    public var description: String {
        switch self {
        case .sqlite(let path): path
        case .postgres(let location): location.description
        }
    }

    /// `text` with anything between `://user:` and `@` replaced by `***`.
    static func redacted(_ text: String) -> String {
        guard let scheme = text.range(of: "://"), let at = text.range(of: "@", range: scheme.upperBound..<text.endIndex),
              let colon = text.range(of: ":", range: scheme.upperBound..<at.lowerBound) else { return text }
        return text.replacingCharacters(in: colon.upperBound..<at.lowerBound, with: "***")
    }
}

/// A `--db` value that is not usable, and why.
public struct DatabaseLocationError: Error, CustomStringConvertible, Sendable {
    public var description: String
    init(_ description: String) { self.description = description }
}

/// A PostgreSQL database:
/// `postgres://USER[:PASSWORD]@HOST[:PORT][,HOST2[:PORT2]…]/DATABASE[?sslmode=…&sslrootcert=…&connect_timeout=…&pool_size=…&target_session_attrs=…]`.
///
/// Several hosts (a primary and its standbys, as libpq writes them) are tried in order; with
/// `target_session_attrs=read-write` (the default: the hall server writes) the first that accepts writes is used, and
/// after a failover the server finds the promoted standby by itself.
///
/// Without a password in the URL, `PGPASSWORD` is used (so the secret need not sit in `hall.toml`).
/// `sslmode`: `disable`, `prefer` (the default: TLS when the server offers it, certificate not checked), `require`
/// (TLS, certificate not checked) or `verify-full` (TLS, certificate checked against `sslrootcert` or the system CAs).
public struct PostgresLocation: Sendable, Equatable, CustomStringConvertible {
    public enum TLSMode: String, Sendable, Equatable, CaseIterable {
        case disable, prefer, require
        case verifyFull = "verify-full"
    }

    /// Whether a server must accept writes to be used (`target_session_attrs`).
    public enum SessionAttributes: String, Sendable, Equatable, CaseIterable {
        /// The first server that accepts writes (not a standby in recovery); the default.
        case readWrite = "read-write"
        /// The first server that answers.
        case any
    }

    /// The first host (the only one unless the URL lists several).
    public var host: String
    public var port: Int
    /// Further hosts after the first, tried in order (a standby that may be promoted).
    public var otherHosts: [PostgresHost]
    public var sessionAttributes: SessionAttributes
    public var user: String
    public var password: String?
    public var database: String
    public var tlsMode: TLSMode
    /// CA certificate file (PEM) for `verify-full`.
    public var rootCertificate: String?
    /// Seconds to wait for a connection. Default 10.
    public var connectTimeoutSeconds: Int
    /// Most connections this hall server opens (`pool_size`); nil: `PostgresOptions.maximumConnections` (16).
    public var poolSize: Int?

    public init(host: String, port: Int = 5432, user: String, password: String? = nil, database: String, tlsMode: TLSMode = .prefer,
                rootCertificate: String? = nil, connectTimeoutSeconds: Int = 10, poolSize: Int? = nil, otherHosts: [PostgresHost] = [],
                sessionAttributes: SessionAttributes = .readWrite) {
        self.host = host
        self.port = port
        self.otherHosts = otherHosts
        self.sessionAttributes = sessionAttributes
        self.user = user
        self.password = password
        self.database = database
        self.tlsMode = tlsMode
        self.rootCertificate = rootCertificate
        self.connectTimeoutSeconds = connectTimeoutSeconds
        self.poolSize = poolSize
    }

    /// Parses a `postgres://` URL; a missing or bad part is refused with the fix.
    public init(url: String, environment: [String: String] = ProcessInfo.processInfo.environment) throws(DatabaseLocationError) {
        let shown = DatabaseLocation.redacted(url)
        let example = "postgres://hall:PASSWORD@db.example:5432/hallkiosk"
        let (single, hosts) = try Self.splitHosts(url, shown: shown)
        guard let parts = URLComponents(string: single), let scheme = parts.scheme?.lowercased(), scheme == "postgres" || scheme == "postgresql" else {
            throw DatabaseLocationError("'\(shown)' is not a valid postgres:// URL (special characters in the password must be %-encoded); e.g. \(example)")
        }
        guard let host = parts.host, !host.isEmpty else {
            throw DatabaseLocationError("'\(shown)' names no host; e.g. \(example)")
        }
        guard let user = parts.user, !user.isEmpty else {
            throw DatabaseLocationError("'\(shown)' names no user; e.g. \(example)")
        }
        let database = String(parts.path.drop { $0 == "/" })
        guard !database.isEmpty, !database.contains("/") else {
            throw DatabaseLocationError("'\(shown)' names no database (the part after the last /); e.g. \(example)")
        }
        var tls = TLSMode.prefer
        var rootCertificate: String? = nil
        var timeout = 10
        var poolSize: Int? = nil
        var attributes = SessionAttributes.readWrite
        for item in parts.queryItems ?? [] {
            let value = item.value ?? ""
            switch item.name {
            case "sslmode":
                guard let mode = TLSMode(rawValue: value) else {
                    throw DatabaseLocationError("'\(shown)': sslmode '\(value)' is not one of \(TLSMode.allCases.map(\.rawValue).joined(separator: ", "))")
                }
                tls = mode
            case "sslrootcert":
                rootCertificate = value
            case "connect_timeout":
                guard let seconds = Int(value), (1...300).contains(seconds) else {
                    throw DatabaseLocationError("'\(shown)': connect_timeout '\(value)' must be whole seconds, 1…300")
                }
                timeout = seconds
            case "pool_size":
                guard let size = Int(value), (1...200).contains(size) else {
                    throw DatabaseLocationError("'\(shown)': pool_size '\(value)' must be a whole number of connections, 1…200")
                }
                poolSize = size
            case "target_session_attrs":
                guard let value = SessionAttributes(rawValue: value) else {
                    throw DatabaseLocationError("'\(shown)': target_session_attrs '\(item.value ?? "")' is not one of read-write, any")
                }
                attributes = value
            case "application_name":
                break
            default:
                throw DatabaseLocationError("'\(shown)': unknown parameter '\(item.name)'; known: sslmode, sslrootcert, connect_timeout, pool_size, "
                    + "target_session_attrs")
            }
        }
        if rootCertificate != nil, tls != .verifyFull {
            throw DatabaseLocationError("'\(shown)': sslrootcert is used only with sslmode=verify-full")
        }
        let password = parts.password ?? environment["PGPASSWORD"].flatMap { $0.isEmpty ? nil : $0 }
        self.init(host: host.hasPrefix("[") ? String(host.dropFirst().dropLast()) : host, port: parts.port ?? 5432, user: user,
                  password: password, database: database, tlsMode: tls, rootCertificate: rootCertificate, connectTimeoutSeconds: timeout,
                  poolSize: poolSize, otherHosts: Array(hosts.dropFirst()), sessionAttributes: attributes)
    }

    /// `url` with only its first host (what `URLComponents` reads), and every host it lists.
    static func splitHosts(_ url: String, shown: String) throws(DatabaseLocationError) -> (String, [PostgresHost]) {
        guard let schemeEnd = url.range(of: "://") else { return (url, []) }
        let rest = url[schemeEnd.upperBound...]
        let authorityEnd = rest.firstIndex(where: { $0 == "/" || $0 == "?" }) ?? rest.endIndex
        let authority = rest[..<authorityEnd]
        let hostStart = authority.lastIndex(of: "@").map { authority.index(after: $0) } ?? authority.startIndex
        let hostList = authority[hostStart...]
        guard hostList.contains(",") else { return (url, []) }
        var hosts: [PostgresHost] = []
        for item in hostList.split(separator: ",", omittingEmptySubsequences: false) {
            var name = String(item), port = 5432
            if let colon = item.lastIndex(of: ":"), !item.hasSuffix("]") {
                name = String(item[..<colon])
                guard let number = Int(item[item.index(after: colon)...]), (1...65535).contains(number) else {
                    throw DatabaseLocationError("'\(shown)': '\(item)' in the host list has no valid port; e.g. postgres://hall@primary:5432,standby:5432/hallkiosk")
                }
                port = number
            }
            if name.hasPrefix("[") && name.hasSuffix("]") { name = String(name.dropFirst().dropLast()) }
            guard !name.isEmpty else {
                throw DatabaseLocationError("'\(shown)': an empty host in the host list; e.g. postgres://hall@primary:5432,standby:5432/hallkiosk")
            }
            hosts.append(PostgresHost(host: name, port: port))
        }
        return (url.replacingCharacters(in: hostStart..<authorityEnd, with: String(hostList.split(separator: ",")[0])), hosts)
    }

    /// Every host, in the order they are tried.
    public var hosts: [PostgresHost] { [PostgresHost(host: host, port: port)] + otherHosts }

    /// This location with only host number `index` (of `hosts`).
    func only(_ index: Int) -> PostgresLocation {
        var single = self
        let chosen = hosts[index]
        single.host = chosen.host
        single.port = chosen.port
        single.otherHosts = []
        return single
    }

    /// `postgres://USER@HOST:PORT/DATABASE` (never the password); every host when there are several.
    public var description: String { "postgres://\(user)@\(address)/\(database)" }

    /// `HOST:PORT` (`HOST:PORT,HOST2:PORT2` when there are several), for messages.
    public var address: String { hosts.map(\.description).joined(separator: ",") }
}

/// One host of a PostgreSQL URL.
public struct PostgresHost: Sendable, Equatable, CustomStringConvertible {
    public var host: String
    public var port: Int
    public init(host: String, port: Int = 5432) {
        self.host = host
        self.port = port
    }
    public var description: String { host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)" }
}
