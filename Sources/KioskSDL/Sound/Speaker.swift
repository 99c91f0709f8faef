import CSDL2
import Foundation
import KioskCore

/// Plays the kiosk's short sounds through SDL audio. The audio device is opened only while a sound plays and closed
/// once the sound has drained (an open SDL device keeps a thread waking for every buffer, even when silent), so an
/// idle kiosk spends nothing on sound. Thread-safe: `play` returns at once; the device work runs on a serial queue.
public final class Speaker: @unchecked Sendable {
    /// The playing volume, 1…100.
    public let volume: Int
    private let queue = DispatchQueue(label: "hallkiosk.speaker")
    /// The open device (0: closed). Only touched on `queue`.
    private var device: SDL_AudioDeviceID = 0
    /// The last problem reported (only touched on `queue`): a speaker that stays broken is logged once, not per sound.
    private var lastProblem: String?
    private let report: @Sendable (String) -> Void

    /// Initialises SDL's audio (call on the main thread, like the window). `report` hears why a sound could not be
    /// played (once per problem), for the log.
    public init(volume: Int, report: @escaping @Sendable (String) -> Void) throws {
        precondition((1...100).contains(volume), "a speaker plays at 1…100 %; volume 0 means no speaker")
        guard SDL_InitSubSystem(SDL_INIT_AUDIO) == 0 else {
            throw KioskSDLError("sound: SDL audio cannot start (\(String(cString: SDL_GetError()))); "
                + "set [sound] volume = 0 on a kiosk without a speaker, or SDL_AUDIODRIVER to the sound system in use")
        }
        self.volume = volume
        self.report = report
    }

    /// The SDL audio driver in use (`pulseaudio`, `alsa`, `disk` …).
    public var driver: String { SDL_GetCurrentAudioDriver().map { String(cString: $0) } ?? "none" }

    /// Starts playing `sound` (after any sound still playing).
    public func play(_ sound: KioskSound) {
        let samples = KioskSoundWave.samples(sound, volume: volume)
        queue.async { self.enqueue(samples) }
    }

    /// Waits until every sound asked for has been played and the device closed (tests; a clean exit).
    public func waitUntilSilent(timeoutSeconds: Double) -> Bool {
        let deadline = DispatchTime.now() + timeoutSeconds
        while DispatchTime.now() < deadline {
            if queue.sync(execute: { device == 0 }) { return true }
            Thread.sleep(forTimeInterval: 0.02)
        }
        return false
    }

    /// Closes the device and SDL's audio (the program is stopping).
    public func close() {
        queue.sync {
            if device != 0 { SDL_CloseAudioDevice(device) }
            device = 0
        }
        SDL_QuitSubSystem(SDL_INIT_AUDIO)
    }

    private func enqueue(_ samples: [Int16]) {
        if device == 0 {
            var wanted = SDL_AudioSpec()
            wanted.freq = Int32(KioskSoundWave.sampleRate)
            wanted.format = SDL_AudioFormat(AUDIO_S16SYS)
            wanted.channels = 1
            wanted.samples = 1024
            wanted.callback = nil  // samples are queued (SDL_QueueAudio)
            var obtained = SDL_AudioSpec()
            device = SDL_OpenAudioDevice(nil, 0, &wanted, &obtained, 0)
            guard device != 0 else {
                reportOnce("sound not played: no audio device (\(String(cString: SDL_GetError())))")
                return
            }
        }
        let queued = samples.withUnsafeBytes { SDL_QueueAudio(device, $0.baseAddress, UInt32($0.count)) }
        guard queued == 0 else {
            reportOnce("sound not played: \(String(cString: SDL_GetError()))")
            return
        }
        lastProblem = nil
        SDL_PauseAudioDevice(device, 0)
        closeWhenDrained(after: Double(samples.count) / Double(KioskSoundWave.sampleRate))
    }

    private func reportOnce(_ problem: String) {
        guard problem != lastProblem else { return }
        lastProblem = problem
        report(problem)
    }

    /// Closes the device once its queue is empty and the last buffer has left (checked after `seconds`, then every 50 ms).
    private func closeWhenDrained(after seconds: Double) {
        queue.asyncAfter(deadline: .now() + seconds + 0.15) { [self] in
            guard device != 0 else { return }
            if SDL_GetQueuedAudioSize(device) > 0 {
                closeWhenDrained(after: 0)
                return
            }
            SDL_CloseAudioDevice(device)
            device = 0
        }
    }
}
