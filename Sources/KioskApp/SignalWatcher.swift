import Dispatch
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Catches SIGTERM and SIGINT for the run loop: the loop finishes the step it is in (a write to the
/// outbox, a frame), sees `received` and exits cleanly with code 0. systemd stops the kiosk with SIGTERM.
///
/// The signals are ignored at the process level and delivered through dispatch sources instead, so no
/// code runs inside a signal handler; `onSignal` (e.g. `KioskWindow.wake`) ends the loop's wait at once.
public final class SignalWatcher: @unchecked Sendable {
    private let lock = NSLock()
    private var first: Int32?
    private var sources: [any DispatchSourceSignal] = []
    private let watched: [Int32]

    /// Starts watching `signals`; `onSignal` runs on a background queue for each one received. Returns once every
    /// source is registered: a dispatch source is armed asynchronously, and a signal sent in between — after the
    /// caller already said it is ready, as `DisplayWait` does — would otherwise be ignored and lost.
    public init(signals: [Int32] = [SIGTERM, SIGINT], onSignal: @escaping @Sendable (Int32) -> Void = { _ in }) {
        watched = signals
        let queue = DispatchQueue(label: "hallkiosk.signals")
        for number in signals {
            signal(number, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: number, queue: queue)
            source.setEventHandler { [weak self] in
                self?.lock.withLock { if self?.first == nil { self?.first = number } }
                onSignal(number)
            }
            let registered = DispatchSemaphore(value: 0)
            source.setRegistrationHandler { registered.signal() }
            source.resume()
            _ = registered.wait(timeout: .now() + 2)
            sources.append(source)
        }
    }

    /// Stops watching; the signals get their default action back.
    public func cancel() {
        for source in sources { source.cancel() }
        sources.removeAll()
        for number in watched { signal(number, SIG_DFL) }
    }

    deinit {
        for source in sources { source.cancel() }
    }

    /// The first signal received, if any.
    public var received: Int32? { lock.withLock { first } }

    /// `SIGTERM`, `SIGINT` or the number.
    public static func name(_ number: Int32) -> String {
        switch number {
        case SIGTERM: "SIGTERM"
        case SIGINT: "SIGINT"
        case SIGHUP: "SIGHUP"
        default: "signal \(number)"
        }
    }
}
