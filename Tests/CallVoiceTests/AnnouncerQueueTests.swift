@testable import CallVoice
import Foundation
import XCTest

/// The one announcement queue, on a fake clock.
final class AnnouncerQueueTests: XCTestCase {
    let t0 = Date(timeIntervalSince1970: 1_796_000_000)  // 2026-11-30, in the hall's day
    let utc = TimeZone(identifier: "UTC")!

    func call(_ sequence: Int, _ number: String, window: String = "3", recall: Bool = false, ageSeconds: Double = 0, now: Date? = nil) -> Announcement {
        Announcement(sequence: sequence, ticketNumber: number, window: window, isRecall: recall,
                     calledAt: (now ?? t0).addingTimeInterval(-ageSeconds))
    }

    func testCallsAreSaidOneAtATimeInCallOrder() {
        var queue = AnnouncerQueue(settings: VoiceSettings(), timeZone: utc)
        XCTAssertEqual(queue.enqueue(call(1, "A001"), now: t0), .speakNow)
        XCTAssertEqual(queue.speaking?.sequence, 1)
        XCTAssertEqual(queue.enqueue(call(2, "A002"), now: t0), .queued(ahead: 1))
        XCTAssertEqual(queue.enqueue(call(3, "B001"), now: t0), .queued(ahead: 2))
        XCTAssertEqual(queue.speaking?.sequence, 1, "a new call never cuts off the one being said")
        XCTAssertEqual(queue.finishedSpeaking()?.sequence, 2)
        XCTAssertEqual(queue.speaking?.sequence, 2)
        XCTAssertEqual(queue.finishedSpeaking()?.sequence, 3)
        XCTAssertNil(queue.finishedSpeaking())
        XCTAssertNil(queue.speaking)
        XCTAssertEqual(queue.enqueue(call(4, "A003"), now: t0), .speakNow, "silent again: the next call starts at once")
    }

    func testTenCallsWithinASecondAreAllSaidInOrder() {
        var queue = AnnouncerQueue(settings: VoiceSettings(), timeZone: utc)
        var said: [Int] = []
        // Learnt out of order (a replay after a reconnect brings 5 and 6 late).
        for sequence in [1, 2, 3, 4, 7, 8, 5, 6, 9, 10] {
            let outcome = queue.enqueue(call(sequence, "A\(100 + sequence)", window: "\(sequence)"), now: t0.addingTimeInterval(Double(sequence) / 10))
            XCTAssertTrue(outcome.willBeSaid, "\(sequence): \(outcome)")
            if outcome == .speakNow { said.append(sequence) }
        }
        while let next = queue.finishedSpeaking() { said.append(next.sequence) }
        XCTAssertEqual(said, Array(1...10))
    }

    func testARecallOfAWaitingTicketIsMergedAndOfTheSpokenOneIsQueued() {
        var queue = AnnouncerQueue(settings: VoiceSettings(), timeZone: utc)
        _ = queue.enqueue(call(1, "A001"), now: t0)
        _ = queue.enqueue(call(2, "A002", window: "5"), now: t0)
        _ = queue.enqueue(call(3, "A003"), now: t0)
        XCTAssertEqual(queue.enqueue(call(4, "A002", window: "6", recall: true), now: t0), .merged(into: 2))
        XCTAssertEqual(queue.waiting.map(\.sequence), [2, 3], "said once, at its first place")
        XCTAssertEqual(queue.waiting.first?.window, "6", "at the window of the latest call")
        XCTAssertEqual(queue.enqueue(call(5, "A001", recall: true), now: t0), .queued(ahead: 3),
                       "the ticket being said now is said again after the others")
        XCTAssertEqual(queue.enqueue(call(6, "A003"), now: t0), .queued(ahead: 4), "only a recall merges")
        XCTAssertEqual(queue.waiting.map(\.sequence), [2, 3, 5, 6])
    }

    func testCallsLearntTooLateAreNotSaid() {
        var queue = AnnouncerQueue(settings: VoiceSettings(), timeZone: utc)
        XCTAssertEqual(queue.enqueue(call(1, "A001", ageSeconds: 61), now: t0), .tooOld(ageSeconds: 61))
        XCTAssertNil(queue.speaking)
        XCTAssertEqual(queue.enqueue(call(2, "A002", ageSeconds: 60), now: t0), .speakNow, "60 s is still in time")
        var settings = VoiceSettings()
        settings.staleAfterSeconds = 10
        queue = AnnouncerQueue(settings: settings, timeZone: utc)
        XCTAssertEqual(queue.enqueue(call(3, "A003", ageSeconds: 10.4), now: t0), .tooOld(ageSeconds: 10))
        XCTAssertEqual(queue.enqueue(call(4, "A004", ageSeconds: -2), now: t0), .speakNow, "a server clock a little ahead is fine")
    }

