import CourseFlows
import CourseModel
import Foundation
import Logging
import Manifests
import SceneEngine
import Storage
import TelegramBotAPI
import TelegramClient

/// Courses built in the manager bot, on the runtime side: loads them at start, stores each
/// change (course.yaml text in the course database, the definition beside it), swaps the
/// running scene, and prepares the worker of each bot connected to such a course (with every
/// companion a bots.yaml course bot has: `CourseBotFactory`). Each course joins the served courses
/// at once, so its reviews and refunds go through the manager bot like any other course's.
struct AuthoringService: Sendable {
    let dataDir: String
    let resources: Resources
    let payments: CoursePayments
    let platform: PlatformStore
    let connected: ConnectedBots
    let courses: ServedCourses
    let factory: CourseBotFactory
    let logger: Logger
    let now: @Sendable () -> Double

    /// `data/courses/<slug>/files`: the authored course's folder, its media under `media/`.
    func directory(slug: String) -> String {
        DataPaths(dataDir: dataDir).courseFiles(slug: slug)
    }

    /// The rules of `gongbu check` for this course (media looked up in its folder).
    func validator(slug: String) -> CourseEditor.Validator {
        let folder = directory(slug: slug)
        return { course in CourseManifest.validate(course: course, directory: folder).first?.message }
    }

    /// A stored definition as the editor works on it (nil: it does not parse any more).
    func authored(_ source: AuthoredSource, slug: String, creator: Int64?) -> AuthoredCourse? {
        guard var course = try? CourseManifest.parse(yaml: source.yaml, file: "\(slug)/\(CourseManifest.fileName)", directory: directory(slug: slug)) else {
            return nil
        }
        if course.creator == nil { course.creator = creator }
        return AuthoredCourse(course: course, nextStep: source.nextStep)
    }

    /// Every authored course of the platform database, ready to run.
    func loadAll() async throws -> [ManagedCourse] {
        var entries: [ManagedCourse] = []
        for record in try await platform.authoredCourses() {
            let store = try CourseStore.open(dataDir: dataDir, slug: record.slug)
            guard let source = try await store.authoredSource() else {
                logger.warning("an authored course has no definition", metadata: ["course": "\(record.slug)"])
                continue
            }
            let folder = directory(slug: record.slug)
            var course: Course
            do {
                course = try CourseManifest.parse(yaml: source.yaml, file: "\(record.slug)/\(CourseManifest.fileName)", directory: folder)
            } catch {
                logger.error("an authored course does not load", metadata: ["course": "\(record.slug)", "error": "\(error)"])
                continue
            }
            if course.creator == nil { course.creator = record.creatorId }  // the reviewer of its assignments
            entries.append(try await start(AuthoredCourse(course: course, nextStep: source.nextStep), store: store))
            try await store.closeIfQuiet()
        }
        return entries
    }

    /// A course made by `/newcourse` or `gongbu import`: recorded, stored and ready for a bot.
    /// A course made by `/newcourse` or `gongbu import`: recorded, stored and ready for a bot.
    /// `actionKey` names the desk job's step: a replay after a crash finishes the course it
    /// recorded instead of calling its own slug taken.
    func create(_ authored: AuthoredCourse, creator: Int64, actionKey: String? = nil) async throws -> ManagedCourse? {
        var authored = authored
        if authored.course.creator == nil { authored.course.creator = creator }  // the reviewer of its assignments
        let record = AuthoredCourseRecord(slug: authored.course.slug, creatorId: creator, createdAt: now())
        if try await !platform.addAuthoredCourse(record, actionKey: actionKey) {
            guard let actionKey, try await platform.wasApplied(actionKey) else { return nil }
        }
        let store = try CourseStore.open(dataDir: dataDir, slug: authored.course.slug)
        try await save(authored, store: store)
        ContractMetrics.courseCreated()
        return try await start(authored, store: store)
    }

