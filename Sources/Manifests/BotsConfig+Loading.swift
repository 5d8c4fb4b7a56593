import Foundation
import Yams

extension BotsConfig {
    static let topKeys = ["telegram", "data_dir", "http", "manager", "payments", "bots"]
    static let telegramKeys = ["api_url", "poll_timeout"]
    static let httpKeys = ["listen", "public_url"]
    static let managerKeys = ["token", "admins", "creators"]
    static let paymentsKeys = ["provider_token", "terms_url", "currency", "commission_percent"]
    static let botKeys = ["token", "course"]

    /// Reads bots.yaml at `path` (relative to the current directory or absolute).
    ///
    /// `environment` feeds `${VAR}` and `GONGBU_TELEGRAM_API_URL`; the library never reads the
    /// process environment itself. Every problem is collected; diagnostics name the file as `path`.
    public static func load(path: String, environment: [String: String]) throws(DiagnosticsError) -> BotsConfig {
        let (config, diagnostics) = read(path: path, environment: environment)
        guard let config, !diagnostics.containsError else { throw DiagnosticsError(diagnostics) }
        return config
    }

    /// Parses bots.yaml text; `path` names it in diagnostics and anchors relative paths.
    public static func parse(
        yaml: String, path: String, environment: [String: String]
    ) throws(DiagnosticsError) -> BotsConfig {
        let (config, diagnostics) = parse(yaml: yaml, displayPath: path, absolutePath: Paths.absolute(path), environment: environment)
        guard let config, !diagnostics.containsError else { throw DiagnosticsError(diagnostics) }
        return config
    }

    /// The config (nil when unusable) and every diagnostic, warnings included.
    static func read(path: String, environment: [String: String]) -> (BotsConfig?, [Diagnostic]) {
        let text: String
        switch ManifestText.read(path) {
        case .success(let read): text = read
        case .failure(let failure):
            let reason = FileManager.default.fileExists(atPath: path) ? "cannot read file" : "no such file"
            return (nil, [ManifestText.diagnostic(failure, file: path, unreadable: reason)])
        }
        return parse(yaml: text, displayPath: path, absolutePath: Paths.absolute(path), environment: environment)
    }

    static func parse(
        yaml: String, displayPath: String, absolutePath: String, environment: [String: String]
    ) -> (BotsConfig?, [Diagnostic]) {
        var reader = ManifestReader(file: displayPath, environment: environment)
        let base = (absolutePath as NSString).deletingLastPathComponent
        guard let root = reader.compose(yaml, what: "bots.yaml"),
              let top = reader.fields(root, in: "bots.yaml", allowed: topKeys)
        else { return (nil, reader.diagnostics) }

        var config = BotsConfig(dataDir: Paths.absolute("data", base: base), baseDirectory: base)
        if let node = top["telegram"], let fields = reader.fields(node, in: "telegram", allowed: telegramKeys) {
            config.telegram = reader.telegram(fields)
        }
        if let override = environment[apiURLOverrideVariable], !override.isEmpty {
            if let url = validAPIURL(override) {
                config.telegram.apiURL = url
            } else {
                reader.error("\(apiURLOverrideVariable) must be an http(s) URL, got '\(override)'", at: nil as Position?)
            }
        }
        if let node = top["data_dir"], let dataDir = reader.text(node, "data_dir") {
            if dataDir.isEmpty {
                reader.error("data_dir must not be empty", at: node)
            } else {
                config.dataDir = Paths.absolute(dataDir, base: base)
            }
        }
        if let node = top["http"], let fields = reader.fields(node, in: "http", allowed: httpKeys) {
            config.http = reader.http(fields)
        }
        if let node = top["manager"], let fields = reader.fields(node, in: "manager", allowed: managerKeys) {
            config.manager = reader.manager(fields)
        }
        if let node = top["payments"], let fields = reader.fields(node, in: "payments", allowed: paymentsKeys) {
            config.payments = reader.payments(fields)
        }
        if let node = top["bots"], let items = reader.list(node, "bots") {
            config.bots = reader.bots(items, base: base, manager: config.manager)
        }
        return (config, reader.diagnostics)
    }

