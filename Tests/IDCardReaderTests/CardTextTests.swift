import XCTest
@testable import IDCardReader

final class CardTextTests: XCTestCase {
    func testAResidentIDCard() throws {
        let card = try CardTextParser.parse(textBlock: TextBlock.resident().bytes)
        XCTAssertEqual(card.kind, .residentID)
        XCTAssertEqual(card.name.clearText, "王小明")
        XCTAssertEqual(card.gender, .male)
        XCTAssertEqual(card.ethnicGroup?.name, "汉族")
        XCTAssertEqual(card.birthDate, CardDate(year: 1949, month: 12, day: 31))
        XCTAssertEqual(card.address?.clearText, "北京市西城区示例胡同5号")
        XCTAssertEqual(card.idNumber.clearText, "11010519491231002X")
        XCTAssertEqual(card.issuingAuthority, "北京市公安局西城分局")
        XCTAssertEqual(card.validFrom, CardDate(year: 2010, month: 1, day: 1))
        XCTAssertEqual(card.validUntil, .longTerm)
        XCTAssertNil(card.passNumber)
        XCTAssertTrue(card.isValid(on: CardDate(year: 2026, month: 12, day: 6)))
        XCTAssertFalse(card.isValid(on: CardDate(year: 2009, month: 12, day: 31)))
    }

    func testAResidentCardWithADatedEndAndAnotherEthnicGroup() throws {
        let block = TextBlock.resident(name: "李娜", gender: "2", ethnic: "15", birth: "19620615", number: "430102196206154562",
                                       from: "20160101", to: "20260101", flag: " ")
        let card = try CardTextParser.parse(textBlock: block.bytes)
        XCTAssertEqual(card.gender, .female)
        XCTAssertEqual(card.ethnicGroup?.name, "土家族")
        XCTAssertEqual(card.validUntil, .date(CardDate(year: 2026, month: 1, day: 1)))
        XCTAssertFalse(card.isValid(on: CardDate(year: 2026, month: 1, day: 2)))
    }

    func testAHongKongMacaoTaiwanResidencePermit() throws {
        var block = TextBlock.resident(name: "陈大文", ethnic: "", birth: "19920208", number: "810000199202087899", to: "20290208", flag: "J")
        block.put("H12345678", at: 220, size: 18)
        block.put("01", at: 238, size: 4)
        let card = try CardTextParser.parse(textBlock: block.bytes)
        XCTAssertEqual(card.kind, .hongKongMacaoTaiwanPermit)
        XCTAssertEqual(card.name.clearText, "陈大文")
        XCTAssertNil(card.ethnicGroup)
        XCTAssertEqual(card.passNumber?.clearText, "H12345678")
        XCTAssertEqual(card.issueCount, "01")
        XCTAssertEqual(card.idNumber.clearText, "810000199202087899")
    }

    func testAForeignersPermanentResidenceCard2017() throws {
        var b = TextBlock()
        b.put("SMITH, JOHN", at: 0, size: 120)
        b.put("1", at: 120, size: 2)
        b.put("USA110088051207", at: 122, size: 30)
        b.put("USA", at: 152, size: 6)
        b.put("史约翰", at: 158, size: 30)
        b.put("20180601", at: 188, size: 16)
        b.put("20280601", at: 204, size: 16)
        b.put("19880512", at: 220, size: 16)
        b.put("01", at: 236, size: 4)
        b.put("1100", at: 240, size: 8)
        b.put("I", at: 248, size: 2)
        let card = try CardTextParser.parse(textBlock: b.bytes)
        XCTAssertEqual(card.kind, .foreignPermanentResident2017)
        XCTAssertEqual(card.name.clearText, "史约翰")
        XCTAssertEqual(card.englishName?.clearText, "SMITH, JOHN")
        XCTAssertEqual(card.nationality, "USA")
        XCTAssertEqual(card.idNumber.clearText, "USA110088051207")
        XCTAssertEqual(card.idNumber.masked, "USA1*******1207")
        XCTAssertEqual(card.birthDate, CardDate(year: 1988, month: 5, day: 12))
        XCTAssertEqual(card.issuingAuthority, "1100")

        b.put("US1110088051207", at: 122, size: 30)
        XCTAssertThrowsError(try CardTextParser.parse(textBlock: b.bytes)) {
            XCTAssertEqual("\($0)", "the foreigner's card number is not 3 letters and 12 digits")
        }
    }

