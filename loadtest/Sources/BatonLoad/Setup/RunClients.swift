import Foundation

/// The two clients a run creates for itself through the admin API: a confidential login client
/// with the `sessions` permission (it creates the users' sessions) and the public client the
/// sessions belong to. Their sessions expire soon after the run (idle timeout and lifetime just
/// above the run's length), so a run leaves little behind in Redis.
public struct RunClients: Sendable {
    /// The login client's id.
    public let loginClientID: String
    /// The public client's id.
    public let appClientID: String
    /// `Basic …` for the login client (never printed).
    let loginAuthorization: String

    /// Creates both clients for `configuration`.
    public static func create(_ admin: AdminClient, configuration: RunConfiguration) async throws -> RunClients {
        let lifetime = Int(configuration.duration.components.seconds) + 600
        let bounded = min(max(lifetime, 600), 5 * 365 * 86_400)
        let login = try await admin.createClient([
            "client_id": "load-\(configuration.runID)-login", "permissions": ["sessions"],
        ])
        guard let secret = login.secret else { throw LoadError.setup("the login client was created without a secret") }
        var app: [String: any Sendable] = [
            "client_id": "load-\(configuration.runID)-app", "public": true,
            "idle_timeout": bounded, "absolute_lifetime": bounded,
        ]
        if let grace = configuration.clientGracePeriod { app["grace_period"] = grace }
        if configuration.dpopNonce { app["dpop_nonce"] = true }
        let created: (id: String, secret: String?)
        do {
            created = try await admin.createClient(app)
        } catch {
            try? await admin.removeClient(login.id)
            throw error
        }
        let credentials = Data("\(login.id):\(secret)".utf8).base64EncodedString()
        return RunClients(loginClientID: login.id, appClientID: created.id, loginAuthorization: "Basic \(credentials)")
    }

    /// Removes both clients (their sessions can no longer refresh).
    public func remove(_ admin: AdminClient) async throws {
        try await admin.removeClient(appClientID)
        try await admin.removeClient(loginClientID)
    }
}
