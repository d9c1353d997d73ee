import BatonCore
import BatonStore
import Foundation

/// What a login backend sends to create a session.
struct SessionRequest: Sendable {
    var subject: String
    var clientID: String
    var scope: String?
    var authTime: Int64?
    var extraMembers: [UInt8]

    private struct Body: Decodable {
        var sub: String?
        var client_id: String?
        var scope: String?
        var auth_time: Int64?
    }

    /// Parses `{"sub": …, "client_id": …, "scope"?: …, "auth_time"?: …, "claims"?: {…}}`.
    init(json bytes: [UInt8]) throws {
        guard let object = try? JSONSerialization.jsonObject(with: Data(bytes)) as? [String: Any] else {
            throw BatonError(.invalidRequest, hint: "the body must be a JSON object")
        }
        let unknown = Set(object.keys).subtracting(["sub", "client_id", "scope", "auth_time", "claims"])
        guard unknown.isEmpty else {
            throw BatonError(.invalidRequest, hint: "unknown member '\(FormBody.printable(unknown.sorted()[0]))'")
        }
        guard let body = try? JSONDecoder().decode(Body.self, from: Data(bytes)) else {
            throw BatonError(.invalidRequest,
                             hint: "'sub', 'client_id' and 'scope' must be strings and 'auth_time' whole seconds since 1970")
        }
        guard let subject = body.sub, !subject.isEmpty else {
            throw BatonError(.invalidRequest, hint: "'sub' (the authenticated subject) is required")
        }
        guard subject.utf8.count <= 255, !subject.unicodeScalars.contains(where: { $0.value < 0x20 || $0.value == 0x7F }) else {
            throw BatonError(.invalidRequest, hint: "'sub' must be at most 255 bytes without control characters")
        }
        guard let clientID = body.client_id else {
            throw BatonError(.invalidRequest, hint: "'client_id' (the client the session is for) is required")
        }
        if let authTime = body.auth_time, authTime < 0 {
            throw BatonError(.invalidRequest, hint: "'auth_time' must be seconds since 1970")
        }
        self.subject = subject
        self.clientID = clientID
        self.scope = body.scope
        self.authTime = body.auth_time
        self.extraMembers = try Self.members(of: object["claims"])
    }

    /// Extra claims as JSON members, checked: an object, no reserved names, at most 4 KiB.
    private static func members(of claims: Any?) throws -> [UInt8] {
        guard let claims else { return [] }
        guard let object = claims as? [String: Any] else {
            throw BatonError(.invalidRequest, hint: "'claims' must be a JSON object")
        }
        var members: [UInt8] = []
        for name in object.keys.sorted() {
            guard !AccessClaims.reservedNames.contains(name) else {
                throw BatonError(.invalidRequest, hint: "claim '\(name)' is set by Baton and cannot be given")
            }
            guard let value = try? JSONSerialization.data(withJSONObject: object[name]!, options: [.fragmentsAllowed, .sortedKeys]) else {
                throw BatonError(.invalidRequest, hint: "claim '\(FormBody.printable(name))' is not valid JSON")
            }
            if !members.isEmpty { members.append(UInt8(ascii: ",")) }
            JSONWriter.appendString(name.utf8, to: &members)
            members.append(UInt8(ascii: ":"))
            members += value
        }
        guard members.count <= 4096 else { throw BatonError(.invalidRequest, hint: "'claims' is larger than 4 KiB") }
        return members
    }
}

extension TokenService {
    /// Creates a session (a new family) for an authenticated subject on a client; the caller must
    /// be a confidential client with the `sessions` permission.
    func createSession(caller: Client, request: SessionRequest) async throws -> TokenResponse {
        guard caller.isConfidential, caller.permissions.contains(.sessions) else {
            throw BatonError(.unauthorizedClient, hint: "the caller lacks the 'sessions' permission")
        }
        guard Client.isValidID(request.clientID), let client = try await clients.client(request.clientID) else {
            throw BatonError(.invalidRequest, hint: "no client with that client_id")
        }
        guard client.grantTypes.contains(.refreshToken) else {
            throw BatonError(.unauthorizedClient, hint: "the client may not hold refresh tokens")
        }
        let allowed = try Scope(parsing: client.allowedScopes.joined(separator: " "))
        let scope = try request.scope.map { try Scope(parsing: $0) } ?? allowed
        guard scope.isSubset(of: allowed) else {
            throw BatonError(.invalidScope, hint: "the scope exceeds what the client may hold")
        }
        let now = self.now()
        let session = try codec.newSession(for: request.subject)
        let authTime = request.authTime ?? now / 1000
        let family = NewFamily(
            session: session, clientID: client.id, subject: request.subject, scope: scope.description, authTime: authTime,
            claims: String(decoding: request.extraMembers, as: UTF8.self),
            expiresAt: now + Int64(client.policy.absoluteLifetime) * 1000,
            idleTimeoutMilliseconds: Int64(client.policy.idleTimeout) * 1000)
        _ = try await families.create(family, now: now)
        let access = try accessToken(for: client, subject: request.subject, scope: scope.description,
                                     sessionID: session.description, authTime: authTime,
                                     extraMembers: request.extraMembers, at: now)
        return TokenResponse(accessToken: access.token, expiresIn: access.expiresIn,
                             refreshToken: try codec.token(for: session, generation: 0), scope: scope.description,
                             sessionID: session.description, keyID: access.keyID)
    }

    /// RFC 6749 §4.4: an access token for the client itself; no refresh token.
    func clientCredentials(client: Client, form: FormBody) throws -> TokenResponse {
        guard client.isConfidential else {
            throw BatonError(.unauthorizedClient, hint: "public clients cannot use client_credentials")
        }
        guard client.grantTypes.contains(.clientCredentials) else {
            throw BatonError(.unauthorizedClient, hint: "the client may not use the client_credentials grant")
        }
        let allowed = try Scope(parsing: client.allowedScopes.joined(separator: " "))
        let scope = try form["scope"].map { try Scope(parsing: $0) } ?? allowed
        guard scope.isSubset(of: allowed) else {
            throw BatonError(.invalidScope, hint: "the scope exceeds what the client may hold")
        }
        let access = try accessToken(for: client, subject: client.id, scope: scope.description, sessionID: nil,
                                     authTime: nil, extraMembers: [], at: now())
        return TokenResponse(accessToken: access.token, expiresIn: access.expiresIn, refreshToken: nil,
                             scope: scope.description, sessionID: nil, keyID: access.keyID)
    }
}
