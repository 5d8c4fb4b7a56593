import BotRuntime
import Foundation
import Hummingbird
import Manifests

/// The JSON answers of the REST API: values as written, errors as
/// `{"error": {"code", "message", "field"?}}` with their status (contract §9).
enum APIResponse {
    static func json(_ value: ManifestValue, status: HTTPResponse.Status = .ok) -> Response {
        Response(
            status: status, headers: [.contentType: "application/json; charset=utf-8"],
            body: ResponseBody(byteBuffer: ByteBuffer(string: value.jsonText)))
    }

    static func status(of error: WorkspaceError) -> HTTPResponse.Status {
        switch error {
        case .unauthorized: .unauthorized
        case .forbidden: .forbidden
        case .notFound: .notFound
        case .invalid: .unprocessableContent
        case .conflict: .conflict
        case .tooManyRequests: .tooManyRequests
        }
    }

    static func error(_ error: WorkspaceError) -> Response {
        failure(code: error.code, message: error.message, field: error.field, status: status(of: error))
    }

    static func failure(code: String, message: String, field: String? = nil, status: HTTPResponse.Status) -> Response {
        var fields: [(String, ManifestValue)] = [("code", .string(code)), ("message", .string(message))]
        if let field { fields.append(("field", .string(field))) }
        var response = json(.fields([("error", .fields(fields))]), status: status)
        if status == .unauthorized { response.headers[.wwwAuthenticate] = "Bearer" }
        return response
    }

    static let tooLarge = failure(code: "too_large", message: "the request body is over 50 MB", status: .contentTooLarge)
}

/// Answers 413 before reading a body whose Content-Length is over the limit.
struct BodyLimitMiddleware<Context: RequestContext>: RouterMiddleware {
    let maxBytes: Int

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        if let length = request.headers[.contentLength].flatMap({ Int($0) }), length > maxBytes { return APIResponse.tooLarge }
        return try await next(request, context)
    }
}
