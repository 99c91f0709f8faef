import Foundation
import HallAPI
import HTTPTypes
import Hummingbird

/// Check-in by ID card and appointment (issue 21): the kiosk's card lookup and check-in, the platform's appointment
/// pushes, the admin's list of a day's appointments. ID numbers arrive only in request bodies and never leave the desk.
struct CheckinRoutes: Sendable {
    let desk: HallDesk
    let responses: Responses

    func register(on router: Router<HallRequestContext>) {
        let desk = self.desk
        let responses = self.responses

        router.on(HallRoutes.checkinLookup) { request, context in
            let device = try context.requireDevice(role: .ticketKiosk)
            let body = try await request.decodeJSON(CardLookupRequest.self, context: context)
            return try responses.json(try await desk.lookUpCard(body, deviceId: device.id))
        }

        router.on(HallRoutes.checkin) { request, context in
            let device = try context.requireDevice(role: .ticketKiosk)
            guard let key = request.headers[.idempotencyKey], !key.isEmpty else {
                throw HallError(.missingIdempotencyKey, "send an Idempotency-Key header (a new UUID per check-in)")
            }
            try InputLength.check(key, field: "Idempotency-Key", maxScalars: InputLength.idempotencyKeyScalars, kind: .badRequest)
            let body = try await request.decodeJSON(CheckinRequest.self, context: context)
            let (result, created) = try await desk.checkIn(body, idempotencyKey: key, deviceId: device.id)
            return try responses.json(result, status: created ? .created : .ok)
        }

        router.on(HallRoutes.appointmentPush) { request, context in
            try await Self.requirePlatform(request, context, desk)
            let source = try context.parameters.require("source")
            let externalId = try context.parameters.require("externalId")
            let body = try await request.decodeJSON(AppointmentPush.self, context: context)
            let (receipt, created) = try await desk.pushAppointment(source: source, externalId: externalId, body)
            return try responses.json(receipt, status: created ? .created : .ok)
        }

        router.on(HallRoutes.appointmentCancel) { request, context in
            try await Self.requirePlatform(request, context, desk)
            let source = try context.parameters.require("source")
            let externalId = try context.parameters.require("externalId")
            return try responses.json(try await desk.cancelPushedAppointment(source: source, externalId: externalId))
        }

        router.on(HallRoutes.appointments) { request, context in
            try await context.requireAdmin(desk)
            guard let day = request.uri.queryParameters.get("day") else {
                throw HallError(.badRequest, "add ?day=YYYY-MM-DD (and optionally &serviceId=…)")
            }
            let serviceId = request.uri.queryParameters.get("serviceId")
            return try responses.json(try await desk.appointments(day: day, serviceId: serviceId))
        }
    }

    /// The platform's integration token or the admin token; a wrong one counts towards the admin lockout.
    static func requirePlatform(_ request: Request, _ context: HallRequestContext, _ desk: HallDesk) async throws {
        let allowed = desk.mayPushAppointments(bearer: request.bearerToken)
        if request.bearerToken != nil {
            try await desk.presentAdminCredential(matched: allowed, context: context)
        }
        guard allowed else {
            throw HallError(.unauthorized, "send the platform's integration token ([appointments] integrationToken) or the admin token "
                + "as 'Authorization: Bearer <token>'")
        }
    }
}
