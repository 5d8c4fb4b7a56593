import BotRuntime
import Foundation
import Hummingbird
import Logging
import Manifests

/// The REST API of the web workspace (contract §9): every route a thin adapter from HTTP (a
/// bearer token, a JSON body) to one `Workspace` operation, whose `WorkspaceError` becomes the
/// JSON error. No CORS headers: the Mini App is served from the same origin.
struct APIRoutes: Sendable {
    let workspace: Workspace
    let logger: Logger

    func register(on router: Router<APIContext>) {
        router.post("/auth/telegram") { request, context in
            await answer { 
                var request = request
                let body = try await json(&request)
                guard let initData = body["initData"]?.stringValue else { throw WorkspaceError.invalid("missing key 'initData' (a string)", field: "initData") }
                return session(try await workspace.signIn(initData: initData, address: address(context)))
            }
        }
        router.post("/auth/widget") { request, context in
            await answer {
                var request = request
                let body = try await json(&request)
                var fields: [String: String] = [:]
                for member in body.members ?? [] {
                    switch member.value {
                    case .string(let text): fields[member.key] = text
                    case .int(let number): fields[member.key] = String(number)
                    default: throw WorkspaceError.invalid("\(member.key) must be a string or a number", field: member.key)
                    }
                }
                return session(try await workspace.signIn(widget: fields, address: address(context)))
            }
        }
        router.post("/auth/refresh") { request, _ in
            await answer { session(try await workspace.refresh(bearer: try bearer(request))) }
        }
        router.post("/auth/logout") { request, _ in
            await answer {
                try await workspace.logout(bearer: try bearer(request))
                return Response(status: .noContent)
            }
        }
        router.get("/courses") { request, _ in
            await signedIn(request) { user in
                let query = request.uri.queryParameters
                let (courses, total) = try await workspace.courses(
                    user, search: query.get("search"), category: query.get("category"),
                    page: query.get("page").flatMap { Int($0) } ?? 1, limit: query.get("limit").flatMap { Int($0) } ?? 20)
                return APIResponse.json(.fields([("courses", .array(courses)), ("total", .int(Int64(total)))]))
            }
        }
        router.post("/courses") { request, _ in
            await signedIn(request) { user in
                var request = request
                return APIResponse.json(try await workspace.createCourse(user, body: try await json(&request)), status: .created)
            }
        }
        router.get("/courses/:id") { request, context in
            await signedIn(request) { user in APIResponse.json(try await workspace.course(user, id: try id(context))) }
        }
        router.put("/courses/:id") { request, context in
            await signedIn(request) { user in
                var request = request
                return APIResponse.json(try await workspace.updateCourse(user, id: try id(context), body: try await json(&request)))
            }
        }
        router.delete("/courses/:id") { request, context in
            await signedIn(request) { user in
                try await workspace.archiveCourse(user, id: try id(context))
                return Response(status: .noContent)
            }
        }
        for (path, published) in [("/courses/:id/publish", true), ("/courses/:id/unpublish", false)] {
            router.post(RouterPath(path)) { request, context in
                await signedIn(request) { user in
                    let username = try await workspace.publish(user, id: try id(context), published)
                    return APIResponse.json(.fields([("botUsername", username.map { .string($0) } ?? .null), ("published", .bool(published))]))
                }
            }
        }
        router.get("/courses/:id/steps") { request, context in
            await signedIn(request) { user in APIResponse.json(.fields([("steps", .array(try await workspace.steps(user, id: try id(context))))])) }
        }
        router.post("/courses/:id/steps") { request, context in
            await signedIn(request) { user in
                var request = request
                return APIResponse.json(try await workspace.addStep(user, id: try id(context), body: try await json(&request)), status: .created)
            }
        }
        router.put("/courses/:id/steps/order") { request, context in
            await signedIn(request) { user in
                var request = request
                return try await reorder(user, id(context), &request)
            }
        }
        router.put("/courses/:id/steps/:stepId") { request, context in
            await signedIn(request) { user in
                var request = request
                let stepId = try parameter("stepId", context)
                if stepId == "order" { return try await reorder(user, id(context), &request) }
                return APIResponse.json(try await workspace.replaceStep(user, id: try id(context), stepId: stepId, body: try await json(&request)))
            }
        }
        router.delete("/courses/:id/steps/:stepId") { request, context in
            await signedIn(request) { user in
                try await workspace.deleteStep(user, id: try id(context), stepId: try parameter("stepId", context))
                return Response(status: .noContent)
            }
        }
        router.post("/courses/:id/media") { request, context in
            await signedIn(request) { user in
                var request = request
                let body = try await request.collectBody(upTo: Workspace.maxBodyBytes)
                let contentType = request.headers[.contentType] ?? ""
                guard let file = MultipartFile.part("file", contentType: contentType, body: Array(body.readableBytesView)) else {
                    throw WorkspaceError.invalid("send the file as multipart/form-data in the field 'file'", field: "file")
                }
                let path = try await workspace.uploadMedia(user, id: try id(context), fileName: file.fileName, data: file.data)
                return APIResponse.json(.fields([("file", .string(path))]), status: .created)
            }
        }
        router.put("/courses/:id/bot") { request, context in
            await signedIn(request) { user in
                var request = request
                let body = try await json(&request)
                guard let token = body["token"]?.stringValue else { throw WorkspaceError.invalid("missing key 'token' (a string)", field: "token") }
                let username = try await workspace.connectBot(user, id: try id(context), token: token)
                return APIResponse.json(.fields([("botUsername", username.map { .string($0) } ?? .null)]))
            }
        }
        router.delete("/courses/:id/bot") { request, context in
            await signedIn(request) { user in
                try await workspace.disconnectBot(user, id: try id(context))
                return Response(status: .noContent)
            }
        }
        registerSchool(on: router)
    }

