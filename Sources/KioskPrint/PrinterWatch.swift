import Foundation
import HallAPI

/// The printer's health as last seen, from polling, the check before each ticket and each job.
/// Calls `onChange` when the condition or the reasons change (not for a new idle message).
public final class PrinterWatch: @unchecked Sendable {
    private let lock = NSLock()
    private var health: PrinterHealth?
    private var onChange: @Sendable (PrinterHealth) -> Void = { _ in }

    public init() {}

    /// Who hears about changes (the kiosk runner); set before polling starts.
    public func setOnChange(_ handler: @escaping @Sendable (PrinterHealth) -> Void) {
        lock.withLock { onChange = handler }
    }

    /// The health last reported; `nil` before the first answer.
    public var current: PrinterHealth? { lock.withLock { health } }

    /// Records `new`; tells `onChange` when it differs from the last in condition or reasons.
    public func report(_ new: PrinterHealth) {
        let (changed, handler) = lock.withLock { () -> (Bool, @Sendable (PrinterHealth) -> Void) in
            let old = health
            health = new
            return (old?.condition != new.condition || old?.reasons != new.reasons, onChange)
        }
        if changed { handler(new) }
    }

    /// Polls `printer` every `seconds` until the task is cancelled.
    public func poll(_ printer: CupsPrinter, every seconds: Double) async {
        while !Task.isCancelled {
            report(await printer.health())
            try? await Task.sleep(for: .seconds(seconds))
        }
    }
}
