import XCTest
@testable import IDCardReader

final class SAMFrameTests: XCTestCase {
    /// The request frames as captured from vendor software and peers (CHECKIN-NOTES "Frame").
    func testRequestFramesMatchTheCapturedBytes() {
        let golden: [(SAMCommand, String)] = [
            (.samStatus, "AA AA AA 96 69 00 03 11 FF ED"),
            (.samID, "AA AA AA 96 69 00 03 12 FF EE"),
            (.findCard, "AA AA AA 96 69 00 03 20 01 22"),
            (.selectCard, "AA AA AA 96 69 00 03 20 02 21"),
            (.readBaseInfo, "AA AA AA 96 69 00 03 30 01 32"),
            (.readAppendedAddress, "AA AA AA 96 69 00 03 30 03 30"),
            (.readBaseInfoWithFingerprint, "AA AA AA 96 69 00 03 30 10 23"),
            (.setMaximumRFBytes, "AA AA AA 96 69 00 04 61 FF 50 CA"),
        ]
        XCTAssertEqual(golden.count, SAMCommand.allCases.count)
        for (command, bytes) in golden {
            XCTAssertEqual(hexString(command.frame), bytes, command.name)
        }
    }

    /// The golden replies decode to the statuses they stand for.
    func testGoldenRepliesDecode() {
        let golden: [(String, SAMStatus, Int)] = [
            ("AA AA AA 96 69 00 08 00 00 9F 00 00 00 00 97", .cardFound, 4),
            ("AA AA AA 96 69 00 04 00 00 80 84", .noCard, 0),
            ("AA AA AA 96 69 00 0C 00 00 90 00 00 00 00 00 00 00 00 9C", .success, 8),
            ("AA AA AA 96 69 00 04 00 00 81 85", .selectFailed, 0),
            ("AA AA AA 96 69 00 04 00 00 41 45", .readFailed, 0),
            ("AA AA AA 96 69 00 04 00 00 90 94", .success, 0),
        ]
        for (text, status, dataCount) in golden {
            var decoder = SAMFrameDecoder()
            let outputs = decoder.feed(bytes(text))
            guard case let .reply(reply) = outputs.first, outputs.count == 1 else { return XCTFail("\(text) → \(outputs)") }
            XCTAssertEqual(reply.status, status)
            XCTAssertEqual(reply.data.count, dataCount)
            XCTAssertEqual(hexString(reply.frame), text, "encoding the decoded reply gives the same bytes")
            XCTAssertEqual(decoder.bufferedCount, 0)
        }
    }

    func testTheReadReplyIs1295BytesAndRoundTrips() {
        let reply = SAMReply(status: .success, data: TextBlock.resident().readReplyData())
        let frame = reply.frame
        XCTAssertEqual(frame.count, 1295)
        XCTAssertEqual(Array(frame[5...6]), [0x05, 0x08])
        var decoder = SAMFrameDecoder()
        XCTAssertEqual(decoder.feed(frame), [.reply(reply)])
    }

    func testGarbageBeforeThePreambleIsDiscarded() {
        var decoder = SAMFrameDecoder()
        let garbage: [UInt8] = [0x00, 0xAA, 0xAA, 0x13, 0x96, 0x69, 0xAA, 0xAA, 0xAA, 0x96, 0x00]
        let outputs = decoder.feed(garbage + bytes("AA AA AA 96 69 00 04 00 00 90 94"))
        XCTAssertEqual(outputs, [.discarded(count: garbage.count, reason: .noPreamble), .reply(SAMReply(status: .success))])
    }

    func testAFrameSplitIntoSingleBytesDecodesOnceComplete() {
        var decoder = SAMFrameDecoder()
        let frame = SAMReply(status: .success, data: TextBlock.resident().readReplyData()).frame
        var replies = 0
        for (i, byte) in frame.enumerated() {
            let outputs = decoder.feed([byte])
            if i < frame.count - 1 { XCTAssertEqual(outputs, [], "byte \(i)") } else { replies = outputs.count }
        }
        XCTAssertEqual(replies, 1)
        XCTAssertEqual(decoder.bufferedCount, 0)
    }

