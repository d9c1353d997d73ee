import Foundation

/// The URLs a DPoP proof's `htu` names (RFC 9449 §4.2): the token and revocation endpoints under
/// the server's issuer, which may differ from the URL the harness connects to (a load balancer,
/// `--issuer https://…`). Read from the server's RFC 8414 metadata, as a client would.
public struct DPoPEndpoints: Sendable, Equatable {
    /// `token_endpoint`: the `htu` of refresh proofs.
    public let token: String
    /// `revocation_endpoint`: the `htu` of revocation proofs.
    public let revocation: String

    /// Endpoints given directly (tests).
    public init(token: String, revocation: String) {
        self.token = token
        self.revocation = revocation
    }

    /// Reads `token_endpoint` and `revocation_endpoint` from `GET /.well-known/oauth-authorization-server`
    /// on `target`; throws `LoadError.setup` when the server does not announce both.
    public static func fetch(from target: LoadTarget) async throws -> DPoPEndpoints {
        let path = "/.well-known/oauth-authorization-server"
        let response = try await HTTPExchange.send(HTTPRequestWriter.request("GET", target: target, path: path), to: target)
        guard response.status == 200,
              let metadata = try? JSONSerialization.jsonObject(with: Data(response.body.readableBytesView)) as? [String: Any],
              let token = metadata["token_endpoint"] as? String, let revocation = metadata["revocation_endpoint"] as? String
        else {
            throw LoadError.setup("\(target)\(path) answered \(response.status) without token_endpoint and revocation_endpoint (--dpop needs them)")
        }
        return DPoPEndpoints(token: token, revocation: revocation)
    }
}
