extension DisplayList {
    /// A compact, stable, line-per-item text form of the list (used for golden files and logs):
    ///
    ///     screen 1080x1920 background #F2F4F7
    ///     rect 0,0 1080x147 #12467B r0
    ///     text 32,18 700x58 44b #FFFFFF leading "示范县政务服务中心"
    ///     qr 300,900 480x480 "http://127.0.0.1:8080/t/abc"
    ///     hit service:hukou 32,200 498x230 enabled "户籍办理 等候 5 人 · 约 15 分钟"
    public var textDump: String {
        var lines = ["screen \(Self.number(size.width))x\(Self.number(size.height)) background \(background)"]
        for item in items {
            switch item {
            case .rect(let frame, let color, let radius):
                lines.append("rect \(Self.frame(frame)) \(color) r\(Self.number(radius))")
            case .outline(let frame, let color, let width, let radius):
                lines.append("outline \(Self.frame(frame)) \(color) w\(Self.number(width)) r\(Self.number(radius))")
            case .text(let text):
                let weight = text.bold ? "b" : ""
                lines.append("text \(Self.frame(text.frame)) \(Self.number(text.pointSize))\(weight) \(text.color) "
                    + "\(text.alignment.rawValue) \(Self.quoted(text.string))")
            case .qr(let payload, let frame):
                lines.append("qr \(Self.frame(frame)) \(Self.quoted(payload))")
            case .image(let name, let frame):
                lines.append("image \(Self.frame(frame)) \(Self.quoted(name))")
            }
        }
        for region in hitRegions {
            lines.append("hit \(region.id) \(Self.frame(region.frame)) \(region.enabled ? "enabled" : "disabled") "
                + Self.quoted(region.label))
        }
        return lines.joined(separator: "\n") + "\n"
    }

    static func frame(_ rect: Rect) -> String {
        "\(number(rect.x)),\(number(rect.y)) \(number(rect.width))x\(number(rect.height))"
    }

    static func number(_ value: Double) -> String {
        let rounded = (value * 10).rounded() / 10
        if rounded == rounded.rounded() { return String(Int(rounded)) }
        return String(rounded)
    }

    static func quoted(_ text: String) -> String {
        "\"" + text.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"")
            .replacingOccurrences(of: "\n", with: "\\n") + "\""
    }
}

fileprivate extension String {
    func replacingOccurrences(of target: String, with replacement: String) -> String {
        guard !target.isEmpty, contains(target) else { return self }
        return components(separatedBy: target).joined(separator: replacement)
    }

    func components(separatedBy separator: String) -> [String] {
        var parts: [String] = []
        var rest = Substring(self)
        while let range = rest.range(of: separator) {
            parts.append(String(rest[..<range.lowerBound]))
            rest = rest[range.upperBound...]
        }
        parts.append(String(rest))
        return parts
    }
}
