import FaultInjection
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A private PostgreSQL server for tests: `initdb` into a temporary folder, `pg_ctl start` on a free loopback port with
/// its unix socket in that folder, trust authentication for the user `hall`; stopped and deleted by `stop()`, and by a
/// watchdog when the test process ends in any way (a crash included).
///
/// Binaries come from `PATH` or Debian's `/usr/lib/postgresql/*/bin` (newest first). PostgreSQL refuses to run as root:
/// as root, `initdb` and `pg_ctl` run as the `postgres` user (Debian's package makes it) or, failing that, `nobody`,
/// on a folder that user owns. `kiosk/test` starts one server for the whole suite and passes its URL in
/// `HALL_TEST_POSTGRES_URL`; `PrivatePostgres.shared()` uses that when set and starts its own otherwise.
public final class PrivatePostgres: @unchecked Sendable {
    /// The temporary folder: `data/` (the cluster), `log`, the unix socket.
    public let folder: URL
    /// The loopback port the server listens on.
    public let port: Int
    /// The database user (superuser, trust authentication on loopback).
    public let user: String
    /// The server's binaries folder (initdb, pg_ctl, psql …).
    public let binaries: URL
    /// When not nil, the user `initdb` and `pg_ctl` run as (this process is root).
    private let runAs: String?
    private let ownsServer: Bool
    private var stopped = false
    private let lock = NSLock()

    /// `postgres://hall@127.0.0.1:PORT/DATABASE`: what `hallserver --db` takes.
    public func url(database: String) -> String { "postgres://\(user)@127.0.0.1:\(port)/\(database)" }

    /// Environment variable with the URL of a server started by `kiosk/test` (any database; others are created beside it).
    public static let environmentKey = "HALL_TEST_POSTGRES_URL"

    private init(folder: URL, port: Int, user: String, binaries: URL, runAs: String?, ownsServer: Bool) {
        self.folder = folder
        self.port = port
        self.user = user
        self.binaries = binaries
        self.runAs = runAs
        self.ownsServer = ownsServer
    }

    // MARK: One server per test process

    private static let sharedLock = NSLock()
    nonisolated(unsafe) private static var sharedServer: Result<PrivatePostgres, TestSetupFailure>?

    /// The server of this test process: the one `kiosk/test` started (`HALL_TEST_POSTGRES_URL`), else one started now
    /// and kept until the process ends. A failure to start is remembered: every later test fails at once with it.
    public static func shared() throws -> PrivatePostgres {
        try sharedLock.withLock {
            if let sharedServer { return try sharedServer.get() }
            let result: Result<PrivatePostgres, TestSetupFailure>
            do {
                if let url = ProcessInfo.processInfo.environment[environmentKey], !url.isEmpty {
                    result = .success(try attach(url: url))
                } else {
                    result = .success(try start())
                }
            } catch let failure as TestSetupFailure {
                result = .failure(failure)
            } catch {
                result = .failure(TestSetupFailure("private PostgreSQL: \(error)"))
            }
            sharedServer = result
            return try result.get()
        }
    }

    /// Uses a server that is already running (`postgres://USER@127.0.0.1:PORT/...`, trust authentication).
    static func attach(url: String) throws -> PrivatePostgres {
        guard let parts = URLComponents(string: url), let port = parts.port, let user = parts.user, parts.host == "127.0.0.1" || parts.host == "localhost" else {
            throw TestSetupFailure("\(environmentKey)='\(url)' is not like postgres://hall@127.0.0.1:PORT/postgres (a local server with trust authentication)")
        }
        let server = PrivatePostgres(folder: FileManager.default.temporaryDirectory, port: port, user: user, binaries: try findBinaries(),
                                     runAs: nil, ownsServer: false)
        let probe = try server.psql("postgres", "SELECT 1")
        guard probe.code == 0 else {
            throw TestSetupFailure("\(environmentKey)='\(url)' does not answer: \(probe.err.trimmingCharacters(in: .whitespacesAndNewlines))")
        }
        return server
    }

    // MARK: Starting and stopping

