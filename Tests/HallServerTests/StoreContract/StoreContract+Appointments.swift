import Foundation
import HallAPI
@testable import HallServer
import XCTest

/// The appointment store's booking methods (issue 21): capacity and per-person limits under concurrency, cancel by
/// booking code, no-shows — the same on every backend.
extension StoreContract {
    static func appointment(_ n: Int, person: String, slot: Date, source: String = "hall", code: String? = nil) -> AppointmentWrite {
        AppointmentWrite(id: "ap-\(n)-\(UUID().uuidString.prefix(8))", source: source, externalId: "ext-\(n)-\(person)", serviceId: "hukou",
                         slotStart: slot, slotEnd: slot.addingTimeInterval(1800), personKey: "k1:\(person)", personKeys: ["k1:\(person)"],
                         maskedId: "4301**********0000", maskedName: nil, sealedPhone: nil,
                         bookingCode: code ?? String(UUID().uuidString.replacingOccurrences(of: "-", with: "").prefix(10)),
                         fingerprint: "f\(n)", at: t0)
    }

    func bookingsHoldCapacityAndPerPersonLimitsUnderConcurrency() async throws {
        let slot = Self.t0.addingTimeInterval(86_400)
        let query = BookingQuery(dayStart: slot.addingTimeInterval(-3600 * 10), dayEnd: slot.addingTimeInterval(3600 * 14),
                                 noShowsSince: Self.t0.addingTimeInterval(-30 * 86_400))
        let rules: @Sendable (BookingFacts) throws -> Void = { facts in
            if facts.slotTaken >= 4 { throw HallError(.slotFull, "full") }
            if facts.personThatDay >= 1 { throw HallError(.bookingLimitReached, "one a day") }
        }
        let store = self.store
        // 24 people race for a slot of 4; one person races 8 times for another slot.
        let outcomes = await withTaskGroup(of: Result<StoredAppointment, any Error>.self) { group in
            for n in 0..<24 {
                group.addTask {
                    do { return .success(try await store.bookAppointment(Self.appointment(n, person: "p\(n)", slot: slot), query: query, rules: rules)) }
                    catch { return .failure(error) }
                }
            }
            for n in 0..<8 {
                group.addTask {
                    do {
                        return .success(try await store.bookAppointment(Self.appointment(100 + n, person: "same", slot: slot.addingTimeInterval(1800)),
                                                                        query: query, rules: rules))
                    } catch { return .failure(error) }
                }
            }
            var out: [Result<StoredAppointment, any Error>] = []
            for await r in group { out.append(r) }
            return out
        }
        let booked = outcomes.compactMap { try? $0.get() }
        XCTAssertEqual(booked.filter { $0.slotStart == slot }.count, 4, "\(backend): a slot of 4 holds 4")
        XCTAssertEqual(booked.filter { $0.personKey == "k1:same" }.count, 1, "\(backend): one booking a day per person")
        let refusals = outcomes.compactMap { r -> String? in if case .failure(let e as HallError) = r { e.code } else { nil } }
        XCTAssertEqual(refusals.filter { $0 == "slotFull" }.count, 20, backend)
        XCTAssertEqual(refusals.filter { $0 == "bookingLimitReached" }.count, 7, backend)
        let listed = try await store.appointments(from: slot.addingTimeInterval(-1), to: slot.addingTimeInterval(7200), serviceId: "hukou")
        XCTAssertEqual(listed.count, 5, backend)

        // Cancel by code frees the place; a refused cancel changes nothing.
        let first = booked.first { $0.slotStart == slot }!
        await XCTAssertThrowsErrorAsync(try await store.cancelAppointment(bookingCode: first.bookingCode, at: Self.t0) { _ in
            throw HallError(.cancelTooLate, "too late")
        })
        let cancelled = try await store.cancelAppointment(bookingCode: first.bookingCode, at: Self.t0) { found in
            XCTAssertEqual(found?.id, first.id)
        }
        XCTAssertEqual(cancelled.status, .cancelled)
        assertEq(try await store.appointment(.bookingCode(first.bookingCode))?.status, .cancelled)
        let again = try await store.bookAppointment(Self.appointment(200, person: "late", slot: slot), query: query, rules: rules)
        XCTAssertEqual(again.status, .booked, "\(backend): the cancelled place is free again")
        // The same source and external id answers the stored booking without the rules.
        let replay = try await store.bookAppointment(Self.appointment(200, person: "late", slot: slot), query: query) { _ in
            throw HallError(.slotFull, "rules must not run for a replay")
        }
        XCTAssertEqual(replay.id, again.id)

        // No-shows: slots ended by the time are marked, counted per person.
        let marked = try await store.markNoShows(slotsEndedBy: slot.addingTimeInterval(1800), at: slot.addingTimeInterval(1800))
        XCTAssertEqual(marked, ["hukou": 4], backend)
        // "late" missed its slot; p0 too when it got one of the four places and kept it; "same" is a slot later.
        let p0Missed = booked.contains { $0.personKey == "k1:p0" && $0.slotStart == slot && $0.id != first.id } ? 1 : 0
        let missed = try await store.noShowCount(personKeys: ["k1:p0", "k1:late", "k1:same"], since: Self.t0)
        XCTAssertEqual(missed, 1 + p0Missed, backend)
        assertEq(try await store.markNoShows(slotsEndedBy: slot.addingTimeInterval(1800), at: slot), [:], "\(backend): marked once")
    }
}

func XCTAssertThrowsErrorAsync<T>(_ expression: @autoclosure () async throws -> T, file: StaticString = #filePath, line: UInt = #line) async {
    do {
        _ = try await expression()
        XCTFail("no error thrown", file: file, line: line)
    } catch {}
}
