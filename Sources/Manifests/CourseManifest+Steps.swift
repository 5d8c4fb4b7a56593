import CourseModel
import Foundation
import Yams

extension CourseManifest {
    static let commonStepKeys = ["id", "type", "title", "required", "paid", "price"]

    static func stepKeys(for type: StepType) -> [String] {
        switch type {
        case .text: commonStepKeys + ["text"]
        case .photo, .video, .document, .audio: commonStepKeys + ["file", "file_id", "url", "caption", "text"]
        case .quiz: commonStepKeys + ["pass_score", "attempts", "questions"]
        case .assignment: commonStepKeys + ["text", "accept", "review"]
        }
    }

    /// Telegram's upload limits for bots, bytes.
    static func uploadLimit(for kind: MediaStep.Kind) -> Int {
        kind == .photo ? 10 * 1024 * 1024 : 50 * 1024 * 1024
    }

    /// Telegram's caption limit, characters.
    static let captionLimit = 1024
    /// Step ids travel in callback data (64 bytes at most), so they stay short.
    static let stepIdLimit = 32
}

extension ManifestReader {
    mutating func steps(_ items: [Node], media: MediaFolder?) -> [Step] {
        var steps: [Step] = []
        var seen: [String: Int] = [:]
        for (index, item) in items.enumerated() {
            guard let step = step(item, index: index, media: media) else { continue }
            if let first = seen[step.id] {
                error("duplicate step id '\(step.id)' (first used by step \(first + 1))", at: idNode(of: item))
                continue
            }
            seen[step.id] = index
            steps.append(step)
        }
        return steps
    }

    private func idNode(of item: Node) -> Node? {
        guard case .mapping(let mapping) = item else { return item }
        return mapping["id"] ?? item
    }

    private mutating func step(_ node: Node, index: Int, media: MediaFolder?) -> Step? {
        guard case .mapping(let mapping) = node else {
            error("steps[\(index)] must be a mapping with id and type, got \(Self.kindName(node))", at: node)
            return nil
        }
        // Read the type first: the keys a step may have depend on it.
        let typeNames = StepType.allCases.map(\.rawValue)
        guard let typeNode = mapping["type"] else {
            error("missing key 'type' in steps[\(index)]; expected one of: \(typeNames.joined(separator: ", "))", at: node)
            return nil
        }
        guard let typeName = choice(typeNode, "type", typeNames), let type = StepType(rawValue: typeName) else {
            return nil
        }
        let idText = mapping["id"].flatMap { $0.scalar.map(\.string) }
        let context = idText.map { "step '\($0)'" } ?? "steps[\(index)]"
        guard let fields = fields(node, in: context, allowed: CourseManifest.stepKeys(for: type)) else { return nil }

        let idNode = require(fields, "id", in: context)
        var id = idNode.flatMap { text($0, "id") }
        if let value = id, let idNode, !Self.isStepId(value) {
            error("step id must be 1 to \(CourseManifest.stepIdLimit) letters, digits, '-' or '_', got '\(value)'", at: idNode)
            id = nil
        }
        let title = string(fields, "title")
        let required = bool(fields, "required") ?? true
        let paid = bool(fields, "paid") ?? false
        var price: Int?
        if let node = fields["price"], let value = int(node, "price") {
            if !paid {
                error("price is only used with paid: true (a step sold on its own)", at: fields.entries["price"]?.key)
            } else if value <= 0 {
                error("price must be a positive number of Stars, got \(value)", at: node)
            } else {
                price = value
            }
        }
        let content: StepContent?
        switch type {
        case .text:
            content = stepText(fields, context: context).map { .text($0) }
        case .photo, .video, .document, .audio:
            let kind = MediaStep.Kind(rawValue: type.rawValue) ?? .document
            content = mediaStep(fields, kind: kind, context: context, media: media).map { .media($0) }
        case .quiz:
            content = quiz(fields, context: context).map { .quiz($0) }
        case .assignment:
            content = assignment(fields, context: context).map { .assignment($0) }
        }
        guard let id, let content else { return nil }
        return Step(id: id, title: title, content: content, required: required, paid: paid, price: price)
    }

