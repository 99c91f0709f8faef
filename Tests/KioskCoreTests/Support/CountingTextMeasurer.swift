import KioskCore

/// Counts the measurements it makes.
final class CountingTextMeasurer: TextMeasurer, @unchecked Sendable {
    private(set) var calls = 0
    func size(of text: String, pointSize: Double, bold: Bool) -> Size {
        calls += 1
        return EstimatingTextMeasurer().size(of: text, pointSize: pointSize, bold: bold)
    }
}
