import Foundation
import NIOCore
import NIOPosix
import PostgresNIO

/// What went wrong talking to PostgreSQL, sorted by what the hall server does about it.
enum PostgresProblem: Equatable {
    /// 40001 (serialization failure) or 40P01 (deadlock): run the whole transaction again.
    case retryable(sqlState: String)
    /// 23505: a unique constraint refused a row (`constraint` is its name).
    case uniqueViolation(constraint: String?)
    /// The connection is gone or cannot be made (server down, network cut, failover, restart).
    case connectionLost(reason: String)
    /// The pool gave no connection in time (the server is down, or every connection is busy): not retried.
    case noConnection(reason: String)
    /// Anything else (a bug, a full disk on the server, permissions …).
    case other(reason: String)

    init(_ error: any Error) {
        self = Self(databaseError: error) ?? .other(reason: "\(error)")
    }

    /// nil when `error` does not come from the database or the connection to it (a rule's own error).
    init?(databaseError error: any Error) {
        if let error = error as? PSQLError {
            self = Self.classify(error)
        } else if let timeout = error as? PostgresLeaseTimeout {
            self = .noConnection(reason: timeout.description)
        } else if let silence = error as? PostgresNoAnswer {
            self = .connectionLost(reason: silence.description)
        } else if let closed = error as? PostgresConnectionClosed {
            self = .connectionLost(reason: closed.description)
        } else if let error = error as? IOError {
            self = .connectionLost(reason: Self.socketReason(errno: error.errnoCode))
        } else if error is NIOConnectionError || error is ChannelError {
            self = .connectionLost(reason: "\(error)")
        } else if String(reflecting: type(of: error)).hasSuffix("ConnectionPoolError") {
            // PostgresNIO's pool (its `_ConnectionPoolModule` is not API): seen as `poolShutdown` while every connection
            // was being cut; like a lost connection, the transaction runs again, and a lasting one is answered 503.
            self = .connectionLost(reason: "the connection pool said: \(error)")
        } else if error is PostgresDecodingError {
            self = .other(reason: String(reflecting: error))
        } else {
            return nil
        }
    }

    private static func classify(_ error: PSQLError) -> PostgresProblem {
        switch error.code {
        case .server:
            let state = error.serverInfo?[.sqlState] ?? ""
            let message = error.serverInfo?[.message] ?? "server error"
            if state == "40001" || state == "40P01" { return .retryable(sqlState: state) }
            if state == "23505" { return .uniqueViolation(constraint: error.serverInfo?[.constraintName]) }
            // Class 08: connection exception; 57P01-57P03: admin shutdown, crash shutdown, cannot connect now
            // (a restarting or promoting server); 53300: too many connections.
            if state.hasPrefix("08") || ["57P01", "57P02", "57P03", "53300"].contains(state) {
                return .connectionLost(reason: "\(message) (\(state))")
            }
            return .other(reason: "\(message) (SQLSTATE \(state))")
        case .connectionError, .serverClosedConnection, .clientClosedConnection, .uncleanShutdown, .poolClosed:
            return .connectionLost(reason: Self.underlyingReason(error) ?? "the connection was closed")
        default:
            return .other(reason: String(reflecting: error))
        }
    }

    private static func underlyingReason(_ error: PSQLError) -> String? {
        guard let underlying = error.underlying else { return nil }
        if let io = underlying as? IOError { return socketReason(errno: io.errnoCode) }
        return "\(underlying)"
    }

    static func socketReason(errno code: Int32) -> String {
        switch code {
        case ECONNREFUSED: "connection refused"
        case ECONNRESET: "connection reset"
        case ETIMEDOUT: "timed out"
        case EHOSTUNREACH, ENETUNREACH: "host unreachable"
        case EPIPE: "connection closed"
        default: String(cString: strerror(code))
        }
    }

}

/// A leased connection that did not finish its transaction within `PostgresOptions.answerTimeoutSeconds`: taken as lost.
struct PostgresNoAnswer: Error, CustomStringConvertible {
    var seconds: Double
    var description: String { "no answer from PostgreSQL within \(Int(seconds)) s on a leased connection" }
}

/// The server closed the connection while the transaction was between two statements.
struct PostgresConnectionClosed: Error, CustomStringConvertible {
    var description: String { "the server closed the connection" }
}

/// No pooled connection within `PostgresOptions.leaseTimeout` (the server is down or every connection is busy).
struct PostgresLeaseTimeout: Error, CustomStringConvertible {
    var seconds: Double
    var description: String { "no connection to PostgreSQL within \(seconds) s" }
}

/// Why the hall server cannot start on a PostgreSQL database: the host, the reason and the fix, in one sentence.
public struct PostgresStartupError: Error, CustomStringConvertible, Sendable {
    public var description: String

    /// The reason and the fix without the "PostgreSQL at HOST (database, user)" in front (for 503 answers and logs).
    public var reasonAndFix: String

