import CourseFlows
import CourseModel
import Foundation
import Manifests

/// A course's steps over HTTP (contract §9): each change is the whole course read again by the
/// rules of `gongbu check`, stored, and swapped into its running bots.
extension Workspace {
    /// `GET /courses/:id/steps`, in order.
    public func steps(_ user: User, id: String) async throws -> [ManifestValue] {
        let entry = try await entry(id, for: user)
        return Self.stepValues(entry.live?.authored.course ?? entry.course)
    }

    /// `POST /courses/:id/steps`: a course.yaml step without `id`, appended with a new id.
    public func addStep(_ user: User, id: String, body: ManifestValue) async throws -> ManifestValue {
        guard let members = body.members else { throw WorkspaceError.invalid("the body must be a JSON object (a course.yaml step)", field: nil) }
        return try await edits.withLock {
            let (entry, authored, authoring) = try await editable(id, for: user)
            var next = authored
            let stepId = next.newStepId()
            var steps = Self.stepValues(authored.course)
            steps.append(.object([.init("id", .string(stepId))] + members.filter { $0.key != "id" }))
            let course = try parse(CourseManifest.value(of: authored.course).setting("steps", .array(steps)), slug: id, authoring: authoring)
            let updated = try await store(entry, course, nextStep: next.nextStep, action: "step.add", user: user, details: stepId)
            return try Self.step(stepId, of: updated.course)
        }
    }

    /// `PUT /courses/:id/steps/:stepId`: the step replaced (its id kept).
    public func replaceStep(_ user: User, id: String, stepId: String, body: ManifestValue) async throws -> ManifestValue {
        guard let members = body.members else { throw WorkspaceError.invalid("the body must be a JSON object (a course.yaml step)", field: nil) }
        return try await edits.withLock {
            let (entry, authored, authoring) = try await editable(id, for: user)
            guard let index = authored.course.index(of: stepId) else { throw WorkspaceError.notFound("no step \(stepId) in course \(id)") }
            var steps = Self.stepValues(authored.course)
            steps[index] = .object([.init("id", .string(stepId))] + members.filter { $0.key != "id" })
            let course = try parse(CourseManifest.value(of: authored.course).setting("steps", .array(steps)), slug: id, authoring: authoring)
            let updated = try await store(entry, course, nextStep: authored.nextStep, action: "step.edit", user: user, details: stepId)
            return try Self.step(stepId, of: updated.course)
        }
    }

    /// `DELETE /courses/:id/steps/:stepId` (a course keeps at least one step: 422).
    public func deleteStep(_ user: User, id: String, stepId: String) async throws {
        try await edits.withLock {
            let (entry, authored, authoring) = try await editable(id, for: user)
            guard let index = authored.course.index(of: stepId) else { throw WorkspaceError.notFound("no step \(stepId) in course \(id)") }
            var steps = Self.stepValues(authored.course)
            steps.remove(at: index)
            let course = try parse(CourseManifest.value(of: authored.course).setting("steps", .array(steps)), slug: id, authoring: authoring)
            _ = try await store(entry, course, nextStep: authored.nextStep, action: "step.delete", user: user, details: stepId)
        }
    }

    /// `PUT /courses/:id/steps/order {"ids": [...]}`: every step id once, in the new order
    /// (otherwise 422 and the order is kept).
    public func reorderSteps(_ user: User, id: String, body: ManifestValue) async throws -> [ManifestValue] {
        try Self.checkKeys(body, allowed: ["ids"])
        guard let items = body["ids"]?.arrayValue else { throw WorkspaceError.invalid("ids must be a list of step ids", field: "ids") }
        let ids = items.compactMap(\.stringValue)
        return try await edits.withLock {
            let (entry, authored, authoring) = try await editable(id, for: user)
            let current = authored.course.steps.map(\.id)
            guard ids.count == items.count, ids.count == current.count, Set(ids) == Set(current) else {
                throw WorkspaceError.invalid("ids must name every step of the course once (\(current.joined(separator: ", ")))", field: "ids")
            }
            let byId = Dictionary(uniqueKeysWithValues: Self.stepValues(authored.course).map { ($0["id"]?.stringValue ?? "", $0) })
            let steps = ids.compactMap { byId[$0] }
            let course = try parse(CourseManifest.value(of: authored.course).setting("steps", .array(steps)), slug: id, authoring: authoring)
            let updated = try await store(entry, course, nextStep: authored.nextStep, action: "step.move", user: user, details: ids.joined(separator: ","))
            return Self.stepValues(updated.course)
        }
    }

    /// `POST /courses/:id/media`: a file stored in the course's `media/` folder; returns the
    /// path a step's `file:` takes.
    public func uploadMedia(_ user: User, id: String, fileName: String?, data: Data) async throws -> String {
        guard data.count <= Self.maxBodyBytes else { throw WorkspaceError.invalid("the file is over 50 MB", field: "file") }
        guard !data.isEmpty else { throw WorkspaceError.invalid("the file is empty", field: "file") }
        let (_, _, authoring) = try await editable(id, for: user)
        let path = try authoring.storeMedia(data, extensions: [((fileName ?? "") as NSString).pathExtension], fallback: "bin", slug: id)
        try await audit("media.upload", user: user, subject: id, details: path)
        return path
    }

    static func stepValues(_ course: Course) -> [ManifestValue] {
        CourseManifest.value(of: course)["steps"]?.arrayValue ?? []
    }

    static func step(_ stepId: String, of course: Course) throws -> ManifestValue {
        guard let step = stepValues(course).first(where: { $0["id"]?.stringValue == stepId }) else {
            throw WorkspaceError.notFound("no step \(stepId)")
        }
        return step
    }
}
