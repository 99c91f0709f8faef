import Foundation
@testable import KioskHTTP
import XCTest

/// The event-stream format, case by case (HTML standard §9.2.6).
final class SSEParserTests: XCTestCase {
    func parse(_ chunks: [String]) -> ([SSEMessage], SSEParser) {
        var parser = SSEParser()
        var out: [SSEMessage] = []
        for c in chunks { out += parser.feed(Array(c.utf8)) }
        return (out, parser)
    }

    func testTheHallServersFrames() {
        let (messages, parser) = parse(["retry: 2000\n: connected to window w01\n\n",
                                        "id: 7\nevent: serviceCompleted\ndata: {\"id\":7}\n\n", ": heartbeat\n\n"])
        XCTAssertEqual(messages, [SSEMessage(lastEventId: "7", event: "serviceCompleted", data: "{\"id\":7}")])
        XCTAssertEqual(parser.retryMilliseconds, 2000)
        XCTAssertEqual(parser.commentCount, 2)
        XCTAssertEqual(parser.lastEventId, "7")
    }

    func testTable() {
        let cases: [(String, [String], [SSEMessage])] = [
            ("multi-line data joins with LF", ["data: a\ndata: b\ndata:\n\n"], [SSEMessage(lastEventId: "", event: "message", data: "a\nb\n")]),
            ("no space after colon", ["data:x\n\n"], [SSEMessage(lastEventId: "", event: "message", data: "x")]),
            ("only one space is removed", ["data:  x\n\n"], [SSEMessage(lastEventId: "", event: "message", data: " x")]),
            ("CRLF and CR line ends", ["id: 1\r\ndata: a\r\n\r\nid: 2\rdata: b\r\r"],
             [SSEMessage(lastEventId: "1", event: "message", data: "a"), SSEMessage(lastEventId: "2", event: "message", data: "b")]),
            ("CRLF split across chunks", ["data: a\r", "\n\r", "\n"], [SSEMessage(lastEventId: "", event: "message", data: "a")]),
            ("a field split across chunks", ["da", "ta: hel", "lo\n", "\n"], [SSEMessage(lastEventId: "", event: "message", data: "hello")]),
            ("an event without data is dropped", ["event: ping\n\n", "data: x\n\n"], [SSEMessage(lastEventId: "", event: "message", data: "x")]),
            ("id persists and empty id resets", ["id: 5\ndata: a\n\ndata: b\n\nid\ndata: c\n\n"],
             [SSEMessage(lastEventId: "5", event: "message", data: "a"), SSEMessage(lastEventId: "5", event: "message", data: "b"),
              SSEMessage(lastEventId: "", event: "message", data: "c")]),
            ("id with NUL is ignored", ["id: 3\ndata: a\n\nid: 4\0x\ndata: b\n\n"],
             [SSEMessage(lastEventId: "3", event: "message", data: "a"), SSEMessage(lastEventId: "3", event: "message", data: "b")]),
            ("unknown fields and comments are ignored", ["foo: bar\n: note\ndata: x\n\n"], [SSEMessage(lastEventId: "", event: "message", data: "x")]),
            ("event type does not leak into the next event", ["event: a\ndata: 1\n\ndata: 2\n\n"],
             [SSEMessage(lastEventId: "", event: "a", data: "1"), SSEMessage(lastEventId: "", event: "message", data: "2")]),
            ("an unfinished event is not dispatched", ["data: a\n"], []),
            ("a byte-order mark at the start is skipped", ["\u{FEFF}data: a\n\n"], [SSEMessage(lastEventId: "", event: "message", data: "a")]),
            ("UTF-8 split inside a character", ["data: 服", "务\n\n"], [SSEMessage(lastEventId: "", event: "message", data: "服务")]),
        ]
        for (name, chunks, expected) in cases {
            XCTAssertEqual(parse(chunks).0, expected, name)
        }
    }

    func testUTF8SplitInsideACharacterAtTheByteLevel() {
        var parser = SSEParser()
        let bytes = Array("data: 满意\n\n".utf8)
        var out: [SSEMessage] = []
        for b in bytes { out += parser.feed([b]) }
        XCTAssertEqual(out.map(\.data), ["满意"])
    }

    func testRetryTakesDigitsOnly() {
        XCTAssertEqual(parse(["retry: 1500\n"]).1.retryMilliseconds, 1500)
        XCTAssertNil(parse(["retry: 1.5\n"]).1.retryMilliseconds)
        XCTAssertNil(parse(["retry: soon\n"]).1.retryMilliseconds)
        XCTAssertEqual(parse(["retry: 100\nretry: x\n"]).1.retryMilliseconds, 100)
    }
}
