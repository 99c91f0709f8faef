import Foundation
import XCTest
@testable import KioskCore

/// Elderly citizens read the kiosk from a metre away: text must stand out from its background.
final class ThemeTests: XCTestCase {
    func testTextContrastIsAtLeastSevenToOneInBothPalettes() {
        for (name, theme) in [("normal", Theme.normal), ("high contrast", Theme.highContrast)] {
            let pairs: [(String, Color, Color)] = [
                ("text", theme.text, theme.background),
                ("muted", theme.mutedText, theme.background),
                ("accent", theme.accentText, theme.background),
                ("warning", theme.warningText, theme.background),
                ("header", theme.headerText, theme.headerBackground),
                ("primary", theme.primaryText, theme.primary),
                ("primary pressed", theme.primaryText, theme.primaryPressed),
                ("secondary", theme.secondaryText, theme.secondary),
                ("secondary pressed", theme.secondaryText, theme.secondaryPressed),
                ("selected", theme.selectedText, theme.selected),
                ("disabled", theme.disabledText, theme.disabled),
            ]
            for (role, foreground, background) in pairs {
                XCTAssertGreaterThanOrEqual(contrast(foreground, background), 7, "\(name) \(role)")
            }
        }
    }

    /// WCAG 2 contrast ratio.
    private func contrast(_ first: Color, _ second: Color) -> Double {
        func luminance(_ color: Color) -> Double {
            func channel(_ value: UInt8) -> Double {
                let c = Double(value) / 255
                return c <= 0.03928 ? c / 12.92 : pow((c + 0.055) / 1.055, 2.4)
            }
            return 0.2126 * channel(color.red) + 0.7152 * channel(color.green) + 0.0722 * channel(color.blue)
        }
        let (a, b) = (luminance(first), luminance(second))
        return (max(a, b) + 0.05) / (min(a, b) + 0.05)
    }
}