    /// The URL without trailing slashes when it is an absolute http(s) URL.
    static func validAPIURL(_ text: String) -> String? {
        guard let url = URL(string: text), let scheme = url.scheme?.lowercased(),
              scheme == "http" || scheme == "https", let host = url.host, !host.isEmpty
        else { return nil }
        var trimmed = text
        while trimmed.hasSuffix("/") { trimmed.removeLast() }
        return trimmed
    }

    /// `123456:***`: how a token may appear in a message.
    static func masked(_ token: String) -> String {
        let id = token.prefix { $0 != ":" }
        return id.isEmpty || !id.allSatisfy(\.isNumber) ? "***" : "\(id):***"
    }

    /// Whether text has the shape of a Bot API token (`digits:secret`); never printed.
    static func looksLikeToken(_ text: String) -> Bool {
        let parts = text.split(separator: ":", maxSplits: 1, omittingEmptySubsequences: false)
        guard parts.count == 2, !parts[0].isEmpty, parts[0].allSatisfy({ $0.isASCII && $0.isNumber }),
              !parts[1].isEmpty
        else { return false }
        return parts[1].allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "_" || $0 == "-") }
    }
}

extension ManifestReader {
    fileprivate mutating func telegram(_ fields: Fields) -> BotsConfig.Telegram {
        var telegram = BotsConfig.Telegram()
        if let node = fields["api_url"], let text = text(node, "api_url") {
            if let url = BotsConfig.validAPIURL(text) {
                telegram.apiURL = url
            } else {
                error("api_url must be an http(s) URL, got '\(text)'", at: node)
            }
        }
        if let node = fields["poll_timeout"], let timeout = int(node, "poll_timeout") {
            if (0...600).contains(timeout) {
                telegram.pollTimeout = timeout
            } else {
                error("poll_timeout must be between 0 and 600 seconds, got \(timeout)", at: node)
            }
        }
        return telegram
    }

    fileprivate mutating func http(_ fields: Fields) -> BotsConfig.HTTP? {
        guard let node = require(fields, "listen", in: "http"), let listen = text(node, "listen") else { return nil }
        guard let colon = listen.lastIndex(of: ":"), let port = Int(listen[listen.index(after: colon)...]),
              (1...65535).contains(port)
        else {
            error("listen must be host:port (e.g. 127.0.0.1:8080), got '\(listen)'", at: node)
            return nil
        }
        var host = String(listen[..<colon])
        if host.hasPrefix("["), host.hasSuffix("]") { host = String(host.dropFirst().dropLast()) }
        var publicURL: String?
        if let node = fields["public_url"], let text = text(node, "public_url") {
            let trimmed = text.hasSuffix("/") ? String(text.dropLast()) : text
            if let url = URL(string: trimmed), url.scheme == "https", let host = url.host, !host.isEmpty, url.query == nil, url.fragment == nil {
                publicURL = trimmed
            } else {
                error("public_url must be an https:// URL (e.g. https://gongbu.example.org), got '\(text)'", at: node)
            }
        }
        return BotsConfig.HTTP(listen: listen, host: host.isEmpty ? "0.0.0.0" : host, port: port, publicURL: publicURL)
    }

    fileprivate mutating func manager(_ fields: Fields) -> BotsConfig.Manager? {
        var manager = BotsConfig.Manager(token: "")
        if let node = require(fields, "token", in: "manager"), let token = self.token(node, "manager.token") {
            manager.token = token
        }
        if let node = fields["admins"], let items = list(node, "admins") {
            manager.admins = items.compactMap { item in
                guard let id = int64(item, "an admin id") else { return nil }
                guard id > 0 else {
                    error("an admin id must be a positive Telegram user id, got \(id)", at: item)
                    return nil
                }
                return id
            }
        }
        if let node = fields["creators"], let value = choice(node, "creators", BotsConfig.CreatorsPolicy.allCases.map(\.rawValue)) {
            manager.creators = BotsConfig.CreatorsPolicy(rawValue: value) ?? .open
        }
        return manager.token.isEmpty ? nil : manager
    }

