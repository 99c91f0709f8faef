import Crypto
import Foundation
import TOMLKit

extension HallConfig {
    /// The hall as a `hall.toml` that `check-config` accepts and that makes the same hall: every key, with secrets as
    /// hashes only (`adminTokenSha256`, `metricsTokenSha256`, `tokenSha256`, `pinHash`) and a database password
    /// replaced by `PASSWORD`.
    public func exportTOML(version: Int, exportedAt: String) throws -> String {
        var c = self
        func hashed(_ plain: String?) -> String? { plain.map { Hex.encode(SHA256.hash(data: Data($0.utf8))) } }
        if let plain = c.hall.adminToken { c.hall.adminTokenSha256 = hashed(plain); c.hall.adminToken = nil }
        if let plain = c.hall.metricsToken { c.hall.metricsTokenSha256 = hashed(plain); c.hall.metricsToken = nil }
        c.devices = c.devices.map { d in
            var d = d
            if let plain = d.token { d.tokenSha256 = hashed(plain); d.token = nil }
            return d
        }
        // Photos uploaded on the settings page live in the hall's database, not in a file next to hall.toml.
        var uploaded: [String] = []
        c.staff = c.staff.map { staff in
            var s = staff
            if s.photoSha256 != nil {
                uploaded.append("#   \(s.id) (\(s.employeeNo)): GET /staff-photos/\(s.id), then photo = \"staff/\(s.employeeNo).jpg\" (or .png)")
                s.photoSha256 = nil
            }
            return s
        }
        if let plain = c.city?.token { c.city = CitySettings(token: nil, tokenSha256: hashed(plain)) }
        if let plain = c.appointments?.integrationToken {
            c.appointments?.integrationTokenSha256 = hashed(plain)
            c.appointments?.integrationToken = nil
        }
        if let url = c.database?.url, var parts = URLComponents(string: url), parts.password != nil {
            parts.password = "PASSWORD"
            c.database?.url = parts.string
        }
        let body = TOMLReadableText.unescapingPrintableUnicode(try TOMLEncoder().encode(c))
        return """
            # hall.toml exported by hallserver \(HallServerInfo.version) at \(exportedAt), settings version \(version).
            # Secrets are hashes (tokens: sha256 hex; PINs: pbkdf2). `hallserver check-config --config FILE` checks it.
            # Starting a server on this file with `hallserver settings reset` makes it the hall's settings again.

            """ + (uploaded.isEmpty ? "" : """
            # Staff photos uploaded on the settings page are kept in the hall's database and are not in this file; on
            # this hall they stay as they are. To carry them to another hall, save each and name it with `photo`:
            \(uploaded.joined(separator: "\n"))

            """) + body + (body.hasSuffix("\n") ? "" : "\n")
    }
}
