/// Turns the reader's byte stream into reply frames.
///
/// It resyncs on the preamble, so garbage before a frame, a frame split over many reads, a wrong length or a bad
/// checksum cost only the bytes involved. The buffer never holds more than one maximal frame
/// (`SAMFrame.headerLength + SAMFrame.maximumLength` bytes), whatever is fed in, and every call returns after work
/// proportional to its input.
public struct SAMFrameDecoder: Sendable {
    /// What the decoder made of the bytes fed to it.
    public enum Output: Sendable, Equatable {
        /// A complete reply with a correct checksum.
        case reply(SAMReply)
        /// Bytes thrown away, and why.
        case discarded(count: Int, reason: DiscardReason)
    }

    /// Why bytes were thrown away.
    public enum DiscardReason: String, Sendable, Equatable {
        /// Bytes that are not part of any frame (before a preamble).
        case noPreamble = "bytes before a preamble"
        /// A header whose length cannot be a reply (under 4 or over `SAMFrame.maximumLength`).
        case wrongLength = "a frame with an impossible length"
        /// A frame whose XOR checksum does not match.
        case badChecksum = "a frame with a bad checksum"
        /// A frame cut off by `reset()` (timeout, card removed, port closed).
        case incomplete = "an incomplete frame"
    }

    /// The shortest reply: SW1 SW2 SW3 CHK.
    static let minimumReplyLength = 4
    /// The most bytes the decoder ever keeps.
    public static let capacity = SAMFrame.headerLength + SAMFrame.maximumLength

    private var buffer: [UInt8] = []

    public init() {}

    /// Bytes held while waiting for the rest of a frame.
    public var bufferedCount: Int { buffer.count }

    /// Feeds bytes read from the port; returns the replies completed and the bytes discarded, in order.
    public mutating func feed<Bytes: Collection>(_ bytes: Bytes) -> [Output] where Bytes.Element == UInt8 {
        var outputs: [Output] = []
        var rest = bytes[...]
        while !rest.isEmpty {
            let room = max(Self.capacity - buffer.count, 1)
            let chunk = rest.prefix(room)
            buffer.append(contentsOf: chunk)
            rest = rest.dropFirst(chunk.count)
            drain(into: &outputs)
        }
        return outputs
    }

    /// Forgets a partly received frame (after a timeout or a reconnect); returns what was dropped, if anything.
    public mutating func reset() -> Output? {
        defer { buffer.removeAll(keepingCapacity: true) }
        return buffer.isEmpty ? nil : .discarded(count: buffer.count, reason: .incomplete)
    }

    private mutating func drain(into outputs: inout [Output]) {
        while true {
            guard let start = Self.preambleIndex(in: buffer, from: 0) else {
                // Keep a tail that may be the start of a preamble split across reads.
                let keep = Self.partialPreambleSuffix(of: buffer)
                discard(buffer.count - keep, .noPreamble, into: &outputs)
                return
            }
            if start > 0 { discard(start, .noPreamble, into: &outputs) }
            guard buffer.count >= SAMFrame.headerLength else { return }
            let length = Int(buffer[5]) << 8 | Int(buffer[6])
            guard length >= Self.minimumReplyLength, length <= SAMFrame.maximumLength else {
                discard(resyncPoint(frameEnd: nil), .wrongLength, into: &outputs)
                continue
            }
            let end = SAMFrame.headerLength + length
            guard buffer.count >= end else { return }
            let body = buffer[SAMFrame.headerLength ..< end - 1]
            guard SAMFrame.checksum(length: UInt16(length), body: body) == buffer[end - 1] else {
                discard(resyncPoint(frameEnd: end), .badChecksum, into: &outputs)
                continue
            }
            let i = body.startIndex
            outputs.append(.reply(SAMReply(sw1: body[i], sw2: body[i + 1], status: SAMStatus(rawValue: body[i + 2]), data: Array(body[(i + 3)...]))))
            buffer.removeFirst(end)
        }
    }

    /// Where to start looking again after a bad frame at the buffer's start: the next preamble inside it, else its end
    /// (or, when its end is unknown, everything but a possible partial preamble).
    private func resyncPoint(frameEnd: Int?) -> Int {
        let limit = frameEnd ?? buffer.count
        if let next = Self.preambleIndex(in: buffer, from: 1), next < limit { return next }
        if let frameEnd { return frameEnd }
        return max(1, buffer.count - Self.partialPreambleSuffix(of: buffer))
    }

    private mutating func discard(_ count: Int, _ reason: DiscardReason, into outputs: inout [Output]) {
        guard count > 0 else { return }
        buffer.removeFirst(count)
        outputs.append(.discarded(count: count, reason: reason))
    }

    static func preambleIndex(in bytes: [UInt8], from start: Int) -> Int? {
        let p = SAMFrame.preamble
        guard bytes.count >= p.count, start <= bytes.count - p.count else { return nil }
        var i = start
        while i <= bytes.count - p.count {
            if bytes[i] == p[0], bytes[i + 1] == p[1], bytes[i + 2] == p[2], bytes[i + 3] == p[3], bytes[i + 4] == p[4] { return i }
            i += 1
        }
        return nil
    }

    /// The length of the longest proper suffix of `bytes` that is a prefix of the preamble.
    static func partialPreambleSuffix(of bytes: [UInt8]) -> Int {
        let p = SAMFrame.preamble
        var n = min(p.count - 1, bytes.count)
        while n > 0 {
            if bytes[(bytes.count - n)...].elementsEqual(p[..<n]) { return n }
            n -= 1
        }
        return 0
    }
}