    /// Starts a new server (about 1.5 s: `initdb --no-sync`, then `pg_ctl start -w`) with `fsync=off`: tests need no
    /// durability across a power loss, and the machine's other builds make fsyncs slow.
    public static func start(user: String = "hall") throws -> PrivatePostgres {
        let binaries = try findBinaries()
        let runAs = try unprivilegedUser()
        let folder = URL(fileURLWithPath: "/tmp").appendingPathComponent("hall-pg-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        if let runAs {
            // The server's user must own the folder; the test process (root) reaches it over TCP and reads the log as root.
            let chown = try runProgram("/bin/chown", [runAs, folder.path])
            guard chown.code == 0 else { throw TestSetupFailure("cannot give \(folder.path) to the user '\(runAs)': \(chown.err)") }
        }
        let port = try freePort()
        let server = PrivatePostgres(folder: folder, port: port, user: user, binaries: binaries, runAs: runAs, ownsServer: true)
        let data = folder.appendingPathComponent("data").path
        let initdb = try server.runServerTool("initdb", ["--no-sync", "-D", data, "-A", "trust", "-U", user, "-E", "UTF8", "--locale=C.UTF-8"])
        guard initdb.code == 0 else {
            server.removeFolder()
            throw TestSetupFailure("initdb failed (exit \(initdb.code)): \(initdb.err.suffix(600))")
        }
        do {
            try server.startServer()
        } catch {
            server.removeFolder()
            throw error
        }
        server.startWatchdog()
        return server
    }

    /// Starts the server of a cluster made by `start()` (again, after `stopServer()`), on the same port.
    public func startServer() throws {
        let options = "-p \(port) -k \(folder.path) -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off "
            + "-c full_page_writes=off -c max_connections=200 -c shared_buffers=32MB"
        let logFile = folder.appendingPathComponent("log").path
        let data = folder.appendingPathComponent("data").path
        let started = try runServerTool("pg_ctl", ["-D", data, "-l", logFile, "-w", "-t", "30", "-o", options, "start"])
        guard started.code == 0 else {
            throw TestSetupFailure("pg_ctl start failed (exit \(started.code)): \(started.err.suffix(300)) \(log.suffix(600))")
        }
    }

    /// Stops the server but keeps its cluster (`startServer()` brings it back): a database that goes away.
    /// `immediate` is a crash (no shutdown checkpoint); connections are cut either way.
    public func stopServer(immediate: Bool = false) throws {
        let data = folder.appendingPathComponent("data").path
        let stopped = try runServerTool("pg_ctl", ["-D", data, "-m", immediate ? "immediate" : "fast", "-w", "stop"])
        guard stopped.code == 0 else { throw TestSetupFailure("pg_ctl stop failed (exit \(stopped.code)): \(stopped.err)") }
    }

    /// Stops the server (fast shutdown) and deletes its folder. Does nothing for a server this process did not start.
    public func stop() {
        let already = lock.withLock { () -> Bool in
            defer { stopped = true }
            return stopped
        }
        guard ownsServer, !already else { return }
        _ = try? runServerTool("pg_ctl", ["-D", folder.appendingPathComponent("data").path, "-m", "fast", "-w", "stop"])
        removeFolder()
    }

    deinit { stop() }

    // MARK: Databases

