import Foundation
#if canImport(Glibc)
import Glibc
#endif
import HallAPI
import KioskHTTP
import KioskOutbox
import KioskSDL
import Logging

/// What the kiosk does under systemd when its display does not open (no DRM device yet, a screen switched
/// off at the wall, a driver that loads late): instead of exiting, restarting and in the end rebooting the box
/// again and again, it stays up and keeps trying. Meanwhile it tells
/// - systemd: `READY=1` with `STATUS=waiting for a display: …` (so `systemctl status` says why) and regular
///   `WATCHDOG=1`;
/// - the hall server: a heartbeat every 30 s with the screen `no-display` and the reason, so the hall's device
///   page names this kiosk and what is wrong with it before anybody walks to it;
/// - the journal: the reason once, and again only when it changes.
/// Pending ratings keep being delivered by the outbox sender, which runs without a window.
public struct DisplayWait {
    public var open: () throws -> KioskWindow
    public var retrySeconds: Double
    public var heartbeatSeconds: Double
    public var client: HallClient
    public var outboxStatus: @Sendable () -> OutboxStatus?
    public var notifier: SystemdNotifier
    public var logger: Logger

    public init(open: @escaping () throws -> KioskWindow, retrySeconds: Double = 5, heartbeatSeconds: Double = 30,
                client: HallClient, outboxStatus: @escaping @Sendable () -> OutboxStatus?, notifier: SystemdNotifier,
                logger: Logger) {
        self.open = open
        self.retrySeconds = retrySeconds
        self.heartbeatSeconds = heartbeatSeconds
        self.client = client
        self.outboxStatus = outboxStatus
        self.notifier = notifier
        self.logger = logger
    }

    /// Keeps trying to open the display after `firstFailure`; returns the window once it opens, or nil when
    /// SIGTERM or SIGINT arrived first (the caller exits 0: systemd stopped the kiosk on purpose).
    public func run(after firstFailure: KioskSDLError, hints: [String]) async -> KioskWindow? {
        let signals = SignalWatcher()
        defer { signals.cancel() }
        let started = KioskClock.uptimeSeconds
        var reason = Self.reason(firstFailure, hints: hints)
        logger.error("display: \(reason); the kiosk keeps trying every \(Int(retrySeconds)) s and reports it to the hall server")
        notifier.ready(status: Self.status(reason))
        let beatInFlight = BusyFlag()
        var nextTry = KioskClock.uptimeSeconds + retrySeconds
        var nextBeat = KioskClock.uptimeSeconds
        while signals.received == nil {
            notifier.watchdogIfDue()
            let now = KioskClock.uptimeSeconds
            if now >= nextBeat, beatInFlight.claim() {
                // Not awaited: a slow hall server must not hold up the watchdog pings.
                let beat = heartbeat(reason: reason, uptime: Int(now - started))
                Task.detached { [client, logger, beatInFlight] in
                    defer { beatInFlight.release() }
                    do { _ = try await client.heartbeat(beat) } catch { logger.debug("heartbeat not delivered: \(error)") }
                }
                nextBeat = now + heartbeatSeconds
            }
            if now >= nextTry {
                do {
                    let window = try open()
                    logger.notice("display: opened with video driver '\(window.videoDriver)' after \(Int(now - started)) s without one")
                    return window
                } catch let error as KioskSDLError {
                    let again = Self.reason(error, hints: hints)
                    if again != reason {
                        reason = again
                        logger.error("display: \(reason)")
                        notifier.status(Self.status(reason))
                        nextBeat = now
                    }
                } catch {
                    logger.error("display: \(error)")
                }
                nextTry = KioskClock.uptimeSeconds + retrySeconds
            }
            try? await Task.sleep(for: .milliseconds(250))
        }
        logger.info("display: stopped by \(SignalWatcher.name(signals.received ?? SIGTERM)) while waiting for a display")
        notifier.stopping(status: "stopping")
        return nil
    }

    /// The error and what to check, in one line.
    static func reason(_ error: KioskSDLError, hints: [String]) -> String {
        ([error.description] + hints).joined(separator: "; ")
    }

    static func status(_ reason: String) -> String { "waiting for a display: \(reason.prefix(160))" }

    private func heartbeat(reason: String, uptime: Int) -> DeviceHeartbeat {
        let outbox = outboxStatus()
        return DeviceHeartbeat(version: KioskAppInfo.version, uptimeSeconds: uptime, printer: nil,
                               outboxDepth: outbox?.pending ?? 0, outboxRejected: outbox?.heldForAdmin ?? 0,
                               lastError: "display: \(reason.prefix(300))", screen: DeviceHeartbeat.noDisplayScreen,
                               deviceTime: Date()).fittingLimits()
    }
}

/// Claimed by one piece of work at a time.
final class BusyFlag: @unchecked Sendable {
    private let lock = NSLock()
    private var busy = false
    /// True when it was free (and is now taken).
    func claim() -> Bool {
        lock.withLock {
            guard !busy else { return false }
            busy = true
            return true
        }
    }
    func release() { lock.withLock { busy = false } }
}
