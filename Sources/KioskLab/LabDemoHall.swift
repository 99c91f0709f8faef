/// The demo hall (kiosk/demo/hall.toml) as the lab tools use it: the one place the soak and the outbox
/// benchmark take their default tokens, staff login, window and service from. Demo values only; a real hall has its own.
public enum LabDemoHall {
    /// The ticket kiosk's device id and token.
    public static let kioskId = "kiosk-01"
    public static let kioskToken = "demo-kiosk-01-token-change-me"
    /// The window both tools rate and serve at.
    public static let windowId = "w01"
    /// The window rating device of `windowId`: its device id and token.
    public static let ratingDeviceId = "rating-w01"
    public static let ratingToken = "demo-rating-w01-token-change-me"
    /// The admin API token (reports, device list, rating look-ups).
    public static let adminToken = "demo-admin-token-change-me"
    /// The staff member who logs in at `windowId`.
    public static let staffEmployeeNo = "1001"
    public static let staffPin = "123456"
    /// The service whose tickets the tools take, with its label on the kiosk and its number prefix.
    public static let serviceId = "hukou"
    public static let serviceLabel = "户籍办理"
    public static let numberPrefix = "A"
}