    /// Creates an empty database named `name` (letters, digits, `_`) and returns its URL.
    @discardableResult
    public func createDatabase(_ name: String) throws -> String {
        guard !name.isEmpty, name.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "_") }) else {
            throw TestSetupFailure("'\(name)' is not a plain database name")
        }
        let made = try psql("postgres", "CREATE DATABASE \(name)")
        guard made.code == 0 else { throw TestSetupFailure("CREATE DATABASE \(name) failed: \(made.err)") }
        return url(database: name)
    }

    /// A new empty database with a unique name (`hall_<random>`), returned as its URL.
    public func freshDatabase() throws -> String {
        try createDatabase("hall_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").prefix(16).lowercased())
    }

    /// Drops the database `name`, closing its connections first.
    public func dropDatabase(_ name: String) {
        _ = try? psql("postgres", "DROP DATABASE IF EXISTS \(name) WITH (FORCE)")
    }

    /// Runs one SQL text with `psql` on database `database` (`-v ON_ERROR_STOP=1`, unaligned, tuples only).
    public func psql(_ database: String, _ sql: String) throws -> (code: Int32, out: String, err: String) {
        try runProgram(binaries.appendingPathComponent("psql").path,
                       ["-X", "-q", "-A", "-t", "-v", "ON_ERROR_STOP=1", "-h", "127.0.0.1", "-p", String(port), "-U", user, "-d", database, "-c", sql])
    }

    /// The server log so far (for failure messages).
    public var log: String { (try? String(contentsOfFile: folder.appendingPathComponent("log").path, encoding: .utf8)) ?? "" }

    // MARK: Helpers

    private func runServerTool(_ tool: String, _ arguments: [String]) throws -> (code: Int32, out: String, err: String) {
        let path = binaries.appendingPathComponent(tool).path
        guard let runAs else { return try runProgram(path, arguments) }
        return try runProgram("/usr/sbin/runuser", ["-u", runAs, "--", path] + arguments)
    }

    private func removeFolder() {
        if ownsServer { try? FileManager.default.removeItem(at: folder) }
    }

    /// A detached shell that waits for this process to end, then stops the server and deletes the folder: a test
    /// process that crashes or is killed leaves no server behind.
    private func startWatchdog() {
        let data = folder.appendingPathComponent("data").path
        let script = """
            while kill -0 \(getpid()) 2>/dev/null; do sleep 1; done
            pid=$(head -1 '\(data)/postmaster.pid' 2>/dev/null) && kill -INT "$pid" 2>/dev/null
            for i in 1 2 3 4 5 6 7 8 9 10; do [ -f '\(data)/postmaster.pid' ] || break; sleep 0.5; done
            rm -rf '\(folder.path)'
            """
        spawnDetached("/bin/sh", ["-c", script])
    }

    /// The folder with `initdb` and `pg_ctl`: on PATH, else the newest `/usr/lib/postgresql/*/bin`.
    static func findBinaries() throws -> URL {
        let fm = FileManager.default
        for dir in (ProcessInfo.processInfo.environment["PATH"] ?? "").split(separator: ":").map(String.init)
        where fm.isExecutableFile(atPath: dir + "/initdb") && fm.isExecutableFile(atPath: dir + "/pg_ctl") {
            // Follow links (/usr/local/bin/initdb → /usr/lib/postgresql/15/bin/initdb): psql and pg_ctl sit beside the real one.
            return URL(fileURLWithPath: dir + "/initdb").resolvingSymlinksInPath().deletingLastPathComponent()
        }
        let versions = ((try? fm.contentsOfDirectory(atPath: "/usr/lib/postgresql")) ?? [])
            .compactMap(Int.init).sorted(by: >)
        for v in versions where fm.isExecutableFile(atPath: "/usr/lib/postgresql/\(v)/bin/initdb") {
            return URL(fileURLWithPath: "/usr/lib/postgresql/\(v)/bin")
        }
        throw TestSetupFailure("PostgreSQL is not installed (no initdb on PATH or in /usr/lib/postgresql/*/bin): "
            + "install Debian's package with `apt-get install postgresql` (kiosk/test does this), then run the tests again")
    }

    /// nil when this process is not root; else a user PostgreSQL may run as (`postgres`, else `nobody`).
    static func unprivilegedUser() throws -> String? {
        guard geteuid() == 0 else { return nil }
        for name in ["postgres", "nobody"] where getpwnam(name) != nil {
            return name
        }
        throw TestSetupFailure("running as root and neither the user 'postgres' nor 'nobody' exists: PostgreSQL refuses to run as root; "
            + "install Debian's postgresql package (it makes the user 'postgres') or run the tests as an ordinary user")
    }

    /// A loopback port nobody listens on now.
    public static func freePort() throws -> Int {
        let (fd, port) = try Loopback.listener()
        close(fd)
        return port
    }
}

/// Starts `path` in its own session and does not wait for it (a watchdog that outlives this process).
private func spawnDetached(_ path: String, _ arguments: [String]) {
    var attributes = posix_spawnattr_t()
    posix_spawnattr_init(&attributes)
    defer { posix_spawnattr_destroy(&attributes) }
    // POSIX_SPAWN_SETSID (glibc, 0x80; not visible to Swift): a Ctrl-C to the test process group does not reach the watchdog.
    posix_spawnattr_setflags(&attributes, 0x80)
    var actions = posix_spawn_file_actions_t()
    posix_spawn_file_actions_init(&actions)
    defer { posix_spawn_file_actions_destroy(&actions) }
    for fd: Int32 in [0, 1, 2] {
        posix_spawn_file_actions_addopen(&actions, fd, "/dev/null", fd == 0 ? O_RDONLY : O_WRONLY, 0)
    }
    let argv = ([path] + arguments).map { strdup($0) } + [nil]
    defer { argv.forEach { free($0) } }
    var pid: pid_t = 0
    _ = posix_spawn(&pid, path, &actions, &attributes, argv, environ)
}