    fileprivate mutating func payments(_ fields: Fields) -> BotsConfig.Payments {
        var payments = BotsConfig.Payments()
        if let token = string(fields, "provider_token") { payments.providerToken = token }
        if let node = fields["terms_url"], let url = text(node, "terms_url") {
            if BotsConfig.validAPIURL(url) == nil {
                error("terms_url must be an http(s) URL, got '\(url)'", at: node)
            } else {
                payments.termsURL = url
            }
        }
        if let node = fields["currency"], let currency = text(node, "currency") {
            let valid = currency.count == 3 && currency.allSatisfy { $0.isASCII && $0.isUppercase }
            if !valid {
                error("currency must be a three-letter ISO 4217 code (e.g. XTR, USD), got '\(currency)'", at: node)
            } else if payments.usesStars && currency != "XTR" {
                error("currency must be XTR (Telegram Stars) when provider_token is empty, got '\(currency)'", at: node)
            } else {
                payments.currency = currency
            }
        } else if !payments.usesStars {
            error("payments.currency is required with a provider_token (e.g. USD)", at: fields.node)
        }
        if let node = fields["commission_percent"], let percent = int(node, "commission_percent") {
            if (0...100).contains(percent) {
                payments.commissionPercent = percent
            } else {
                error("commission_percent must be between 0 and 100, got \(percent)", at: node)
            }
        }
        return payments
    }

    fileprivate mutating func bots(_ items: [Node], base: String, manager: BotsConfig.Manager?) -> [BotsConfig.Bot] {
        var bots: [BotsConfig.Bot] = []
        var tokens: [String: Int] = [:]
        var folders: [String: Int] = [:]
        if let manager { tokens[manager.token] = -1 }
        for (index, item) in items.enumerated() {
            let context = "bots[\(index)]"
            guard let fields = fields(item, in: context, allowed: BotsConfig.botKeys) else { continue }
            let tokenNode = require(fields, "token", in: context)
            let token = tokenNode.flatMap { self.token($0, "token") }
            let courseNode = require(fields, "course", in: context)
            var folder = courseNode.flatMap { text($0, "course") }
            if let courseNode, folder == "" {
                error("course must name the folder holding course.yaml", at: courseNode)
                folder = nil
            }
            if let token, let tokenNode {
                if let other = tokens[token] {
                    let owner = other < 0 ? "the manager bot" : "bots[\(other)]"
                    error("token \(BotsConfig.masked(token)) is already used by \(owner)", at: tokenNode)
                } else {
                    tokens[token] = index
                }
            }
            guard let token, let folder, let courseNode else { continue }
            let absolute = Paths.absolute(folder, base: base)
            if let other = folders[absolute] {
                error("course '\(folder)' is already served by bots[\(other)]", at: courseNode)
                continue
            }
            folders[absolute] = index
            bots.append(BotsConfig.Bot(
                token: token, course: absolute, coursePath: folder,
                line: courseNode.mark?.line ?? 0, column: courseNode.mark?.column ?? 0))
        }
        return bots
    }

    /// A token value: checked for shape, never echoed.
    private mutating func token(_ node: Node, _ name: String) -> String? {
        guard let token = text(node, name)?.trimmingCharacters(in: .whitespaces) else { return nil }
        if token.isEmpty {
            error("\(name) is empty", at: node)
            return nil
        }
        guard BotsConfig.looksLikeToken(token) else {
            error("\(name) does not look like a bot token from @BotFather (123456:ABC-DEF...)", at: node)
            return nil
        }
        return token
    }
}