    /// The required, non-empty `text:` of a step.
    mutating func stepText(_ fields: Fields, context: String) -> String? {
        guard let node = require(fields, "text", in: context), let text = text(node, "text") else { return nil }
        guard !text.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else {
            error("text must not be empty", at: node)
            return nil
        }
        return text
    }

    private mutating func mediaStep(_ fields: Fields, kind: MediaStep.Kind, context: String, media: MediaFolder?) -> MediaStep? {
        let sourceKeys = ["file", "file_id", "url"]
        let given = sourceKeys.filter { fields.has($0) }
        guard given.count == 1, let key = given.first, let node = fields[key] else {
            if given.isEmpty {
                error("a \(kind.rawValue) step needs exactly one of file, file_id or url", at: fields.node)
            } else {
                error("a \(kind.rawValue) step takes only one of file, file_id or url, got \(given.joined(separator: " and "))",
                      at: fields.entries[given[1]]?.key)
            }
            return nil
        }
        var caption = string(fields, "caption")
        if let value = caption, value.count > CourseManifest.captionLimit {
            error("caption is \(value.count) characters; Telegram allows \(CourseManifest.captionLimit) (put the rest in text:)",
                  at: fields["caption"])
            caption = nil
        }
        let extra = string(fields, "text")
        guard let value = text(node, key), let source = mediaSource(key, value, node: node, kind: kind, media: media) else {
            return nil
        }
        return MediaStep(kind: kind, source: source, caption: caption, text: extra)
    }

    private mutating func mediaSource(_ key: String, _ value: String, node: Node, kind: MediaStep.Kind, media: MediaFolder?) -> MediaSource? {
        guard !value.trimmingCharacters(in: .whitespaces).isEmpty else {
            error("\(key) must not be empty", at: node)
            return nil
        }
        switch key {
        case "file_id":
            return .fileId(value)
        case "url":
            guard BotsConfig.validAPIURL(value) != nil else {
                error("url must be an http(s) URL, got '\(value)'", at: node)
                return nil
            }
            return .url(value)
        default:
            guard Paths.staysInside(value) else {
                error("file '\(value)' must be a relative path inside the course folder", at: node)
                return nil
            }
            if let media, !checkMediaFile(value, node: node, kind: kind, media: media) { return nil }
            return .file(value)
        }
    }

    /// Whether the media file exists inside the course folder, is readable and fits Telegram's limits.
    private mutating func checkMediaFile(_ relative: String, node: Node, kind: MediaStep.Kind, media: MediaFolder) -> Bool {
        let shown = Paths.join(media.display, relative)
        let path = Paths.absolute(relative, base: media.absolute)
        let manager = FileManager.default
        var isFolder: ObjCBool = false
        guard manager.fileExists(atPath: path, isDirectory: &isFolder) else {
            error("media file '\(relative)' not found (looked for \(shown))", at: node)
            return false
        }
        guard !isFolder.boolValue, manager.isReadableFile(atPath: path) else {
            error("media file '\(relative)' is not a readable file (\(shown))", at: node)
            return false
        }
        let realFolder = URL(fileURLWithPath: media.absolute).resolvingSymlinksInPath().path
        let realFile = URL(fileURLWithPath: path).resolvingSymlinksInPath().path
        guard realFile.hasPrefix(realFolder.hasSuffix("/") ? realFolder : realFolder + "/") else {
            error("media file '\(relative)' links outside the course folder", at: node)
            return false
        }
        let size = (try? manager.attributesOfItem(atPath: path)[.size] as? NSNumber)?.intValue ?? 0
        let limit = CourseManifest.uploadLimit(for: kind)
        guard size <= limit else {
            error("media file '\(relative)' is \(size / 1_048_576) MB; Telegram lets bots upload a \(kind.rawValue) of at most \(limit / 1_048_576) MB", at: node)
            return false
        }
        if size == 0 {
            error("media file '\(relative)' is empty", at: node)
            return false
        }
        return true
    }

    static func isStepId(_ text: String) -> Bool {
        !text.isEmpty && text.utf8.count <= CourseManifest.stepIdLimit && text.unicodeScalars.allSatisfy {
            $0.isASCII && ($0.properties.isAlphabetic || ("0"..."9").contains($0) || $0 == "-" || $0 == "_")
        }
    }
}
