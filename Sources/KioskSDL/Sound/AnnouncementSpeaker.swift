import CSDL2
import CallVoice
import Foundation

/// Plays a calling display's announcements through SDL audio (push mode: `SDL_QueueAudio`), one after the other.
/// The device is opened for an announcement and closed `closeAfterSeconds` after the last one ended (an open SDL
/// device keeps a thread waking for every buffer), so back-to-back announcements share one opening. An announcement
/// has ended when SDL's queue is empty (`SDL_GetQueuedAudioSize` = 0) and the device's last buffer has had time to play.
/// No sound card, or SDL audio that cannot start: reported once (per problem) and every announcement ends at once —
/// never a crash, and the screen goes on. Thread-safe: `play` returns at once; the device work runs on a serial queue.
public final class AnnouncementSpeaker: AnnouncementPlayer, @unchecked Sendable {
    /// How long the device stays open after an announcement, waiting for the next.
    public let closeAfterSeconds: Double
    private let queue = DispatchQueue(label: "hallkiosk.announcement-speaker")
    private let report: @Sendable (String) -> Void
    /// Why SDL audio could not start (then nothing is played), nil when it did.
    private let startProblem: String?
    // Only touched on `queue`:
    private var device: SDL_AudioDeviceID = 0
    private var bufferSeconds = 0.05
    private var lastProblem: String?
    /// Bumped by every `play`: a close scheduled before it is void.
    private var generation = 0

    /// Starts SDL's audio (call on the main thread, like the window). `report` hears, once per problem, why an
    /// announcement could not be played.
    public init(closeAfterSeconds: Double = 2, report: @escaping @Sendable (String) -> Void) {
        self.closeAfterSeconds = closeAfterSeconds
        self.report = report
        if SDL_InitSubSystem(SDL_INIT_AUDIO) == 0 {
            startProblem = nil
        } else {
            startProblem = "voice: SDL audio cannot start (\(String(cString: SDL_GetError()))); calls are shown but not said. "
                + "Set SDL_AUDIODRIVER to the sound system in use (pipewire, pulseaudio, alsa), or [voice] enabled = false"
        }
    }

    /// The SDL audio driver in use (`pulseaudio`, `alsa`, `disk` …), "none" when audio could not start.
    public var driver: String { startProblem == nil ? SDL_GetCurrentAudioDriver().map { String(cString: $0) } ?? "none" : "none" }

    /// Whether the audio device is open now (tests: it is closed when nothing is being said).
    public var isDeviceOpen: Bool { queue.sync { device != 0 } }

    public func play(_ samples: [Int16], finished: @escaping @Sendable () -> Void) {
        queue.async { [self] in
            generation += 1
            guard openDevice() else {
                finished()
                return
            }
            let queued = samples.withUnsafeBytes { SDL_QueueAudio(device, $0.baseAddress, UInt32($0.count)) }
            guard queued == 0 else {
                reportOnce("voice: announcement not played: \(String(cString: SDL_GetError()))")
                finished()
                return
            }
            lastProblem = nil
            SDL_PauseAudioDevice(device, 0)
            whenDrained(after: Double(samples.count) / Double(VoicePack.sampleRate), finished)
        }
    }

    /// Waits until the device is closed (tests; a clean exit).
    public func waitUntilClosed(timeoutSeconds: Double) -> Bool {
        let deadline = DispatchTime.now() + timeoutSeconds
        while DispatchTime.now() < deadline {
            if !isDeviceOpen { return true }
            Thread.sleep(forTimeInterval: 0.01)
        }
        return false
    }

    /// Closes the device and SDL's audio (the program is stopping).
    public func close() {
        queue.sync {
            generation += 1
            if device != 0 { SDL_CloseAudioDevice(device) }
            device = 0
        }
        if startProblem == nil { SDL_QuitSubSystem(SDL_INIT_AUDIO) }
    }

    private func openDevice() -> Bool {
        if let startProblem {
            reportOnce(startProblem)
            return false
        }
        guard device == 0 else { return true }
        var wanted = SDL_AudioSpec()
        wanted.freq = Int32(VoicePack.sampleRate)
        wanted.format = SDL_AudioFormat(AUDIO_S16SYS)
        wanted.channels = 1
        wanted.samples = 512  // 23 ms buffers: the chime starts within one of opening
        wanted.callback = nil  // samples are queued (SDL_QueueAudio)
        var obtained = SDL_AudioSpec()
        device = SDL_OpenAudioDevice(nil, 0, &wanted, &obtained, 0)
        guard device != 0 else {
            reportOnce("voice: no audio device (\(String(cString: SDL_GetError()))); calls are shown but not said. "
                + "Check the loudspeaker and SDL_AUDIODRIVER (pipewire, pulseaudio, alsa)")
            return false
        }
        bufferSeconds = Double(obtained.samples) / Double(max(1, obtained.freq))
        return true
    }

    /// Calls `finished` once SDL's queue is empty and its last buffer has played (checked after `seconds`, then every
    /// 10 ms), then closes the device if no announcement follows within `closeAfterSeconds`.
    private func whenDrained(after seconds: Double, _ finished: @escaping @Sendable () -> Void) {
        queue.asyncAfter(deadline: .now() + seconds) { [self] in
            guard device != 0 else { return finished() }
            if SDL_GetQueuedAudioSize(device) > 0 { return whenDrained(after: 0.01, finished) }
            queue.asyncAfter(deadline: .now() + bufferSeconds) { [self] in
                finished()
                let playing = generation
                queue.asyncAfter(deadline: .now() + closeAfterSeconds) { [self] in
                    guard generation == playing, device != 0 else { return }
                    SDL_CloseAudioDevice(device)
                    device = 0
                }
            }
        }
    }

    private func reportOnce(_ problem: String) {
        guard problem != lastProblem else { return }
        lastProblem = problem
        report(problem)
    }
}
