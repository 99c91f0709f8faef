import Crypto
import Foundation
import HallAPI
import HallSecrets

/// What a settings change came to: a sentence for the page, and a device token to show once.
struct SettingsOutcome: Sendable {
    var message: String
    /// A new device's token: shown on the page once, never stored in clear.
    var newDeviceToken: (deviceId: String, token: String)?
    /// `check-config`'s warnings about the hall after the change (zh, en), e.g. no staff left to serve a service.
    var warnings: [(zh: String, en: String)] = []
}

extension HallDesk {
    /// Performs a settings request of the hall manager (`actor` for the audit log). A rule broken throws
    /// `ConfigProblem` and changes nothing.
    func changeSettings(_ request: SettingsRequest, actor: String) async throws -> SettingsOutcome {
        var outcome = try await performSettings(request, actor: actor)
        outcome.warnings = HallCoverage(hall).warningTexts
        return outcome
    }

    private func performSettings(_ request: SettingsRequest, actor: String) async throws -> SettingsOutcome {
        let now = self.now
        switch request {
        case .edit(let edit):
            let version = try await settings.apply(edit, actor: actor, at: now, store: store)
            return SettingsOutcome(message: "已保存（第 \(version) 版）/ Saved as version \(version)")
        case .addStaff(var staff, let pin):
            staff.pinHash = try SecretHash.make(pin).text
            let version = try await settings.apply(.addStaff(staff), actor: actor, at: now, store: store)
            return SettingsOutcome(message: "已添加工作人员 \(staff.name)（工号 \(staff.employeeNo)，第 \(version) 版）/ Added staff \(staff.employeeNo) (version \(version))")
        case .resetPin(let staffId, let pin):
            let version = try await settings.apply(.resetPin(staffId: staffId, pinHash: try SecretHash.make(pin).text), actor: actor, at: now, store: store)
            return SettingsOutcome(message: "已重设 \(staffId) 的密码（第 \(version) 版）/ PIN of \(staffId) reset (version \(version))")
        case .unlock(let staffId):
            guard hall.staffMember(staffId) != nil else { throw ConfigProblem("staff: no staff member has id '\(staffId)'") }
            try await loginGuard.unlock(staffId: staffId)
            try await store.recordSettingsAudit(SettingsAuditEntry(version: settings.now.version, at: now, actor: actor,
                                                                   summary: "unlocked staff \(staffId) (wrong-PIN lock cleared)", before: nil, after: nil))
            return SettingsOutcome(message: "已解锁 \(staffId) / \(staffId) unlocked")
        case .addDevice(let id, let role, let windowId):
            let token = random.urlSafeToken(byteCount: 24)
            let device = DeviceConfig(id: id, role: role, window: windowId, token: nil,
                                      tokenSha256: Hex.encode(SHA256.hash(data: Data(token.utf8))))
            let version = try await settings.apply(.addDevice(device), actor: actor, at: now, store: store)
            return SettingsOutcome(message: "已添加设备 \(id)（第 \(version) 版）/ Added device \(id) (version \(version))",
                                   newDeviceToken: (id, token))
        case .setStaffPhoto(let staffId, let bytes):
            guard hall.staffMember(staffId) != nil else { throw ConfigProblem("staff: no staff member has id '\(staffId.prefix(40))'") }
            let photo = try StaffPhoto.checked(bytes)
            try await store.saveStaffPhoto(photo, at: now)
            let version = try await settings.apply(.setStaffPhoto(id: staffId, digest: photo.digest), actor: actor, at: now, store: store)
            return SettingsOutcome(message: "已更新 \(staffId) 的照片（\(photo.width)×\(photo.height)，第 \(version) 版）/ "
                + "Photo of \(staffId) saved (\(photo.width)×\(photo.height), version \(version))")
        case .removeStaffPhoto(let staffId):
            let version = try await settings.apply(.setStaffPhoto(id: staffId, digest: nil), actor: actor, at: now, store: store)
            return SettingsOutcome(message: "已删除 \(staffId) 的照片（第 \(version) 版）/ Photo of \(staffId) removed (version \(version))")
        case .resetToFile:
            let version = try await settings.resetToFile(actor: actor, at: now, store: store)
            return SettingsOutcome(message: "已恢复为 hall.toml 的设置（第 \(version) 版）/ Back to hall.toml's settings (version \(version))")
        }
    }

    /// The settings document in force (for the page's forms).
    func currentSettingsDocument() async throws -> HallSettings {
        try settings.document(try await store.storedSettings())
    }

    /// The photo of staff `id` as devices and pages fetch it: bytes, content type and the SHA-256 it is known by;
    /// nil when the staff member has none (or its file or stored copy is gone).
    func staffPhotoBytes(staffId id: String) async throws -> (bytes: Data, contentType: String, digest: String)? {
        guard let staff = hall.staffMember(id) else { return nil }
        if let path = staff.photoPath {
            guard let data = FileManager.default.contents(atPath: path) else { return nil }
            // The file may have changed since the hall was loaded: its own digest is its version.
            return (data, StaffPhoto.sniff(data)?.contentType ?? (path.lowercased().hasSuffix(".png") ? "image/png" : "image/jpeg"),
                    Hex.encode(SHA256.hash(data: data)))
        }
        guard let digest = staff.photoSha256, let photo = try await store.staffPhoto(digest: digest) else { return nil }
        return (photo.bytes, photo.format.contentType, digest)
    }

    /// Wrong PINs typed for staff `staffId` within the last 15 minutes (for the page's unlock button).
    func recentWrongPins(staffId: String) async throws -> Int {
        try await loginGuard.recentFailures(staffId: staffId, now: now)
    }
}
