/// Placeholder until the kiosk core lands.
public enum KioskCoreVersion { public static let current = "0.1.0" }
