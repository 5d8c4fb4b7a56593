import Crypto
import Foundation

/// Telegram's two signed sign-in payloads, checked (and, for tests and `gongbu demo`, made)
/// with the bot's token as Telegram documents:
/// - a Mini App's `initData` (a URL-encoded query string): the key is
///   HMAC-SHA-256("WebAppData", token);
/// - the Login Widget's fields: the key is SHA-256(token).
/// In both, `hash` is the hex HMAC-SHA-256 of the data-check string: every other field as
/// `key=value`, sorted by key, joined by newlines.
public enum TelegramSignIn {
    /// The user a payload names, with the fields the workspace shows.
    public struct SignedUser: Sendable, Equatable {
        public var id: Int64
        public var firstName: String
        public var username: String?
        public var authDate: Int64

        public init(id: Int64, firstName: String, username: String? = nil, authDate: Int64) {
            self.id = id
            self.firstName = firstName
            self.username = username
            self.authDate = authDate
        }
    }

    /// Why a payload was refused (every case answers 401; the reason goes to the log only).
    public enum Refusal: Error, Sendable, Equatable {
        case malformed(String)
        case badHash
        case expired
    }

    // MARK: Mini App init data

    /// The user of a Mini App's `initData`, when its hash is right and `auth_date` is at most
    /// `maxAge` seconds before `now` (and not more than a minute in the future).
    public static func verifyInitData(_ initData: String, token: String, now: Double, maxAge: Double = 86_400) throws(Refusal) -> SignedUser {
        let fields = try parseQuery(initData)
        guard let hash = fields["hash"] else { throw .malformed("no hash") }
        let key = webAppKey(token: token)
        guard constantTimeEqual(hexHMAC(dataCheckString(fields), key: key), hash.lowercased()) else { throw .badHash }
        let authDate = try self.authDate(fields, now: now, maxAge: maxAge)
        guard let userJSON = fields["user"], let data = userJSON.data(using: .utf8),
              let user = try? JSONSerialization.jsonObject(with: data) as? [String: Any],
              let id = (user["id"] as? NSNumber)?.int64Value
        else { throw .malformed("no user") }
        return SignedUser(id: id, firstName: user["first_name"] as? String ?? "", username: user["username"] as? String, authDate: authDate)
    }

    /// A Mini App `initData` string for `user`, signed with `token`, as a Telegram client would
    /// pass it (for tests and for `gongbu demo`, whose emulator plays Telegram).
    public static func makeInitData(user: SignedUser, token: String, queryId: String = "AAE-gongbu") -> String {
        var userObject: [String: Any] = ["id": user.id, "first_name": user.firstName]
        if let username = user.username { userObject["username"] = username }
        let userData = (try? JSONSerialization.data(withJSONObject: userObject, options: [.sortedKeys])) ?? Data()
        var fields = [
            "auth_date": String(user.authDate), "query_id": queryId,
            "user": String(decoding: userData, as: UTF8.self),
        ]
        fields["hash"] = hexHMAC(dataCheckString(fields), key: webAppKey(token: token))
        return fields.keys.sorted().map { "\($0)=\(percentEncode(fields[$0]!))" }.joined(separator: "&")
    }

    // MARK: Login Widget

    /// The user of Login Widget fields (`id`, `first_name`, `username`?, `photo_url`?,
    /// `auth_date`, `hash`, all as strings), when the hash is right and the data is fresh.
    public static func verifyWidget(_ fields: [String: String], token: String, now: Double, maxAge: Double = 86_400) throws(Refusal) -> SignedUser {
        guard let hash = fields["hash"] else { throw .malformed("no hash") }
        let key = Array(SHA256.hash(data: Data(token.utf8)))
        guard constantTimeEqual(hexHMAC(dataCheckString(fields), key: key), hash.lowercased()) else { throw .badHash }
        let authDate = try self.authDate(fields, now: now, maxAge: maxAge)
        guard let id = fields["id"].flatMap({ Int64($0) }) else { throw .malformed("no id") }
        return SignedUser(id: id, firstName: fields["first_name"] ?? "", username: fields["username"], authDate: authDate)
    }

    /// Login Widget fields for `user`, signed with `token` (for tests).
    public static func makeWidget(user: SignedUser, token: String) -> [String: String] {
        var fields = ["id": String(user.id), "first_name": user.firstName, "auth_date": String(user.authDate)]
        if let username = user.username { fields["username"] = username }
        fields["hash"] = hexHMAC(dataCheckString(fields), key: Array(SHA256.hash(data: Data(token.utf8))))
        return fields
    }

    // MARK: Shared rules

    /// Every field but `hash` as `key=value`, sorted by key, joined by `\n`.
    static func dataCheckString(_ fields: [String: String]) -> String {
        fields.filter { $0.key != "hash" }.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: "\n")
    }

    static func webAppKey(token: String) -> [UInt8] {
        Array(HMAC<SHA256>.authenticationCode(for: Data(token.utf8), using: SymmetricKey(data: Data("WebAppData".utf8))))
    }

    static func hexHMAC(_ message: String, key: [UInt8]) -> String {
        HMAC<SHA256>.authenticationCode(for: Data(message.utf8), using: SymmetricKey(data: key))
            .map { String(format: "%02x", $0) }.joined()
    }

    static func authDate(_ fields: [String: String], now: Double, maxAge: Double) throws(Refusal) -> Int64 {
        guard let authDate = fields["auth_date"].flatMap({ Int64($0) }) else { throw .malformed("no auth_date") }
        let age = now - Double(authDate)
        guard age <= maxAge, age >= -60 else { throw .expired }
        return authDate
    }

    /// A query string's fields, percent-decoded (`+` as a space); a field given twice is refused.
    static func parseQuery(_ query: String) throws(Refusal) -> [String: String] {
        var fields: [String: String] = [:]
        for pair in query.split(separator: "&", omittingEmptySubsequences: true) {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            guard let name = String(parts[0]).replacingOccurrences(of: "+", with: " ").removingPercentEncoding,
                  let value = String(parts.count > 1 ? parts[1] : "").replacingOccurrences(of: "+", with: " ").removingPercentEncoding
            else { throw .malformed("bad percent-encoding") }
            guard fields[name] == nil else { throw .malformed("field \(name) given twice") }
            fields[name] = value
        }
        return fields
    }

    static func percentEncode(_ value: String) -> String {
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~")
        return value.addingPercentEncoding(withAllowedCharacters: allowed) ?? value
    }

    static func constantTimeEqual(_ a: String, _ b: String) -> Bool {
        let x = Array(a.utf8), y = Array(b.utf8)
        guard x.count == y.count else { return false }
        return zip(x, y).reduce(UInt8(0)) { $0 | ($1.0 ^ $1.1) } == 0
    }
}
