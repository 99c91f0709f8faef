import Crypto
import Foundation
import HallAPI
import HTTPTypes
import Hummingbird

/// The hall manager's pages: settings (with their audit log and the hall.toml export) and alerts.
struct AdminSettingsRoutes {
    let desk: HallDesk

    func register(on router: Router<HallRequestContext>) {
        let desk = self.desk
        router.on(HallRoutes.adminSettings) { request, context in
            guard try await context.isAdminOnPage(desk) else { return PageRoutes.seeOther("/admin/login?next=/admin/settings") }
            let model = try await Self.model(desk, request: request)
            return Responses.html(AdminSettingsPage.page(model))
        }

        router.on(HallRoutes.adminSettingsChange) { request, context in
            guard let session = request.cookie(AdminCookie.name), try await context.hasAdminSession(desk) else {
                return PageRoutes.seeOther("/admin/login?next=/admin/settings")
            }
            let fields = try await request.formFields(context: context)
            guard FormToken.isValid(fields, session: session) else {
                return Responses.html(AdminPages.login(error: "页面已过期，请重试 / This page was out of date; please try again", next: "/admin/settings"),
                                      status: .forbidden)
            }
            var model = try await Self.model(desk, request: request)
            let change: SettingsRequest
            do throws(ConfigProblem) {
                change = try SettingsForm.parse(fields, current: model.settings)
            } catch {
                model.error = error.message
                return Responses.html(AdminSettingsPage.page(model), status: .unprocessableContent)
            }
            return try await Self.perform(change, desk: desk, session: session, request: request, model: model)
        }

        router.on(HallRoutes.adminStaffPhoto) { request, context in
            guard let session = request.cookie(AdminCookie.name), try await context.hasAdminSession(desk) else {
                return PageRoutes.seeOther("/admin/login?next=/admin/settings")
            }
            var model = try await Self.model(desk, request: request)
            guard let boundary = MultipartForm.boundary(contentType: request.headers[.contentType] ?? "") else {
                model.error = "照片：请用设置页上的上传表单 / photo: use the upload form of the settings page (multipart/form-data)"
                return Responses.html(AdminSettingsPage.page(model), status: .unprocessableContent)
            }
            let body: ByteBuffer
            do {
                body = try await request.body.collect(upTo: context.maxUploadSize)
            } catch {
                model.error = "照片：文件太大，最大 \(StaffPhoto.maxBytes / 1024) KB / photo: the file is too large, at most \(StaffPhoto.maxBytes / 1024) KB"
                return Responses.html(AdminSettingsPage.page(model), status: .contentTooLarge)
            }
            guard let form = MultipartForm.parse(Data(body.readableBytesView), boundary: boundary) else {
                model.error = "照片：上传的表单不完整，请重试 / photo: the upload was cut short or malformed; please try again"
                return Responses.html(AdminSettingsPage.page(model), status: .badRequest)
            }
            guard FormToken.isValid(form.fields, session: session) else {
                return Responses.html(AdminPages.login(error: "页面已过期，请重试 / This page was out of date; please try again", next: "/admin/settings"),
                                      status: .forbidden)
            }
            let staffId = form.fields.first { $0.0 == "id" }?.1 ?? ""
            let bytes = form.files.first { $0.field == "photo" }?.bytes ?? Data()
            return try await Self.perform(.setStaffPhoto(staffId: staffId, bytes: bytes), desk: desk, session: session, request: request, model: model)
        }

        router.on(HallRoutes.staffPhoto) { request, context in
            let id = try context.parameters.require("id")
            guard let photo = try await desk.staffPhotoBytes(staffId: id) else {
                throw HallError(.notFound, "no photo for staff '\(id.prefix(40))'")
            }
            let etag = "\"" + photo.digest.prefix(32) + "\""
            var headers = HTTPFields()
            headers[.eTag] = etag
            // The URL names the photo's version: a device may keep it for good; any other URL asks again each time.
            let versioned = request.uri.queryParameters.get("v").map { !$0.isEmpty && photo.digest.hasPrefix($0) } ?? false
            headers[.cacheControl] = versioned ? "public, max-age=31536000, immutable" : "no-cache"
            if let match = request.headers[.ifNoneMatch], match.split(separator: ",").contains(where: { $0.trimmingCharacters(in: .whitespaces) == etag }) {
                return Response(status: .notModified, headers: headers)
            }
            headers[.contentType] = photo.contentType
            return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: photo.bytes)))
        }

        router.on(HallRoutes.adminSettingsAudit) { request, context in
            guard try await context.isAdminOnPage(desk) else { return PageRoutes.seeOther("/admin/login?next=/admin/settings/audit") }
            let entries = try await desk.store.settingsAudit(limit: 500)
            return Responses.html(AdminAuditPage.page(hallName: desk.hall.name, entries: entries, timeZone: desk.hall.timeZone,
                                                      formToken: PageRoutes.adminFormToken(request)))
        }

        router.on(HallRoutes.adminSettingsExport) { _, context in
            guard try await context.isAdminOnPage(desk) else { return PageRoutes.seeOther("/admin/login?next=/admin/settings/export") }
            let current = desk.settings.now
            let stamp = PageFormat.dayTime(desk.now, desk.hall.timeZone)
            let toml = try current.config.exportTOML(version: current.version, exportedAt: stamp)
            var headers = HTTPFields()
            headers[.contentDisposition] = "attachment; filename=\"hall-\(current.config.hall.id)-v\(current.version).toml\""
            return Responses.text(toml, contentType: "application/toml; charset=utf-8", headers: headers)
        }

        router.on(HallRoutes.adminAlerts) { request, context in
            guard try await context.isAdminOnPage(desk) else { return PageRoutes.seeOther("/admin/login?next=/admin/alerts") }
            let board = desk.alertBoard.snapshot
            let rules = desk.alertRules
            let webhook = desk.alertBoard.sender.map { sender in
                WebhookRow(target: Self.withoutSecrets(sender.url), format: rules.format.rawValue, status: sender.current, rules: rules)
            }
            return Responses.html(AdminAlertsPage.page(hallName: desk.hall.name, entries: board.entries, checkedAt: board.checkedAt,
                                                       problem: board.problem, webhook: webhook, now: desk.now, timeZone: desk.hall.timeZone,
                                                       formToken: PageRoutes.adminFormToken(request)))
        }
    }

    /// Performs `change` for the admin session `session` and answers with the page: saved, or why not (422).
    static func perform(_ change: SettingsRequest, desk: HallDesk, session: String, request: Request, model: SettingsPageModel) async throws -> Response {
        var model = model
        let actor = "admin (session " + String(Hex.encode(SHA256.hash(data: Data(session.utf8))).prefix(8)) + ")"
        do {
            let outcome = try await desk.changeSettings(change, actor: actor)
            desk.logger.notice("hall settings changed", metadata: ["settings.version": "\(desk.settings.now.version)", "actor": "\(actor)"])
            model = try await Self.model(desk, request: request)
            model.message = outcome.message
            model.warnings = outcome.warnings
            model.newToken = outcome.newDeviceToken
            return Responses.html(AdminSettingsPage.page(model))
        } catch let problem as ConfigProblem {
            model.error = problem.message
            return Responses.html(AdminSettingsPage.page(model), status: .unprocessableContent)
        }
    }

    /// The page's model now: the settings in force, wrong PINs, the item asked for in `?service=` / `?window=`.
    static func model(_ desk: HallDesk, request: Request) async throws -> SettingsPageModel {
        let current = desk.settings.now
        let stored = try await desk.store.storedSettings()
        let settings = desk.settings.isEditable ? try desk.settings.document(stored) : HallSettings(from: current.config)
        var wrong: [String: Int] = [:]
        for staff in settings.staff {
            let n = try await desk.recentWrongPins(staffId: staff.id)
            if n > 0 { wrong[staff.id] = n }
        }
        let query = request.uri.queryParameters
        return SettingsPageModel(
            hallName: desk.hall.name, settings: settings, version: current.version, fromFile: stored?.document == nil,
            editable: desk.settings.isEditable, startProblem: desk.settings.startProblem, wrongPins: wrong,
            editService: query.get("service").flatMap { id in settings.services.first { $0.id == id } },
            editWindow: query.get("window").flatMap { id in settings.windows.first { $0.id == id } },
            photoUrls: Dictionary(desk.hall.staff.compactMap { s in s.photoUrl.map { (s.id, $0) } }, uniquingKeysWith: { a, _ in a }),
            formToken: PageRoutes.adminFormToken(request))
    }

    /// A webhook URL as the page may show it: scheme, host and path (robot keys sit in the query).
    static func withoutSecrets(_ url: String) -> String {
        guard var parts = URLComponents(string: url) else { return "?" }
        let hadQuery = parts.query != nil
        parts.query = nil
        parts.user = nil
        parts.password = nil
        return (parts.string ?? "?") + (hadQuery ? "?…" : "")
    }
}