    func testAReplayedCallIsSaidOnce() {
        var queue = AnnouncerQueue(settings: VoiceSettings(), timeZone: utc)
        XCTAssertEqual(queue.enqueue(call(1, "A001"), now: t0), .speakNow)
        XCTAssertEqual(queue.enqueue(call(2, "A002"), now: t0), .queued(ahead: 1))
        XCTAssertEqual(queue.enqueue(call(1, "A001"), now: t0), .duplicate)
        XCTAssertEqual(queue.enqueue(call(2, "A002"), now: t0), .duplicate)
        _ = queue.finishedSpeaking()
        _ = queue.finishedSpeaking()
        XCTAssertEqual(queue.enqueue(call(1, "A001"), now: t0), .duplicate, "also after it was said")
        XCTAssertEqual(queue.enqueue(call(3, "A003", ageSeconds: 90), now: t0), .tooOld(ageSeconds: 90))
        XCTAssertEqual(queue.enqueue(call(3, "A003"), now: t0), .duplicate, "a stale call replayed is not said either")
        XCTAssertNil(queue.speaking)
    }

    func testQuietHoursAndVoiceOff() throws {
        var settings = try VoiceSettings.make(VoiceConfig(quietHours: "22:00-07:00"))
        var queue = AnnouncerQueue(settings: settings, timeZone: utc)
        var night = DateComponents(year: 2026, month: 12, day: 6, hour: 23, minute: 15)
        night.timeZone = utc
        let late = Calendar(identifier: .gregorian).date(from: night)!
        XCTAssertEqual(queue.enqueue(call(1, "A001", now: late), now: late), .quietHours)
        XCTAssertNil(queue.speaking)
        let morning = late.addingTimeInterval(8 * 3600)  // 07:15
        XCTAssertEqual(queue.enqueue(call(2, "A002", now: morning), now: morning), .speakNow)
        settings.enabled = false
        queue = AnnouncerQueue(settings: settings, timeZone: utc)
        XCTAssertEqual(queue.enqueue(call(3, "A003", now: morning), now: morning), .voiceOff)
        XCTAssertFalse(AnnouncerQueue.Outcome.voiceOff.willBeSaid)
        XCTAssertNil(queue.speaking)
    }

    /// Quiet hours are the hall's local time: 23:15 UTC is 07:15 in Shanghai (not quiet there), and 15:15 UTC is
    /// 23:15 there (quiet) — once the display has learnt the hall's zone from the board.
    func testQuietHoursAreReadInTheHallsTimeZone() throws {
        let settings = try VoiceSettings.make(VoiceConfig(quietHours: "22:00-07:00"))
        var queue = AnnouncerQueue(settings: settings, timeZone: utc)
        var components = DateComponents(year: 2026, month: 12, day: 6, hour: 23, minute: 15)
        components.timeZone = utc
        let lateUTC = Calendar(identifier: .gregorian).date(from: components)!
        XCTAssertEqual(queue.enqueue(call(1, "A001", now: lateUTC), now: lateUTC), .quietHours, "23:15 in a UTC hall")
        queue.timeZone = TimeZone(identifier: "Asia/Shanghai")!
        XCTAssertEqual(queue.enqueue(call(2, "A002", now: lateUTC), now: lateUTC), .speakNow, "07:15 in Shanghai")
        let afternoonUTC = lateUTC.addingTimeInterval(-8 * 3600)
        XCTAssertEqual(queue.enqueue(call(3, "A003", now: afternoonUTC), now: afternoonUTC), .quietHours, "23:15 in Shanghai")
    }

    func testTheReplayMemoryStaysBounded() {
        var queue = AnnouncerQueue(settings: VoiceSettings(), timeZone: utc)
        for sequence in 1...5_000 {
            XCTAssertTrue(queue.enqueue(call(sequence, "A\(sequence)"), now: t0).willBeSaid)
            _ = queue.finishedSpeaking()
        }
        XCTAssertEqual(queue.enqueue(call(5_000, "A5000"), now: t0), .duplicate)
    }
}
