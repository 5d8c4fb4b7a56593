import CourseFlows
import CourseModel
import Foundation
import Manifests
import TelegramBotAPI

/// The inputs from outside that Gongbu parses, as fuzz targets: each takes arbitrary bytes,
/// must never crash, and checks the invariants its parser promises (a decoded value re-encodes
/// to the same value; callback data fits 64 bytes; split messages fit Telegram's limit).
/// `gongbu-fuzz` runs them under libFuzzer; `FuzzTargetsTests` replays the corpus and every
/// crash found as regression inputs.
public enum FuzzTarget: String, CaseIterable, Sendable {
    case update
    case callbackData = "callback-data"
    case courseManifest = "course-manifest"
    case botsConfig = "bots-config"
    case markdown

    /// Runs the target on one input; a broken invariant stops the process (a fuzzer finding).
    public func run(_ bytes: UnsafeRawBufferPointer) {
        switch self {
        case .update: Self.update(Data(bytes))
        case .callbackData: Self.callbackData(String(decoding: bytes, as: UTF8.self))
        case .courseManifest: Self.courseManifest(String(decoding: bytes, as: UTF8.self))
        case .botsConfig: Self.botsConfig(String(decoding: bytes, as: UTF8.self))
        case .markdown: Self.markdown(String(decoding: bytes, as: UTF8.self))
        }
    }

    /// A raw update as `getUpdates` hands it: decoded, re-encoded and decoded again to the same value.
    static func update(_ data: Data) {
        guard let update = try? JSONDecoder().decode(Update.self, from: data) else { return }
        guard let encoded = try? JSONEncoder().encode(update) else {
            fatalError("a decoded update does not encode: \(update)")
        }
        guard let again = try? JSONDecoder().decode(Update.self, from: encoded), again == update else {
            fatalError("an update changes across encode/decode: \(String(decoding: encoded, as: UTF8.self))")
        }
    }

    /// Button data: what decodes re-encodes to itself and fits 64 bytes.
    static func callbackData(_ text: String) {
        guard let decoded = CallbackData(decoding: text) else { return }
        let encoded = decoded.encoded
        precondition(encoded.utf8.count <= 64, "callback data over 64 bytes: \(encoded)")
        precondition(CallbackData(decoding: encoded) == decoded, "callback data does not round-trip: \(text) → \(encoded)")
    }

    /// course.yaml text: parsed or refused with diagnostics; a parsed course renders to YAML
    /// that parses back to the same course.
    static func courseManifest(_ yaml: String) {
        guard let course = try? CourseManifest.parse(yaml: yaml, file: "course.yaml") else { return }
        let rendered = CourseManifest.render(course: course)
        guard let again = try? CourseManifest.parse(yaml: rendered, file: "rendered.yaml") else {
            fatalError("a parsed course renders to YAML that does not parse:\n\(rendered)")
        }
        precondition(again == course, "a course changes across render/parse:\n\(rendered)")
    }

    /// bots.yaml text with every `${VAR}` unset or set: parsed or refused, never a crash.
    static func botsConfig(_ yaml: String) {
        _ = try? BotsConfig.parse(yaml: yaml, path: "bots.yaml", environment: [:])
        _ = try? BotsConfig.parse(yaml: yaml, path: "bots.yaml", environment: ["TOKEN": "123456:ABCdefGhIJKlmNoPQRsTUVwxyZ0123456789"])
    }

    /// A creator's Markdown: rendered to Telegram HTML, split into messages that each fit
    /// Telegram's limit, with the visible text kept.
    static func markdown(_ text: String) {
        let html = MarkdownRenderer().render(text)
        _ = MarkdownRenderer().renderInline(text)
        let parts = MessageSplitter.split(html: html)
        for part in parts {
            precondition(TelegramHTML.visibleLength(of: part) <= TelegramHTML.messageLimit, "a split part is over the limit")
        }
        let small = MessageSplitter.split(html: html, limit: 64)
        for part in small {
            precondition(TelegramHTML.visibleLength(of: part) <= 64, "a split part is over its limit of 64: \(part)")
        }
    }
}
