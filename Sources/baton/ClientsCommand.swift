import ArgumentParser
import BatonCore
import BatonAuth
import BatonServer
import Foundation

/// `baton clients add|list|remove`: manage OAuth clients in the same Redis the workers use.
struct ClientsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "clients",
        abstract: "Add, list and remove OAuth clients.",
        subcommands: [Add.self, List.self, Remove.self]
    )

    struct Add: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Register a client; prints its secret once (only a hash is stored).")

        @OptionGroup var store: StoreOptions

        @Argument(help: "The client id (A-Z a-z 0-9 . _ ~ -).")
        var clientID: String

        @Flag(name: .customLong("public"), help: "A public client (no secret), e.g. an SPA or a mobile app.")
        var isPublic = false

        @Option(name: .customLong("grant"), help: "Allowed grant: refresh_token, client_credentials (repeatable; default refresh_token).")
        var grants: [String] = []

        @Option(name: .customLong("scope"), help: "A scope the client may hold (repeatable).")
        var scopes: [String] = []

        @Option(name: .customLong("permission"), help: "Extra permission: sessions (a login backend that creates sessions).")
        var permissions: [String] = []

        @Option(help: "The aud of its access tokens (default: the issuer).")
        var audience: String?

        @Option(name: .customLong("access-token-ttl"), help: "Access-token lifetime, seconds.")
        var accessTokenTTL: Int?

        @Option(name: .customLong("grace-period"), help: "Refresh grace window, seconds (0 disables).")
        var gracePeriod: Int?

        @Flag(name: .customLong("require-dpop"), help: "Sessions must be bound to a DPoP key (dpop_jkt) and token requests carry a DPoP proof.")
        var requireDPoP = false

        @Flag(name: .customLong("dpop-nonce"), help: "The client's DPoP proofs must carry a server nonce (DPoP-Nonce).")
        var dpopNonce = false

        @Flag(name: .customLong("cookie-mode"), help: "A public browser client whose refresh tokens live only in an HttpOnly cookie (needs --allowed-origin).")
        var cookieMode = false

        @Option(name: .customLong("allowed-origin"), help: "An exact origin of the app's pages, e.g. https://app.example.com (repeatable).")
        var allowedOrigins: [String] = []

        func run() async throws {
            var draft = ClientDraft()
            draft.clientID = clientID
            draft.isPublic = isPublic
            draft.grantTypes = try grants.isEmpty ? nil : grants.map { grant in
                guard let value = Client.GrantType(rawValue: grant) else { throw ValidationError("unknown grant \(grant)") }
                return value
            }
            draft.allowedScopes = scopes.isEmpty ? nil : scopes
            draft.permissions = try permissions.map { permission in
                guard let value = Client.Permission(rawValue: permission) else { throw ValidationError("unknown permission \(permission)") }
                return value
            }
            draft.audience = audience
            draft.accessTokenTTL = accessTokenTTL
            draft.gracePeriod = gracePeriod
            draft.requireDPoP = requireDPoP ? true : nil
            draft.dpopNonce = dpopNonce ? true : nil
            draft.cookieMode = cookieMode ? true : nil
            draft.allowedOrigins = allowedOrigins.isEmpty ? nil : allowedOrigins
            let (client, secret) = try await store.withRedis { redis in
                try await BatonApplication.adminService(redis: redis, masterSecret: nil).createClient(draft)
            }
            print("client_id:     \(client.id)")
            print("type:          \(client.isConfidential ? "confidential" : "public")")
            print("grant_types:   \(client.grantTypes.map(\.rawValue).joined(separator: " "))")
            print("scopes:        \(client.allowedScopes.joined(separator: " "))")
            if !client.permissions.isEmpty { print("permissions:   \(client.permissions.map(\.rawValue).joined(separator: " "))") }
            if client.policy.requireDPoP || client.policy.dpopNonce {
                print("dpop:          \(client.policy.requireDPoP ? "required" : "optional")\(client.policy.dpopNonce ? ", nonce required" : "")")
            }
            if client.policy.cookieMode {
                print("cookie_mode:   on, origins \(client.policy.allowedOrigins.joined(separator: " "))")
            }
            if let secret { print("client_secret: \(secret)   (shown once; store it now)") }
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List clients.")

        @OptionGroup var store: StoreOptions

        func run() async throws {
            let clients = try await store.withRedis { redis in
                try await BatonApplication.adminService(redis: redis, masterSecret: nil).listClients()
            }
            for client in clients {
                let kind = client.isConfidential ? "confidential" : "public"
                print("\(client.id)\t\(kind)\t\(client.grantTypes.map(\.rawValue).joined(separator: ","))\t\(client.allowedScopes.joined(separator: " "))")
            }
            if clients.isEmpty { print("no clients") }
        }
    }

    struct Remove: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Remove a client (its sessions can no longer refresh).")

        @OptionGroup var store: StoreOptions

        @Argument(help: "The client id.")
        var clientID: String

        func run() async throws {
            try await store.withRedis { redis in
                try await BatonApplication.adminService(redis: redis, masterSecret: nil).removeClient(clientID)
            }
            print("removed \(clientID)")
        }
    }
}
