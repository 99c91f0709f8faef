import Foundation
import HallAPI

/// The city report as CSV (UTF-8 with BOM so spreadsheet programs read Chinese), one line per row and the total; the
/// columns of the report's level only.
public enum CityReportCSV {
    public static func render(_ report: CityReport) -> String {
        let level = report.level
        var head = ["大厅 hall id", "大厅 hall"]
        if level.depth >= 2 { head.append("部门 department") }
        if level.depth >= 3 { head += ["窗口 window id", "窗口 window"] }
        if level.depth >= 4 { head += ["工作人员 staff id", "工作人员 staff"] }
        if level.depth >= 5 { head += ["事项 service id", "事项 service"] }
        if report.byDay { head.append("日期 day") }
        head += ["取号 tickets", "叫号 called", "办结 served", "过号 noShows", "未办理 expired", "平均等候(分) avgWaitMin",
                 "90%等候(分) p90WaitMin", "非常满意", "满意", "基本满意", "不满意", "非常不满意", "主动评价 active",
                 "默认评价 systemDefault", "未评 unrated", "好评率 goodRate", "差评率 badRate", "未评率 unratedRate"]
        var lines = [head.map(SatisfactionCSV.field).joined(separator: ",")]
        for row in report.rows + [report.total] {
            let isTotal = row.hallId == "total" && row == report.total
            var fields = [isTotal ? "total" : row.hallId, row.hallName.zh]
            if level.depth >= 2 { fields.append(isTotal ? "" : row.department?.zh ?? "") }
            if level.depth >= 3 { fields += isTotal ? ["", ""] : [row.windowId ?? "", row.windowName?.zh ?? ""] }
            if level.depth >= 4 { fields += isTotal ? ["", ""] : [row.staffId ?? "", row.staffName ?? ""] }
            if level.depth >= 5 { fields += isTotal ? ["", ""] : [row.serviceId ?? "", row.serviceName?.zh ?? ""] }
            if report.byDay { fields.append(row.day ?? "") }
            fields += [row.tickets, row.called, row.served, row.noShows, row.expired].map(String.init)
            fields.append(row.averageWaitMinutes.map { String(format: "%.1f", $0) } ?? "")
            fields.append(row.p90WaitMinutes.map { String(format: "%.1f", $0) } ?? "")
            fields += RatingLevel.allCases.map { String(row.levels[$0]) }
            fields += [row.levels.total, row.systemDefaultRatings, row.unratedServices].map(String.init)
            fields += [row.goodRate, row.badRate, row.unratedRate].map(percent)
            lines.append(fields.map(SatisfactionCSV.field).joined(separator: ","))
        }
        return "\u{FEFF}" + lines.joined(separator: "\r\n") + "\r\n"
    }

    static func percent(_ v: Double) -> String { String(format: "%.1f%%", v * 100) }
}