    func testABadChecksumCostsOnlyThatFrame() {
        var bad = bytes("AA AA AA 96 69 00 08 00 00 9F 00 00 00 00 97")
        bad[bad.count - 1] ^= 0xFF
        var decoder = SAMFrameDecoder()
        let outputs = decoder.feed(bad + bytes("AA AA AA 96 69 00 04 00 00 80 84"))
        XCTAssertEqual(outputs, [.discarded(count: bad.count, reason: .badChecksum), .reply(SAMReply(status: .noCard))])
    }

    func testAnImpossibleLengthIsDiscardedAndTheNextFrameFound() {
        var decoder = SAMFrameDecoder()
        let tooShort = bytes("AA AA AA 96 69 00 02 00 02")
        let tooLong = bytes("AA AA AA 96 69 FF FF 00 00 90")
        let outputs = decoder.feed(tooShort + tooLong + bytes("AA AA AA 96 69 00 04 00 00 90 94"))
        XCTAssertEqual(outputs, [
            .discarded(count: tooShort.count, reason: .wrongLength),
            .discarded(count: tooLong.count, reason: .wrongLength),
            .reply(SAMReply(status: .success)),
        ])
    }

    /// A length that claims more than was sent swallows the next frame; the checksum catches it and the decoder
    /// resyncs on the preamble inside.
    func testALongerLengthThanSentResyncsOnTheNextPreamble() {
        var decoder = SAMFrameDecoder()
        let lying = bytes("AA AA AA 96 69 00 15 00 00 90 91")
        let next = bytes("AA AA AA 96 69 00 04 00 00 80 84")
        var outputs = decoder.feed(lying + next)
        XCTAssertEqual(outputs, [], "waiting for the 21 bytes the length promised")
        outputs = decoder.feed(next)
        XCTAssertEqual(outputs.first, .discarded(count: lying.count, reason: .badChecksum))
        XCTAssertEqual(outputs.filter { if case .reply = $0 { true } else { false } }.count, 2)
    }

    func testAPreambleSplitAcrossReadsIsKept() {
        var decoder = SAMFrameDecoder()
        XCTAssertEqual(decoder.feed([0x01, 0x02, 0xAA, 0xAA]), [.discarded(count: 2, reason: .noPreamble)])
        XCTAssertEqual(decoder.bufferedCount, 2)
        XCTAssertEqual(decoder.feed(bytes("AA 96 69 00 04 00 00 90 94")), [.reply(SAMReply(status: .success))])
    }

    func testResetDropsAPartialFrame() {
        var decoder = SAMFrameDecoder()
        _ = decoder.feed(bytes("AA AA AA 96 69 05 08 00 00 90"))
        XCTAssertEqual(decoder.reset(), .discarded(count: 10, reason: .incomplete))
        XCTAssertEqual(decoder.reset(), nil)
        XCTAssertEqual(decoder.feed(bytes("AA AA AA 96 69 00 04 00 00 90 94")), [.reply(SAMReply(status: .success))])
    }

    func testAHugeInputNeverGrowsTheBuffer() {
        var decoder = SAMFrameDecoder()
        // A header promising the maximum, then a megabyte of preamble-free filler.
        let outputs = decoder.feed(bytes("AA AA AA 96 69 10 00") + [UInt8](repeating: 0x11, count: 1 << 20))
        XCTAssertLessThanOrEqual(decoder.bufferedCount, SAMFrameDecoder.capacity)
        XCTAssertTrue(outputs.contains(.discarded(count: SAMFrameDecoder.capacity, reason: .badChecksum)))
    }

    func testStatusesHaveReasons() {
        XCTAssertEqual(SAMStatus.samSelfTestFailed.description, "60 (the SAM failed its self-test and accepts no commands)")
        XCTAssertEqual(SAMStatus(rawValue: 0x77).description, "77 (unknown status)")
        for raw in [0x90, 0x91, 0x9F, 0x10, 0x11, 0x21, 0x23, 0x24, 0x31, 0x32, 0x33, 0x40, 0x41, 0x47, 0x60, 0x66, 0x80, 0x81] {
            XCTAssertNotEqual(SAMStatus(rawValue: UInt8(raw)).reason, "unknown status", "status \(raw)")
        }
    }
}

func bytes(_ hex: String) -> [UInt8] { hex.split(separator: " ").map { UInt8($0, radix: 16)! } }
func hexString(_ bytes: [UInt8]) -> String { bytes.map { hex($0) }.joined(separator: " ") }
