import Foundation
import HallAPI
import KioskHTTP
import Logging
import ServiceLifecycle

/// Tells the hall server how this device is: every 30 s; within a second of a printer change; within 5 s of a
/// change staff act on (screen out of service, error, pause, outbox backlog, ratings unavailable). Sleeps in between.
struct HeartbeatService: Service {
    let client: HallClient
    let board: KioskStatusBoard
    let printer: any TicketPrinter
    let ratings: RatingServices?
    let errors: RecentErrors
    let trigger: HeartbeatTrigger
    let activity: ActivityLog
    let clock: any KioskClockSource
    /// Monotonic seconds at start.
    let started: Double
    let logger: Logger
    /// The ID card reader, when this kiosk runs one: its health rides along.
    var cardReader: IDCardReaderWatch? = nil

    func run() async {
        await cancelWhenGracefulShutdown { await beat() }
    }

    private func digest() -> HeartbeatDigest {
        let snapshot = board.snapshot
        let outbox = ratings?.status
        return HeartbeatDigest(screen: snapshot.screen, issuingPaused: snapshot.issuingPaused,
                               lastError: snapshot.lastError ?? outbox?.lastError,
                               outboxPending: outbox?.pending ?? 0, outboxRejected: outbox?.heldForAdmin ?? 0,
                               ratingsUnavailable: ratings?.storageProblem)
    }

    private func beat() async {
        var refusal: String?  // the last refusal logged, so it is logged once, not every 30 s
        var latencyMs: Double?  // the previous heartbeat's round trip
        while !Task.isCancelled {
            let sent = digest()
            let snapshot = board.snapshot
            let outbox = ratings?.status
            let beat = DeviceHeartbeat(
                version: KioskAppInfo.version, uptimeSeconds: Int(clock.uptimeSeconds - started),
                printer: printer.health,
                outboxDepth: outbox?.pending ?? 0, outboxRejected: outbox?.heldForAdmin ?? 0,
                lastError: snapshot.lastError ?? outbox?.lastError, screen: snapshot.screen.rawValue,
                issuingPaused: snapshot.issuingPaused, ratingsUnavailable: ratings?.storageProblem,
                addresses: NetworkAddresses.current(), serverLatencyMs: latencyMs, deviceTime: clock.reading().wall,
                idCardReader: cardReader?.health).fittingLimits()
            let sending = clock.uptimeSeconds
            do {
                _ = try await client.heartbeat(beat)
                latencyMs = ((clock.uptimeSeconds - sending) * 10_000).rounded() / 10
                refusal = nil
                activity.record(.heartbeat(screen: snapshot.screen, error: nil))
            } catch {
                activity.record(.heartbeat(screen: snapshot.screen, error: "\(error)"))
                if case .rejected(let status, _, _) = error, status < 500, status != 429 {
                    // Refused for good (wrong token, another device's token): retrying will not help, hall IT must act.
                    if refusal != "\(error)" {
                        refusal = "\(error)"
                        logger.warning("the hall server refuses this device's heartbeat: \(error); check device.id and the device token")
                        errors.add("heartbeat refused: \(error)")
                    }
                } else {
                    logger.debug("heartbeat not delivered: \(error)")
                }
            }
            await waitForNextBeat(sentAt: clock.uptimeSeconds, sent: sent)
        }
    }

    /// Every 30 s; at least a second apart (a printer change right after start waits for the start's beat to go);
    /// a changed digest at least 5 s after the last beat.
    private func waitForNextBeat(sentAt: Double, sent: HeartbeatDigest) async {
        while !Task.isCancelled {
            let elapsed = clock.uptimeSeconds - sentAt
            guard elapsed < 30 else { return }
            let reason = await trigger.wait(seconds: 30 - elapsed)
            switch reason {
            case nil:
                return
            case .sendNow?:
                await sleep(until: sentAt + 1)
                return
            case .check?:
                guard digest() != sent else { continue }
                await sleep(until: sentAt + 5)
                if digest() != sent { return }  // not when it changed back meanwhile
            }
        }
    }

    private func sleep(until uptime: Double) async {
        let rest = uptime - clock.uptimeSeconds
        if rest > 0 { try? await Task.sleep(for: .seconds(rest)) }
    }
}