    // MARK: Helpers

    func reorder(_ user: Workspace.User, _ id: String, _ request: inout Request) async throws -> Response {
        APIResponse.json(.fields([("steps", .array(try await workspace.reorderSteps(user, id: id, body: try await json(&request))))]))
    }

    /// Runs `work` for the user of the request's bearer token.
    func signedIn(_ request: Request, _ work: @Sendable (Workspace.User) async throws -> Response) async -> Response {
        await answer { try await work(try await workspace.authenticate(bearer: try bearer(request))) }
    }

    /// Runs `work`, turning its errors into JSON answers (an unexpected one: 500, logged, never shown).
    func answer(_ work: @Sendable () async throws -> Response) async -> Response {
        do {
            return try await work()
        } catch let error as WorkspaceError {
            return APIResponse.error(error)
        } catch let error as HTTPResponseError where error.status == .contentTooLarge {
            return APIResponse.tooLarge
        } catch {
            logger.error("an API request failed", metadata: ["error": "\(workspace.redact(String(describing: error)))"])
            return APIResponse.failure(code: "internal", message: "something went wrong on the server", status: .internalServerError)
        }
    }

    func bearer(_ request: Request) throws -> String {
        guard let header = request.headers[.authorization], header.lowercased().hasPrefix("bearer ") else {
            throw WorkspaceError.unauthorized("sign in first: send Authorization: Bearer <token>")
        }
        return String(header.dropFirst(7)).trimmingCharacters(in: .whitespaces)
    }

    /// The JSON body (an empty one reads as `{}`); 422 when it is not JSON, 413 when over 50 MB.
    func json(_ request: inout Request) async throws -> ManifestValue {
        let buffer = try await request.collectBody(upTo: Workspace.maxBodyBytes)
        guard buffer.readableBytes > 0 else { return .object([]) }
        guard let value = ManifestValue.parse(json: Data(buffer.readableBytesView)) else {
            throw WorkspaceError.invalid("the body is not valid JSON", field: nil)
        }
        return value
    }

    func id(_ context: APIContext) throws -> String { try parameter("id", context) }

    func parameter(_ name: String, _ context: APIContext) throws -> String {
        guard let value = context.parameters.get(name) else { throw WorkspaceError.notFound("no \(name) in the path") }
        return value
    }

    func address(_ context: APIContext) -> String {
        context.remoteAddress?.ipAddress ?? "unknown"
    }

    func session(_ session: Workspace.Session) -> Response {
        let formatter = ISO8601DateFormatter()
        return APIResponse.json(.fields([
            ("token", .string(session.token)),
            ("expires_at", .string(formatter.string(from: Date(timeIntervalSince1970: session.expiresAt)))),
            ("user", .fields([("id", .int(session.user.id)), ("first_name", .string(session.user.firstName)), ("role", .string(session.user.role))])),
        ]))
    }
}
