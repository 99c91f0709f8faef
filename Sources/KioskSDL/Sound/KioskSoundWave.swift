import Foundation
import KioskCore

/// The kiosk's sounds, made in code (no sound files to ship): short sine notes with a soft attack and release,
/// as signed 16-bit mono samples. Pure: the same sound and volume always give the same samples.
public enum KioskSoundWave {
    /// Samples per second of every sound.
    public static let sampleRate = 22_050

    /// One note: frequency (Hz) and length (seconds).
    struct Note {
        let hertz: Double
        let seconds: Double
    }

    /// The notes of `sound`: a short rising chime for a ticket, a short falling low tone for an error.
    static func notes(_ sound: KioskSound) -> [Note] {
        switch sound {
        case .ticketIssued: [Note(hertz: 1_318.5, seconds: 0.09), Note(hertz: 1_760, seconds: 0.16)]  // E6, A6
        case .error: [Note(hertz: 440, seconds: 0.14), Note(hertz: 330, seconds: 0.22)]  // A4, E4
        }
    }

    /// The samples of `sound` at `volume` (0…100 % of full scale; 0 gives silence).
    public static func samples(_ sound: KioskSound, volume: Int) -> [Int16] {
        let amplitude = Double(max(0, min(100, volume))) / 100 * Double(Int16.max) * 0.9
        var out: [Int16] = []
        for note in notes(sound) {
            let count = Int(note.seconds * Double(sampleRate))
            let ramp = max(1, sampleRate / 200)  // 5 ms attack and release: no click at the edges
            out.reserveCapacity(out.count + count)
            for i in 0..<count {
                let envelope = min(1, Double(i) / Double(ramp), Double(count - 1 - i) / Double(ramp))
                let value = sin(2 * Double.pi * note.hertz * Double(i) / Double(sampleRate)) * amplitude * envelope
                out.append(Int16(value.rounded()))
            }
        }
        return out
    }
}
