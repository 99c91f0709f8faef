import Foundation
import HallAPI
@testable import HallServer
import XCTest

/// Many issue requests at once: what a store that issues them together (the SQLite group commit, the PostgreSQL issue
/// batches) must keep exactly as if they came one after the other.
extension StoreContract {
    /// 200 requests at once over three services, a third of them priority tickets: per service numbers 1…n, each once;
    /// every ticket's people-ahead is the tickets of its service before it (by number) that it queues behind.
    func burstOverThreeServicesIsGapFree() async throws {
        let services = ["hukou", "dept", "tax"]
        let outcomes = try await withThrowingTaskGroup(of: IssueOutcome.self) { group in
            for i in 0..<200 {
                let service = services[i % 3]
                let rank = i % 3 == 1 && i % 2 == 0 ? 0 : 1
                group.addTask {
                    try await self.issue(service, kiosk: "kiosk-\(i % 5)", rank: rank, rules: StoreContract.numbering(prefix: String(service.prefix(1)).uppercased()))
                }
            }
            return try await group.reduce(into: [IssueOutcome]()) { $0.append($1) }
        }
        XCTAssertTrue(outcomes.allSatisfy(\.isNew), "\(backend): a fresh key answered an existing ticket")
        let tickets = outcomes.map(\.ticket)
        XCTAssertEqual(Set(tickets.map(\.serial)).count, 200, "\(backend): serials repeat")
        let snapshot = try await store.hallSnapshot(hallDays: [Self.day], today: Self.day, at: Self.t0)
        for service in services {
            let mine = tickets.filter { $0.serviceId == service }.sorted { $0.seq < $1.seq }
            XCTAssertEqual(mine.map(\.seq), Array(1...mine.count), "\(backend): \(service) numbers not gap-free and unique")
            XCTAssertEqual(snapshot.issuedToday[service], mine.count, "\(backend): \(service) counter")
            XCTAssertEqual(snapshot.waiting[service], mine.count, "\(backend): \(service) waiting")
            for t in mine {
                let ahead = mine.filter { $0.seq < t.seq && $0.rank <= t.rank }.count
                XCTAssertEqual(t.aheadAtIssue, ahead, "\(backend): \(service) \(t.number) (rank \(t.rank)) saw \(t.aheadAtIssue) ahead, not \(ahead)")
            }
        }
    }

    /// Retries racing with their first request, some for another service (another queue, another transaction): one
    /// ticket per kiosk and key, every copy answered with it, and no number used twice or left out.
    func duplicateKeysInABurstGetOneTicket() async throws {
        let outcomes = try await withThrowingTaskGroup(of: (String, IssueOutcome).self) { group in
            for i in 0..<40 {
                let key = i < 10 ? "dup-a" : i < 20 ? "dup-b" : "own-\(i)"
                // dup-b also arrives for another service: the fingerprint differs, the key is the same.
                let service = key == "dup-b" && i % 2 == 1 ? "dept" : "hukou"
                group.addTask { (key, try await self.issue(service, key: key)) }
            }
            return try await group.reduce(into: [(String, IssueOutcome)]()) { $0.append($1) }
        }
        for key in ["dup-a", "dup-b"] {
            let copies = outcomes.filter { $0.0 == key }.map(\.1)
            XCTAssertEqual(copies.filter(\.isNew).count, 1, "\(backend): \(key) issued \(copies.filter(\.isNew).count) tickets")
            XCTAssertEqual(Set(copies.map(\.ticket.id)).count, 1, "\(backend): \(key) answered different tickets")
        }
        let issued = outcomes.filter(\.1.isNew).map(\.1.ticket)
        XCTAssertEqual(issued.count, 22, backend)
        let snapshot = try await store.hallSnapshot(hallDays: [Self.day], today: Self.day, at: Self.t0)
        for service in ["hukou", "dept"] {
            let seqs = issued.filter { $0.serviceId == service }.map(\.seq).sorted()
            XCTAssertEqual(seqs, seqs.isEmpty ? [] : Array(1...seqs.count), "\(backend): \(service) numbers")
            XCTAssertEqual(snapshot.issuedToday[service] ?? 0, seqs.count, "\(backend): \(service) counter")
        }
    }

    /// Requests refused among many at once — by the rules (no number used) or by the database (a token another ticket
    /// has) — fail alone: every other request gets its ticket, and the numbers stay gap-free.
    func refusedRequestsInABurstFailAlone() async throws {
        let taken = try await issued()
        let answers = try await withThrowingTaskGroup(of: (Int, Result<IssueOutcome, any Error>).self) { group in
            for i in 0..<30 {
                group.addTask {
                    do {
                        if i % 7 == 3 {
                            return (i, .success(try await self.issue(rules: { _ in throw HallError(.quotaReached, "refused \(i)") })))
                        }
                        return (i, .success(try await self.issue(token: i == 10 ? taken.token : nil)))
                    } catch {
                        return (i, .failure(error))
                    }
                }
            }
            return try await group.reduce(into: [Int: Result<IssueOutcome, any Error>]()) { $0[$1.0] = $1.1 }
        }
        var seqs: [Int] = [taken.seq]
        for (i, answer) in answers.sorted(by: { $0.key < $1.key }) {
            switch (i % 7 == 3, i == 10, answer) {
            case (true, _, .failure(let error)):
                XCTAssertEqual((error as? HallError)?.code, APIErrorCode.quotaReached, "\(backend) #\(i): \(error)")
            case (false, true, .failure(let error)):
                XCTAssertFalse(error is HallError, "\(backend): a refused row is a fault of the store, not a rule: \(error)")
            case (false, false, .success(let outcome)):
                XCTAssertTrue(outcome.isNew, "\(backend) #\(i)")
                seqs.append(outcome.ticket.seq)
            default:
                XCTFail("\(backend) #\(i): unexpected \(answer)")
            }
        }
        XCTAssertEqual(seqs.sorted(), Array(1...seqs.count), "\(backend): numbers not gap-free after refusals")
        assertEq(try await store.hallSnapshot(hallDays: [Self.day], today: Self.day, at: Self.t0).issuedToday["hukou"], seqs.count, backend)
        assertEq(try await issued().seq, seqs.count + 1, "\(backend): the next number follows on")
    }
}
