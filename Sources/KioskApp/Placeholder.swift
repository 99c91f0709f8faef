import KioskSDL
import KioskHTTP
/// Placeholder: the kiosk program lands here.
public enum KioskAppPlaceholder {}
