@testable import IDCardReader

/// Builds 256-byte text blocks the way a card carries them (UCS-2LE, space-padded), for the parser tests.
struct TextBlock {
    var bytes = [UInt8](repeating: 0, count: 256)

    init() {
        for i in stride(from: 0, to: 256, by: 2) { bytes[i] = 0x20 }
    }

    /// Writes `text` at `offset` into a field of `size` bytes (the rest stays spaces).
    mutating func put(_ text: String, at offset: Int, size: Int) {
        let units = Array(text.utf16)
        precondition(units.count * 2 <= size, "test data '\(text)' too long for its field")
        for (i, unit) in units.enumerated() {
            bytes[offset + 2 * i] = UInt8(unit & 0xFF)
            bytes[offset + 2 * i + 1] = UInt8(unit >> 8)
        }
    }

    static func resident(name: String = "王小明", gender: String = "1", ethnic: String = "01", birth: String = "19491231",
                         address: String = "北京市西城区示例胡同5号", number: String = "11010519491231002X",
                         authority: String = "北京市公安局西城分局", from: String = "20100101", to: String = "长期",
                         flag: String? = nil) -> TextBlock {
        var b = TextBlock()
        b.put(name, at: 0, size: 30)
        b.put(gender, at: 30, size: 2)
        b.put(ethnic, at: 32, size: 4)
        b.put(birth, at: 36, size: 16)
        b.put(address, at: 52, size: 70)
        b.put(number, at: 122, size: 36)
        b.put(authority, at: 158, size: 30)
        b.put(from, at: 188, size: 16)
        b.put(to, at: 204, size: 16)
        if let flag { b.put(flag, at: 248, size: 2) }
        return b
    }

    /// The data of a read reply (after SW3): lengths, this text, a 1024-byte photo.
    func readReplyData(photo: UInt8 = 0x5A) -> [UInt8] {
        [0x01, 0x00, 0x04, 0x00] + bytes + [UInt8](repeating: photo, count: 1024)
    }
}

/// A seeded generator (SplitMix64): the tests' only fake, for randomness.
struct SplitMix64: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
