import HallAPI

/// The satisfaction report as CSV for the monthly 好差评 report (UTF-8 with BOM so spreadsheet programs read Chinese).
enum SatisfactionCSV {
    static func render(_ report: SatisfactionReport) -> String {
        var lines: [String] = []
        lines.append(["分组 key", "名称", "办结数 completed", "主动评价 active", "非常满意", "满意", "基本满意", "不满意", "非常不满意",
                      "默认评价 systemDefault", "未评 unrated", "好评率 goodRate", "差评率 badRate", "未评率 unratedRate",
                      "未办理 expired"]
            .map(field).joined(separator: ","))
        for g in report.groups + [report.total] {
            lines.append([g.key, g.name.zh, String(g.completedServices), String(g.activeRatings),
                          String(g.levels.verySatisfied), String(g.levels.satisfied), String(g.levels.basicallySatisfied),
                          String(g.levels.dissatisfied), String(g.levels.veryDissatisfied), String(g.systemDefaultRatings),
                          String(g.unratedServices), percent(g.goodRate), percent(g.badRate), percent(g.unratedRate),
                          String(g.expiredTickets)]
                .map(field).joined(separator: ","))
        }
        return "\u{FEFF}" + lines.joined(separator: "\r\n") + "\r\n"
    }

    private static func percent(_ v: Double) -> String {
        String(Double(Int((v * 1000).rounded())) / 10) + "%"
    }

    /// Quotes a field; neutralises spreadsheet formulas.
    static func field(_ s: String) -> String {
        var v = s
        if let first = v.first, "=+-@".contains(first) { v = "'" + v }
        if v.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) {
            return "\"" + v.replacingOccurrences(of: "\"", with: "\"\"") + "\""
        }
        return v
    }
}
