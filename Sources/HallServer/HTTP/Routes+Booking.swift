import Foundation
import HallAPI
import HTTPTypes
import Hummingbird

/// The citizens' booking pages (`/book…`) and the admin's appointment page (`/admin/appointments`, CSV import).
///
/// The booking forms carry no cookie, so no session can be ridden (`SameOriginMiddleware` still refuses a cross-origin
/// form that sends cookies); their POSTs are limited per address (`BookingRoutes.attemptsPerMinute`, loopback exempt
/// as `[limits] exemptLoopback` says), which also bounds guessing booking codes on the cancel form. The admin upload
/// needs the admin session and its form token, like the other admin forms.
struct BookingRoutes: Sendable {
    let booking: BookingDesk
    let limits: RequestLimits

    /// Booking and cancel submissions per address: 10 a minute, 10 at once.
    static let attemptsPerMinute = RequestLimits.Rate(perMinute: 10, burst: 10)

    private var desk: HallDesk { booking.desk }

    func register(on router: Router<HallRequestContext>) {
        let booking = self.booking
        let attempts = BookingAttemptsMiddleware(limits: limits, desk: desk, limiter: RateLimiter(Self.attemptsPerMinute))

        router.on(HallRoutes.bookingServices) { request, _ in
            let frame = Self.frame(booking.desk, request.uri.queryParameters.get("lang"))
            return Responses.html(BookingPage.services(frame, services: booking.services))
        }

        router.on(HallRoutes.bookingCancelPage) { request, _ in
            Responses.html(BookingPage.cancel(Self.frame(booking.desk, request.uri.queryParameters.get("lang"))))
        }

        router.on(HallRoutes.bookingSlots) { request, context in
            let frame = Self.frame(booking.desk, request.uri.queryParameters.get("lang"))
            guard let service = booking.services.first(where: { $0.id == (context.parameters.get("service") ?? "") }) else {
                return Responses.html(BookingPage.services(frame, services: booking.services,
                                                           notice: BookingPage.refusal(.unknownService, at: nil, frame: frame)), status: .notFound)
            }
            return try await Self.slotsPage(booking, frame: frame, service: service, day: request.uri.queryParameters.get("day"))
        }

        let limited = router.group().add(middleware: attempts)
        limited.on(HallRoutes.bookingCancel) { request, context in
            let fields = try await request.formFields(context: context)
            let frame = Self.frame(booking.desk, Self.field(fields, "lang"))
            do {
                _ = try await booking.cancel(code: Self.field(fields, "code") ?? "", idNumber: Self.field(fields, "idNumber") ?? "")
                return Responses.html(BookingPage.cancel(frame, notice: (true, frame.language == .zh ? "预约已取消。" : "The booking is cancelled.")))
            } catch {
                guard let (kind, at) = Self.refusal(error) else { throw error }
                return Responses.html(BookingPage.cancel(frame, notice: (false, BookingPage.refusal(kind, at: at, frame: frame))),
                                      status: Self.status(kind))
            }
        }

        limited.on(HallRoutes.bookingSubmit) { request, context in
            let fields = try await request.formFields(context: context)
            let frame = Self.frame(booking.desk, Self.field(fields, "lang"))
            guard let service = booking.services.first(where: { $0.id == (context.parameters.get("service") ?? "") }) else {
                return Responses.html(BookingPage.services(frame, services: booking.services,
                                                           notice: BookingPage.refusal(.unknownService, at: nil, frame: frame)), status: .notFound)
            }
            let start = Self.field(fields, "slot").flatMap(Int.init).map { Date(timeIntervalSince1970: Double($0)) }
            let day = Self.field(fields, "day")
            guard let start, let id = Self.field(fields, "idNumber"), !id.isEmpty, let name = Self.field(fields, "name"), !name.isEmpty else {
                return try await Self.slotsPage(booking, frame: frame, service: service, day: day, chosen: start,
                                                notice: BookingPage.refusal(.badRequest, at: nil, frame: frame), status: .badRequest)
            }
            do {
                let (appointment, again) = try await booking.book(BookingDesk.Request(serviceId: service.id, slotStart: start, idNumber: id,
                                                                                     name: name, phone: Self.field(fields, "phone")))
                let view = BookingReceiptView(bookingCode: appointment.bookingCode, slotStart: appointment.slotStart, slotEnd: appointment.slotEnd,
                                              maskedId: appointment.maskedId)
                let qr = BookingQR.svg(appointment.bookingCode, title: (frame.language == .zh ? "预约码 " : "Booking code ") + appointment.bookingCode)
                var headers = HTTPFields()
                // The answer holds the booking code: no cache keeps it.
                headers[.cacheControl] = "no-store"
                return Responses.html(BookingPage.booked(frame, service: service, appointment: view, qrSVG: qr, again: again), headers: headers)
            } catch {
                guard let (kind, at) = Self.refusal(error) else { throw error }
                if kind == .identityUnavailable {
                    return Responses.html(BookingPage.services(frame, services: [], notice: BookingPage.refusal(kind, at: nil, frame: frame)),
                                          status: .serviceUnavailable)
                }
                return try await Self.slotsPage(booking, frame: frame, service: service, day: day, chosen: start,
                                                notice: BookingPage.refusal(kind, at: at, frame: frame), status: Self.status(kind))
            }
        }

        registerAdmin(on: router)
    }

    private static func slotsPage(_ booking: BookingDesk, frame: BookingPageFrame, service: Hall.Service, day: String?, chosen: Date? = nil,
                                  notice: String? = nil, status: HTTPResponse.Status = .ok) async throws -> Response {
        let days = booking.days()
        let shown = day.flatMap { days.contains($0) ? $0 : nil } ?? days.first
        var offers: [BookingSlotOffer] = []
        if let shown { offers = try await booking.offers(service: service, day: shown) }
        return Responses.html(BookingPage.slots(frame, service: service, days: days, day: shown, offers: offers, chosenStart: chosen,
                                                notice: notice), status: status)
    }

