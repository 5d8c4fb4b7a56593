import CourseModel
import Foundation
import Yams

/// Reads a course folder's `course.yaml` strictly into a `Course`: every key known, every
/// value typed and checked, media files found inside the folder, all errors reported at once.
public enum CourseManifest {
    /// The manifest's file name inside a course folder.
    public static let fileName = "course.yaml"

    static let courseKeys = [
        "slug", "title", "description", "language", "category", "difficulty", "price", "creator",
        "duration_minutes", "steps",
    ]
    static let priceKeys = ["model", "amount", "period_days"]
    /// Telegram's cap on a Stars subscription's price per period (createInvoiceLink).
    static let maxSubscriptionStars = 10_000

    /// Reads `course.yaml` in `directory`.
    ///
    /// `displayPath` is the folder as the user wrote it (command line or bots.yaml); diagnostics
    /// name the file `displayPath/course.yaml` (a `displayPath` already ending in `course.yaml` is
    /// taken as the file itself). Media `file:` paths are checked against `directory`.
    public static func load(directory: String, displayPath: String) throws(DiagnosticsError) -> Course {
        let (course, diagnostics) = read(directory: directory, displayPath: displayPath)
        guard let course, !diagnostics.containsError else { throw DiagnosticsError(diagnostics) }
        return course
    }

    /// Parses course.yaml text. `file` names it in diagnostics; with a `directory`, media files
    /// are checked there (and `folderDisplayPath` names that folder in messages), without one they are not.
    public static func parse(
        yaml: String, file: String, directory: String? = nil, folderDisplayPath: String? = nil
    ) throws(DiagnosticsError) -> Course {
        let folder = directory.map { MediaFolder(absolute: Paths.absolute($0), display: folderDisplayPath ?? $0) }
        let (course, diagnostics) = parse(yaml: yaml, file: file, media: folder)
        guard let course, !diagnostics.containsError else { throw DiagnosticsError(diagnostics) }
        return course
    }

    /// `folder/course.yaml` as a user would write it.
    public static func manifestDisplayPath(forFolder folder: String) -> String {
        if folder == fileName || folder.hasSuffix("/" + fileName) { return folder }
        return Paths.join(folder, fileName)
    }

    /// The folder part of a display path that may name course.yaml itself.
    static func folderDisplayPath(_ displayPath: String) -> String {
        if displayPath == fileName { return "." }
        if displayPath.hasSuffix("/" + fileName) { return String(displayPath.dropLast(fileName.count + 1)) }
        return displayPath
    }

    /// The absolute path of a `MediaSource.file` path of the course in `directory`.
    public static func mediaPath(_ relativePath: String, inCourse directory: String) -> String {
        Paths.absolute(relativePath, base: Paths.absolute(directory))
    }

    /// The course (nil when unusable) and every diagnostic, warnings included.
    static func read(directory: String, displayPath: String) -> (Course?, [Diagnostic]) {
        let file = manifestDisplayPath(forFolder: displayPath)
        let absolute = Paths.absolute(directory)
        let manifest = Paths.join(absolute, fileName)
        let text: String
        switch ManifestText.read(manifest) {
        case .success(let read): text = read
        case .failure(.notUTF8(let line, let column)):
            return (nil, [Diagnostic(file: file, line: line, column: column, message: ManifestText.notUTF8Message)])
        case .failure(.unreadable):
            var isFolder: ObjCBool = false
            let reason: String = if !FileManager.default.fileExists(atPath: absolute, isDirectory: &isFolder) || !isFolder.boolValue {
                "no such course folder"
            } else if FileManager.default.fileExists(atPath: manifest) {
                "cannot read \(fileName)"
            } else {
                "no \(fileName) in the course folder"
            }
            return (nil, [Diagnostic(file: file, line: 0, column: 0, message: reason)])
        }
        return parse(yaml: text, file: file, media: MediaFolder(absolute: absolute, display: folderDisplayPath(displayPath)))
    }

    static func parse(yaml: String, file: String, media: MediaFolder?) -> (Course?, [Diagnostic]) {
        var reader = ManifestReader(file: file)
        guard let root = reader.compose(yaml, what: fileName),
              let top = reader.fields(root, in: "course", allowed: courseKeys)
        else { return (nil, reader.diagnostics) }
        let course = reader.course(top, media: media)
        return (course, reader.diagnostics)
    }
}

/// The course folder media paths are resolved in: absolute for the disk, as written for messages.
struct MediaFolder {
    var absolute: String
    var display: String
}

