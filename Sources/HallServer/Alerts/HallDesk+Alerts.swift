import Foundation
import HallAPI

extension HallDesk {
    /// `[alerts]` of the hall's config (defaults without one).
    var alertRules: AlertRules {
        (try? AlertSettings.validated(settings.seed?.config.alerts)) ?? AlertRules()
    }

    /// Works out the alerts now, announces each one raised or resolved once (the store decides which instance does),
    /// and keeps them for the admin page.
    /// - Returns: the alerts that hold.
    @discardableResult
    func checkAlerts(rules: AlertRules) async throws -> [HallAlert] {
        let now = self.now
        let hall = self.hall
        let rows = try await store.lastHeartbeats()
        let states = hall.devices.map {
            AlertCheck.DeviceState(device: $0, lastSeen: rows[$0.id]?.receivedAt, heartbeat: rows[$0.id]?.heartbeat,
                                   outboxSince: deviceWatch.outboxWaitingSince(deviceId: $0.id))
        }
        let alerts = AlertCheck.alerts(devices: states, diskFreePercent: diskFreePercent(), rules: rules, now: now)
        let stored = try await store.activeAlerts()
        var since = Dictionary(stored.map { ($0.key, $0.since) }, uniquingKeysWith: { a, _ in a })
        let current = Set(alerts.map(\.key))
        for alert in alerts where since[alert.key] == nil {
            if try await store.markAlert(key: alert.key, active: true, at: now) {
                logger.warning("alert raised", metadata: ["alert.key": "\(alert.key)"])
                announce(.raised, alert, since: now, at: now, hall: hall)
            }
            since[alert.key] = now
        }
        for old in stored where !current.contains(old.key) {
            let alert = alertBoard.takeKnown(old.key) ?? Self.alert(fromKey: old.key, hall: hall)
            if try await store.markAlert(key: old.key, active: false, at: now) {
                logger.notice("alert resolved", metadata: ["alert.key": "\(old.key)"])
                if let alert { announce(.resolved, alert, since: old.since, at: now, hall: hall) }
            }
        }
        alertBoard.record(alerts, since: since, at: now)
        return alerts
    }

    private func announce(_ event: AlertNotice.Event, _ alert: HallAlert, since: Date, at now: Date, hall: Hall) {
        guard let sender = alertBoard.sender else { return }
        sender.enqueue(AlertNotice(event: event, hall: .init(id: hall.id, name: hall.name), key: alert.key, kind: alert.kind.rawValue,
                                   severity: alert.severity.rawValue, device: alert.deviceId, window: alert.windowId,
                                   message: alert.message, at: now, since: since))
    }

    /// An alert rebuilt from its key alone (raised before a restart or by another instance), in plain words.
    static func alert(fromKey key: String, hall: Hall) -> HallAlert? {
        let parts = key.split(separator: "|", maxSplits: 1).map(String.init)
        guard parts.count == 2, let kind = HallAlert.Kind(rawValue: parts[0]) else { return nil }
        let device = parts[1] == "server" ? nil : parts[1]
        let label = kind.label
        return HallAlert(kind: kind, deviceId: device, windowId: device.flatMap { hall.device($0)?.windowId }, severity: .warning,
                         message: device.map { LocalizedText(zh: "\($0)：\(label.zh)", en: "\($0): \(label.en)") } ?? label)
    }

    /// Free space on the SQLite database's disk, percent (0 while the disk counts as full); nil on PostgreSQL.
    func diskFreePercent() -> Double? {
        guard let sqlite = store as? SQLiteHallStore else { return nil }
        if sqlite.database.diskGuard.reason != nil { return 0 }
        var s = statvfs()
        guard statvfs(sqlite.database.diskGuard.folder, &s) == 0, s.f_blocks > 0 else { return nil }
        return Double(s.f_bavail) / Double(s.f_blocks) * 100
    }
}
