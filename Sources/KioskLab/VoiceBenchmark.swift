import CallVoice
import Foundation
import KioskSDL

/// The voice benchmarks, on SDL's disk audio driver (`SDL_AUDIODRIVER=disk`, set by the caller before anything starts
/// SDL audio): what would reach the loudspeaker lands in a file, read while it is written.
public enum VoiceBenchmark {
    /// Call → chime onset over many calls, each made when nothing is being said and the device is closed.
    public struct Onset: Sendable {
        /// Milliseconds from `enqueue` to the chime's first loud sample reaching the device.
        public var milliseconds: [Double] = []
        /// Of which: until the device's output began (opening it; from the first block as above).
        public var openMilliseconds: [Double] = []
        /// Of which: the chime's place in the output (silence written before it).
        public var offsetMilliseconds: [Double] = []
        public var failures: [String] = []
    }

    /// Many calls at once: where each announcement landed in the output.
    public struct Burst: Sendable {
        public var calls = 0
        /// The order the announcer said them in (sequence numbers).
        public var saidOrder: [Int] = []
        /// Sample offset of each call's announcement in the output, nil when it is not there whole.
        public var starts: [Int?] = []
        public var lengths: [Int] = []
        /// Seconds from the first call to the end of the last announcement.
        public var seconds = 0.0
        /// Calls whose announcement is missing or not whole.
        public var lost: Int { starts.filter { $0 == nil }.count }
        /// Announcements that start before the one before them has ended.
        public var overlapping: Int {
            zip(starts.indices, starts.indices.dropFirst()).filter { a, b in
                guard let sa = starts[a], let sb = starts[b] else { return false }
                return sb < sa + lengths[a]
            }.count
        }
        /// Whether the announcements are in the output in call order.
        public var inCallOrder: Bool {
            let found = starts.compactMap { $0 }
            return zip(found, found.dropFirst()).allSatisfy { $0 < $1 }
        }
        /// The longest silence between the end of one announcement and the chime of the next, ms (dead air).
        public var longestGapMs: Double {
            zip(starts.indices, starts.indices.dropFirst()).compactMap { a, b -> Double? in
                guard let sa = starts[a], let sb = starts[b] else { return nil }
                return Double(sb - sa - lengths[a]) * 1_000 / Double(VoicePack.sampleRate)
            }.max() ?? 0
        }
    }

    /// Says the ticket "1" with the chime `runs` times, waiting each time until the device has closed; measures
    /// enqueue → the moment the disk driver, paced like a device, reached the chime's first loud sample.
    ///
    /// SDL's disk writer goes through stdio, so the file grows in 4 KiB blocks (2048 samples, 93 ms), each visible
    /// once the driver has written its last sample; the pacing puts sample `k` at `visible − (size − k) / rate`, where
    /// `size` is the file's length in samples when the block holding `k` became visible.
    public static func onset(pack: VoicePack, file: String, runs: Int) -> Onset {
        var result = Onset()
        var settings = VoiceSettings()
        settings.zhTemplate = (try? VoiceTemplate.parse("{number}", key: "zhTemplate")) ?? settings.zhTemplate
        settings.zhRepeats = 1
        let problems = SaidOrder<String>()
        let speaker = AnnouncementSpeaker(closeAfterSeconds: 0.1, report: { problems.append($0) })
        defer { speaker.close() }
        let announcer = Announcer(settings: settings, pack: pack, player: speaker, log: { print("voice: \($0)") })
        let rate = Double(VoicePack.sampleRate)
        for run in 1...runs {
            guard speaker.waitUntilClosed(timeoutSeconds: 10) else {
                result.failures.append("run \(run): the device did not close")
                break
            }
            try? FileManager.default.removeItem(atPath: file)
            let start = DispatchTime.now()
            announcer.enqueue(Announcement(sequence: run, ticketNumber: "1", window: "1", calledAt: Date()))
            var onset: Double?
            var firstData: Double?
            while onset == nil, Double(DispatchTime.now().uptimeNanoseconds - start.uptimeNanoseconds) < 5e9 {
                let data = FileManager.default.contents(atPath: file) ?? Data()
                let seen = Double(DispatchTime.now().uptimeNanoseconds - start.uptimeNanoseconds) / 1e6
                if !data.isEmpty, firstData == nil { firstData = seen - Double(data.count / 2) * 1_000 / rate }
                if let loud = data.withUnsafeBytes({ $0.bindMemory(to: Int16.self).firstIndex { abs(Int($0)) > 1_000 } }) {
                    let reached = seen - Double(data.count / 2 - loud) * 1_000 / rate
                    onset = reached
                    result.openMilliseconds.append(firstData ?? reached)
                    result.offsetMilliseconds.append(Double(loud) * 1_000 / rate)
                } else {
                    usleep(500)
                }
            }
            guard let onset else {
                result.failures.append("run \(run): no chime within 5 s")
                continue
            }
            result.milliseconds.append(onset)
            _ = announcer.waitUntilSilent(timeoutSeconds: 20)
        }
        result.failures += problems.values
        return result
    }

    /// Makes `calls` calls (tickets A001…, windows 1…) spread over `withinSeconds`, with the default voice settings
    /// (chime, the Chinese sentence twice), waits until all are said, and finds each announcement in the output.
    public static func burst(pack: VoicePack, file: String, calls: Int, withinSeconds: Double) -> Burst {
        var result = Burst()
        result.calls = calls
        let said = SaidOrder<Int>()
        let speaker = AnnouncementSpeaker(report: { print("voice: \($0)") })
        defer { speaker.close() }
        let announcer = Announcer(settings: VoiceSettings(), pack: pack, player: speaker, log: { print("voice: \($0)") },
                                  observer: { call in if let call { said.append(call.sequence) } })
        try? FileManager.default.removeItem(atPath: file)
        let list = (1...calls).map { Announcement(sequence: $0, ticketNumber: String(format: "A%03d", $0), window: "\($0)", calledAt: Date()) }
        let start = Date()
        for (index, call) in list.enumerated() {
            if index > 0 { usleep(UInt32(withinSeconds / Double(calls) * 1e6)) }
            var timed = call
            timed.calledAt = Date()
            announcer.enqueue(timed)
        }
        _ = announcer.waitUntilSilent(timeoutSeconds: Double(calls) * 30)
        result.seconds = Date().timeIntervalSince(start)
        _ = speaker.waitUntilClosed(timeoutSeconds: 5)
        result.saidOrder = said.values
        let output: [Int16] = (FileManager.default.contents(atPath: file) ?? Data()).withUnsafeBytes { Array($0.bindMemory(to: Int16.self)) }
        for call in list {
            let sound = announcer.rendering(of: call).samples
            result.lengths.append(sound.count)
            result.starts.append(find(sound, in: output))
        }
        return result
    }

    /// The first place `sound` is found whole in `output`.
    static func find(_ sound: [Int16], in output: [Int16]) -> Int? {
        guard let anchor = sound.firstIndex(where: { abs(Int($0)) > 1_000 }), sound.count <= output.count else { return nil }
        var at = 0
        while at + sound.count <= output.count {
            if output[at + anchor] == sound[anchor], output[at..<(at + sound.count)].elementsEqual(sound) { return at }
            at += 1
        }
        return nil
    }

    /// A list filled from other threads.
    private final class SaidOrder<Element>: @unchecked Sendable {
        private let lock = NSLock()
        private var list: [Element] = []
        func append(_ value: Element) { lock.withLock { list.append(value) } }
        var values: [Element] { lock.withLock { list } }
    }
}
