import Foundation
import NIOSSL

/// `[tls]` in `hall.toml`: the hall server speaks https itself with this certificate and key.
///
/// | key | meaning |
/// |---|---|
/// | `certificate` | PEM file: the server's certificate, then any intermediates (the chain); its names must cover the host in the kiosks' `server.url` |
/// | `privateKey` | PEM file: the certificate's private key (readable by the `hallserver` user only) |
///
/// Relative paths are relative to the config file. Kiosks trust it through `[server] caFile` (the hall's private CA).
public struct TLSSettings: Codable, Sendable, Equatable {
    public var certificate: String
    public var privateKey: String

    public init(certificate: String, privateKey: String) {
        self.certificate = certificate
        self.privateKey = privateKey
    }
}

/// The server side of TLS, loaded from `[tls]`.
public enum ServerTLS {
    /// A server TLS configuration from `[tls]`, or nil without one; the problem names the key and the file.
    public static func configuration(_ settings: TLSSettings?, configFolder: String) throws(ConfigProblem) -> TLSConfiguration? {
        guard let settings else { return nil }
        func resolve(_ path: String) -> String { path.hasPrefix("/") ? path : configFolder + "/" + path }
        let certificatePath = resolve(settings.certificate)
        let keyPath = resolve(settings.privateKey)
        guard FileManager.default.isReadableFile(atPath: certificatePath) else {
            throw ConfigProblem("tls.certificate: cannot read '\(certificatePath)' (the server's PEM certificate chain)")
        }
        guard FileManager.default.isReadableFile(atPath: keyPath) else {
            throw ConfigProblem("tls.privateKey: cannot read '\(keyPath)' (is it readable by the hallserver user?)")
        }
        let chain: [NIOSSLCertificate]
        do {
            chain = try NIOSSLCertificate.fromPEMFile(certificatePath)
        } catch {
            throw ConfigProblem("tls.certificate: '\(certificatePath)' is not a PEM certificate: \(error)")
        }
        guard !chain.isEmpty else { throw ConfigProblem("tls.certificate: '\(certificatePath)' holds no certificate") }
        let key: NIOSSLPrivateKey
        do {
            key = try NIOSSLPrivateKey(file: keyPath, format: .pem)
        } catch {
            throw ConfigProblem("tls.privateKey: '\(keyPath)' is not a PEM private key: \(error)")
        }
        var tls = TLSConfiguration.makeServerConfiguration(certificateChain: chain.map { .certificate($0) }, privateKey: .privateKey(key))
        tls.minimumTLSVersion = .tlsv12
        do {
            // Building a context checks that the key belongs to the certificate.
            _ = try NIOSSLContext(configuration: tls)
        } catch {
            throw ConfigProblem("tls.privateKey: '\(keyPath)' does not match the certificate '\(certificatePath)': \(error)")
        }
        return tls
    }
}
