import AsyncHTTPClient
import HallAPI
/// Placeholder: the hall client lands here.
public enum KioskHTTPPlaceholder {}
