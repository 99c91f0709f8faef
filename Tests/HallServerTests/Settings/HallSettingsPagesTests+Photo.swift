import Foundation
import HallAPI
@testable import HallServer
import XCTest

/// The hall manager uploads a staff photo on the settings page: it is checked, kept in the store, audit-logged
/// without its bytes, named with its version in `photoUrl` of the window state and the board, served to devices
/// with caching headers, left out of the hall.toml export (which says so) and removable.
extension HallSettingsPagesTests {
    private func upload(_ hall: LiveHall, _ admin: AdminBrowser, staff: String, _ bytes: Data, filename: String = "photo.png",
                        token: Bool = true) async throws -> LiveHall.Reply {
        let boundary = "----hallkiosk\(UUID().uuidString.prefix(8))"
        var fields = [("id", staff)]
        if token { fields.insert((FormToken.field, FormToken.value(session: admin.session)), at: 0) }
        let body = TestImages.multipart(boundary: boundary, fields: fields, file: ("photo", filename, "application/octet-stream", bytes))
        return try await hall.send(.POST, "/admin/settings/staff-photo", headers: [admin.cookie], body: body,
                                   contentType: "multipart/form-data; boundary=\(boundary)")
    }

    private func photoUrl(_ hall: LiveHall) async throws -> String? {
        let state = try await hall.send(.GET, "/api/v1/windows/w1", token: TestHallConfig.ratingW1Token)
        XCTAssertEqual(state.status, 200, state.text)
        return try state.decode(WindowState.self).window.staff?.photoUrl
    }

    func testAStaffPhotoIsUploadedServedToDevicesWithItsVersionAndRemoved() async throws {
        let hall = try await start()
        let admin = try AdminBrowser.signIn(hall)
        _ = try await hall.login("w1")
        let awaitedNone = try await photoUrl(hall)
        XCTAssertNil(awaitedNone, "no photo yet")

        // Uploaded: the window state (rating device, window screen) and the board name it with its version.
        let png = TestImages.portraitPNG()
        let saved = try await upload(hall, admin, staff: "s1", png)
        XCTAssertEqual(saved.status, 200, saved.text)
        XCTAssertTrue(saved.text.contains("已更新 s1 的照片（120×160"), saved.text)
        let digest = try StaffPhoto.checked(png).digest
        let url = try await photoUrl(hall)
        XCTAssertEqual(url, "/staff-photos/s1?v=" + digest.prefix(16))
        let board = try await hall.send(.GET, "/api/v1/hall/board", token: TestHallConfig.kioskToken).decode(HallBoard.self)
        XCTAssertEqual(board.windows.first { $0.id == "w1" }?.staff?.photoUrl, url)
        XCTAssertTrue(saved.text.contains("src=\"\(HTML.escape(url!))\""), "the staff table shows it")

        // A device fetches it with its token; the versioned URL may be kept for good, and asked again gives 304.
        let photo = try await hall.send(.GET, url!, token: TestHallConfig.ratingW1Token)
        XCTAssertEqual(photo.status, 200)
        XCTAssertEqual(photo.body, png)
        XCTAssertEqual(photo.headers.first(name: "Content-Type"), "image/png")
        XCTAssertEqual(photo.headers.first(name: "Cache-Control"), "public, max-age=31536000, immutable")
        let etag = try XCTUnwrap(photo.headers.first(name: "ETag"))
        let again = try await hall.send(.GET, url!, token: TestHallConfig.ratingW1Token, headers: [("If-None-Match", etag)])
        XCTAssertEqual(again.status, 304)
        XCTAssertEqual(again.body.count, 0)
        let unversioned = try await hall.send(.GET, "/staff-photos/s1")
        XCTAssertEqual(unversioned.headers.first(name: "Cache-Control"), "no-cache", "without its version: asked again each time")

        // The audit log has the digest, never the image.
        let audit = try await hall.desk.store.settingsAudit(limit: 1)[0]
        XCTAssertEqual(audit.summary, "changed the photo of staff s1")
        XCTAssertTrue(audit.after?.contains(digest) ?? false, audit.after ?? "")
        XCTAssertLessThan((audit.before ?? "").count + (audit.after ?? "").count, 300, "no image bytes in the audit log")

        // A new photo: a new URL; the old URL gets the current photo and is not kept.
        let second = TestImages.portraitPNG(width: 90, height: 120)
        let replaced = try await upload(hall, admin, staff: "s1", second, filename: "new.PNG")
        XCTAssertEqual(replaced.status, 200)
        let newUrl = try await photoUrl(hall)
        XCTAssertNotEqual(newUrl, url)
        let old = try await hall.send(.GET, url!, token: TestHallConfig.kioskToken)
        XCTAssertEqual(old.body, second)
        XCTAssertEqual(old.headers.first(name: "Cache-Control"), "no-cache")

        // The export says the photo is not in the file, and check-config takes the file.
        let export = try admin.get("/admin/settings/export")
        XCTAssertTrue(export.body.contains("Staff photos uploaded on the settings page are kept in the hall's database"), export.body)
        XCTAssertTrue(export.body.contains("s1 (1001): GET /staff-photos/s1"), export.body)
        XCTAssertFalse(export.body.contains("photoSha256"))
        let file = hall.folder.appendingPathComponent("exported.toml").path
        try export.body.write(toFile: file, atomically: true, encoding: .utf8)
        XCTAssertNoThrow(try HallConfig.load(from: file))

        // Removed: no photo, and the URL answers 404.
        let removed = try admin.post("removePhoto", [("id", "s1")])
        XCTAssertEqual(removed.status, 200, removed.body)
        let awaitedGone = try await photoUrl(hall)
        XCTAssertNil(awaitedGone)
        let gone = try await hall.send(.GET, "/staff-photos/s1")
        XCTAssertEqual(gone.status, 404)
        let awaitedAudit = try await hall.desk.store.settingsAudit(limit: 1)[0].summary
        XCTAssertEqual(awaitedAudit, "removed the photo of staff s1")
    }

