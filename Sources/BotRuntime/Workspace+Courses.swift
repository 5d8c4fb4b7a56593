import CourseFlows
import CourseModel
import Foundation
import Manifests
import Storage

/// Courses over HTTP: list, create, read, change, archive, publish (contract §9).
extension Workspace {
    /// `GET /courses`: the caller's courses (admins: all), filtered and paged (page from 1).
    public func courses(_ user: User, search: String?, category: String?, page: Int, limit: Int) async throws -> (courses: [ManifestValue], total: Int) {
        let needle = search?.trimmingCharacters(in: .whitespaces).lowercased() ?? ""
        let matching = desk.manageable(by: user.id).filter { entry in
            let course = entry.course
            if let category, !category.isEmpty, course.category?.lowercased() != category.lowercased() { return false }
            guard !needle.isEmpty else { return true }
            return [course.slug, course.title, course.description].contains { $0.lowercased().contains(needle) }
        }
        let limit = min(max(limit, 1), 100)
        let start = (max(page, 1) - 1) * limit
        let shown = start < matching.count ? Array(matching[start..<min(start + limit, matching.count)]) : []
        let context = try await cardContext()
        return (shown.map { json($0, context) }, matching.count)
    }

    /// `GET /courses/:id`.
    public func course(_ user: User, id: String) async throws -> ManifestValue {
        json(try await entry(id, for: user), try await cardContext())
    }

    /// `POST /courses {title, description?, language?, category?, difficulty?}`: a new course
    /// built as `/newcourse` builds it (a slug from the title, a welcome step).
    public func createCourse(_ user: User, body: ManifestValue) async throws -> ManifestValue {
        let fields = ["title", "description", "language", "category", "difficulty"]
        try Self.checkKeys(body, allowed: fields)
        guard let authoring = desk.authoring, let editor = desk.editor(slug: nil) else { throw WorkspaceError.conflict("building courses is off on this install") }
        guard let title = body["title"] else { throw WorkspaceError.invalid("missing key 'title' in course", field: "title") }
        return try await edits.withLock {
            let draft = editor.newCourse(
                title: title.stringValue ?? "", description: body["description"]?.stringValue, language: body["language"]?.stringValue,
                category: body["category"]?.stringValue, difficulty: nil, creator: user.id, taken: desk.courses.slugs,
                locale: body["language"]?.stringValue ?? "en")
            var value = CourseManifest.value(of: draft.course)
            for field in fields { if let given = body[field] { value = value.setting(field, given == .null ? nil : given) } }
            let course = try parse(value, slug: draft.course.slug, authoring: authoring)
            guard let created = try await authoring.create(AuthoredCourse(course: course, nextStep: draft.nextStep), creator: user.id) else {
                throw WorkspaceError.conflict("the course id \(course.slug) is taken; try again")
            }
            desk.courses.set(created)
            try await audit("course.create", user: user, subject: course.slug, details: course.title)
            return json(created, try await cardContext())
        }
    }

    /// `PUT /courses/:id`: changes some of title, description, language, category, difficulty,
    /// duration_minutes (or `duration`), price; `null` removes an optional one.
    public func updateCourse(_ user: User, id: String, body given: ManifestValue) async throws -> ManifestValue {
        var renamed = given
        if let duration = given["duration"] { renamed = given.setting("duration", nil).setting("duration_minutes", duration) }
        let body = renamed
        let fields = ["title", "description", "language", "category", "difficulty", "duration_minutes", "price"]
        if let members = body.members, let unsupported = members.first(where: { ["certificate", "nudges"].contains($0.key) }) {
            throw WorkspaceError.invalid("\(unsupported.key) is not supported by this install yet", field: unsupported.key)
        }
        try Self.checkKeys(body, allowed: fields)
        return try await edits.withLock {
            let (entry, authored, authoring) = try await editable(id, for: user)
            var value = CourseManifest.value(of: authored.course)
            for member in body.members ?? [] { value = value.setting(member.key, member.value == .null ? nil : member.value) }
            let course = try parse(value, slug: id, authoring: authoring)
            let updated = try await store(entry, course, nextStep: authored.nextStep, action: "course.update", user: user,
                                          details: (body.members ?? []).map(\.key).joined(separator: ","))
            return json(updated, try await cardContext())
        }
    }

