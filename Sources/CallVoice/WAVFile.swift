import Foundation

/// Reads WAV files as recorded by people and tools: RIFF chunks in any order (LIST, fact, bext … skipped, odd sizes
/// padded), PCM 8/16/24/32-bit or 32/64-bit float, plain or WAVE_FORMAT_EXTENSIBLE, any number of channels (mixed down
/// to mono), a data size left at 0 or 0xFFFFFFFF by a streaming writer (the rest of the file is taken).
public enum WAVFile {
    /// Mono samples at the file's rate.
    public struct Sound: Sendable, Equatable {
        public let sampleRate: Int
        public let samples: [Int16]
    }

    /// Why a file could not be read, in words for the log.
    public struct ReadError: Error, Equatable, CustomStringConvertible {
        public let description: String
        init(_ description: String) { self.description = description }
    }

    /// Reads `data` (a whole file).
    public static func read(_ data: Data) throws(ReadError) -> Sound {
        let bytes = [UInt8](data)
        guard bytes.count >= 12, ascii(bytes, 0) == "RIFF", ascii(bytes, 8) == "WAVE" else {
            throw ReadError("not a WAV file (no RIFF/WAVE header)")
        }
        var format: (code: Int, channels: Int, rate: Int, bits: Int)?
        var offset = 12
        while offset + 8 <= bytes.count {
            let id = ascii(bytes, offset)
            let declared = Int(le32(bytes, offset + 4))
            let body = offset + 8
            if id == "fmt " {
                guard declared >= 16, body + 16 <= bytes.count else { throw ReadError("its fmt chunk is cut short") }
                var code = Int(le16(bytes, body))
                if code == 0xFFFE, declared >= 40, body + 26 <= bytes.count { code = Int(le16(bytes, body + 24)) }  // the sub-format's first two bytes
                format = (code, Int(le16(bytes, body + 2)), Int(le32(bytes, body + 4)), Int(le16(bytes, body + 14)))
            } else if id == "data" {
                guard let f = format else { throw ReadError("its data comes before the fmt chunk") }
                let available = bytes.count - body
                let size = (declared == 0 || declared > available) ? available : declared
                return try decode(bytes[body..<(body + size)], format: f)
            }
            offset = body + declared + (declared & 1)
        }
        throw ReadError(format == nil ? "it has no fmt chunk" : "it has no data chunk")
    }

    /// Writes 16-bit mono PCM (tests, tools).
    public static func data(_ sound: Sound) -> Data {
        var out = Data()
        func put32(_ v: UInt32) { withUnsafeBytes(of: v.littleEndian) { out.append(contentsOf: $0) } }
        func put16(_ v: UInt16) { withUnsafeBytes(of: v.littleEndian) { out.append(contentsOf: $0) } }
        let bytes = UInt32(sound.samples.count * 2)
        out.append(contentsOf: Array("RIFF".utf8)); put32(36 + bytes); out.append(contentsOf: Array("WAVE".utf8))
        out.append(contentsOf: Array("fmt ".utf8)); put32(16); put16(1); put16(1)
        put32(UInt32(sound.sampleRate)); put32(UInt32(sound.sampleRate * 2)); put16(2); put16(16)
        out.append(contentsOf: Array("data".utf8)); put32(bytes)
        for s in sound.samples { put16(UInt16(bitPattern: s)) }
        return out
    }

    private static func decode(_ body: ArraySlice<UInt8>, format f: (code: Int, channels: Int, rate: Int, bits: Int)) throws(ReadError) -> Sound {
        guard f.channels >= 1, f.channels <= 16 else { throw ReadError("it declares \(f.channels) channels") }
        guard (1_000...384_000).contains(f.rate) else { throw ReadError("it declares a sample rate of \(f.rate) Hz") }
        let isFloat = f.code == 3
        guard f.code == 1 || isFloat else {
            throw ReadError("it is compressed (format \(f.code)); save it as PCM, e.g. sox in.wav -b 16 -e signed out.wav")
        }
        guard isFloat ? (f.bits == 32 || f.bits == 64) : [8, 16, 24, 32].contains(f.bits) else {
            throw ReadError("it has \(f.bits)-bit samples; save it as 16-bit PCM")
        }
        let width = f.bits / 8, frame = width * f.channels
        let frames = body.count / frame
        var samples = [Int16](repeating: 0, count: frames)
        var at = body.startIndex
        for i in 0..<frames {
            var sum = 0.0
            for _ in 0..<f.channels {
                sum += value(body, at, width: width, isFloat: isFloat)
                at += width
            }
            samples[i] = Int16(max(-32_768, min(32_767, (sum / Double(f.channels) * 32_768).rounded())))
        }
        return Sound(sampleRate: f.rate, samples: samples)
    }

    /// One sample as -1…1.
    private static func value(_ b: ArraySlice<UInt8>, _ i: Int, width: Int, isFloat: Bool) -> Double {
        switch (width, isFloat) {
        case (1, _): return (Double(b[i]) - 128) / 128
        case (2, _): return Double(Int16(bitPattern: UInt16(b[i]) | UInt16(b[i + 1]) << 8)) / 32_768
        case (3, _): return Double(Int32(bitPattern: UInt32(b[i]) << 8 | UInt32(b[i + 1]) << 16 | UInt32(b[i + 2]) << 24) >> 8) / 8_388_608
        case (4, false): return Double(Int32(bitPattern: le32(b, i))) / 2_147_483_648
        case (4, true): return Double(Float(bitPattern: le32(b, i)))
        default:
            var bits: UInt64 = 0
            for k in 0..<8 { bits |= UInt64(b[i + k]) << (8 * k) }
            return Double(bitPattern: bits)
        }
    }

    private static func ascii<C: Collection<UInt8>>(_ b: C, _ at: Int) -> String where C.Index == Int {
        String(decoding: b[at..<(at + 4)], as: UTF8.self)
    }
    private static func le16<C: Collection<UInt8>>(_ b: C, _ i: Int) -> UInt16 where C.Index == Int { UInt16(b[i]) | UInt16(b[i + 1]) << 8 }
    private static func le32<C: Collection<UInt8>>(_ b: C, _ i: Int) -> UInt32 where C.Index == Int {
        UInt32(b[i]) | UInt32(b[i + 1]) << 8 | UInt32(b[i + 2]) << 16 | UInt32(b[i + 3]) << 24
    }
}