    init(_ description: String) {
        self.description = description
        reasonAndFix = description
    }

    /// The refusal for a failed first connection to `location`.
    static func connecting(_ location: PostgresLocation, _ error: any Error) -> PostgresStartupError {
        let at = atPrefix(location)
        var refusal = sentence(location, error)
        if refusal.description.hasPrefix(at + ": ") { refusal.reasonAndFix = String(refusal.description.dropFirst(at.count + 2)) }
        return refusal
    }

    private static func atPrefix(_ location: PostgresLocation) -> String {
        "PostgreSQL at \(location.address) (database '\(location.database)', user '\(location.user)')"
    }

    private static func sentence(_ location: PostgresLocation, _ error: any Error) -> PostgresStartupError {
        let at = atPrefix(location)
        if let io = error as? IOError {
            return PostgresStartupError(connectFailure(at, location, reason: PostgresProblem.socketReason(errno: io.errnoCode), errno: io.errnoCode))
        }
        if error is PostgresLeaseTimeout || error is CancellationError {
            return PostgresStartupError("\(at): no answer within \(location.connectTimeoutSeconds) s: check that the host is right, "
                + "that the server runs and that a firewall lets port \(location.port) through (connect_timeout= in the URL waits longer)")
        }
        if let connect = error as? NIOConnectionError {
            if let dns = connect.dnsAAAAError ?? connect.dnsAError {
                return PostgresStartupError("\(at): the host name '\(location.host)' cannot be resolved (\(dns)): fix the host in the URL or DNS")
            }
            if let first = connect.connectionErrors.first, let io = first.error as? IOError {
                return PostgresStartupError(connectFailure(at, location, reason: PostgresProblem.socketReason(errno: io.errnoCode), errno: io.errnoCode))
            }
            return PostgresStartupError("\(at): cannot connect (\(connect)): check the host and port in the URL")
        }
        guard let psql = error as? PSQLError else {
            return PostgresStartupError("\(at): cannot connect (\(error))")
        }
        if psql.code == .server {
            let state = psql.serverInfo?[.sqlState] ?? ""
            let message = psql.serverInfo?[.message] ?? ""
            switch state {
            case "28P01":
                return PostgresStartupError("\(at): password authentication failed (\(message)): fix the password in the URL (or PGPASSWORD)")
            case "28000":
                return PostgresStartupError("\(at): the server refuses this connection (\(message)): add a line for this host, user and "
                    + "database to pg_hba.conf (md5 or scram-sha-256) and reload PostgreSQL")
            case "3D000":
                return PostgresStartupError("\(at): the database does not exist (\(message)): create it (createdb -O \(location.user) "
                    + "\(location.database)) or fix its name in the URL")
            case "53300":
                return PostgresStartupError("\(at): too many connections (\(message)): raise max_connections or stop other clients")
            case "57P03":
                return PostgresStartupError("\(at): the server is starting up or shutting down (\(message)): try again in a moment")
            default:
                return PostgresStartupError("\(at): \(message) (SQLSTATE \(state))")
            }
        }
        switch psql.code {
        case .unsupportedAuthMechanism:
            return PostgresStartupError("\(at): the server asks for an authentication method this hall server cannot use "
                + "(it speaks cleartext, md5 and scram-sha-256; openGauss-family servers default to sha256): set md5 or scram-sha-256 "
                + "for this user in pg_hba.conf (openGauss: password_encryption_type=1, then set the password again)")
        case .authMechanismRequiresPassword:
            return PostgresStartupError("\(at): the server wants a password and the URL has none: put it in the URL "
                + "(postgres://\(location.user):PASSWORD@…) or in PGPASSWORD")
        case .sslUnsupported:
            return PostgresStartupError("\(at): sslmode=\(location.tlsMode.rawValue) but the server does not offer TLS: "
                + "turn on ssl in postgresql.conf or use sslmode=prefer / disable")
        case .failedToAddSSLHandler, .saslError:
            return PostgresStartupError("\(at): \(String(reflecting: psql))")
        default:
            if let underlying = psql.underlying {
                return sentence(location, underlying)
            }
            return PostgresStartupError("\(at): cannot connect: \(String(reflecting: psql))")
        }
    }

    private static func connectFailure(_ at: String, _ location: PostgresLocation, reason: String, errno code: Int32) -> String {
        switch code {
        case ECONNREFUSED:
            "\(at): connection refused: nothing listens there; start PostgreSQL, or fix the host or port in the URL "
                + "(listen_addresses in postgresql.conf for a remote server)"
        case ETIMEDOUT, EHOSTUNREACH, ENETUNREACH:
            "\(at): \(reason): check the host in the URL, the network and the firewall"
        default:
            "\(at): cannot connect (\(reason)): check the host and port in the URL"
        }
    }
}
