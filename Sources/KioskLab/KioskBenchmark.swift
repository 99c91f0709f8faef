import Foundation
import KioskApp
import KioskCore
import KioskSDL

/// Measures the kiosk as a citizen uses it: touch → ticket on screen through the real input path,
/// run loop and hall server; home frame render time; memory over many ticket cycles.
public enum KioskBenchmark {
    public struct Result: Sendable {
        /// Touch-up to the ticket frame drawn, per cycle (ms).
        public var touchToTicket: [Double] = []
        /// Home frame render times from cached textures (ms, wall clock).
        public var homeFrame: [Double] = []
        /// The same frames in the render thread's CPU time (ms).
        public var homeFrameCPU: [Double] = []
        /// Pixels written by a whole home frame (every pixel once: `overdraw` 1.0).
        public var homeFramePixels = FrameStatistics()
        /// Press feedback frames: a service button drawn pressed, then released (only the button is repainted), ms.
        public var pressFrame: [Double] = []
        /// (cycle, RSS kB, PSS kB, bytes of cached textures, textures created so far) samples, taken as the kiosk is
        /// back home after the cycle.
        public var memory: [(cycle: Int, rss: Int, pss: Int, textureBytes: Int, texturesCreated: Int)] = []
        /// The same after each of those samples once the kiosk has rested and given memory back (`memoryReturned`):
        /// what a kiosk holds while it waits for the next citizen.
        public var settledMemory: [(cycle: Int, rss: Int, pss: Int, textureBytes: Int, texturesCreated: Int)] = []
        /// Touch → ticket on screen of the first cycle after each of those rests (ms; also in `touchToTicket`): what the
        /// code pages mapped back cost the next citizen.
        public var touchToTicketAfterRest: [Double] = []
    }

    public struct Failure: Error, CustomStringConvertible { public var description: String }

    /// Runs `cycles` take-a-number cycles on the service whose button label contains `serviceLabel`;
    /// `memoryDump` is called with a name for each memory sample (the cycle number, `settled-` and the cycle number for
    /// the sample after the rest) to write smaps for analysis.
    /// At each sample after `sampleEvery` cycles the kiosk then rests at home until it gives memory back, and memory is
    /// sampled again.
    public static func run(runner: KioskRunner, window: KioskWindow, serviceLabel: String, doneLabel: String,
                           cycles: Int, sampleEvery: Int = 1000, memoryDump: ((String) -> Void)? = nil) throws -> Result {
        var result = Result()
        runner.start()
        defer { runner.stop() }
        func until(_ what: String, timeout: Double = 10, _ condition: () -> Bool) throws {
            let deadline = Date().addingTimeInterval(timeout)
            while !condition() {
                guard Date() < deadline else { throw Failure(description: "timed out waiting for \(what) (screen \(runner.screenName.rawValue))") }
                _ = runner.step(maxWaitMilliseconds: 5)
            }
        }
        try until("the service button") { runner.display.hitRegion(labelContaining: serviceLabel)?.enabled == true }
        var rested = false
        func sample(_ cycle: Int) throws {
            var m = ProcessClock.memoryKB(), textures = window.cacheStatistics
            result.memory.append((cycle, m.rss, m.pss, textures.bytes, textures.created))
            memoryDump?("\(cycle)")
            // Start-up pages went back with the first frame: the kiosk rests only after citizens.
            guard cycle > 0 else { return }
            let returns = runner.memoryReturns
            try until("memory given back after cycle \(cycle)", timeout: KioskRunner.restSecondsBeforeMemoryReturn + 10) {
                runner.memoryReturns > returns
            }
            m = ProcessClock.memoryKB()
            textures = window.cacheStatistics
            result.settledMemory.append((cycle, m.rss, m.pss, textures.bytes, textures.created))
            memoryDump?("settled-\(cycle)")
            rested = true
        }
        try sample(0)
        for cycle in 1...cycles {
            guard let point = runner.display.tapPoint(forLabelContaining: serviceLabel) else {
                throw Failure(description: "no button '\(serviceLabel)' at cycle \(cycle)")
            }
            window.inject(.touchDown(point))
            window.inject(.touchUp(point))
            let start = ContinuousClock.now
            try until("the ticket screen at cycle \(cycle)") { runner.screenName == .ticket }
            result.touchToTicket.append(milliseconds(ContinuousClock.now - start))
            if rested {
                result.touchToTicketAfterRest.append(result.touchToTicket[result.touchToTicket.count - 1])
                rested = false
            }
            // A citizen takes the printed ticket before pressing done: with a printer, wait for the job to end.
            try until("the ticket printed at cycle \(cycle)", timeout: 60) { !runner.ticketPrintPending }
            guard let done = runner.display.tapPoint(forLabelContaining: doneLabel) else {
                throw Failure(description: "no '\(doneLabel)' button on the ticket screen")
            }
            window.inject(.touchDown(done))
            window.inject(.touchUp(done))
            try until("home at cycle \(cycle)") { runner.screenName == .home && runner.display.hitRegion(labelContaining: serviceLabel)?.enabled == true }
            if cycle % sampleEvery == 0 || cycle == cycles { try sample(cycle) }
        }
        let home = runner.display
        for _ in 0..<20 { _ = window.drawTimed(home, full: true) }
        for _ in 0..<300 {
            let time = window.drawTimed(home, full: true)
            result.homeFrame.append(time.wall)
            result.homeFrameCPU.append(time.cpu)
        }
        result.homeFramePixels = window.lastFrameStatistics
        // Press feedback: the frame with the finger down on the service button, as the run loop draws it.
        guard let point = home.tapPoint(forLabelContaining: serviceLabel) else { return result }
        window.inject(.touchDown(point))
        try until("the pressed button") { runner.display != home }
        let pressed = runner.display
        window.inject(.touchCancel)
        // Released: back to home (or home with the next minute on the clock, if it turned meanwhile).
        try until("the released button") { runner.display != pressed }
        window.draw(home)
        for i in 0..<300 { result.pressFrame.append(window.drawTimed(i % 2 == 0 ? pressed : home).wall) }
        return result
    }

    static func milliseconds(_ d: Duration) -> Double {
        Double(d.components.seconds) * 1000 + Double(d.components.attoseconds) / 1e15
    }

    /// The p-th percentile (0…100) of `values`.
    public static func percentile(_ values: [Double], _ p: Double) -> Double {
        guard !values.isEmpty else { return .nan }
        let sorted = values.sorted()
        let rank = min(sorted.count - 1, max(0, Int((p / 100 * Double(sorted.count)).rounded(.up)) - 1))
        return sorted[rank]
    }
}
