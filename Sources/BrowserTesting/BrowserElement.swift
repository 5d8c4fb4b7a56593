import Foundation
import GongbuTesting

/// One element of the page (a W3C web element reference), with the commands a test runs on it.
public struct BrowserElement: Sendable, CustomStringConvertible {
    /// The key W3C WebDriver uses for element references in JSON.
    static let referenceKey = "element-6066-11e4-a52e-4f735466cecf"

    public let id: String
    /// How the element was found (`css "#save"`), for error messages.
    public let selector: String
    let session: BrowserSession

    public var description: String { selector }

    /// The reference as a script argument or an action origin.
    public var json: JSONValue { .object([Self.referenceKey: .string(id)]) }

    private var path: String { "/session/\(session.id)/element/\(id)" }

    public func click() async throws {
        _ = try await session.client.send(.POST, path + "/click", step: "click \(selector)")
    }

    /// Types `text` into the element (for `<input type=file>`: a file path to upload).
    public func sendKeys(_ text: String) async throws {
        _ = try await session.client.send(.POST, path + "/value", ["text": .string(text)], step: "type into \(selector)")
    }

    public func clear() async throws {
        _ = try await session.client.send(.POST, path + "/clear", step: "clear \(selector)")
    }

    /// Clears the field, then types `text`.
    public func replaceText(with text: String) async throws {
        try await clear()
        try await sendKeys(text)
    }

    /// Uploads a file through an `<input type=file>`: its absolute path typed into the input.
    public func upload(file: URL) async throws {
        guard FileManager.default.fileExists(atPath: file.path) else {
            throw BrowserError(step: "upload to \(selector)", message: "no file at \(file.path)")
        }
        _ = try await session.client.send(.POST, path + "/value", ["text": .string(file.path)], step: "upload \(file.lastPathComponent) to \(selector)")
    }

    /// The rendered text (what a user sees).
    public func text() async throws -> String {
        try await session.client.send(.GET, path + "/text", step: "read text of \(selector)").stringValue ?? ""
    }

    public func attribute(_ name: String) async throws -> String? {
        let value = try await session.client.send(.GET, path + "/attribute/\(name)", step: "read attribute \(name) of \(selector)")
        return value.isNull ? nil : value.stringValue
    }

    /// A DOM property (`value` of an input, `checked` of a box).
    public func property(_ name: String) async throws -> JSONValue {
        try await session.client.send(.GET, path + "/property/\(name)", step: "read property \(name) of \(selector)")
    }

    public func isDisplayed() async throws -> Bool {
        try await session.client.send(.GET, path + "/displayed", step: "is \(selector) displayed").boolValue ?? false
    }

    /// The first element under this one matching `css`.
    public func find(_ css: String) async throws -> BrowserElement {
        let value = try await session.client.send(
            .POST, path + "/element", ["using": "css selector", "value": .string(css)], step: "find \"\(css)\" in \(selector)")
        return try session.element(from: value, selector: "\(selector) \(css)")
    }

    public func findAll(_ css: String) async throws -> [BrowserElement] {
        let value = try await session.client.send(
            .POST, path + "/elements", ["using": "css selector", "value": .string(css)], step: "find all \"\(css)\" in \(selector)")
        return try (value.arrayValue ?? []).map { try session.element(from: $0, selector: "\(selector) \(css)") }
    }
}