    /// Stores a changed course and swaps the scene its bots run. With an `actionKey` already
    /// applied to the course database (a replayed desk job), nothing changes: `entry` is returned.
    func update(_ entry: ManagedCourse, to authored: AuthoredCourse, actionKey: String? = nil) async throws -> ManagedCourse {
        guard let live = entry.live else { throw RuntimeError("course \(entry.course.slug) is not authored") }
        guard try await save(authored, store: entry.store, actionKey: actionKey) else {
            try await entry.store.saveDefinition(try JSONEncoder().encode(entry.course), now: now())
            return entry
        }
        live.swap(try scenes(authored, directory: live.directory))
        var changed = entry
        changed.course = authored.course
        return changed
    }

    /// False when `actionKey` was already applied (nothing written).
    @discardableResult
    func save(_ authored: AuthoredCourse, store: CourseStore, actionKey: String? = nil) async throws -> Bool {
        let yaml = CourseManifest.render(course: authored.course)
        guard try await store.saveAuthoredSource(AuthoredSource(yaml: yaml, nextStep: authored.nextStep), actionKey: actionKey, now: now()) else {
            return false
        }
        try await store.saveDefinition(try JSONEncoder().encode(authored.course), now: now())
        return true
    }

    func scenes(_ authored: AuthoredCourse, directory: String) throws -> LiveCourse.Current {
        let open = try resources.courseScene(course: authored.course, directory: directory, payments: payments)
        let closed = try resources.courseScene(course: authored.course, directory: directory, published: false, payments: payments)
        return LiveCourse.Current(
            authored: authored, open: CourseProgressRecorder.handler(for: open), closed: CourseProgressRecorder.handler(for: closed))
    }

    /// The live course, and how a bot connected to it is set up.
    func start(_ authored: AuthoredCourse, store: CourseStore) async throws -> ManagedCourse {
        let slug = authored.course.slug
        let folder = directory(slug: slug)
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let live = LiveCourse(slug: slug, directory: folder, current: try scenes(authored, directory: folder))
        let served = ServedCourse(live: live, store: store)
        courses.add(served)
        let factory = factory
        connected.addCourse(slug: slug) { identity in factory.setup(identity, for: served) }
        return ManagedCourse(course: authored.course, store: store, live: live)
    }

    /// Downloads a file the creator sent to the manager bot (with the manager bot's own
    /// client: file_ids belong to one bot) into the course's `media/` folder; returns its path
    /// relative to the course folder, as a step's `file:` holds it.
    func downloadMedia(_ attachment: Attachment, slug: String, client: any BotAPIClient) async throws -> String {
        if let size = attachment.fileSize, size > SubmissionDownloader.maxBytes {
            throw SubmissionDownloader.DownloadRefused(reason: "file too big (\(size) bytes)")
        }
        let file = try await client.call(GetFile(fileId: attachment.fileId))
        guard let path = file.filePath else { throw SubmissionDownloader.DownloadRefused(reason: "getFile returned no file_path") }
        let data = try await client.downloadFile(path: path)
        guard data.count <= SubmissionDownloader.maxBytes else { throw SubmissionDownloader.DownloadRefused(reason: "file too big") }
        let fallback = switch attachment.kind {
        case .photo: "jpg"
        case .video: "mp4"
        case .audio: "mp3"
        default: "bin"
        }
        return try storeMedia(data, extensions: [(path as NSString).pathExtension, ((attachment.fileName ?? "") as NSString).pathExtension], fallback: fallback, slug: slug)
    }

    /// Writes a media file into the course's `media/` folder under a fresh name (its extension
    /// the first usable of `extensions`, else `fallback`); returns `media/<name>`.
    func storeMedia(_ data: Data, extensions: [String], fallback: String, slug: String) throws -> String {
        let ext = extensions.map { String($0.lowercased().filter { $0.isASCII && ($0.isLetter || $0.isNumber) }.prefix(8)) }.first { !$0.isEmpty } ?? fallback
        let name = "m\(Int64(now() * 1000))-\(UInt32.random(in: 0...UInt32.max) % 10000).\(ext)"
        let media = (directory(slug: slug) as NSString).appendingPathComponent("media")
        try FileManager.default.createDirectory(atPath: media, withIntermediateDirectories: true)
        try data.write(to: URL(fileURLWithPath: (media as NSString).appendingPathComponent(name)), options: .atomic)
        return "media/\(name)"
    }
}
