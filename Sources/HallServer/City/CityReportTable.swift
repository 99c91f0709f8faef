import Foundation
import HallAPI

/// The city report as a plain-text table for the terminal (Chinese names; columns aligned by display width).
public enum CityReportTable {
    public static func render(_ report: CityReport) -> String {
        let level = report.level
        var head = ["大厅"]
        if level.depth >= 2 { head.append("部门") }
        if level.depth >= 3 { head.append("窗口") }
        if level.depth >= 4 { head.append("工作人员") }
        if level.depth >= 5 { head.append("事项") }
        if report.byDay { head.append("日期") }
        head += ["取号", "办结", "过号", "未办理", "平均等候", "90%等候", "评价", "好评率", "差评率", "未评率"]
        var lines = [head]
        for row in report.rows + [report.total] {
            let isTotal = row == report.total
            var fields = [row.hallName.zh]
            if level.depth >= 2 { fields.append(isTotal ? "" : row.department?.zh ?? "") }
            if level.depth >= 3 { fields.append(isTotal ? "" : row.windowName?.zh ?? "") }
            if level.depth >= 4 { fields.append(isTotal ? "" : row.staffName ?? "") }
            if level.depth >= 5 { fields.append(isTotal ? "" : row.serviceName?.zh ?? "") }
            if report.byDay { fields.append(row.day ?? "") }
            fields += [row.tickets, row.served, row.noShows, row.expired].map(String.init)
            fields.append(row.averageWaitMinutes.map { String(format: "%.1f 分", $0) } ?? "—")
            fields.append(row.p90WaitMinutes.map { String(format: "%.1f 分", $0) } ?? "—")
            fields.append(String(row.levels.total))
            fields += [row.goodRate, row.badRate, row.unratedRate].map(CityReportCSV.percent)
            lines.append(fields)
        }
        let widths = head.indices.map { column in lines.map { width($0[column]) }.max() ?? 0 }
        let numeric = head.count - 10
        return lines.map { fields in
            fields.enumerated().map { column, text in
                let pad = String(repeating: " ", count: widths[column] - width(text))
                return column >= numeric ? pad + text : text + pad
            }.joined(separator: "  ")
        }.joined(separator: "\n")
    }

    /// Columns a text takes in a terminal: CJK characters take two.
    static func width(_ text: String) -> Int {
        text.unicodeScalars.reduce(0) { $0 + ($1.value >= 0x1100 && ($1.value <= 0x115F || (0x2E80...0xFFDC).contains($1.value)) ? 2 : 1) }
    }
}
