import Crypto
import Foundation
import Storage
import TelegramBotAPI

/// Session tokens of the web workspace: `gw1.<user>.<expires>.<id>.<signature>`, the signature
/// an HMAC-SHA-256 under the install's secret (kept in the platform database), so a token is
/// checked without a lookup; only revocations (logout, refresh) are rows.
struct WorkspaceSessions: Sendable {
    let secret: [UInt8]

    static func newSecret() -> [UInt8] {
        (0..<32).map { _ in UInt8.random(in: 0...255) }
    }

    func issue(userId: Int64, expiresAt: Double) -> String {
        let id = (0..<16).map { _ in String(format: "%02x", UInt8.random(in: 0...255)) }.joined()
        let body = "gw1.\(userId).\(Int64(expiresAt)).\(id)"
        return "\(body).\(signature(body))"
    }

    /// The user, session id and expiry of a well-signed token (not checked for expiry here).
    func read(_ token: String) -> (userId: Int64, id: String, expiresAt: Double)? {
        let parts = token.split(separator: ".", omittingEmptySubsequences: false).map(String.init)
        guard parts.count == 5, parts[0] == "gw1", let user = Int64(parts[1]), let expires = Int64(parts[2]), parts[3].count == 32 else { return nil }
        let body = parts[0...3].joined(separator: ".")
        guard Self.same(signature(body), parts[4]) else { return nil }
        return (user, parts[3], Double(expires))
    }

    static func same(_ a: String, _ b: String) -> Bool {
        let x = Array(a.utf8), y = Array(b.utf8)
        guard x.count == y.count else { return false }
        return zip(x, y).reduce(UInt8(0)) { $0 | ($1.0 ^ $1.1) } == 0
    }

    private func signature(_ body: String) -> String {
        let mac = HMAC<SHA256>.authenticationCode(for: Data(body.utf8), using: SymmetricKey(data: secret))
        return Data(mac).base64EncodedString().replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }
}

extension Workspace {
    /// `POST /auth/telegram`: a Mini App's `initData`, signed with the manager bot's token; each
    /// payload is exchanged once (a replay is refused).
    public func signIn(initData: String, address: String) async throws -> Session {
        try limitSignIn(address)
        let signed: TelegramSignIn.SignedUser
        do {
            signed = try TelegramSignIn.verifyInitData(initData, token: managerToken, now: now)
        } catch {
            desk.logger.info("a Mini App sign-in was refused", metadata: ["reason": "\(error)"])
            throw WorkspaceError.unauthorized("the sign-in data is not valid or too old")
        }
        let hash = URLComponents(string: "?" + initData)?.queryItems?.first { $0.name == "hash" }?.value?.lowercased() ?? initData
        guard try await platform.useSignIn(hash: hash, expiresAt: Double(signed.authDate) + 86_400 + 120, now: now) else {
            throw WorkspaceError.unauthorized("this sign-in data was already used")
        }
        return try await open(signed)
    }

    /// `POST /auth/widget`: the Telegram Login Widget's fields, signed with the manager bot's token.
    public func signIn(widget fields: [String: String], address: String) async throws -> Session {
        try limitSignIn(address)
        let signed: TelegramSignIn.SignedUser
        do {
            signed = try TelegramSignIn.verifyWidget(fields, token: managerToken, now: now)
        } catch {
            desk.logger.info("a Login Widget sign-in was refused", metadata: ["reason": "\(error)"])
            throw WorkspaceError.unauthorized("the sign-in data is not valid or too old")
        }
        return try await open(signed)
    }

    func limitSignIn(_ address: String) throws {
        guard signIns.allow(address, now: now, limit: Self.signInsPerMinute) else {
            throw WorkspaceError.tooManyRequests("too many sign-in attempts; try again in a minute")
        }
    }

    /// A session for a user Telegram vouched for, when they may create courses.
    func open(_ signed: TelegramSignIn.SignedUser) async throws -> Session {
        let name = [signed.firstName, signed.username.map { "@\($0)" }].compactMap { $0 }.filter { !$0.isEmpty }.joined(separator: " ")
        guard let role = try await role(of: signed.id, registering: name) else {
            throw WorkspaceError.forbidden("you are not a course creator here; send /start to the manager bot to ask for access")
        }
        let expiresAt = (now + Self.sessionLifetime).rounded(.down)
        let user = User(id: signed.id, firstName: signed.firstName, role: role)
        try await platform.audit(actorId: user.id, action: "session.open", subject: String(user.id), details: "web", now: now)
        return Session(token: sessions.issue(userId: user.id, expiresAt: expiresAt), expiresAt: expiresAt, user: user)
    }

    /// `admin`, `creator`, or nil for a user who may not create courses (`creators: invite`,
    /// not approved). With `registering`, a new user under `creators: open` becomes a creator,
    /// as `/start` in the manager bot makes them.
    func role(of userId: Int64, registering name: String? = nil) async throws -> String? {
        if desk.isAdmin(userId) { return "admin" }
        if desk.isKnownCreator(userId) { return "creator" }
        switch try await platform.creator(userId: userId)?.status {
        case .active: return "creator"
        case .pending, .rejected: return nil
        case nil:
            guard let name, desk.creatorsPolicy == .open else { return nil }
            let (record, inserted) = try await platform.addCreator(userId: userId, name: name, status: .active, now: now)
            if inserted { try await platform.audit(actorId: userId, action: "creator.register", subject: String(userId), details: name, now: now) }
            return record.status == .active ? "creator" : nil
        }
    }

    /// The user of a bearer token: 401 when it is forged, expired or revoked; 403 when the
    /// user is no longer a creator.
    public func authenticate(bearer token: String) async throws -> User {
        let (user, _, _) = try await checked(token)
        return user
    }

    func checked(_ token: String) async throws -> (User, id: String, expiresAt: Double) {
        guard let (userId, id, expiresAt) = sessions.read(token), expiresAt > now else {
            throw WorkspaceError.unauthorized("the session is missing, invalid or expired; sign in again")
        }
        guard try await !platform.isSessionRevoked(id: id) else {
            throw WorkspaceError.unauthorized("the session was closed; sign in again")
        }
        guard let role = try await role(of: userId) else { throw WorkspaceError.forbidden("you are not a course creator here") }
        let name = try await platform.creator(userId: userId)?.name ?? ""
        return (User(id: userId, firstName: String(name.split(separator: " ").first ?? ""), role: role), id, expiresAt)
    }

    /// `POST /auth/refresh`: a new 12-hour token; the old one stops working.
    public func refresh(bearer token: String) async throws -> Session {
        let (user, id, expiresAt) = try await checked(token)
        try await platform.revokeSession(id: id, expiresAt: expiresAt, now: now)
        let renewed = (now + Self.sessionLifetime).rounded(.down)
        return Session(token: sessions.issue(userId: user.id, expiresAt: renewed), expiresAt: renewed, user: user)
    }

    /// `POST /auth/logout`: the token stops working.
    public func logout(bearer token: String) async throws {
        let (user, id, expiresAt) = try await checked(token)
        try await platform.revokeSession(id: id, expiresAt: expiresAt, now: now)
        try await platform.audit(actorId: user.id, action: "session.close", subject: String(user.id), details: "web", now: now)
    }
}
