import BatonSystem
import Foundation

/// A self-signed certificate for TLS listeners of local test servers: an EC P-256 key and a
/// certificate valid for one day, naming `hosts` in its subjectAltName, written as PEM files by the
/// `openssl` CLI. Nobody trusts it: a browser is told to ignore certificate errors.
///
/// ```swift
/// let certificate = try await SelfSignedCertificate.make(in: directory)
/// // server { listen 127.0.0.1:\(port) ssl; \(certificate.nginxDirectives) … }
/// ```
public struct SelfSignedCertificate: Sendable {
    /// The certificate, PEM.
    public let certificatePath: String
    /// The private key, PEM (PKCS #8, unencrypted).
    public let keyPath: String

    /// nginx's `ssl_certificate` and `ssl_certificate_key` directives for these files.
    public var nginxDirectives: String {
        "ssl_certificate \(certificatePath); ssl_certificate_key \(keyPath);"
    }

    /// Writes `certificate.pem` and `key.pem` into `directory` for `hosts` (IP addresses and DNS
    /// names; the first is also the subject's common name).
    public static func make(in directory: String, hosts: [String] = ["127.0.0.1", "localhost"]) async throws -> SelfSignedCertificate {
        guard let commonName = hosts.first else { throw LocalServerError("a certificate needs at least one host") }
        guard let openssl = ChildProcess.executable(named: "openssl") else {
            throw LocalServerError("openssl not found: scripts/install-deps.sh installs it")
        }
        let certificate = SelfSignedCertificate(certificatePath: directory + "/certificate.pem", keyPath: directory + "/key.pem")
        let alternativeNames = hosts.map { (isIPAddress($0) ? "IP:" : "DNS:") + $0 }.joined(separator: ",")
        let (status, output) = try await runToCompletion(openssl, [
            "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes", "-days", "1",
            "-subj", "/CN=\(commonName)", "-addext", "subjectAltName=\(alternativeNames)",
            "-keyout", certificate.keyPath, "-out", certificate.certificatePath,
        ], timeout: .seconds(30))
        guard status == 0 else { throw LocalServerError("openssl could not make a certificate (exit \(status)): \(output)") }
        return certificate
    }

    private static func isIPAddress(_ host: String) -> Bool {
        var address = in6_addr()
        return inet_pton(AF_INET, host, &address) == 1 || inet_pton(AF_INET6, host, &address) == 1
    }
}
