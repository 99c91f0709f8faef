import Foundation
import HallTestSupport
import KioskCore
@testable import KioskHTTP
import XCTest

/// The kiosk talks https to a real `hallserver` serving `[tls]`, trusting only the hall's private CA
/// (`[server] caFile`) and checking the host name. Certificates are made with `openssl` for each run.
final class HallTLSTests: XCTestCase {
    var folder: URL!

    override func setUpWithError() throws {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("hall-tls-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        // The hall's CA, a server certificate it signs for localhost + 127.0.0.1, one for another name,
        // and a stranger CA with a certificate for the right names.
        try openssl("""
            set -e
            ca() { openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout $1.key -out $1.pem -days 30 -subj "/CN=$2" 2>/dev/null; }
            leaf() {
              openssl req -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout $1.key -out $1.csr -subj "/CN=hall server" 2>/dev/null
              printf 'subjectAltName=%s\\n' "$3" > $1.ext
              openssl x509 -req -in $1.csr -CA $2.pem -CAkey $2.key -CAcreateserial -out $1.pem -days 30 -extfile $1.ext 2>/dev/null
            }
            ca hall-ca "Demo hall CA"
            ca stranger-ca "Somebody else's CA"
            leaf server hall-ca "DNS:localhost,IP:127.0.0.1"
            leaf other-name hall-ca "DNS:hall.example"
            leaf stranger stranger-ca "DNS:localhost,IP:127.0.0.1"
            """)
    }

    override func tearDownWithError() throws {
        try? FileManager.default.removeItem(at: folder)
    }

    private func openssl(_ script: String) throws {
        let result = try runProgram("/bin/sh", ["-c", "cd '\(folder.path)' && " + script])
        XCTAssertEqual(result.code, 0, "openssl: \(result.err)")
    }

    private func path(_ name: String) -> String { folder.appendingPathComponent(name).path }

    /// The demo hall serving https with `certificate`.
    private func tlsServer(_ certificate: String) throws -> HallServerProcess {
        let tls = "\n[tls]\ncertificate = \"\(path(certificate + ".pem"))\"\nprivateKey = \"\(path(certificate + ".key"))\"\n"
        return try HallServerProcess { $0 + tls }
    }

    private func client(_ url: String, caFile: String?) throws -> HallClient {
        try HallClient(configuration: HallClientConfiguration(baseURL: url, deviceId: "kiosk-01",
                                                              deviceToken: HallClientTests.kioskToken,
                                                              caFile: caFile, requestTimeoutSeconds: 5))
    }

    /// The hall status through `client`, or the error it ended with.
    private func status(_ client: HallClient) async -> Result<String, HallClientError> {
        do {
            let hall = try await client.hallStatus()
            await client.shutdown()
            return .success(hall.hallId)
        } catch {
            await client.shutdown()
            return .failure(error)
        }
    }

    func testTheKioskReachesTheHallOverHTTPSTrustingTheHallCA() async throws {
        let server = try tlsServer("server")
        defer { server.stop() }
        for host in ["localhost", "127.0.0.1"] {
            let result = await status(try client("https://\(host):\(server.port)", caFile: path("hall-ca.pem")))
            XCTAssertEqual(try result.get(), "demo-hall", "https to \(host) with the hall CA")
        }
        // Plain http to the https port is no hall server at all.
        let plain = await status(try client("http://127.0.0.1:\(server.port)", caFile: nil))
        XCTAssertThrowsError(try plain.get())
    }

    func testCookiesOverHTTPSAreSecureHttpOnlyAndSameSiteStrict() throws {
        let server = try tlsServer("server")
        defer { server.stop() }
        let result = try runProgram("/usr/bin/curl", ["-s", "--cacert", path("hall-ca.pem"), "-D", "-", "-o", "/dev/null",
                                                      "-d", "token=demo-admin-token-change-me&next=/admin/devices",
                                                      "https://127.0.0.1:\(server.port)/admin/login"])
        let cookie = result.out.split(separator: "\r\n").first { $0.lowercased().hasPrefix("set-cookie: hk_admin=") }
        let line = try XCTUnwrap(cookie, "admin login sets a session cookie: \(result.out)")
        for attribute in ["Secure", "HttpOnly", "SameSite=Strict"] {
            XCTAssertTrue(line.contains(attribute), "\(attribute) missing: \(line)")
        }
    }

    func testACertificateForAnotherHostNameIsRefused() async throws {
        let server = try tlsServer("other-name")
        defer { server.stop() }
        let result = await status(try client("https://localhost:\(server.port)", caFile: path("hall-ca.pem")))
        guard case .failure(let error) = result else { return XCTFail("a certificate for hall.example was accepted for localhost") }
        XCTAssertTrue(error.description.contains("failedToValidateHostname"), error.description)
    }

    func testACertificateFromAnotherCAIsRefused() async throws {
        let server = try tlsServer("stranger")
        defer { server.stop() }
        let result = await status(try client("https://localhost:\(server.port)", caFile: path("hall-ca.pem")))
        guard case .failure(let error) = result else { return XCTFail("a certificate from another CA was accepted") }
        XCTAssertTrue(error.description.contains("CERTIFICATE_VERIFY_FAILED"), error.description)
    }

    func testTheHallServerRefusesAKeyThatIsNotTheCertificates() throws {
        let config = folder.appendingPathComponent("hall.toml")
        let demo = try String(contentsOf: BuiltProducts.repository.appendingPathComponent("kiosk/demo/hall.toml"), encoding: .utf8)
        try (demo + "\n[tls]\ncertificate = \"server.pem\"\nprivateKey = \"stranger.key\"\n").write(to: config, atomically: true, encoding: .utf8)
        let result = try runProgram(try BuiltProducts.executable("hallserver").path,
                                    ["--config", config.path, "--db", path("hall.sqlite"), "--port", "0"])
        XCTAssertEqual(result.code, 78, result.err)
        XCTAssertTrue(result.err.contains("tls.privateKey:") && result.err.contains("does not match the certificate"), result.err)
        try (demo + "\n[tls]\ncertificate = \"missing.pem\"\nprivateKey = \"server.key\"\n").write(to: config, atomically: true, encoding: .utf8)
        let missing = try runProgram(try BuiltProducts.executable("hallserver").path, ["check-config", "--config", config.path])
        XCTAssertNotEqual(missing.code, 0)
        XCTAssertTrue((missing.out + missing.err).contains("tls.certificate: cannot read '\(path("missing.pem"))'"), missing.out + missing.err)
    }
}
