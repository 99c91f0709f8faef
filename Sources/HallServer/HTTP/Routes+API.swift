import Foundation
import HallAPI
import HTTPTypes
import Hummingbird

/// The JSON API under `/api/v1` plus `/healthz` and `/metrics`.
struct APIRoutes: Sendable {
    let desk: HallDesk
    let responses: Responses

    func register(on router: Router<HallRequestContext>) {
        let desk = self.desk
        let responses = self.responses

        router.on(HallRoutes.health) { _, _ in
            // No database round trip: the store knows its health (SQLite: synchronous read at open; a full disk known to DiskGuard).
            let problem = desk.store.health.problem
            let clockProblem = desk.clockProblem()
            // Without a usable identity key only ID-card check-in and appointments are off (503 `identityUnavailable`
            // there): the server is healthy and says why here.
            let identityProblem = desk.identity.ringIfLoaded == nil ? desk.identity.problem : nil
            let ok = problem == nil && clockProblem == nil
            return try responses.json(HealthStatus(status: ok ? "ok" : "degraded", version: HallServerInfo.version,
                                                   database: problem ?? "ok", clock: clockProblem, identity: identityProblem),
                                      status: ok ? .ok : .serviceUnavailable)
        }

        router.on(HallRoutes.metrics) { request, context in
            let allowed = desk.mayReadMetrics(bearer: request.bearerToken)
            if desk.hall.metricsTokenDigest != nil, request.bearerToken != nil {
                // The metrics token is a credential like the admin token: wrong ones count towards the lockout.
                try await desk.presentAdminCredential(matched: allowed, context: context)
            }
            guard allowed else {
                throw HallError(.unauthorized,
                                "this hall protects /metrics: send 'Authorization: Bearer <metricsToken>' (Prometheus: bearer_token)")
            }
            if let status = try? await desk.hallStatus() {
                for s in status.services { desk.metrics.setWaiting(serviceId: s.id, count: s.waitingCount) }
            }
            let health = desk.store.health
            desk.metrics.setDisk(full: health.refusingWrites != nil, refusedWrites: health.refusedWrites)
            return Responses.text(desk.metrics.exposition(), contentType: "text/plain; version=0.0.4; charset=utf-8")
        }

        router.on(HallRoutes.hall) { request, context in
            _ = try await context.requireCaller(desk)
            return try responses.json(try await desk.hallStatus())
        }

        router.on(HallRoutes.issueTicket) { request, context in
            let device = try context.requireDevice(role: .ticketKiosk)
            guard let key = request.headers[.idempotencyKey], !key.isEmpty else {
                throw HallError(.missingIdempotencyKey, "send an Idempotency-Key header (a new UUID per citizen intent)")
            }
            try InputLength.check(key, field: "Idempotency-Key", maxScalars: InputLength.idempotencyKeyScalars, kind: .badRequest)
            let body = try await request.decodeJSON(IssueTicketRequest.self, context: context)
            let (ticket, replayed) = try await desk.issueTicket(body, idempotencyKey: key, deviceId: device.id)
            return try responses.json(ticket, status: replayed ? .ok : .created)
        }

        router.on(HallRoutes.ticketByToken) { _, context in
            let token = try context.parameters.require("token")
            return try responses.json(try await desk.progress(token: token))
        }

        router.on(HallRoutes.ticketByNumber) { request, context in
            let device = try context.requireDevice()
            guard let number = request.uri.queryParameters.get("number") else {
                throw HallError(.badRequest, "give ?number=A023 (and &ratingCode=1234 to check the ticket's rating code)")
            }
            let code = request.uri.queryParameters.get("ratingCode")
            return try responses.json(try await desk.progress(number: number, ratingCode: code, deviceId: device.id))
        }

        router.on(HallRoutes.rate) { request, context in
            let submitter: RatingSubmitter
            if request.bearerToken != nil {
                submitter = .device(try context.requireDevice())
            } else {
                submitter = .phone
            }
            guard let key = request.headers[.idempotencyKey], !key.isEmpty else {
                throw HallError(.missingIdempotencyKey, "send the ratingId as the Idempotency-Key header")
            }
            let body = try await request.decodeJSON(RatingSubmission.self, context: context)
            let (record, replayed) = try await desk.submitRating(body, idempotencyKey: key, by: submitter)
            return try responses.json(record, status: replayed ? .ok : .created)
        }

        router.on(HallRoutes.rating) { request, context in
            try await context.requireAdmin(desk)
            let id = try context.parameters.require("id")
            guard let record = try await desk.rating(id: id) else {
                throw HallError(.notFound, "no rating has id '\(id)'")
            }
            return try responses.json(record)
        }

        router.on(HallRoutes.heartbeat) { request, context in
            let id = try context.parameters.require("id")
            let device: Hall.Device
            do {
                device = try context.requireDevice()
            } catch let error as HallError where error.httpStatus == 401 {
                // A configured device whose token is wrong: the device page says so (else it only goes quiet) — but
                // only a request that brings a token counts, and the page names the address it came from.
                if request.bearerToken != nil { desk.noteRefusedDeviceToken(deviceId: id, from: context.clientAddress) }
                throw error
            }
            guard id == device.id else {
                // A kiosk configured with another device's token (copied config): flag the device it claims to be.
                desk.noteRefusedDeviceToken(deviceId: id, from: context.clientAddress)
                throw HallError(.forbidden, "this token belongs to device '\(device.id)', not '\(id)'")
            }
            let beat = try await request.decodeJSON(DeviceHeartbeat.self, context: context)
            if let problem = beat.numberProblem() {
                throw HallError(.badRequest, "heartbeat: \(problem)")
            }
            try beat.checkLengths()
            return try responses.json(try await desk.recordHeartbeat(beat, device: device, from: context.clientAddress))
        }

        router.on(HallRoutes.devices) { request, context in
            try await context.requireAdmin(desk)
            let reports = try await desk.deviceReports()
            return try responses.json(reports.map {
                DeviceStatusEntry(id: $0.device.id, role: $0.device.role, windowId: $0.device.windowId, lastSeen: $0.lastSeen,
                                  heartbeat: $0.heartbeat, alerts: $0.alerts)
            })
        }

        router.on(HallRoutes.satisfactionReport) { request, context in
            try await context.requireAdmin(desk)
            let (from, to, by) = try reportQuery(request)
            return try responses.json(try await desk.satisfactionReport(from: from, to: to, by: by))
        }

        router.on(HallRoutes.satisfactionCSV) { request, context in
            try await context.requireAdmin(desk)
            let (from, to, by) = try reportQuery(request)
            let report = try await desk.satisfactionReport(from: from, to: to, by: by)
            var headers = HTTPFields()
            headers[.contentDisposition] = "attachment; filename=\"satisfaction-\(from)-\(to)-\(by.rawValue).csv\""
            return Responses.text(SatisfactionCSV.render(report), contentType: "text/csv; charset=utf-8", headers: headers)
        }

        for (route, paused) in [(HallRoutes.pauseService, true), (HallRoutes.resumeService, false)] {
            router.on(route) { request, context in
                let serviceId = try context.parameters.require("id")
                let actor: String
                switch try await context.requireCaller(desk) {
                case .admin: actor = "admin"
                case .staff(let s):
                    guard desk.hall.service(serviceId) != nil else {
                        throw HallError(.unknownService, "no service has id '\(serviceId)'")
                    }
                    guard desk.hall.window(s.windowId)?.serviceIds.contains(serviceId) == true else {
                        throw HallError(.serviceNotAtWindow, "window '\(s.windowId)' does not serve '\(serviceId)'")
                    }
                    actor = "staff:\(s.staff.id)"
                case .device:
                    throw HallError(.forbidden, "devices cannot pause services; staff or admin can")
                }
                // A pause may say why and until when (`ServicePauseRequest`); without a body it is a plain pause.
                let note = paused ? try await request.optionalJSON(ServicePauseRequest.self, context: context) : nil
                if let note, note.reason != nil || note.until != nil {
                    try await desk.pauseService(serviceId, reason: note.reason, until: note.until, by: actor)
                } else {
                    try await desk.setPaused(paused, serviceId: serviceId, by: actor)
                }
                return try responses.json(try await desk.hallStatus().services.first { $0.id == serviceId })
            }
        }
    }

    func reportQuery(_ request: Request) throws -> (String, String, ReportGrouping) {
        let q = request.uri.queryParameters
        let today = desk.clock.moment(desk.now).day
        let from = q.get("from") ?? today
        let to = q.get("to") ?? from
        let byText = q.get("by") ?? "window"
        guard let by = ReportGrouping(rawValue: byText) else {
            throw HallError(.badRequest, "by must be window, staff, service or day (got '\(byText)')")
        }
        return (from, to, by)
    }
}

extension HTTPField.Name {
    static let idempotencyKey = HTTPField.Name("Idempotency-Key")!
    static let lastEventID = HTTPField.Name("Last-Event-ID")!
}
