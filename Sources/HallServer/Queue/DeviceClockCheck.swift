import Foundation

/// Flags a device whose own clock is far from the server's (it stamps ratings and shows the time to citizens).
enum DeviceClockCheck {
    /// How far a device's clock may be from the server's before the device page says so.
    static let tolerance: TimeInterval = 300

    /// The device-page alert for a heartbeat sent at `deviceTime` (device clock) and received at `receivedAt`
    /// (server clock), or nil when they agree within `tolerance` or the device did not say.
    static func alert(deviceTime: Date?, receivedAt: Date) -> String? {
        guard let deviceTime else { return nil }
        let difference = deviceTime.timeIntervalSince(receivedAt)
        guard abs(difference) > tolerance else { return nil }
        let minutes = Int((abs(difference) / 60).rounded())
        let zh = difference > 0 ? "快" : "慢"
        let en = difference > 0 ? "ahead of" : "behind"
        return "设备时钟比服务器\(zh) \(minutes) 分钟 / device clock \(minutes) min \(en) the server's: check NTP on the device (timedatectl)"
    }
}
