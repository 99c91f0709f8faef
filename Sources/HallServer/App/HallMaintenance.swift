import Foundation
import HallAPI
import Logging
import ServiceLifecycle

/// The hall server's background upkeep, run beside the HTTP server until shutdown:
/// every `sweepSeconds` it closes ended hall days (`expireEndedHallDays`), marks missed appointments
/// (`markMissedAppointments`) and deletes window events
/// older than `windowEventDays`; every `diskCheckSeconds` while the disk is full it tries to recover.
struct HallMaintenance: Service {
    let desk: HallDesk
    let settings: Maintenance

    func run() async throws {
        try await cancelWhenGracefulShutdown {
            var lastSweep: ContinuousClock.Instant? = nil
            while !Task.isCancelled {
                if desk.store.health.refusingWrites != nil {
                    _ = await desk.store.recoverWrites(now: desk.now)
                }
                if lastSweep.map({ ContinuousClock.now - $0 >= .milliseconds(Int64(settings.sweepSeconds * 1000)) }) ?? true {
                    lastSweep = .now
                    await sweep()
                }
                try? await Task.sleep(for: .milliseconds(Int64(min(settings.sweepSeconds, settings.diskCheckSeconds) * 1000)))
            }
        }
    }

    /// One sweep; a failure (a full disk, say) is logged and the next sweep tries again.
    func sweep() async {
        do {
            try await desk.expireEndedHallDays()
            try await desk.markMissedAppointments()
            try await desk.pruneWindowEvents(olderThanDays: settings.windowEventDays)
        } catch let error as HallError where error.kind == .diskFull {
            // Logged once by DiskGuard.
        } catch {
            desk.logger.warning("maintenance sweep failed; the next one tries again", metadata: ["error": "\(error)"])
        }
    }
}

extension HallDesk {
    /// Deletes window events older than `days` days, a batch per transaction (writes for tickets go on between).
    /// - Returns: how many were deleted.
    @discardableResult
    public func pruneWindowEvents(olderThanDays days: Int) async throws -> Int {
        let cutoff = now - Double(days) * 86400
        var total = 0
        while true {
            let n = try await store.pruneWindowEvents(before: cutoff, batch: 5000)
            total += n
            if n == 0 { break }
        }
        if total > 0 {
            logger.info("old window events deleted", metadata: ["events": "\(total)", "older.than.days": "\(days)"])
        }
        return total
    }
}
