import BotRuntime
import Foundation
import HTTPAPI
import Hummingbird
import Logging
import Manifests
import Testing

/// `Sources/HTTPAPI/openapi.json` against the server: every route registered is documented,
/// every documented operation is routed, and the main answers match their schemas.
@Suite("OpenAPI drift", .serialized, .timeLimit(.minutes(3)))
struct OpenAPIDriftTests {
    static let manager = "7501:TEST-api-drift-manager"

    @Test("the document lists exactly the router's routes, each answers (not 404/405 from the router), and answers validate against the schemas")
    func documentMatchesServer() async throws {
        try await APIHarness.with(managerToken: Self.manager) { api in
            let served = try await api.call("GET", "/openapi.json")
            #expect(served.status == 200)
            let document = try #require(served.json)
            #expect(document["openapi"] == .string("3.1.0"))
            let paths = try #require(document["paths"]?.members)
            var documented = Set<String>()
            for path in paths { for operation in path.value.members ?? [] { documented.insert("\(operation.key.uppercased()) \(path.key)") } }

            #expect(documented.count >= 30, "\(documented.count) operations documented")
            let router = HTTPServer.router(health: BotHealth(), registry: APIHarness.registry, logger: Logger(label: "drift"), workspace: api.workspace)
            try router.validate()
            let routed = Set(router.routes.map { "\($0.method.rawValue) \($0.path.description)" })
            #expect(routed.subtracting(documented).isEmpty, "routes missing from openapi.json: \(routed.subtracting(documented).sorted())")
            #expect(documented.subtracting(routed).isEmpty, "documented but not routed: \(documented.subtracting(routed).sorted())")

            // Every documented operation answers: real ids where they exist, and for made-up ones
            // the workspace's own JSON 404 (an unrouted path answers without the error body).
            let token = try await api.signIn(801, name: "Cora")
            #expect(try await api.call("POST", "/courses", token: token, json: #"{"title":"Drift"}"#).status == 201)
            let values = ["id": "drift", "stepId": "s1", "userId": "1", "bid": "1", "chargeId": "none"]
            let order: [String: Int] = ["GET": 0, "POST": 1, "PUT": 2, "DELETE": 3]
            for operation in documented.sorted(by: { (order[$0.split(separator: " ")[0].description] ?? 9, $0) < (order[$1.split(separator: " ")[0].description] ?? 9, $1) }) {
                let parts = operation.split(separator: " ").map(String.init)
                var path = parts[1]
                for (name, value) in values { path = path.replacingOccurrences(of: "{\(name)}", with: value) }
                var own = token
                if path.hasPrefix("/auth/logout") || path.hasPrefix("/auth/refresh") { own = try await api.signIn(801, name: "Cora") }
                let answer = try await api.call(parts[0], path, token: own, json: parts[0] == "GET" || parts[0] == "DELETE" ? nil : "{}")
                #expect(answer.status != 405, "\(operation) answered 405")
                #expect(answer.status != 404 || answer.errorCode == "not_found", "\(operation) is not routed: \(answer.status) \(answer.text)")
                if let errorCode = answer.errorCode {
                    #expect(Schema.errors(answer.json!, against: .fields([("$ref", .string("#/components/schemas/Error"))]), in: document).isEmpty, "\(operation): \(answer.text)")
                    #expect(errorCode != "internal", "\(operation): \(answer.text)")
                }
            }

            // Main answers against their schemas.
            let fresh = try await api.signIn(802, name: "Val")
            let checks: [(method: String, path: String, body: String?, status: UInt)] = [
                ("POST", "/courses", #"{"title":"Schema course","category":"swift","difficulty":1}"#, 201),
                ("GET", "/courses", nil, 200),
                ("GET", "/courses/schema-course", nil, 200),
                ("PUT", "/courses/schema-course", #"{"duration":30}"#, 200),
                ("POST", "/courses/schema-course/steps", #"{"type":"quiz","questions":[{"question":"2+2?","options":["3","4"],"correct":1}]}"#, 201),
                ("GET", "/courses/schema-course/steps", nil, 200),
                ("PUT", "/courses/schema-course/steps/order", #"{"ids":["s2","s1"]}"#, 200),
                ("PUT", "/courses/schema-course/steps/s1", #"{"type":"text","text":"Changed."}"#, 200),
                ("GET", "/courses/schema-course/stats", nil, 200),
                ("GET", "/courses/schema-course/students", nil, 200),
                ("GET", "/courses/schema-course/payments", nil, 200),
                ("GET", "/reviews", nil, 200),
                ("POST", "/courses/schema-course/publish", nil, 409),
                ("GET", "/courses/nope", nil, 404),
            ]
            for check in checks {
                let answer = try await api.call(check.method, check.path, token: fresh, json: check.body)
                #expect(answer.status == check.status, "\(check.method) \(check.path): \(answer.text)")
                let template = Self.template(check.path, documented: paths.map(\.key))
                let schema = try #require(
                    document["paths"]?[template]?[check.method.lowercased()]?["responses"]?[String(check.status)]?["content"]?["application/json"]?["schema"],
                    "\(check.method) \(template) \(check.status) has no schema")
                let problems = Schema.errors(try #require(answer.json), against: schema, in: document)
                #expect(problems.isEmpty, "\(check.method) \(check.path): \(problems)")
            }
        }
    }

    /// The documented template a concrete path matches.
    static func template(_ path: String, documented: [String]) -> String {
        let parts = path.split(separator: "?")[0].split(separator: "/")
        let matches = documented.filter { template in
            let pieces = template.split(separator: "/")
            return pieces.count == parts.count && zip(pieces, parts).allSatisfy { $0.hasPrefix("{") || $0 == $1 }
        }
        // A constant segment wins over a parameter (`/steps/order` over `/steps/{stepId}`).
        return matches.max { $0.filter { $0 == "{" }.count > $1.filter { $0 == "{" }.count } ?? path
    }
}

/// The subset of JSON Schema the document uses: type (one or a list), properties, required,
/// items, enum, $ref, allOf, oneOf, additionalProperties: false.
enum Schema {
    static func errors(_ value: ManifestValue, against schema: ManifestValue, in document: ManifestValue, at path: String = "$") -> [String] {
        if let ref = schema["$ref"]?.stringValue {
            let name = ref.replacingOccurrences(of: "#/components/schemas/", with: "")
            guard let target = document["components"]?["schemas"]?[name] else { return ["\(path): unknown $ref \(ref)"] }
            return errors(value, against: target, in: document, at: path)
        }
        var problems: [String] = []
        if let all = schema["allOf"]?.arrayValue {
            for part in all { problems += errors(value, against: part, in: document, at: path) }
        }
        if let one = schema["oneOf"]?.arrayValue, !one.contains(where: { errors(value, against: $0, in: document, at: path).isEmpty }) {
            problems.append("\(path): matches none of oneOf")
        }
        if let type = schema["type"] {
            let allowed = type.arrayValue?.compactMap(\.stringValue) ?? [type.stringValue ?? ""]
            guard allowed.contains(where: { matches(value, type: $0) }) else { return problems + ["\(path): \(value.jsonText.prefix(60)) is not \(allowed)"] }
        }
        if let choices = schema["enum"]?.arrayValue, !choices.contains(value) { problems.append("\(path): \(value.jsonText) not in enum") }
        if case .object(let members) = value {
            let properties = schema["properties"]?.members ?? []
            for required in schema["required"]?.arrayValue?.compactMap(\.stringValue) ?? [] where !members.contains(where: { $0.key == required }) {
                problems.append("\(path): missing \(required)")
            }
            for member in members {
                if let property = properties.first(where: { $0.key == member.key }) {
                    problems += errors(member.value, against: property.value, in: document, at: "\(path).\(member.key)")
                } else if schema["additionalProperties"] == .bool(false) {
                    problems.append("\(path): unexpected \(member.key)")
                }
            }
        }
        if case .array(let items) = value, let itemSchema = schema["items"] {
            for (index, item) in items.enumerated() { problems += errors(item, against: itemSchema, in: document, at: "\(path)[\(index)]") }
        }
        return problems
    }

    static func matches(_ value: ManifestValue, type: String) -> Bool {
        switch (type, value) {
        case ("null", .null), ("boolean", .bool), ("integer", .int), ("number", .int), ("number", .double), ("string", .string),
             ("array", .array), ("object", .object): true
        default: false
        }
    }
}
