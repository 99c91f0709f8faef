import Foundation
import HallAPI

extension DeviceHeartbeat {
    /// The first thing wrong with the heartbeat's numbers, or nil: counts and times are never negative, latencies
    /// are finite. (Strings and lists: `checkLengths`.) (A heartbeat with -5 ratings waiting would hide a real backlog.)
    func numberProblem() -> String? {
        let counts: [(String, Int)] = [("uptimeSeconds", uptimeSeconds), ("outboxDepth", outboxDepth), ("outboxRejected", outboxRejected)]
        for (name, value) in counts where !(0...1_000_000_000).contains(value) {
            return "\(name) must be 0 … 1000000000 (got \(value))"
        }
        if let ms = serverLatencyMs, !(ms.isFinite && ms >= 0 && ms <= 3_600_000) {
            return "serverLatencyMs must be 0 … 3600000 (got \(ms))"
        }
        return nil
    }
}
