import XCTest
@testable import KioskSDL

/// SDL2's KMSDRM and Wayland drivers have no native window framebuffer: the window surface the kiosk draws into
/// must be SDL's texture framebuffer there, or `SDL_GetWindowSurface` fails (found booting the appliance in a
/// VM, kiosk/vm/boot-test). X11 and the headless drivers keep GL out ("0").
final class FramebufferHintTests: XCTestCase {
    func testKMSDRMAndWaylandUseSDLsTextureFramebuffer() {
        XCTAssertEqual(KioskWindow.framebufferAcceleration(videoDriver: "kmsdrm"), "1")
        XCTAssertEqual(KioskWindow.framebufferAcceleration(videoDriver: "KMSDRM"), "1")   // SDL's own spelling
        XCTAssertEqual(KioskWindow.framebufferAcceleration(videoDriver: "wayland"), "1")
    }

    func testX11AndHeadlessDriversKeepThePlainMemoryFramebuffer() {
        for driver in ["x11", "offscreen", "dummy"] {
            XCTAssertEqual(KioskWindow.framebufferAcceleration(videoDriver: driver), "0", driver)
        }
    }
}