    func testAForeignersPermanentResidenceCard2023WithALongEnglishName() throws {
        let english = "GARCIA LOPEZ DE LA FUENTE Y MARTINEZ, MARIA"  // 43 characters: split at 35
        var b = TextBlock()
        b.put("玛丽亚", at: 0, size: 30)
        b.put("2", at: 30, size: 2)
        b.put("00", at: 32, size: 4)
        b.put("19910203", at: 36, size: 16)
        b.put(String(english.prefix(35)), at: 52, size: 70)
        b.put("911172419910203014", at: 122, size: 36)
        b.put("20240301", at: 188, size: 16)
        b.put("20340301", at: 204, size: 16)
        b.put(String(english.dropFirst(35)), at: 220, size: 22)
        b.put("ESP", at: 242, size: 6)
        b.put("Y", at: 248, size: 2)
        let card = try CardTextParser.parse(textBlock: b.bytes)
        XCTAssertEqual(card.kind, .foreignPermanentResident2023)
        XCTAssertEqual(card.englishName?.clearText, english)
        XCTAssertEqual(card.name.clearText, "玛丽亚")
        XCTAssertEqual(card.gender, .female)
        XCTAssertEqual(card.nationality, "ESP")
        XCTAssertEqual(card.idNumber.masked, "9111**********3014")
    }

    func testBadCardsAreRefusedWithTheReasonAndWithoutTheirData() {
        let cases: [(TextBlock, String)] = [
            (.resident(number: "110105194912310021"), "the ID number's check character does not match (GB 11643 MOD 11-2)"),
            (.resident(number: "1101051949123100"), "the ID number has 16 characters, not 18"),
            (.resident(name: ""), "the card's name is blank"),
            (.resident(birth: "19491331"), "the card's birth date is not a date YYYYMMDD"),
            (.resident(to: "永久"), "the card's end of validity is not a date YYYYMMDD"),
            (.resident(flag: "Z"), "unknown card kind: flag 0x5A at offset 248 (expected blank, J, I or Y)"),
        ]
        for (block, message) in cases {
            XCTAssertThrowsError(try CardTextParser.parse(textBlock: block.bytes)) { XCTAssertEqual("\($0)", message) }
        }
        XCTAssertThrowsError(try CardTextParser.parse(textBlock: [UInt8](repeating: 0x20, count: 255))) {
            XCTAssertEqual("\($0)", "the read reply is malformed: text block of 255 bytes, not 256")
        }
    }

    func testTheReadReplyGivesTheTextAndDropsThePhoto() throws {
        let block = TextBlock.resident()
        let text = try CardTextParser.textBlock(inReadReply: block.readReplyData())
        XCTAssertEqual(Array(text), block.bytes)
        let withFingerprint = [0x01, 0x00, 0x04, 0x00, 0x04, 0x00] + block.bytes + [UInt8](repeating: 1, count: 2048)
        XCTAssertEqual(Array(try CardTextParser.textBlock(inReadReply: withFingerprint, withFingerprint: true)), block.bytes)

        let short = Array(block.readReplyData().dropLast(1))
        XCTAssertThrowsError(try CardTextParser.textBlock(inReadReply: short)) {
            XCTAssertEqual("\($0)", "the read reply is malformed: 1283 data bytes, its lengths say 1284")
        }
        XCTAssertThrowsError(try CardTextParser.textBlock(inReadReply: [0x00, 0xFF, 0x04, 0x00] + block.bytes)) {
            XCTAssertEqual("\($0)", "the read reply is malformed: text length 255, not 256")
        }
        XCTAssertThrowsError(try CardTextParser.textBlock(inReadReply: [0x01])) {
            XCTAssertEqual("\($0)", "the read reply is malformed: 1 data bytes, fewer than its length fields")
        }
    }

    func testEthnicGroups() {
        XCTAssertEqual(EthnicGroup(code: "01").name, "汉族")
        XCTAssertEqual(EthnicGroup(code: "56").name, "基诺族")
        XCTAssertEqual(EthnicGroup(code: "97").name, "其他")
        XCTAssertEqual(EthnicGroup(code: "98").name, "外国血统中国籍人士")
        XCTAssertEqual(EthnicGroup(code: "57").name, "民族代码 57")
        XCTAssertFalse(EthnicGroup(code: "57").isKnown)
        XCTAssertEqual(EthnicGroup.names.count, 56)
    }
}

final class GB11643Tests: XCTestCase {
    func testCheckCharacters() {
        XCTAssertEqual(GB11643.checkCharacter(forFirst17: "11010519491231002"), "X")
        XCTAssertEqual(GB11643.checkCharacter(forFirst17: "11010519900307123"), "9")
        XCTAssertEqual(GB11643.checkCharacter(forFirst17: "81000019920208789"), "9")
        XCTAssertNil(GB11643.checkCharacter(forFirst17: "1101051949123100"))
        XCTAssertNil(GB11643.checkCharacter(forFirst17: "1101051949123100A"))
    }

    func testValidation() {
        XCTAssertTrue(GB11643.isValid("11010519491231002X"))
        XCTAssertTrue(GB11643.isValid("11010519491231002x"))
        XCTAssertTrue(GB11643.isValid("430102196206154562"))
        XCTAssertFalse(GB11643.isValid("110105194912310020"))
        XCTAssertFalse(GB11643.isValid("11010519491231002"))
        XCTAssertFalse(GB11643.isValid("1101051949123100２X"), "a full-width digit is not a digit")
        // Every wrong check character is caught.
        for c in "0123456789X" where c != "X" {
            XCTAssertFalse(GB11643.isValid("11010519491231002" + String(c)))
        }
    }
}
