import Foundation
import NIOCore

/// Baton's admin API (`/admin/...`, bearer token) as the harness uses it: clients and keys.
public struct AdminClient: Sendable {
    /// Where the admin API is.
    public let target: LoadTarget
    private let authorization: String

    /// A client for `target` with the admin bearer `token`.
    public init(target: LoadTarget, token: String) {
        self.target = target
        self.authorization = "Bearer \(token)"
    }

    /// `POST /admin/clients` with `settings` (a JSON object); returns the client id and, for a
    /// confidential client, its secret.
    public func createClient(_ settings: [String: any Sendable]) async throws -> (id: String, secret: String?) {
        let response = try await send("POST", "/admin/clients", json: settings)
        guard response.status == 201,
              let object = try? JSONSerialization.jsonObject(with: Data(response.body.readableBytesView)) as? [String: Any],
              let id = object["client_id"] as? String
        else { throw Self.failure("creating a client", response) }
        return (id, object["client_secret"] as? String)
    }

    /// `DELETE /admin/clients/ID`.
    public func removeClient(_ id: String) async throws {
        let response = try await send("DELETE", "/admin/clients/\(id)")
        guard response.status == 204 else { throw Self.failure("removing client \(id)", response) }
    }

    /// `POST /admin/keys/rotate` with `now: true`: a new `algorithm` key signs at once.
    public func rotateKey(algorithm: String) async throws {
        let response = try await send("POST", "/admin/keys/rotate", json: ["alg": algorithm, "now": true])
        guard response.status == 201 else { throw Self.failure("rotating the signing key", response) }
    }

    private func send(_ method: String, _ path: String, json: [String: any Sendable]? = nil) async throws -> ParsedResponse {
        var headers = [("Authorization", authorization)]
        var body: [UInt8] = []
        if let json {
            headers.append(("Content-Type", "application/json"))
            body = Array(try JSONSerialization.data(withJSONObject: json, options: [.sortedKeys]))
        }
        return try await HTTPExchange.send(HTTPRequestWriter.request(method, target: target, path: path, headers: headers, body: body),
                                           to: target)
    }

    private static func failure(_ action: String, _ response: ParsedResponse) -> LoadError {
        let hint = response.status == 401 ? " (is the admin token right?)" : ""
        return .setup("\(action) through the admin API answered \(response.status)\(hint): \(response.text.prefix(200))")
    }
}
