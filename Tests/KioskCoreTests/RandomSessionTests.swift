import Foundation
import HallAPI
import HallTestSupport
import XCTest
@testable import KioskCore

/// Thousands of random touches, keys, scans, answers and clock ticks: the core never crashes,
/// never makes more than one intent per tap, never reuses a key for a new intent and never
/// shows a ticket that was not asked for under the intent on screen.
final class RandomSessionTests: XCTestCase {
    /// A small deterministic generator (no global randomness in tests).
    struct SplitMix: RandomNumberGenerator {
        var state: UInt64
        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
    }

    func testRandomSessionsKeepTheIntentRules() {
        for (seed, size) in [(1, Size(width: 1080, height: 1920)), (2, Size(width: 1920, height: 1080)),
                             (3, Size(width: 1280, height: 800))] {
            var random = SplitMix(state: UInt64(seed))
            var kiosk = KioskHarness(size: size) { $0.offlineGraceSeconds = 20; $0.idleTimeoutSeconds = 30 }
            var keysMade: Set<String> = []
            var ticketNumber = 0
            for step in 0..<600 {
                let before = kiosk.state
                let event = randomEvent(&random, kiosk: kiosk, ticketNumber: &ticketNumber)
                let effects = kiosk.send(event)
                let newKeys = effects.compactMap { effect -> String? in
                    guard case .hall(.issueTicket(_, let key, _)) = effect, !keysMade.contains(key) else { return nil }
                    return key
                }
                XCTAssertLessThanOrEqual(newKeys.count, 1, "step \(step): two intents from one event")
                if !newKeys.isEmpty {
                    guard case .touchUp = event else { return XCTFail("step \(step): an intent without a tap: \(event)") }
                    guard case .home = before.screen else { return XCTFail("step \(step): an intent outside home") }
                }
                keysMade.formUnion(newKeys)
                for case .hall(.issueTicket(_, let key, _)) in effects {
                    XCTAssertTrue(keysMade.contains(key))
                }
                if case .ticket(let shown) = kiosk.state.screen, case .issuing(let intent) = before.screen {
                    XCTAssertEqual(event, .ticketIssued(intentKey: intent.intentKey, ticket: shown.ticket), "step \(step)")
                }
                XCTAssertEqual(kiosk.state.intentKeys.issued, keysMade.count, "step \(step)")
            }
        }
    }

    private func randomEvent(_ random: inout SplitMix, kiosk: KioskHarness, ticketNumber: inout Int) -> KioskEvent {
        let display = kiosk.display
        let regions = display.hitRegions
        let intentKey: String? = {
            if case .issuing(let intent) = kiosk.state.screen { return intent.intentKey }
            return nil
        }()
        switch Int.random(in: 0..<100, using: &random) {
        case 0..<30:
            let point = regions.randomElement(using: &random)?.frame.center
                ?? Point(x: Double.random(in: 0..<display.size.width, using: &random),
                         y: Double.random(in: 0..<display.size.height, using: &random))
            return Bool.random(using: &random) ? .touchDown(x: point.x, y: point.y) : .touchUp(x: point.x, y: point.y)
        case 30..<40:
            return .touchUp(x: Double.random(in: 0..<display.size.width, using: &random),
                            y: Double.random(in: 0..<display.size.height, using: &random))
        case 40..<55:
            let seconds = Double(Int.random(in: 1...8, using: &random))
            return .tick(now: kiosk.state.now.addingTimeInterval(seconds), uptime: kiosk.state.uptime + seconds)
        case 55..<62:
            ticketNumber += 1
            let key = Bool.random(using: &random) ? (intentKey ?? "stale") : "stale-\(ticketNumber)"
            return .ticketIssued(intentKey: key, ticket: DemoHall.ticket(number: "A\(ticketNumber)"))
        case 62..<68:
            let kinds: [IssueFailureKind] = [.network, .network, .quotaReached, .paused, .serviceClosed, .other]
            return .ticketFailed(intentKey: intentKey ?? "stale",
                                 failure: IssueFailure(kind: kinds.randomElement(using: &random) ?? .network, message: ""))
        case 68..<74:
            return .hallStatusArrived(DemoHall.status(open: Int.random(in: 0..<5, using: &random) > 0), at: kiosk.state.now)
        case 74..<78:
            return .hallUnreachable(error: "down", at: kiosk.state.now)
        case 78..<84:
            return [.text("A0"), .text("23"), .text("http://h/t/tok\n"), .key("Return"), .key("Backspace"),
                    .key("Escape")].randomElement(using: &random) ?? .key("Return")
        case 84..<90:
            let query: LookupQuery = Bool.random(using: &random) ? .number("A023") : .token("tok")
            return Bool.random(using: &random) ? .lookupResult(DemoHall.progress(), query: query)
                : .lookupFailed(.notFound, query: query)
        case 90..<95:
            let outcomes: [PrintOutcome] = [.printed, .failed(reason: "media-empty"), .notConfigured]
            return .printFinished(ticketId: "t-A\(ticketNumber)", outcome: outcomes.randomElement(using: &random) ?? .printed)
        default:
            return .touchCancel
        }
    }
}
