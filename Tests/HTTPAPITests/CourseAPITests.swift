import Foundation
import GongbuTesting
import Manifests
import Storage
import Testing

/// Courses and steps over HTTP against the real runtime: the change shows at once in the running
/// course bot and in the manager bot; validation answers 422 with the field; bots.yaml courses
/// are read-only; creators are kept apart.
@Suite("Workspace courses and steps", .serialized, .timeLimit(.minutes(3)))
struct CourseAPITests {
    static let manager = "7301:TEST-api-course-manager"

    @Test("create a course, add steps, reorder (a bad order is refused and kept), connect a bot, publish: a student sees the steps, a new step shows at once")
    func buildPublishTake() async throws {
        try await APIHarness.with(managerToken: Self.manager) { api in
            let token = try await api.signIn(801, name: "Cora")
            let created = try await api.call("POST", "/courses", token: token, json: #"{"title":"Web Swift","description":"Learn Swift on the web.","language":"en","difficulty":2}"#)
            #expect(created.status == 201, "\(created.text)")
            let id = try #require(created.json?["id"]?.stringValue)
            #expect(id == "web-swift" && created.json?["creator"] == .int(801) && created.json?["read_only"] == .bool(false))
            #expect(created.json?["steps"]?.arrayValue?.count == 1)

            let text = try await api.call("POST", "/courses/\(id)/steps", token: token, json: #"{"type":"text","title":"Constants","text":"Use **let** for constants."}"#)
            #expect(text.status == 201, "\(text.text)")
            #expect(text.json?["id"] == .string("s2") && text.json?["title"] == .string("Constants"))
            let quiz = try await api.call("POST", "/courses/\(id)/steps", token: token, json: #"{"type":"quiz","title":"Check","questions":[{"question":"Which keyword declares a constant?","options":["let","var"],"correct":0}]}"#)
            #expect(quiz.status == 201, "\(quiz.text)")
            #expect(quiz.json?["id"] == .string("s3"))

            let wrong = try await api.call("POST", "/courses/\(id)/steps", token: token, json: #"{"type":"quiz","title":"Bad","questions":[{"question":"Q?","options":["a","b"],"correct":5}]}"#)
            #expect(wrong.status == 422 && wrong.errorCode == "invalid", "\(wrong.text)")
            #expect(wrong.errorField == "steps[3].questions[0].correct", "\(wrong.text)")
            let unknownType = try await api.call("POST", "/courses/\(id)/steps", token: token, json: #"{"type":"poem","text":"x"}"#)
            #expect(unknownType.status == 422 && unknownType.errorField == "steps[3].type", "\(unknownType.text)")

            let badOrder = try await api.call("PUT", "/courses/\(id)/steps/order", token: token, json: #"{"ids":["s2","s1"]}"#)
            #expect(badOrder.status == 422 && badOrder.errorField == "ids", "\(badOrder.text)")
            let twice = try await api.call("PUT", "/courses/\(id)/steps/order", token: token, json: #"{"ids":["s2","s2","s3"]}"#)
            #expect(twice.status == 422)
            let kept = try await api.call("GET", "/courses/\(id)/steps", token: token)
            #expect(kept.json?["steps"]?.arrayValue?.compactMap { $0["id"]?.stringValue } == ["s1", "s2", "s3"])
            let order = try await api.call("PUT", "/courses/\(id)/steps/order", token: token, json: #"{"ids":["s2","s1","s3"]}"#)
            #expect(order.status == 200, "\(order.text)")
            #expect(order.json?["steps"]?.arrayValue?.compactMap { $0["id"]?.stringValue } == ["s2", "s1", "s3"])

            let unpublishable = try await api.call("POST", "/courses/\(id)/publish", token: token)
            #expect(unpublishable.status == 409 && unpublishable.errorCode == "conflict")
            let botToken = "7302:TEST-api-course-bot-secret"
            let bot = api.emulator.addBot(token: botToken, username: "web_swift_bot")
            bot.setRateLimits(nil)
            let refused = try await api.call("PUT", "/courses/\(id)/bot", token: token, json: #"{"token":"7399:TEST-not-a-known-bot"}"#)
            #expect(refused.status == 422 && refused.errorField == "token" && !refused.text.contains("TEST-not-a-known-bot"), "\(refused.text)")
            let connected = try await api.call("PUT", "/courses/\(id)/bot", token: token, json: ManifestValue.fields([("token", .string(botToken))]).jsonText)
            #expect(connected.status == 200, "\(connected.text)")
            #expect(connected.json?["botUsername"] == .string("web_swift_bot") && !connected.text.contains("TEST-api-course-bot-secret"))
            let published = try await api.call("POST", "/courses/\(id)/publish", token: token)
            #expect(published.status == 200 && published.json?["botUsername"] == .string("web_swift_bot"), "\(published.text)")

            let student = bot.user(id: 5001, firstName: "Sam")
            try await student.send("/start", expecting: "Start")
            try await student.press("Start", expecting: "Constants")
            let first = try #require(student.messages.last { $0.body.contains("Constants") })
            #expect(first.body.contains("1/3"), "\(first.body)")
            try await student.press("Next ▶️", expecting: "2/3 · Welcome")
            try await student.press("Next ▶️", expecting: "Question 1 of 1")
            _ = try await student.press("let", waitingForAnswer: ScriptedUser.patience)
            #expect(try await eventually {
                try await api.call("GET", "/courses/\(id)/students/5001", token: token).json?["quiz_answers"]?.arrayValue?.count == 1
            })
            let sam = try await api.call("GET", "/courses/\(id)/students/5001", token: token)
            #expect(sam.json?["quiz_answers"]?.arrayValue?.first?["correct"] == .bool(true) && sam.json?["steps_done"]?.intValue ?? 0 >= 2, "\(sam.text)")

            let added = try await api.call("POST", "/courses/\(id)/steps", token: token, json: #"{"type":"text","title":"Finale","text":"You made it."}"#)
            #expect(added.status == 201)
            let late = bot.user(id: 5002, firstName: "Lea")
            try await late.send("/start", expecting: "Start")
            try await late.press("Start", expecting: "Constants")
            #expect(late.messages.last { $0.body.contains("Constants") }?.body.contains("1/4") == true)

            // The manager bot lists the course built over HTTP.
            let cora = api.manager.user(id: 801, firstName: "Cora")
            try await cora.send("/start", expecting: "Gongbu")
            try await cora.send("/courses", expecting: "Web Swift")

            // Unpublished over HTTP: the running bot answers "coming soon" at once; archived: the same.
            let unpublished = try await api.call("POST", "/courses/\(id)/unpublish", token: token)
            #expect(unpublished.status == 200 && unpublished.json?["published"] == .bool(false), "\(unpublished.text)")
            try await bot.user(id: 5003, firstName: "Max").send("/start", expecting: "not published yet")
            #expect(try await api.call("POST", "/courses/\(id)/publish", token: token).status == 200)
            try await bot.user(id: 5004, firstName: "Noa").send("/start", expecting: "Start")
            #expect(try await api.call("DELETE", "/courses/\(id)", token: token).status == 204)
            try await bot.user(id: 5005, firstName: "Oli").send("/start", expecting: "not published yet")

            // Replace and delete a step; disconnect the bot.
            let replaced = try await api.call("PUT", "/courses/\(id)/steps/s4", token: token, json: #"{"type":"text","title":"Finale","text":"The very end.","id":"ignored"}"#)
            #expect(replaced.status == 200 && replaced.json?["id"] == .string("s4") && replaced.json?["text"] == .string("The very end."), "\(replaced.text)")
            #expect(try await api.call("DELETE", "/courses/\(id)/steps/s4", token: token).status == 204)
            #expect(try await api.call("DELETE", "/courses/\(id)/steps/s4", token: token).status == 404)
            #expect(try await api.call("GET", "/courses/\(id)/steps", token: token).json?["steps"]?.arrayValue?.count == 3)
            #expect(try await api.call("DELETE", "/courses/\(id)/bot", token: token).status == 204)
            #expect(try await api.platform().connectedBots().isEmpty)
            #expect(try await api.call("DELETE", "/courses/\(id)/bot", token: token).status == 404)

            #expect(!api.logs.withLock { $0 }.isEmpty)
            #expect(api.logs.withLock { $0 }.allSatisfy { !$0.contains("TEST-api-course-bot-secret") && !$0.contains("TEST-api-course-manager") })
            #expect(try await api.platform().auditLog().allSatisfy { !($0.details ?? "").contains("TEST-api-course-bot-secret") })
            let audit = try await api.platform().auditLog().map(\.action)
            for action in ["course.create", "step.add", "step.edit", "step.delete", "step.move", "bot.connect", "bot.disconnect", "course.publish", "course.unpublish", "course.archive"] {
                #expect(audit.contains(action), "\(action)")
            }
        }
    }

    static let yamlCourse = """
        slug: yaml-course
        title: From bots.yaml
        language: en
        creator: 801
        steps:
          - id: intro
            type: text
            title: Intro
            text: Hello.

        """

    @Test("422 with the field for bad settings, 409 for a bots.yaml course, 404 for another creator's course; archive; admins see all")
    func rulesAndSeparation() async throws {
        try await APIHarness.with(managerToken: Self.manager, admins: [42], courses: [(token: "7311:TEST-api-yaml-bot", yaml: Self.yamlCourse)]) { api in
            let cora = try await api.signIn(801, name: "Cora")
            let dan = try await api.signIn(802, name: "Dan")
            let list = try await api.call("GET", "/courses", token: cora)
            #expect(list.json?["total"] == .int(1) && list.json?["courses"]?.arrayValue?.first?["read_only"] == .bool(true), "\(list.text)")
            let readOnly = try await api.call("PUT", "/courses/yaml-course", token: cora, json: #"{"title":"Changed"}"#)
            #expect(readOnly.status == 409 && readOnly.errorCode == "conflict")
            #expect(try await api.call("POST", "/courses/yaml-course/steps", token: cora, json: #"{"type":"text","text":"x"}"#).status == 409)
            #expect(try await api.call("DELETE", "/courses/yaml-course", token: cora).status == 409)

            let noTitle = try await api.call("POST", "/courses", token: cora, json: "{}")
            #expect(noTitle.status == 422 && noTitle.errorField == "title")
            let badDifficulty = try await api.call("POST", "/courses", token: cora, json: #"{"title":"Alpha","difficulty":9}"#)
            #expect(badDifficulty.status == 422 && badDifficulty.errorField == "difficulty", "\(badDifficulty.text)")
            #expect(badDifficulty.json?["error"]?["message"]?.stringValue?.contains("between 1 and 5") == true)
            let unknown = try await api.call("POST", "/courses", token: cora, json: #"{"title":"Alpha","colour":"red"}"#)
            #expect(unknown.status == 422 && unknown.errorField == "colour")
            #expect(try await api.call("POST", "/courses", token: cora, json: "not json").status == 422)

            let alpha = try await api.call("POST", "/courses", token: cora, json: #"{"title":"Alpha"}"#)
            #expect(alpha.status == 201, "\(alpha.text)")
            let changed = try await api.call("PUT", "/courses/alpha", token: cora, json: #"{"description":"New words","difficulty":3,"price":{"model":"paid","amount":50}}"#)
            #expect(changed.status == 200 && changed.json?["difficulty"] == .int(3) && changed.json?["price"]?["amount"] == .int(50), "\(changed.text)")
            let badLanguage = try await api.call("PUT", "/courses/alpha", token: cora, json: #"{"language":"English!"}"#)
            #expect(badLanguage.status == 422 && badLanguage.errorField == "language")
            let badPrice = try await api.call("PUT", "/courses/alpha", token: cora, json: #"{"price":{"model":"paid"}}"#)
            #expect(badPrice.status == 422 && badPrice.errorField?.hasPrefix("price") == true, "\(badPrice.text)")
            #expect(try await api.call("DELETE", "/courses/alpha/steps/s1", token: cora).status == 422)

            // Dan sees nothing of Cora's.
            #expect(try await api.call("GET", "/courses", token: dan).json?["total"] == .int(0))
            for path in ["/courses/alpha", "/courses/alpha/steps", "/courses/alpha/students", "/courses/alpha/payments", "/courses/alpha/stats", "/courses/yaml-course"] {
                let answer = try await api.call("GET", path, token: dan)
                #expect(answer.status == 404 && !answer.text.contains("Alpha"), "\(path): \(answer.text)")
            }
            #expect(try await api.call("PUT", "/courses/alpha/steps/s1", token: dan, json: #"{"type":"text","text":"mine now"}"#).status == 404)
            #expect(try await api.call("PUT", "/courses/alpha", token: dan, json: #"{"title":"Mine"}"#).status == 404)
            #expect(try await api.call("DELETE", "/courses/alpha", token: dan).status == 404)
            #expect(try await api.call("GET", "/reviews", token: dan).json?["reviews"]?.arrayValue?.isEmpty == true)
            #expect(try await api.call("GET", "/courses/alpha", token: cora).json?["title"] == .string("Alpha"))

            let admin = try await api.signIn(42, name: "Root")
            #expect(try await api.call("GET", "/courses", token: admin).json?["total"] == .int(2))
            #expect(try await api.call("GET", "/courses?search=alp", token: admin).json?["total"] == .int(1))

            #expect(try await api.call("DELETE", "/courses/alpha", token: cora).status == 204)
            let archived = try await api.call("GET", "/courses/alpha", token: cora)
            #expect(archived.json?["archived"] == .bool(true) && archived.json?["published"] == .bool(false))
            #expect(try await api.platform().auditLog().contains { $0.action == "denied" && $0.subject == "alpha" })
        }
    }

    @Test("media upload lands in the course folder and a step can use it; a body over 50 MB gets 413")
    func mediaAndLimits() async throws {
        try await APIHarness.with(managerToken: Self.manager) { api in
            let cora = try await api.signIn(801, name: "Cora")
            #expect(try await api.call("POST", "/courses", token: cora, json: #"{"title":"Pics"}"#).status == 201)
            let png: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A] + Array(repeating: 7, count: 64)
            let boundary = "gongbu-test-boundary"
            let multipart = Array("--\(boundary)\r\nContent-Disposition: form-data; name=\"file\"; filename=\"cat.png\"\r\nContent-Type: image/png\r\n\r\n".utf8)
                + png + Array("\r\n--\(boundary)--\r\n".utf8)
            let uploaded = try await api.call("POST", "/courses/pics/media", token: cora, bytes: multipart, contentType: "multipart/form-data; boundary=\(boundary)")
            #expect(uploaded.status == 201, "\(uploaded.text)")
            let file = try #require(uploaded.json?["file"]?.stringValue)
            #expect(file.hasPrefix("media/") && file.hasSuffix(".png"))
            let stored = try Data(contentsOf: URL(fileURLWithPath: api.dataDir + "/courses/pics/files/" + file))
            #expect([UInt8](stored) == png)
            let step = try await api.call("POST", "/courses/pics/steps", token: cora, json: ManifestValue.fields([("type", .string("photo")), ("file", .string(file))]).jsonText)
            #expect(step.status == 201, "\(step.text)")
            let missing = try await api.call("POST", "/courses/pics/steps", token: cora, json: #"{"type":"photo","file":"media/none.png"}"#)
            #expect(missing.status == 422 && missing.errorField == "steps[2].file", "\(missing.text)")
            let notMultipart = try await api.call("POST", "/courses/pics/media", token: cora, json: "{}")
            #expect(notMultipart.status == 422 && notMultipart.errorField == "file")

            let huge = [UInt8](repeating: 0x20, count: 50 * 1024 * 1024 + 10)
            let tooLarge = try await api.call("POST", "/courses/pics/media", token: cora, bytes: huge, contentType: "multipart/form-data; boundary=x")
            #expect(tooLarge.status == 413, "\(tooLarge.text)")
        }
    }
}
