import Foundation

/// Hall IT's "pause issuing at this kiosk" (admin screen) as a file beside the rating outbox — the service's state
/// folder (`/var/lib/hallkiosk`) on the appliance — so a watchdog restart, a crash, the admin screen's own restart or
/// a power cut never silently resumes issuing at a kiosk whose printer IT took out of service.
struct IssuingPauseMarker: Sendable {
    let path: String

    init(settings: KioskSettings) {
        let folder = URL(fileURLWithPath: settings.outboxPath).deletingLastPathComponent()
        path = folder.appendingPathComponent("issuing-paused-\(KioskSettings.fileNamePart(deviceId: settings.deviceId))").path
    }

    var isSet: Bool { FileManager.default.fileExists(atPath: path) }

    /// Writes (durably) or removes the marker.
    func set(_ paused: Bool) throws {
        if paused {
            let text = "issuing paused at the admin screen, \(ISO8601DateFormatter().string(from: Date()))\n"
            try Data(text.utf8).write(to: URL(fileURLWithPath: path), options: .atomic)
        } else if isSet {
            try FileManager.default.removeItem(atPath: path)
        }
    }
}
