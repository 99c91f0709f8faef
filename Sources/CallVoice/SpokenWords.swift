/// Turns text into the names of voice-pack clips: "请" → `zh/qing`, "A023" → `zh/A zh/0 zh/2 zh/3`, "please go to
/// window" → `en/please-go-to-window`. A clip name is the clip's path in the pack without ".wav".
public enum SpokenWords {
    /// The Chinese words the default pack has, with their clip names (pinyin, so the files have plain ASCII names).
    public static let chineseWords: [String: String] = [
        "请": "qing", "号": "hao", "到": "dao", "第": "di", "窗口": "chuangkou", "办理": "banli",
        "十": "shi", "百": "bai", "千": "qian",
    ]
    /// Chinese digits 0…9 as characters (the clips are `zh/0` … `zh/9`).
    static let chineseDigits: [Character] = ["零", "一", "二", "三", "四", "五", "六", "七", "八", "九"]
    /// Characters that only separate words.
    static let separators: Set<Character> = [" ", "\t", ",", ".", "，", "。", "、", "!", "！", "?", "？", ":", "：", ";", "；"]

    /// The clips of a Chinese text piece. Each space- or punctuation-separated chunk is split into the known words,
    /// longest first ("号窗口" → 号 窗口); a chunk that cannot be split entirely is one word of its own, said from the
    /// clip `zh/<chunk>` (a hall records it, e.g. `zh/业务.wav`).
    public static func chinese(_ text: String) -> [String] {
        chunks(text).flatMap { chunk -> [String] in
            var out: [String] = []
            var rest = Substring(chunk)
            while !rest.isEmpty {
                let first = rest.first!
                if let digit = chineseDigits.firstIndex(of: first) ?? (first.isASCII ? first.wholeNumberValue : nil) {
                    out.append("zh/\(digit)")
                    rest = rest.dropFirst()
                    continue
                }
                guard let word = chineseWords.keys.filter({ rest.hasPrefix($0) }).max(by: { $0.count < $1.count }) else {
                    return ["zh/\(chunk)"]
                }
                out.append("zh/\(chineseWords[word]!)")
                rest = rest.dropFirst(word.count)
            }
            return out
        }
    }

    /// The clips of an English text piece: each phrase between punctuation marks is one clip, lower case, words joined
    /// by "-" ("Number" → `en/number`, "please go to window" → `en/please-go-to-window`).
    public static func english(_ text: String) -> [String] {
        text.split(whereSeparator: { separators.contains($0) && $0 != " " && $0 != "\t" }).compactMap { phrase in
            let words = phrase.split(whereSeparator: { $0 == " " || $0 == "\t" })
            return words.isEmpty ? nil : "en/" + words.joined(separator: "-").lowercased()
        }
    }

    /// The clips of a ticket number ("A023") in `language` ("zh" or "en"): letters one by one (`zh/A`), digits one by
    /// one or as numbers. Characters that are neither (a dash) are not said.
    public static func ticket(_ text: String, language: String, reading: VoiceSettings.NumberReading) -> [String] {
        var out: [String] = []
        var digits = ""
        func flush() {
            guard !digits.isEmpty else { return }
            let value = Int(digits)
            if reading == .number, let value, let words = number(value, language: language) {
                out += words
            } else {
                out += digits.map { "\(language)/\($0)" }
            }
            digits = ""
        }
        for character in text.uppercased() {
            if character.isASCII, character.isNumber {
                digits.append(character)
            } else {
                flush()
                if character.isASCII, character.isLetter { out.append("\(language)/\(character)") }
            }
        }
        flush()
        return out
    }

    /// The clips of a window ("3", "12"): a number when it is all digits ("12" → 十 二, "twelve"), else like a ticket.
    public static func window(_ text: String, language: String) -> [String] {
        ticket(text, language: language, reading: .number)
    }

    /// `value` as Chinese (0…9999) or English (0…999) number words; nil beyond.
    static func number(_ value: Int, language: String) -> [String]? {
        language == "zh" ? chineseNumber(value) : englishNumber(value)
    }

    /// 0 → 零, 12 → 十二, 20 → 二十, 105 → 一百零五, 1010 → 一千零一十.
    static func chineseNumber(_ value: Int) -> [String]? {
        guard (0...9_999).contains(value) else { return nil }
        guard value > 0 else { return ["zh/0"] }
        let digits = String(value).map { Int(String($0))! }
        let units = ["", "zh/shi", "zh/bai", "zh/qian"]
        var out: [String] = []
        var zeroPending = false
        for (index, digit) in digits.enumerated() {
            let place = digits.count - 1 - index
            if digit == 0 {
                zeroPending = true
                continue
            }
            if zeroPending, !out.isEmpty { out.append("zh/0") }
            zeroPending = false
            if !(digit == 1 && place == 1 && out.isEmpty) { out.append("zh/\(digit)") }  // 十二, not 一十二
            if place > 0 { out.append(units[place]) }
        }
        return out
    }

    /// 0…19 → one clip, 20…90 → the tens' clip, 123 → one hundred twenty three.
    static func englishNumber(_ value: Int) -> [String]? {
        guard (0...999).contains(value) else { return nil }
        var out: [String] = []
        let hundreds = value / 100, rest = value % 100
        if hundreds > 0 { out += ["en/\(hundreds)", "en/hundred"] }
        if rest == 0, hundreds > 0 { return out }
        if rest < 20 {
            out.append("en/\(rest)")
        } else {
            out.append("en/\(rest / 10 * 10)")
            if rest % 10 > 0 { out.append("en/\(rest % 10)") }
        }
        return out
    }

    private static func chunks(_ text: String) -> [String] {
        text.split(whereSeparator: { separators.contains($0) }).map(String.init)
    }
}
