import CSDL2
import CSDL2TTF
import CSDL2Image
import CQRencode
import KioskCore
/// Placeholder: the SDL adapter lands here.
public enum KioskSDLPlaceholder {}
