import XCTest
@testable import IDCardReader

/// A card's number, name and address never show in any description, debug description, dump or mirror of the values
/// the reader hands out.
final class PrivacyCanaryTests: XCTestCase {
    let canaryNumber = "360421197704056131"
    let canaryName = "欧阳金丝雀"
    let canaryAddress = "江西省九江市金丝雀路77号"

    func canaryCard() throws -> IDCard {
        XCTAssertTrue(GB11643.isValid(canaryNumber), "the canary is a valid number, so it gets through the parser")
        let block = TextBlock.resident(name: canaryName, birth: "19770405", address: canaryAddress, number: canaryNumber)
        return try CardTextParser.parse(textBlock: block.bytes)
    }

    func testNoDescriptionShowsTheCanary() throws {
        let card = try canaryCard()
        XCTAssertEqual(card.idNumber.masked, "3604**********6131")
        XCTAssertEqual(card.name.masked, "欧****")
        XCTAssertEqual(PersonName("张三").masked, "张*")
        XCTAssertEqual(PersonName("SMITH, JOHN").masked, "S***** ****")
        XCTAssertEqual("\(card)", "resident ID card 3604**********6131 欧****")

        var texts: [String] = []
        func record<T>(_ value: T) {
            texts.append("\(value)")
            texts.append(String(describing: value))
            texts.append(String(reflecting: value))
            var dumped = ""
            dump(value, to: &dumped)
            texts.append(dumped)
            texts.append(mirrorText(Mirror(reflecting: value), depth: 0))
        }
        record(card)
        record(card.idNumber)
        record(card.name)
        record(card.address!)
        record(Optional(card))
        record([card])
        record(ReaderEvent.cardRead(card))
        record(ReaderMachine.Transition(events: [.cardRead(card)], next: .wait(.milliseconds(100))))
        // The raw read reply holds the text block: printed, it shows its status and length only.
        let reply = SAMReply(status: .success, data: TextBlock.resident(name: canaryName, address: canaryAddress, number: canaryNumber).readReplyData())
        XCTAssertEqual("\(reply)", "SAMReply(90 (success), 1284 data bytes)")
        record(reply)
        record(ReaderMachine.Input.reply(reply))
        record(SAMFrameDecoder.Output.reply(reply))
        for text in texts.suffix(15) {
            XCTAssertLessThan(text.count, 400, "no data bytes printed: \(text.prefix(200))")
        }
        // Errors about a bad card never quote it either.
        let bad = TextBlock.resident(name: canaryName, address: canaryAddress, number: String(canaryNumber.dropLast()) + "0")
        XCTAssertThrowsError(try CardTextParser.parse(textBlock: bad.bytes)) { error in
            record(error)
            record(ReaderEvent.cardUnreadable(.invalidCard(error as! CardTextError)))
        }

        XCTAssertGreaterThan(texts.count, 40)
        let secrets = [canaryNumber, String(canaryNumber.prefix(17)), "19770405", canaryName, "金丝雀", canaryAddress, "九江"]
        for text in texts {
            for secret in secrets {
                XCTAssertFalse(text.contains(secret), "'\(secret)' shows in: \(text)")
            }
        }
    }

    private func mirrorText(_ mirror: Mirror, depth: Int) -> String {
        guard depth < 6 else { return "" }
        return mirror.children.map { child in
            "\(child.label ?? "_")=\(child.value) " + mirrorText(Mirror(reflecting: child.value), depth: depth + 1)
        }.joined(separator: ";")
    }
}
