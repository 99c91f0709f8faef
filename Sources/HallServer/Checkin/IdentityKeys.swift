import Foundation
import HallAPI
import HallSecrets

/// The hall server's identity keyring as loaded from `[identity] keyFile`, re-read when the file changes (a
/// `hallserver identity rotate` takes effect without a restart) or on `reload()` (SIGHUP).
///
/// Without a key file, or with one that cannot be used, the server still runs: card and appointment requests answer
/// 503 `identityUnavailable` with `problem`, which names the file and the fix; `/healthz` and `check-config` say so.
public final class IdentityKeys: @unchecked Sendable {
    /// The key file; nil when `[identity] keyFile` is not set.
    public let path: String?
    private let lock = NSLock()
    private var ring: PersonKeyring?
    private var loadProblem: String?
    private var fileStamp: FileStamp?
    private var checkedAt: TimeInterval = 0
    /// How often (seconds, monotonic) a use looks at the file for a change.
    private let recheckSeconds: TimeInterval

    private struct FileStamp: Equatable {
        var mtime: timespec
        var size: Int
        var inode: UInt

        static func == (a: FileStamp, b: FileStamp) -> Bool {
            a.mtime.tv_sec == b.mtime.tv_sec && a.mtime.tv_nsec == b.mtime.tv_nsec && a.size == b.size && a.inode == b.inode
        }
    }

    /// Loads `path` now (nil: identity features off).
    public init(path: String?, recheckSeconds: TimeInterval = 1) {
        self.path = path
        self.recheckSeconds = recheckSeconds
        reload()
    }

    /// A fixed ring (tests, tools).
    public init(ring: PersonKeyring) {
        self.path = nil
        self.ring = ring
        self.recheckSeconds = .infinity
    }

    /// Reads the key file again. - Returns: the problem, nil when the ring is usable.
    @discardableResult
    public func reload() -> String? {
        guard let path else {
            lock.withLock {
                if ring == nil { loadProblem = Self.notConfigured }
            }
            return problem
        }
        let stamp = Self.stamp(path)
        do {
            let loaded = try PersonKeyring.load(path: path)
            lock.withLock {
                ring = loaded
                loadProblem = nil
                fileStamp = stamp
            }
        } catch {
            let message = (error as? PersonKeyring.Problem)?.description ?? "the identity key file \(path) cannot be used: \(error)"
            lock.withLock {
                // A file broken by a bad edit does not throw away the keys in use: they stay until a good file is read.
                if ring == nil { loadProblem = message }
                fileStamp = stamp
            }
        }
        return problem
    }

    static let notConfigured = "no identity key file is configured; set [identity] keyFile in hall.toml and create the file "
        + "with `hallserver identity new-key --file <path>`"

    /// Why card and appointment features are off now; nil when a ring is loaded.
    public var problem: String? {
        lock.withLock { ring == nil ? (loadProblem ?? Self.notConfigured) : nil }
    }

    /// The ring in force (re-reading the file when it changed), or 503 `identityUnavailable`.
    public func current() throws -> PersonKeyring {
        refreshIfChanged()
        if let ring = lock.withLock({ ring }) { return ring }
        throw HallError(.identityUnavailable, "ID-card and appointment features are off: \(problem ?? Self.notConfigured)", retryAfterSeconds: 60)
    }

    /// The ring in force, nil when none.
    public var ringIfLoaded: PersonKeyring? {
        refreshIfChanged()
        return lock.withLock { ring }
    }

    private func refreshIfChanged() {
        guard let path else { return }
        let now = ProcessInfo.processInfo.systemUptime
        let due = lock.withLock { () -> Bool in
            guard now - checkedAt >= recheckSeconds else { return false }
            checkedAt = now
            return true
        }
        guard due else { return }
        let stamp = Self.stamp(path)
        if lock.withLock({ stamp != fileStamp }) { reload() }
    }

    private static func stamp(_ path: String) -> FileStamp? {
        var info = stat()
        guard stat(path, &info) == 0 else { return nil }
        return FileStamp(mtime: info.st_mtim, size: Int(info.st_size), inode: UInt(info.st_ino))
    }
}
