import XCTest
@testable import IDCardReader

/// Random and mutated frames never crash or hang the decoder and the parser, and never grow the buffer.
final class FuzzTests: XCTestCase {
    func testHundredThousandRandomAndMutatedFrames() throws {
        var rng = SplitMix64(seed: 0x4A7_2019)
        let good: [[UInt8]] = [
            SAMReply(status: .success, data: TextBlock.resident().readReplyData()).frame,
            SAMReply(status: .cardFound, data: [0, 0, 0, 0]).frame,
            SAMReply(status: .success, data: [UInt8](repeating: 0, count: 8)).frame,
            SAMReply(status: .noCard).frame,
        ]
        var decoder = SAMFrameDecoder()
        var replies = 0, cards = 0, refusals = 0, maxBuffered = 0
        let started = ContinuousClock.now
        for iteration in 0..<100_000 {
            var input: [UInt8]
            switch iteration % 4 {
            case 0:  // pure noise, sometimes with preambles sprinkled in
                input = (0..<Int.random(in: 0...64, using: &rng)).map { _ in UInt8.random(in: 0...255, using: &rng) }
                if Bool.random(using: &rng) { input.insert(contentsOf: SAMFrame.preamble, at: Int.random(in: 0...input.count, using: &rng)) }
            default:  // a good frame, mutated
                input = good[Int.random(in: 0..<good.count, using: &rng)]
                for _ in 0..<Int.random(in: 1...4, using: &rng) { mutate(&input, using: &rng) }
            }
            // Fed in random pieces, as reads from a port come.
            var rest = input[...]
            while !rest.isEmpty {
                let piece = rest.prefix(Int.random(in: 1...300, using: &rng))
                rest = rest.dropFirst(piece.count)
                for case let .reply(reply) in decoder.feed(piece) {
                    replies += 1
                    do {
                        let card = try CardTextParser.parse(textBlock: CardTextParser.textBlock(inReadReply: reply.data))
                        cards += 1
                        if card.kind != .foreignPermanentResident2017 { XCTAssertTrue(GB11643.isValid(card.idNumber.clearText)) }
                    } catch {
                        refusals += 1
                    }
                }
                maxBuffered = max(maxBuffered, decoder.bufferedCount)
            }
            if iteration % 1_000 == 999 { _ = decoder.reset() }  // a timeout now and then
        }
        let elapsed = ContinuousClock.now - started
        XCTAssertLessThanOrEqual(maxBuffered, SAMFrameDecoder.capacity)
        XCTAssertGreaterThan(replies, 1_000, "mutations that keep a frame whole still decode")
        XCTAssertGreaterThan(cards + refusals, 100)
        XCTAssertLessThan(elapsed, .seconds(120))
        print("fuzz: 100000 inputs, \(replies) replies, \(cards) cards, \(refusals) refused, max buffer \(maxBuffered) B, \(elapsed)")
    }

    /// The parser on random and mutated 256-byte blocks: a card or a `CardTextError`, nothing else.
    func testRandomTextBlocks() {
        var rng = SplitMix64(seed: 11_643)
        let good = TextBlock.resident().bytes
        var parsed = 0
        for i in 0..<20_000 {
            var block = i.isMultiple(of: 2) ? good : (0..<256).map { _ in UInt8.random(in: 0...255, using: &rng) }
            for _ in 0..<Int.random(in: 0...6, using: &rng) {
                block[Int.random(in: 0..<256, using: &rng)] = UInt8.random(in: 0...255, using: &rng)
            }
            if let card = try? CardTextParser.parse(textBlock: block) {
                parsed += 1
                XCTAssertFalse("\(card)".contains(card.idNumber.clearText))
            }
        }
        XCTAssertGreaterThan(parsed, 100, "blocks mutated outside the checked fields still parse")
    }

    private func mutate(_ frame: inout [UInt8], using rng: inout SplitMix64) {
        guard !frame.isEmpty else { return frame = [0xAA] }
        let at = Int.random(in: 0..<frame.count, using: &rng)
        switch Int.random(in: 0..<7, using: &rng) {
        case 0: frame[at] ^= UInt8(1) << UInt8.random(in: 0...7, using: &rng)  // bit flip
        case 1: frame.removeSubrange(at...)  // truncated
        case 2: frame.insert(UInt8.random(in: 0...255, using: &rng), at: at)  // stray byte
        case 3: if frame.count > 6 { frame[5] = .random(in: 0...255, using: &rng); frame[6] = .random(in: 0...255, using: &rng) }  // length
        case 4: frame = (0..<Int.random(in: 1...40, using: &rng)).map { _ in UInt8.random(in: 0...255, using: &rng) } + frame  // garbage first
        case 5: frame.append(contentsOf: SAMFrame.preamble.prefix(Int.random(in: 1...5, using: &rng)))  // a partial preamble after
        default: if frame.count > 20 { frame[Int.random(in: 10..<frame.count, using: &rng)] = .random(in: 0...255, using: &rng); frame[frame.count - 1] = SAMFrame.checksum(length: UInt16(frame.count - 7), body: frame[7..<(frame.count - 1)]) }  // data changed, checksum fixed
        }
    }
}