    /// `DELETE /courses/:id`: archived: unpublished (its bots answer "coming soon"), its
    /// students' data kept.
    public func archiveCourse(_ user: User, id: String) async throws {
        try await edits.withLock {
            _ = try await editable(id, for: user)
            try await desk.setPublished(id, false)
            try await platform.setArchived(courseSlug: id, true, now: now)
            try await audit("course.archive", user: user, subject: id)
        }
    }

    /// `POST /courses/:id/publish` and `/unpublish`: the username of the course's bot; 409 when
    /// no bot runs the course.
    public func publish(_ user: User, id: String, _ published: Bool) async throws -> String? {
        let entry = try await entry(id, for: user)
        let bots = try await platform.connectedBots().filter { $0.courseSlug == id }
        guard entry.botId != nil || !bots.isEmpty else {
            throw WorkspaceError.conflict("no bot is connected to course \(id); connect one first (PUT /courses/\(id)/bot)")
        }
        try await desk.setPublished(id, published)
        if published { try await platform.setArchived(courseSlug: id, false, now: now) }
        try await audit(published ? "course.publish" : "course.unpublish", user: user, subject: id)
        return bots.first?.username
    }

    // MARK: Shared

    /// A course the user may see (admins: any); 404 otherwise, the same for a course that is not theirs.
    func entry(_ id: String, for user: User) async throws -> ManagedCourse {
        guard let entry = desk.courses[id] else { throw WorkspaceError.notFound("no course \(id)") }
        guard desk.mayManage(user.id, slug: id) else {
            try await audit("denied", user: user, subject: id)
            throw WorkspaceError.notFound("no course \(id)")
        }
        return entry
    }

    /// A course the user may change: built in the manager bot or here (bots.yaml ones: 409).
    func editable(_ id: String, for user: User) async throws -> (ManagedCourse, AuthoredCourse, AuthoringService) {
        let entry = try await entry(id, for: user)
        guard let live = entry.live, let authoring = desk.authoring else {
            throw WorkspaceError.conflict("course \(id) comes from bots.yaml and is read-only here; change its course.yaml")
        }
        return (entry, live.authored, authoring)
    }

    /// Reads a course given as course.yaml JSON by the rules of `gongbu check` (422 with the field).
    func parse(_ value: ManifestValue, slug: String, authoring: AuthoringService) throws -> Course {
        let (course, problems) = CourseManifest.course(from: value, directory: authoring.directory(slug: slug), folderDisplayPath: slug)
        guard let course else { throw WorkspaceError.invalid(problems.first?.message ?? "the course is not valid", field: problems.first?.field) }
        return course
    }

    /// Stores a changed course: the scene of its bots swapped at once, the manager bot's
    /// registry updated, the change audited.
    func store(_ entry: ManagedCourse, _ course: Course, nextStep: Int, action: String, user: User, details: String?) async throws -> ManagedCourse {
        guard let authoring = desk.authoring else { throw WorkspaceError.conflict("building courses is off on this install") }
        let updated = try await authoring.update(entry, to: AuthoredCourse(course: course, nextStep: nextStep))
        desk.courses.set(updated)
        try await audit(action, user: user, subject: course.slug, details: details)
        return updated
    }

    static func checkKeys(_ body: ManifestValue, allowed: [String]) throws {
        guard let members = body.members else { throw WorkspaceError.invalid("the body must be a JSON object", field: nil) }
        if let unknown = members.first(where: { !allowed.contains($0.key) }) {
            throw WorkspaceError.invalid("unknown key '\(unknown.key)'; expected one of: \(allowed.joined(separator: ", "))", field: unknown.key)
        }
    }

    struct CardContext {
        var bots: [ConnectedBot]
        var archived: Set<String>
    }

    func cardContext() async throws -> CardContext {
        CardContext(bots: try await platform.connectedBots(), archived: try await platform.archivedCourses())
    }

    /// A course as JSON: `id`, course.yaml's fields, and its state.
    func json(_ entry: ManagedCourse, _ context: CardContext) -> ManifestValue {
        let slug = entry.course.slug
        let course = entry.live?.authored.course ?? entry.course
        let archived = context.archived.contains(slug)
        let bot = context.bots.first { $0.courseSlug == slug }
        var members = [ManifestValue.Member("id", .string(slug))]
        members += CourseManifest.value(of: course).members ?? []
        members += [
            .init("published", .bool(desk.flags.isPublished(slug) && !archived)),
            .init("archived", .bool(archived)),
            .init("read_only", .bool(entry.live == nil)),
            .init("botUsername", bot?.username.map { .string($0) } ?? .null),
        ]
        return .object(members)
    }
}
