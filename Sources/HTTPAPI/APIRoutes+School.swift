import BotRuntime
import Foundation
import Hummingbird
import Manifests

/// The routes of running a school (contract §9): statistics, students, reviews, payments,
/// refunds, broadcasts.
extension APIRoutes {
    func registerSchool(on router: Router<APIContext>) {
        router.get("/courses/:id/stats") { request, context in
            await signedIn(request) { user in APIResponse.json(try await workspace.statistics(user, id: try id(context))) }
        }
        router.get("/courses/:id/students") { request, context in
            await signedIn(request) { user in
                let students = try await workspace.students(user, id: try id(context), search: request.uri.queryParameters.get("search"))
                return APIResponse.json(.fields([("students", .array(students)), ("total", .int(Int64(students.count)))]))
            }
        }
        router.get("/courses/:id/students/:userId") { request, context in
            await signedIn(request) { user in
                guard let userId = Int64(try parameter("userId", context)) else { throw WorkspaceError.notFound("no such student") }
                return APIResponse.json(try await workspace.student(user, id: try id(context), userId: userId))
            }
        }
        router.get("/reviews") { request, _ in
            await signedIn(request) { user in APIResponse.json(.fields([("reviews", .array(try await workspace.reviews(user)))])) }
        }
        router.post("/reviews/:id") { request, context in
            await signedIn(request) { user in
                var request = request
                return APIResponse.json(try await workspace.decide(user, reviewId: try id(context), body: try await json(&request)), status: .accepted)
            }
        }
        router.get("/reviews/:id/file") { request, context in
            await signedIn(request) { user in
                let (path, fileName) = try await workspace.reviewFile(user, reviewId: try id(context))
                let data = try Data(contentsOf: URL(fileURLWithPath: path))
                let safeName = String(fileName.filter { $0.isASCII && ($0.isLetter || $0.isNumber || ".-_ ".contains($0)) }.prefix(100))
                return Response(
                    status: .ok,
                    headers: [.contentType: Self.mediaType(of: path), .contentDisposition: "inline; filename=\"\(safeName.isEmpty ? "file" : safeName)\""],
                    body: ResponseBody(byteBuffer: ByteBuffer(bytes: data)))
            }
        }
        router.get("/courses/:id/payments") { request, context in
            await signedIn(request) { user in APIResponse.json(.fields([("payments", .array(try await workspace.payments(user, id: try id(context))))])) }
        }
        router.post("/payments/:chargeId/refund") { request, context in
            await signedIn(request) { user in
                APIResponse.json(try await workspace.refund(user, chargeId: try parameter("chargeId", context)), status: .accepted)
            }
        }
        router.post("/courses/:id/broadcasts") { request, context in
            await signedIn(request) { user in
                var request = request
                return APIResponse.json(try await workspace.broadcast(user, id: try id(context), body: try await json(&request)), status: .accepted)
            }
        }
        router.get("/courses/:id/broadcasts/:bid") { request, context in
            await signedIn(request) { user in
                guard let broadcastId = Int64(try parameter("bid", context)) else { throw WorkspaceError.notFound("no such broadcast") }
                return APIResponse.json(try await workspace.broadcastStatus(user, id: try id(context), broadcastId: broadcastId))
            }
        }
    }

    /// A content type from a file's extension (the review queue shows photos inline).
    static func mediaType(of path: String) -> String {
        switch (path as NSString).pathExtension.lowercased() {
        case "jpg", "jpeg": "image/jpeg"
        case "png": "image/png"
        case "webp": "image/webp"
        case "gif": "image/gif"
        case "mp4": "video/mp4"
        case "pdf": "application/pdf"
        case "txt": "text/plain; charset=utf-8"
        default: "application/octet-stream"
        }
    }
}