    // MARK: Admin

    private func registerAdmin(on router: Router<HallRequestContext>) {
        let desk = self.desk
        router.on(HallRoutes.adminAppointments) { request, context in
            guard try await context.isAdminOnPage(desk) else { return PageRoutes.seeOther("/admin/login?next=/admin/appointments") }
            return Responses.html(try await Self.adminPage(desk, request: request, formToken: PageRoutes.adminFormToken(request)))
        }

        router.on(HallRoutes.adminAppointmentsImport) { request, context in
            guard let session = request.cookie(AdminCookie.name), try await context.hasAdminSession(desk) else {
                return PageRoutes.seeOther("/admin/login?next=/admin/appointments")
            }
            let formToken = FormToken.value(session: session)
            let buffer: ByteBuffer
            do {
                buffer = try await request.body.collect(upTo: context.maxUploadSize)
            } catch {
                return Responses.html(try await Self.adminPage(desk, request: request, formToken: formToken, notice:
                    "文件太大：网页上传最多 \(context.maxUploadSize / 1024) KiB，更大的文件请用 hallserver appointments import / "
                    + "The file is larger than \(context.maxUploadSize / 1024) KiB; import it with `hallserver appointments import FILE.csv`"),
                    status: HTTPResponse.Status(code: 413))
            }
            guard let boundary = MultipartForm.boundary(contentType: request.headers[.contentType] ?? ""),
                  let form = MultipartForm.parse(Data(buffer.readableBytesView), boundary: boundary),
                  FormToken.isValid(form.fields, session: session) else {
                return Responses.html(AdminPages.login(error: "页面已过期，请重试 / This page was out of date; please try again",
                                                       next: "/admin/appointments"), status: .forbidden)
            }
            guard let file = form.files.first, let text = String(data: file.bytes, encoding: .utf8) else {
                return Responses.html(try await Self.adminPage(desk, request: request, formToken: formToken,
                                                               notice: "请选择 UTF-8 编码的 CSV 文件 / Choose a CSV file in UTF-8"), status: .badRequest)
            }
            let report = await desk.importAppointments(csv: text)
            return Responses.html(try await Self.adminPage(desk, request: request, formToken: formToken, report: report))
        }
    }

    static func adminPage(_ desk: HallDesk, request: Request, formToken: String, report: AppointmentImportReport? = nil,
                          notice: String? = nil) async throws -> String {
        let clock = HallClock(timeZone: desk.hall.timeZone)
        let today = clock.moment(desk.now).day
        let asked: String? = request.uri.queryParameters.get("day")
        let day = asked.flatMap { HallClock.isValidDay($0) ? $0 : nil } ?? today
        let overview = try await AppointmentOverview.day(day, desk: desk)
        return AdminAppointmentsPage.page(hallName: desk.hall.name, day: day, days: (overview.previousDay, overview.nextDay),
                                          counts: overview.counts, rows: overview.rows, timeZone: desk.hall.timeZone, formToken: formToken,
                                          report: report, notice: notice)
    }

    // MARK: Helpers

    static func frame(_ desk: HallDesk, _ lang: String?) -> BookingPageFrame {
        BookingPageFrame(hallName: desk.hall.name, language: PageRoutes.language(lang), timeZone: desk.hall.timeZone, rules: desk.hall.appointments)
    }

    static func field(_ fields: [(String, String)], _ name: String) -> String? {
        fields.first { $0.0 == name }?.1.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// What a page says instead of an error: the rules' refusals, and the desk's answers about the ID number and the
    /// identity key; nil for anything else (answered as any error is).
    static func refusal(_ error: any Error) -> (APIErrorKind, Date?)? {
        if let refusal = error as? BookingRefusal { return (refusal.kind, refusal.at) }
        if let error = error as? HallError, [.invalidIDNumber, .identityUnavailable, .appointmentNotFound, .badRequest].contains(error.kind) {
            return (error.kind, error.at)
        }
        return nil
    }

    static func status(_ kind: APIErrorKind) -> HTTPResponse.Status {
        HTTPResponse.Status(code: kind.httpStatus)
    }
}

/// `BookingRoutes.attemptsPerMinute` per address on the booking and cancel forms; over it, the page says to wait.
struct BookingAttemptsMiddleware: RouterMiddleware {
    typealias Context = HallRequestContext
    let limits: RequestLimits
    let desk: HallDesk
    let limiter: RateLimiter

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        guard let address = RequestLimitsMiddleware.clientAddress(context.remoteAddress),
              !(limits.exemptLoopback && RequestLimitsMiddleware.isLoopback(address)) else {
            return try await next(request, context)
        }
        guard let wait = limiter.take(ClientAddress.key(address), now: desk.monotonic.monotonicSeconds()) else {
            return try await next(request, context)
        }
        desk.logger.notice("booking attempts limited", metadata: ["client": "\(address)"])
        let seconds = RequestLimitsMiddleware.seconds(wait)
        var headers = HTTPFields()
        headers[.retryAfter] = "\(seconds)"
        let lang = PageRoutes.language(request.uri.queryParameters.get("lang"))
        let frame = BookingPageFrame(hallName: desk.hall.name, language: lang, timeZone: desk.hall.timeZone, rules: desk.hall.appointments)
        let words = BookingPage.refusal(.rateLimited, at: nil, frame: frame) + " (\(seconds) s)"
        let services = desk.hall.services.filter { $0.personRules.appointmentCapacity > 0 }
        return Responses.html(BookingPage.services(frame, services: services, notice: words), status: .tooManyRequests, headers: headers)
    }
}
