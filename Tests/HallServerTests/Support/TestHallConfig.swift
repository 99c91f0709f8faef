import Foundation
@testable import HallServer

/// A small hall for tests: weekday hours with a lunch break, a closed date, a quota, a priority-friendly queue.
enum TestHallConfig {
    static let adminToken = "test-admin-token-0123456789"
    static let kioskToken = "test-kiosk-token-0123456789"
    static let kiosk2Token = "test-kiosk2-token-0123456789"
    static let ratingW1Token = "test-rating-w1-token-0123456789"
    static let pin = "246810"

    /// PIN hashes are made once (cheap rounds: tests only).
    static let pinHash: String = try! SecretHash.make(pin, rounds: 1000).text

    static func toml(publicBaseUrl: String = "http://hall.test", extraServices: String = "", staffName: String = "张敏") -> String {
        """
        [hall]
        id = "test-hall"
        name = { zh = "测试政务服务中心", en = "Test Service Centre" }
        timezone = "Asia/Shanghai"
        publicBaseUrl = "\(publicBaseUrl)"
        adminToken = "\(adminToken)"
        stopIssuingMinutesBeforeClose = 15
        closedDates = ["2026-10-01"]
        hours = { monday = ["08:30-12:00", "13:30-17:00"], tuesday = ["08:30-12:00", "13:30-17:00"], wednesday = ["08:30-12:00", "13:30-17:00"], thursday = ["08:30-12:00", "13:30-17:00"], friday = ["08:30-12:00", "13:30-17:00"] }

        [[services]]
        id = "hukou"
        name = { zh = "户籍办理", en = "Household registration" }
        group = { zh = "公安", en = "Public Security" }
        prefix = "A"
        averageServiceMinutes = 6

        [[services]]
        id = "social"
        name = { zh = "社保业务", en = "Social insurance" }
        group = { zh = "人社", en = "HR and Social Security" }
        prefix = "D"
        dailyQuota = 3
        averageServiceMinutes = 10

        [[services]]
        id = "bulk"
        name = { zh = "批量业务", en = "Bulk service" }
        prefix = "X"
        digits = 5
        hours = { everyDay = ["00:00-24:00"] }
        stopIssuingMinutesBeforeClose = 0
        averageServiceMinutes = 2
        \(extraServices)

        [[windows]]
        id = "w1"
        name = { zh = "1号窗口", en = "Window 1" }
        services = ["hukou", "social"]

        [[windows]]
        id = "w2"
        name = { zh = "2号窗口", en = "Window 2" }
        services = ["social"]

        [[windows]]
        id = "w3"
        name = { zh = "3号窗口", en = "Window 3" }
        services = ["bulk"]

        [[staff]]
        id = "s1"
        name = "\(staffName)"
        employeeNo = "1001"
        pinHash = "\(pinHash)"

        [[staff]]
        id = "s2"
        name = "李伟"
        employeeNo = "1002"
        pinHash = "\(pinHash)"

        [[devices]]
        id = "kiosk-1"
        role = "ticketKiosk"
        token = "\(kioskToken)"

        [[devices]]
        id = "kiosk-2"
        role = "ticketKiosk"
        token = "\(kiosk2Token)"

        [[devices]]
        id = "rating-w1"
        role = "ratingDevice"
        window = "w1"
        token = "\(ratingW1Token)"
        """
    }

    /// Monday 2026-11-23 at `hh:mm` Beijing time.
    static func monday(_ hour: Int, _ minute: Int = 0) -> Date {
        var c = DateComponents()
        c.year = 2026; c.month = 11; c.day = 23; c.hour = hour; c.minute = minute
        var cal = Calendar(identifier: .gregorian)
        cal.timeZone = TimeZone(identifier: "Asia/Shanghai")!
        return cal.date(from: c)!
    }
}