    func testAPhotoThatIsNotAJPEGOrPNGOrTooBigIsRefusedInBothLanguagesAndNothingChanges() async throws {
        let hall = try await start()
        let admin = try AdminBrowser.signIn(hall)
        let cases: [(Data, String, [String])] = [
            (Data("GIF89a....".utf8), "face.jpg", ["不是 JPEG 或 PNG 图片", "the file is not a JPEG or PNG image"]),
            (TestImages.pngHeader(width: 1001, height: 10), "wide.png", ["1001×10 像素", "1001×10 pixels, at most 1000×1000"]),
            (TestImages.pngHeader(width: 10, height: 10) + Data(count: 300 * 1024), "big.png", ["最大 300 KB", "at most 300 KB"]),
            (Data(), "", ["choose a JPEG or PNG file"]),
        ]
        for (bytes, name, words) in cases {
            let reply = try await upload(hall, admin, staff: "s1", bytes, filename: name)
            XCTAssertEqual(reply.status, 422, name)
            for w in words { XCTAssertTrue(reply.text.contains(HTML.escape(w)), "\(name): '\(w)'") }
        }
        let unknown = try await upload(hall, admin, staff: "s99", TestImages.portraitPNG())
        XCTAssertEqual(unknown.status, 422)
        XCTAssertTrue(unknown.text.contains("no staff member has id"), unknown.text)
        // Larger than the upload limit: refused before it is read.
        let huge = try await upload(hall, admin, staff: "s1", Data(count: StaffPhoto.uploadLimitBytes + 1))
        XCTAssertEqual(huge.status, 413)
        // The form needs the session's form token, and a session.
        let stale = try await upload(hall, admin, staff: "s1", TestImages.portraitPNG(), token: false)
        XCTAssertEqual(stale.status, 403)
        let anonymous = try await hall.send(.POST, "/admin/settings/staff-photo", body: Data("x".utf8), contentType: "multipart/form-data; boundary=b")
        XCTAssertEqual(anonymous.status, 303)
        XCTAssertEqual(hall.desk.settings.now.version, 0, "nothing was stored")
        XCTAssertNil(hall.desk.hall.staffMember("s1")?.photoUrl)
    }
}
