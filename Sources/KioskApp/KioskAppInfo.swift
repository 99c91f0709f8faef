/// Version of the kiosk program.
public enum KioskAppInfo {
    public static let version = "0.1.0"
}
