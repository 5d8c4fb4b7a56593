import AsyncHTTPClient
import Foundation
import GongbuTesting
import NIOCore
import NIOHTTP1

/// W3C WebDriver over HTTP: one JSON request, the `value` of its answer, and a `BrowserError`
/// naming the step when chromedriver answers with an error.
struct WebDriverClient: Sendable {
    let baseURL: String
    var timeout: Duration = .seconds(90)

    func send(_ method: HTTPMethod, _ path: String, _ body: JSONValue? = nil, step: String) async throws -> JSONValue {
        var request = HTTPClientRequest(url: baseURL + path)
        request.method = method
        if let body {
            request.headers.add(name: "Content-Type", value: "application/json; charset=utf-8")
            request.body = .bytes(ByteBuffer(string: body.serialized))
        } else if method == .POST {
            request.headers.add(name: "Content-Type", value: "application/json; charset=utf-8")
            request.body = .bytes(ByteBuffer(string: "{}"))
        }
        let response: HTTPClientResponse
        let bytes: ByteBuffer
        do {
            response = try await HTTPClient.shared.execute(request, timeout: .seconds(Int64(timeout.components.seconds)))
            bytes = try await response.body.collect(upTo: 256 * 1024 * 1024)
        } catch {
            throw BrowserError(step: step, message: "chromedriver request \(method) \(path) failed: \(error)")
        }
        let text = String(buffer: bytes)
        let json: JSONValue
        do {
            json = try JSONValue.parse(Data(text.utf8))
        } catch {
            throw BrowserError(step: step, message: "chromedriver answered \(response.status.code) with non-JSON: \(text.prefix(300))")
        }
        let value = json["value"] ?? .null
        if response.status.code >= 400 || value["error"]?.stringValue != nil {
            throw BrowserError(
                step: step, code: value["error"]?.stringValue,
                message: value["message"]?.stringValue?.split(separator: "\n").first.map(String.init) ?? text.prefix(300).description)
        }
        return value
    }
}
