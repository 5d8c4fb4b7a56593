import AsyncHTTPClient
import Foundation
import GongbuTesting

/// A raw Bot API client for the emulator tests: AsyncHTTPClient, no Gongbu types.
struct EmulatorClient: Sendable {
    struct Answer: Sendable {
        var status: Int
        var json: JSONValue

        var ok: Bool { json["ok"] == true }
        var result: JSONValue? { json["result"] }
        var description: String? { json["description"]?.stringValue }
        var errorCode: Int64? { json["error_code"]?.intValue }
    }

    static let http = HTTPClient(
        eventLoopGroupProvider: .singleton,
        configuration: HTTPClient.Configuration(
            connectionPool: .init(idleTimeout: .seconds(60), concurrentHTTP1ConnectionsPerHostSoftLimit: 2_000)))

    let baseURL: String

    /// Calls `method` with a JSON body.
    func call(_ token: String, _ method: String, _ parameters: JSONValue = [:], timeout: Duration = .seconds(30)) async throws -> Answer {
        var request = HTTPClientRequest(url: "\(baseURL)/bot\(token)/\(method)")
        request.method = .POST
        request.headers.add(name: "Content-Type", value: "application/json")
        request.body = .bytes(Array(parameters.serialized.utf8))
        return try await send(request, timeout: timeout)
    }

    /// Calls `method` with an url-encoded form.
    func callForm(_ token: String, _ method: String, _ fields: [(String, String)]) async throws -> Answer {
        var request = HTTPClientRequest(url: "\(baseURL)/bot\(token)/\(method)")
        request.method = .POST
        request.headers.add(name: "Content-Type", value: "application/x-www-form-urlencoded")
        let allowed = CharacterSet.alphanumerics.union(CharacterSet(charactersIn: "-._~"))
        let body = fields.map { name, value in
            "\(name)=\(value.addingPercentEncoding(withAllowedCharacters: allowed)!)"
        }.joined(separator: "&")
        request.body = .bytes(Array(body.utf8))
        return try await send(request, timeout: .seconds(10))
    }

    /// Calls `method` with a multipart body holding `fields` and one file.
    func callMultipart(_ token: String, _ method: String, fields: [(String, String)], file: (field: String, name: String, type: String, data: Data)) async throws -> Answer {
        let boundary = "----gongbu-test-boundary"
        var body = Data()
        for (name, value) in fields {
            body.append(Data("--\(boundary)\r\nContent-Disposition: form-data; name=\"\(name)\"\r\n\r\n\(value)\r\n".utf8))
        }
        body.append(Data("--\(boundary)\r\nContent-Disposition: form-data; name=\"\(file.field)\"; filename=\"\(file.name)\"\r\nContent-Type: \(file.type)\r\n\r\n".utf8))
        body.append(file.data)
        body.append(Data("\r\n--\(boundary)--\r\n".utf8))
        var request = HTTPClientRequest(url: "\(baseURL)/bot\(token)/\(method)")
        request.method = .POST
        request.headers.add(name: "Content-Type", value: "multipart/form-data; boundary=\(boundary)")
        request.body = .bytes(Array(body))
        return try await send(request, timeout: .seconds(10))
    }

    /// GETs a path under the base URL; returns status and raw bytes.
    func get(_ path: String) async throws -> (Int, Data) {
        let request = HTTPClientRequest(url: baseURL + path)
        let response = try await Self.http.execute(request, timeout: .seconds(10))
        let buffer = try await response.body.collect(upTo: 10 * 1024 * 1024)
        return (Int(response.status.code), Data(buffer.readableBytesView))
    }

    private func send(_ request: HTTPClientRequest, timeout: Duration) async throws -> Answer {
        let response = try await Self.http.execute(request, timeout: .milliseconds(Int64(timeout.components.seconds * 1000 + timeout.components.attoseconds / 1_000_000_000_000_000)))
        let buffer = try await response.body.collect(upTo: 10 * 1024 * 1024)
        return Answer(status: Int(response.status.code), json: try JSONValue.parse(Data(buffer.readableBytesView)))
    }
}

/// Starts an emulator for one test and stops it afterwards.
func withEmulator<T>(
    _ configuration: EmulatorConfiguration = EmulatorConfiguration(),
    _ body: (BotAPIEmulator, EmulatorClient) async throws -> T
) async throws -> T {
    let emulator = BotAPIEmulator(configuration: configuration)
    try await emulator.start()
    do {
        let result = try await body(emulator, EmulatorClient(baseURL: emulator.baseURL))
        await emulator.stop()
        return result
    } catch {
        await emulator.stop()
        throw error
    }
}

let alphaToken = "1001:TEST-token-alpha"
let betaToken = "1002:TEST-token-beta"
