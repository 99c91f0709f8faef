@testable import CallVoice
import Foundation
import XCTest

/// WAV files as people and tools write them.
final class WAVFileTests: XCTestCase {
    /// A RIFF file with the given chunks (id, body).
    func riff(_ chunks: [(String, [UInt8])]) -> Data {
        var body: [UInt8] = Array("WAVE".utf8)
        for (id, bytes) in chunks {
            body += Array(id.utf8) + le32(bytes.count) + bytes
            if bytes.count % 2 == 1 { body.append(0) }
        }
        return Data(Array("RIFF".utf8) + le32(body.count) + body)
    }
    func le32(_ v: Int) -> [UInt8] { (0..<4).map { UInt8((UInt32(truncatingIfNeeded: v) >> (8 * $0)) & 0xFF) } }
    func le16(_ v: Int) -> [UInt8] { (0..<2).map { UInt8((UInt16(truncatingIfNeeded: v) >> (8 * $0)) & 0xFF) } }
    func fmt(code: Int, channels: Int, rate: Int, bits: Int) -> [UInt8] {
        le16(code) + le16(channels) + le32(rate) + le32(rate * channels * bits / 8) + le16(channels * bits / 8) + le16(bits)
    }

    func testSixteenBitMonoRoundTrips() throws {
        let sound = WAVFile.Sound(sampleRate: 22_050, samples: [0, 1, -1, 32_767, -32_768, 1234])
        XCTAssertEqual(try WAVFile.read(WAVFile.data(sound)), sound)
    }

    func testStereo24BitExtensibleWithOtherChunksIsMixedToMono() throws {
        // WAVE_FORMAT_EXTENSIBLE: cbSize 22, valid bits, channel mask, sub-format GUID starting 01 00 (PCM).
        let extensible = fmt(code: 0xFFFE, channels: 2, rate: 48_000, bits: 24) + le16(22) + le16(24) + le32(3)
            + [1, 0, 0, 0, 0, 0, 0x10, 0, 0x80, 0, 0, 0xAA, 0, 0x38, 0x9B, 0x71]
        // Frames: (+0.5, +0.5) → 0.5; (+0.5, -0.5) → 0; (-1, -1) → -1.
        func s24(_ v: Int) -> [UInt8] { (0..<3).map { UInt8((UInt32(bitPattern: Int32(v)) >> (8 * $0)) & 0xFF) } }
        let frames = s24(4_194_304) + s24(4_194_304) + s24(4_194_304) + s24(-4_194_304) + s24(-8_388_608) + s24(-8_388_608)
        let data = riff([("LIST", Array("INFOISFT".utf8) + [1, 0, 0]), ("fmt ", extensible), ("fact", le32(3)), ("data", frames)])
        let sound = try WAVFile.read(data)
        XCTAssertEqual(sound.sampleRate, 48_000)
        XCTAssertEqual(sound.samples, [16_384, 0, -32_768])
    }

    func testEightBitFloatAndAStreamingWritersDataSize() throws {
        let eight = try WAVFile.read(riff([("fmt ", fmt(code: 1, channels: 1, rate: 8_000, bits: 8)), ("data", [128, 255, 0])]))
        XCTAssertEqual(eight.samples, [0, 32_512, -32_768])
        let floats: [Float] = [0.25, -0.5, 2]
        let floatBytes = floats.flatMap { f in le32(Int(f.bitPattern)) }
        let float = try WAVFile.read(riff([("fmt ", fmt(code: 3, channels: 1, rate: 16_000, bits: 32)), ("data", floatBytes)]))
        XCTAssertEqual(float.samples, [8_192, -16_384, 32_767], "out-of-range floats are clipped")
        // A pipe writer leaves 0xFFFFFFFF as the data size: the rest of the file is the data.
        var streamed = [UInt8](riff([("fmt ", fmt(code: 1, channels: 1, rate: 22_050, bits: 16)), ("data", le16(100) + le16(-100))]))
        streamed.replaceSubrange((streamed.count - 8)..<(streamed.count - 4), with: [0xFF, 0xFF, 0xFF, 0xFF])
        XCTAssertEqual(try WAVFile.read(Data(streamed)).samples, [100, -100])
    }

    func testWhatCannotBeReadSaysWhy() {
        let cases: [(Data, String)] = [
            (Data("ID3 not a wave file at all".utf8), "not a WAV file"),
            (riff([("fmt ", fmt(code: 85, channels: 1, rate: 22_050, bits: 16)), ("data", [0, 0])]), "compressed (format 85)"),
            (riff([("fmt ", fmt(code: 1, channels: 1, rate: 22_050, bits: 12)), ("data", [0, 0])]), "12-bit"),
            (riff([("data", [0, 0]), ("fmt ", fmt(code: 1, channels: 1, rate: 22_050, bits: 16))]), "data comes before the fmt"),
            (riff([("fmt ", fmt(code: 1, channels: 1, rate: 22_050, bits: 16))]), "no data chunk"),
            (riff([("fmt ", Array(fmt(code: 1, channels: 1, rate: 22_050, bits: 16).prefix(10)))]), "fmt chunk is cut short"),
            (riff([("fmt ", fmt(code: 1, channels: 0, rate: 22_050, bits: 16)), ("data", [0, 0])]), "0 channels"),
            (riff([("fmt ", fmt(code: 1, channels: 1, rate: 0, bits: 16)), ("data", [0, 0])]), "sample rate of 0 Hz"),
        ]
        for (data, why) in cases {
            XCTAssertThrowsError(try WAVFile.read(data), why) { error in
                XCTAssertTrue("\(error)".contains(why), "\(error) should say \(why)")
            }
        }
    }

    func testResamplingKeepsLengthAndPitch() {
        // One second of 440 Hz at 44.1 kHz → 22.05 kHz: half the samples, still 880 zero crossings.
        let tone = (0..<44_100).map { Int16(sin(2 * Double.pi * 440 * Double($0) / 44_100) * 20_000) }
        let down = Resampler.resample(tone, from: 44_100, to: 22_050)
        XCTAssertEqual(down.count, 22_050)
        XCTAssertEqual(crossings(down), 880, accuracy: 2)
        XCTAssertGreaterThan(down.map { abs(Int($0)) }.max()!, 18_000, "the tone keeps its strength")
        let up = Resampler.resample(Array(down.prefix(2_205)), from: 22_050, to: 48_000)
        XCTAssertEqual(up.count, 4_800)
        XCTAssertEqual(crossings(up), 88, accuracy: 2)
        XCTAssertEqual(Resampler.resample(tone, from: 22_050, to: 22_050), tone)
    }

    private func crossings(_ s: [Int16]) -> Int { zip(s, s.dropFirst()).filter { ($0 < 0) != ($1 < 0) }.count }
}
