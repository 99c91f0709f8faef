/// TOML written for people: the encoder escapes every non-ASCII character in basic strings (`"\u53D6\u53F7"`),
/// which makes an exported `hall.toml` unreadable to the Chinese hall manager it is for. TOML allows UTF-8 in strings,
/// so this writes such escapes back as the characters themselves — only printable ones (U+00A0 and above, no
/// surrogates); control characters and everything in literal strings (`'…'`) and comments stay as they are.
enum TOMLReadableText {
    static func unescapingPrintableUnicode(_ toml: String) -> String {
        var out = String.UnicodeScalarView()
        let scalars = Array(toml.unicodeScalars)
        var i = 0
        var inBasic = false
        var inLiteral = false
        var inComment = false
        while i < scalars.count {
            let c = scalars[i]
            if inComment {
                if c == "\n" { inComment = false }
                out.append(c); i += 1; continue
            }
            if inLiteral {
                if c == "'" { inLiteral = false }
                out.append(c); i += 1; continue
            }
            if inBasic {
                if c == "\\", i + 1 < scalars.count {
                    let kind = scalars[i + 1]
                    let width = kind == "u" ? 4 : kind == "U" ? 8 : 0
                    if width > 0, i + 1 + width < scalars.count,
                       let value = UInt32(String(String.UnicodeScalarView(scalars[(i + 2)..<(i + 2 + width)])), radix: 16),
                       value >= 0xA0, let scalar = Unicode.Scalar(value) {
                        out.append(scalar)
                        i += 2 + width
                        continue
                    }
                    out.append(c); out.append(kind); i += 2; continue
                }
                if c == "\"" { inBasic = false }
                out.append(c); i += 1; continue
            }
            switch c {
            case "#": inComment = true
            case "'": inLiteral = true
            case "\"": inBasic = true
            default: break
            }
            out.append(c); i += 1
        }
        return String(out)
    }
}
