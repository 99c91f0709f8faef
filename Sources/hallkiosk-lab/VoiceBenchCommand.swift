import ArgumentParser
import CallVoice
import Foundation
import KioskLab

/// `hallkiosk-lab voice-bench`: call → chime onset, and many calls at once → every announcement, in order, apart
/// (see kiosk/bench/voice-bench). Plays on SDL's disk audio driver into `--out`.
struct VoiceBench: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "voice-bench",
        abstract: "Measure call → chime onset (p50/p99) and a burst of calls → announcements in order, none overlapping or lost (SDL disk audio).")

    @Option(name: .long, help: "The voice pack folder.")
    var pack = "Assets/voice/default"

    @Option(name: .long, help: "Calls for the onset figure, each when nothing is being said.")
    var runs = 100

    @Option(name: .long, help: "Calls made at once for the burst (0: no burst).")
    var burst = 10

    @Option(name: .long, help: "Seconds the burst's calls are spread over.")
    var within = 1.0

    @Option(name: .long, help: "Raw audio file the burst is left in (signed 16-bit mono, 22050 Hz) for sox.")
    var out = FileManager.default.temporaryDirectory.appendingPathComponent("voice-bench.raw").path

    func run() throws {
        let problems = VoicePack.check(directory: pack, settings: VoiceSettings())
        guard problems.isEmpty else { throw ValidationError(problems.joined(separator: "\n")) }
        let voicePack = VoicePack.load(directory: pack)
        let onsetFile = out + ".onset"
        setenv("SDL_AUDIODRIVER", "disk", 1)
        setenv("SDL_DISKAUDIOFILE", onsetFile, 1)
        var failed = false
        if runs > 0 {
            let onset = VoiceBenchmark.onset(pack: voicePack, file: onsetFile, runs: runs)
            try? FileManager.default.removeItem(atPath: onsetFile)
            let p = KioskBenchmark.percentile
            print(String(format: "RESULT onset runs=%d measured=%d p50_ms=%.1f p99_ms=%.1f max_ms=%.1f (opening: p50 %.1f p99 %.1f; silence before the chime: p50 %.1f p99 %.1f)",
                         runs, onset.milliseconds.count, p(onset.milliseconds, 50), p(onset.milliseconds, 99), onset.milliseconds.max() ?? .nan,
                         p(onset.openMilliseconds, 50), p(onset.openMilliseconds, 99), p(onset.offsetMilliseconds, 50), p(onset.offsetMilliseconds, 99)))
            for failure in onset.failures.prefix(5) { print("FAILED \(failure)") }
            failed = failed || !onset.failures.isEmpty || onset.milliseconds.count < runs
        }
        if burst > 0 {
            setenv("SDL_DISKAUDIOFILE", out, 1)
            let b = VoiceBenchmark.burst(pack: voicePack, file: out, calls: burst, withinSeconds: within)
            print(String(format: "RESULT burst calls=%d said_in_order=%@ found_in_call_order=%@ lost=%d overlapping=%d longest_gap_ms=%.0f seconds=%.1f out=%@",
                         b.calls, b.saidOrder == Array(1...burst) ? "yes" : "no \(b.saidOrder)", b.inCallOrder ? "yes" : "no",
                         b.lost, b.overlapping, b.longestGapMs, b.seconds, out))
            failed = failed || b.lost > 0 || b.overlapping > 0 || !b.inCallOrder || b.saidOrder != Array(1...burst)
        }
        if failed { throw ExitCode(1) }
    }
}