extension ManifestReader {
    fileprivate mutating func course(_ top: Fields, media: MediaFolder?) -> Course? {
        let slugNode = require(top, "slug", in: "course")
        var slug = slugNode.flatMap { text($0, "slug") }
        if let value = slug, let slugNode, !Self.isSlug(value) {
            error("slug must be lowercase letters, digits and '-' (like swift-basics), got '\(value)'", at: slugNode)
            slug = nil
        }
        let title = require(top, "title", in: "course").flatMap { text($0, "title") }
        if let title, title.trimmingCharacters(in: .whitespaces).isEmpty {
            error("title must not be empty", at: top["title"])
        }
        var course = Course(slug: slug ?? "", title: title ?? "", steps: [])
        course.description = string(top, "description") ?? ""
        if let node = top["language"], let language = text(node, "language") {
            if Self.isLanguageCode(language) {
                course.language = language
            } else {
                error("language must be a language code like en or pt-br, got '\(language)'", at: node)
            }
        }
        course.category = string(top, "category")
        if let node = top["difficulty"], let difficulty = int(node, "difficulty") {
            if (1...5).contains(difficulty) {
                course.difficulty = difficulty
            } else {
                error("difficulty must be between 1 and 5, got \(difficulty)", at: node)
            }
        }
        if let node = top["creator"], let creator = int64(node, "creator") {
            if creator > 0 {
                course.creator = creator
            } else {
                error("creator must be a positive Telegram user id, got \(creator)", at: node)
            }
        }
        if let node = top["duration_minutes"], let minutes = int(node, "duration_minutes") {
            if minutes > 0 {
                course.durationMinutes = minutes
            } else {
                error("duration_minutes must be positive, got \(minutes)", at: node)
            }
        }
        var priceIsValid = true
        if let node = top["price"] {
            if let fields = fields(node, in: "price", allowed: CourseManifest.priceKeys), let price = price(fields) {
                course.price = price
            } else {
                priceIsValid = false
            }
        }
        if let node = require(top, "steps", in: "course"), let items = list(node, "steps") {
            if items.isEmpty {
                error("steps must not be empty: a course needs at least one step", at: node)
            }
            course.steps = steps(items, media: media)
            if priceIsValid { checkPaidSteps(course, items: items, priceNode: top["price"]) }
        }
        return hasErrors ? nil : course
    }

    private mutating func price(_ fields: Fields) -> Price? {
        guard let modelNode = require(fields, "model", in: "price"),
              let model = choice(modelNode, "model", ["free", "paid", "freemium", "subscription"])
        else { return nil }
        var amount: Int?
        var amountIsValid = true
        if let node = fields["amount"], let value = int(node, "amount") {
            if value > 0 {
                amount = value
            } else {
                error("amount must be a positive number of Stars, got \(value)", at: node)
                amountIsValid = false
            }
        } else if fields.has("amount") {
            amountIsValid = false
        }
        let periodNode = fields["period_days"]
        if model != "subscription", let periodNode {
            error("period_days is only used with model subscription", at: fields.entries["period_days"]?.key ?? periodNode)
        }
        switch model {
        case "free":
            if fields.has("amount") {
                error("amount is not used with model free", at: fields.entries["amount"]?.key)
                return nil
            }
            return .free
        case "paid":
            guard let amount else {
                if amountIsValid { error("a paid course needs an amount greater than 0", at: fields.node) }
                return nil
            }
            return .paid(amount: amount)
        case "freemium":
            return amountIsValid ? .freemium(unlockAll: amount) : nil
        default:
            var period: Int?
            if let periodNode, let days = int(periodNode, "period_days") {
                if days == 30 {
                    period = days
                } else {
                    error("period_days must be 30, the only subscription period Telegram allows, got \(days)", at: periodNode)
                }
            } else if periodNode == nil {
                error("a subscription needs period_days: 30", at: fields.node)
            }
            if amount == nil, amountIsValid { error("a subscription needs an amount greater than 0", at: fields.node) }
            if let value = amount, value > CourseManifest.maxSubscriptionStars, let node = fields["amount"] {
                error("a subscription costs at most \(CourseManifest.maxSubscriptionStars) Stars a period (Telegram's limit), got \(value)", at: node)
                return nil
            }
            guard let amount, let period else { return nil }
            return .subscription(amount: amount, periodDays: period)
        }
    }

    /// `paid: true` steps are bought on their own: only in a freemium course, and with a price.
    private mutating func checkPaidSteps(_ course: Course, items: [Node], priceNode: Node?) {
        guard !course.steps.isEmpty else { return }
        let nodesById = Dictionary(items.compactMap { item -> (String, Node)? in
            guard case .mapping(let mapping) = item, let id = mapping["id"]?.string else { return nil }
            return (id, item)
        }, uniquingKeysWith: { first, _ in first })
        var anyPaid = false
        for step in course.steps {
            let node = nodesById[step.id]
            let paidKey = node.flatMap { key("paid", in: $0) }
            guard step.paid else { continue }
            anyPaid = true
            guard case .freemium = course.price else {
                error("step '\(step.id)' is paid: true, but only a freemium course sells steps on their own (course price model is \(course.price.model))", at: paidKey ?? node)
                continue
            }
            if step.price == nil {
                error("step '\(step.id)' is paid: true in a freemium course and needs its own price greater than 0", at: paidKey ?? node)
            }
        }
        if case .freemium = course.price, !anyPaid {
            warning("a freemium course without paid: true steps sells nothing", at: priceNode)
        }
    }

    /// The key node of `name` in a mapping node, for pointing at it.
    func key(_ name: String, in node: Node) -> Node? {
        guard case .mapping(let mapping) = node else { return nil }
        return mapping.first { $0.key.string == name }?.key
    }

    static func isSlug(_ text: String) -> Bool {
        !text.isEmpty && text.count <= 64 && text.unicodeScalars.allSatisfy {
            ("a"..."z").contains($0) || ("0"..."9").contains($0) || $0 == "-"
        }
    }

    static func isLanguageCode(_ text: String) -> Bool {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        guard let first = parts.first, (2...3).contains(first.count) else { return false }
        return parts.allSatisfy { !$0.isEmpty && $0.count <= 8 && $0.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber) } }
    }
}
