import Foundation

/// One server-sent event.
public struct SSEMessage: Sendable, Hashable {
    /// The stream's last event id when this event was dispatched (`id:` persists across events).
    public var lastEventId: String
    /// `event:`; `message` when the event named none.
    public var event: String
    /// The `data:` lines joined with `\n`.
    public var data: String

    public init(lastEventId: String, event: String, data: String) {
        self.lastEventId = lastEventId
        self.event = event
        self.data = data
    }
}

/// Parses a `text/event-stream` byte by byte as the HTML standard says (§9.2.6): lines end in
/// CRLF, LF or CR (also split across chunks); `:` starts a comment; `field: value` with one optional
/// space; several `data:` lines join with `\n`; `id:` persists (a value with NUL is ignored);
/// `retry:` takes digits only; a blank line dispatches; an event with no data is dropped; an
/// unfinished event at the end of the stream is dropped.
public struct SSEParser: Sendable {
    /// The last event id seen (what to send as `Last-Event-ID` when reconnecting).
    public private(set) var lastEventId = ""
    /// The reconnection time the server asked for with `retry:`, in milliseconds.
    public private(set) var retryMilliseconds: Int?
    /// Comment lines seen so far (heartbeats).
    public private(set) var commentCount = 0

    private var line: [UInt8] = []
    private var afterCR = false
    private var atStart = true
    private var data = ""
    private var hasData = false
    private var eventType = ""

    public init() {}

    /// Feeds bytes as they arrive; returns the events they complete.
    public mutating func feed<Bytes: Sequence>(_ bytes: Bytes) -> [SSEMessage] where Bytes.Element == UInt8 {
        var out: [SSEMessage] = []
        for b in bytes {
            if afterCR {
                afterCR = false
                if b == 0x0A { continue }
            }
            switch b {
            case 0x0D:
                afterCR = true
                endLine(&out)
            case 0x0A:
                endLine(&out)
            default:
                line.append(b)
            }
        }
        return out
    }

    private mutating func endLine(_ out: inout [SSEMessage]) {
        var bytes = line
        line.removeAll(keepingCapacity: true)
        if atStart {
            atStart = false
            if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { bytes.removeFirst(3) }
        }
        if bytes.isEmpty {
            dispatch(&out)
            return
        }
        if bytes[0] == UInt8(ascii: ":") {
            commentCount += 1
            return
        }
        let field: String
        var value: String
        if let colon = bytes.firstIndex(of: UInt8(ascii: ":")) {
            field = String(decoding: bytes[..<colon], as: UTF8.self)
            var rest = bytes[(colon + 1)...]
            if rest.first == UInt8(ascii: " ") { rest = rest.dropFirst() }
            value = String(decoding: rest, as: UTF8.self)
        } else {
            field = String(decoding: bytes, as: UTF8.self)
            value = ""
        }
        switch field {
        case "event":
            eventType = value
        case "data":
            data += value + "\n"
            hasData = true
        case "id":
            if !value.contains("\0") { lastEventId = value }
        case "retry":
            if !value.isEmpty, value.allSatisfy({ $0.isASCII && $0.isNumber }), let ms = Int(value) { retryMilliseconds = ms }
        default:
            value = ""
        }
    }

    private mutating func dispatch(_ out: inout [SSEMessage]) {
        defer {
            data = ""
            hasData = false
            eventType = ""
        }
        guard hasData else { return }
        if data.hasSuffix("\n") { data.removeLast() }
        out.append(SSEMessage(lastEventId: lastEventId, event: eventType.isEmpty ? "message" : eventType, data: data))
    }
}
