import HallAPI

/// What a heartbeat tells the hall that staff act on. When it changes the kiosk sends a heartbeat at once
/// instead of at the next 30 s tick, so `/admin/devices` shows a paused kiosk, an offline screen, a new
/// error or a backlog of ratings within seconds. A citizen moving between screens is not a change.
struct HeartbeatDigest: Equatable {
    /// `home` for every citizen screen; the out-of-service screens by name.
    var service: DeviceScreen
    var issuingPaused: Bool
    var lastError: String?
    /// 0 below 10 waiting ratings, 1 from 10 (the device page's alert), 2 from 100.
    var outboxBacklog: Int
    var outboxRejected: Int
    var ratingsUnavailable: String?

    init(screen: DeviceScreen, issuingPaused: Bool, lastError: String?, outboxPending: Int, outboxRejected: Int,
         ratingsUnavailable: String? = nil) {
        service = screen.isOutOfService ? screen : .home
        self.issuingPaused = issuingPaused
        self.lastError = lastError
        outboxBacklog = outboxPending >= 100 ? 2 : outboxPending >= 10 ? 1 : 0
        self.outboxRejected = outboxRejected
        self.ratingsUnavailable = ratingsUnavailable
    }
}
