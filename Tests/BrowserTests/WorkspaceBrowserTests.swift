import BrowserTesting
import Foundation
import GongbuTesting
import Storage
import TelegramBotAPI
import Testing

extension BrowserSuite {
    /// The Mini App in headless Chromium against the real runtime, API and emulator: a creator opens
    /// `/app` as Telegram launches it (init data in the URL fragment, the SDK unreachable offline),
    /// builds a course (text step with its live preview, a quiz question after a validation error
    /// shown at its field, a photo upload), reorders by dragging, and approves a student's photo
    /// submission. Each result is checked through the API or the database, and in the student's chat.
    @Suite struct WorkspaceBrowserTests {
        static let creatorId: Int64 = 777_001
        static let studentId: Int64 = 888_001
        /// A 24×24 PNG (top half orange, bottom half blue).
        static let png = Data(base64Encoded: "iVBORw0KGgoAAAANSUhEUgAAABgAAAAYCAIAAABvFaqvAAAAJklEQVR4nGN4FqBBFcQwatCoQaMG4TVIo+IOVdCoQaMGjRqEFwEAK+c1bh6WyRgAAAAASUVORK5CYII=")!

        static let essaysYAML = """
            slug: essays
            title: Photo Essays
            language: en
            creator: \(creatorId)
            steps:
              - id: intro
                type: text
                title: Intro
                text: Hello.
              - id: snapshot
                type: assignment
                title: Snapshot
                text: Send your photo.
                accept: [text, photo]
                review: creator

            """

        @Test func aCreatorBuildsACourseReordersItAndApprovesASubmission() async throws {
            try await WorkspaceHarness.with(managerToken: "730001:TEST-app-manager", courses: [("730002:TEST-app-essays", Self.essaysYAML)]) { harness in
                let photoFile = URL(fileURLWithPath: NSTemporaryDirectory()).appendingPathComponent("gongbu-app-\(UUID().uuidString).png")
                try Self.png.write(to: photoFile)
                defer { try? FileManager.default.removeItem(at: photoFile) }
                let check = try await harness.apiToken(id: Self.creatorId, name: "Cleo")
                let launch = harness.initData(id: Self.creatorId, name: "Cleo", queryId: "AAE-browser")
                let fragment = "tgWebAppData=" + Self.formEncode(launch) + "&tgWebAppVersion=8.0&tgWebAppPlatform=tdesktop"
                    + "&tgWebAppThemeParams=" + Self.formEncode(##"{"bg_color":"#ffffff","button_color":"#3390ec"}"##)

                try await Browser.run(name: "workspace") { browser in
                    // Signed in from the launch parameters: the course list, with the bots.yaml course.
                    try await browser.navigate(to: harness.base + "/app#" + fragment)
                    _ = try await browser.waitFor("[data-test=course-item][data-id=essays]", timeout: .seconds(30))
                    #expect(try await browser.find("[data-test=who]").text() == "Cleo")
                    // Without the SDK (offline), the theme comes from the launch parameters too.
                    #expect(try await browser.execute(
                        "return getComputedStyle(document.documentElement).getPropertyValue('--tg-theme-button-color').trim();").stringValue == "#3390ec")
                    try await browser.screenshot("workspace-01-courses")

                    // A new course.
                    try await browser.find("[data-test=new-course]").click()
                    try await browser.waitFor("[data-test=new-course-title]").sendKeys("Browser Basics")
                    try await browser.find("[data-test=create-course]").click()
                    let screen = try await browser.waitFor("[data-test=course-screen]")
                    let slug = try #require(try await screen.attribute("data-id"))
                    _ = try await browser.waitFor("[data-test=course-title]")
                    #expect(try await harness.call("GET", "/courses/\(slug)", token: check)["title"]?.stringValue == "Browser Basics")
                    // A new course starts with the steps the manager bot gives one (a welcome text).
                    let starting = (try await harness.call("GET", "/courses/\(slug)/steps", token: check)["steps"]?.arrayValue ?? []).count
                    try await browser.screenshot("workspace-02-course")

                    // A text step, previewed as Telegram renders it.
                    try await browser.find("[data-test=tab-steps]").click()
                    try await Self.addStep("text", browser)
                    try await browser.waitFor("[data-test=step-title-input]").sendKeys("Lesson one")
                    try await browser.find("[data-test=step-text]").sendKeys("**Hello** _world_ & <friends>")
                    let preview = try await browser.waitForScript(
                        "document.querySelector('[data-test=step-preview]').innerHTML.includes('<b>Hello</b>') && document.querySelector('[data-test=step-preview]').innerHTML")
                    #expect(preview.stringValue == "<b>Lesson one</b>\n\n<b>Hello</b> <i>world</i> &amp; &lt;friends&gt;")
                    try await browser.screenshot("workspace-03-text-step")
                    try await browser.find("[data-test=save-step]").click()
                    try await Self.waitForSteps(starting + 1, browser)
                    var steps = try await harness.call("GET", "/courses/\(slug)/steps", token: check)["steps"]?.arrayValue ?? []
                    #expect(steps.count == starting + 1)
                    #expect(steps.last?["type"]?.stringValue == "text")
                    #expect(steps.last?["title"]?.stringValue == "Lesson one")
                    #expect(steps.last?["text"]?.stringValue == "**Hello** _world_ & <friends>")

                    // A quiz: saved empty first, the API's error shows at the question; then filled in.
                    try await Self.addStep("quiz", browser)
                    try await browser.waitFor("[data-test=save-step]").click()
                    let error = try await browser.waitFor("[data-test=question] [data-error-for]:not([hidden])")
                    #expect(try await error.attribute("data-error-for")?.hasPrefix("questions[0]") == true)
                    #expect(!(try await error.text()).isEmpty)
                    try await browser.screenshot("workspace-04-quiz-error")
                    try await browser.find("[data-test=question-text]").sendKeys("Which keyword declares a constant?")
                    let options = try await browser.findAll("[data-test=option-text]")
                    try #require(options.count == 2)
                    try await options[0].sendKeys("var")
                    try await options[1].sendKeys("let")
                    try await browser.find("[data-test=add-option]").click()
                    try await browser.waitUntil("a third option") { try await browser.findAll("[data-test=option-text]").count == 3 }
                    try await browser.findAll("[data-test=option-text]")[2].sendKeys("const")
                    let ticks = try await browser.findAll("[data-test=option-correct]")
                    try await ticks[0].click()  // the default tick (first option) off…
                    try await ticks[1].click()  // …and `let` on.
                    try await browser.find("[data-test=question-explanation]").sendKeys("let declares a constant.")
                    try await browser.screenshot("workspace-05-quiz")
                    try await browser.find("[data-test=save-step]").click()
                    try await Self.waitForSteps(starting + 2, browser)
                    steps = try await harness.call("GET", "/courses/\(slug)/steps", token: check)["steps"]?.arrayValue ?? []
                    let question = steps.last?["questions"]?[0]
                    #expect(steps.last?["type"]?.stringValue == "quiz")
                    #expect(question?["question"]?.stringValue == "Which keyword declares a constant?")
                    #expect(question?["options"] == .array(["var", "let", "const"]))
                    #expect(question?["correct"]?.intValue == 1)
                    #expect(question?["explanation"]?.stringValue == "let declares a constant.")

                    // A photo step: the file uploaded through the file input, then named in `file:`.
                    try await Self.addStep("photo", browser)
                    try await browser.waitFor("[data-test=media-file]").upload(file: photoFile)
                    let status = try await browser.waitFor("[data-test=upload-status][data-uploaded]")
                    let uploaded = try #require(try await status.attribute("data-uploaded"))
                    #expect(uploaded.hasPrefix("media/"))
                    #expect(try await browser.find("[data-test=step-file]").property("value").stringValue == uploaded)
                    try await browser.find("[data-test=step-caption]").sendKeys("A *picture*")
                    _ = try await browser.waitForScript("document.querySelector('[data-test=media-preview]') && document.querySelector('[data-test=step-preview]').innerHTML.includes('<i>picture</i>')")
                    try await browser.screenshot("workspace-06-photo-step")
                    try await browser.find("[data-test=save-step]").click()
                    try await Self.waitForSteps(starting + 3, browser)
                    steps = try await harness.call("GET", "/courses/\(slug)/steps", token: check)["steps"]?.arrayValue ?? []
                    #expect(steps.last?["type"]?.stringValue == "photo")
                    #expect(steps.last?["file"]?.stringValue == uploaded)
                    #expect(steps.last?["caption"]?.stringValue == "A *picture*")
                    let ids = steps.compactMap { $0["id"]?.stringValue }
                    try #require(ids.count == starting + 3)

                    // Drag the photo step's handle (the last) above the first step: the new order is stored.
                    let handles = try await browser.findAll("[data-test=step-handle]")
                    let items = try await browser.findAll("[data-test=step-item]")
                    try await browser.drag(handles[ids.count - 1], to: items[0], offsetY: -12)
                    let reordered = [ids[ids.count - 1]] + ids.dropLast()
                    try await browser.waitUntil("the list to show the new order") {
                        var shown: [String] = []
                        for item in try await browser.findAll("[data-test=step-item]") { shown.append(try await item.attribute("data-step-id") ?? "") }
                        return shown == reordered
                    }
                    try await browser.waitUntil("the API to hold the new order") {
                        let stored = try await harness.call("GET", "/courses/\(slug)/steps", token: check)["steps"]?.arrayValue ?? []
                        return stored.compactMap { $0["id"]?.stringValue } == reordered
                    }
                    try await browser.screenshot("workspace-07-reordered")

                    // A student of the bots.yaml course sends a photo for review.
                    let student = harness.courseBot("essays").user(id: Self.studentId, firstName: "Sam")
                    try await student.send("/start", expecting: "Start")
                    try await student.press("Start", expecting: "Intro")
                    try await student.press("Next ▶️", expecting: "Send your photo")
                    student.sendPhoto(data: Self.png, caption: "my street")
                    _ = try await student.waitForMessage(containing: "awaits review")

                    // The review queue shows the photo itself; Approve with a comment.
                    try await browser.find("[data-test=back]").click()
                    try await browser.waitFor("[data-test=open-reviews]").click()
                    let card = try await browser.waitFor("[data-test=review-item]")
                    #expect(try await card.text().contains("my street"))
                    let photo = try await browser.waitFor("[data-test=submission-photo]")
                    try await browser.waitUntil("the submitted photo to load") {
                        try await browser.execute("return arguments[0].complete && arguments[0].naturalWidth;", [photo.json]).intValue == 24
                    }
                    try await card.find("[data-test=review-comment]").sendKeys("Lovely colours")
                    try await browser.screenshot("workspace-08-review")
                    try await card.find("[data-test=approve]").click()
                    _ = try await browser.waitFor("[data-test=no-reviews]")
                    let approval = try await student.waitForMessage(containing: "is approved")
                    #expect(approval.body.contains("Reviewer's comment: Lovely colours"))
                    let store = try harness.courseStore("essays")
                    let submissions = try await store.submissions()
                    #expect(submissions.map(\.status) == [.approved])
                    #expect(submissions.map(\.comment) == ["Lovely colours"])
                    try await browser.screenshot("workspace-09-reviewed")
                }
            }
        }

        static let paidYAML = """
            slug: school
            title: Paid School
            language: en
            creator: \(creatorId)
            price:
              model: paid
              amount: 250
            steps:
              - id: intro
                type: text
                title: Intro
                text: Welcome in.
              - id: second
                type: text
                title: Second
                text: More.

            """

        @Test func aCreatorRunsACourseSettingsStatisticsStudentsBroadcastAndRefund() async throws {
            try await WorkspaceHarness.with(managerToken: "730011:TEST-app-manager", courses: [("730012:TEST-app-school", Self.paidYAML)]) { harness in
                let check = try await harness.apiToken(id: Self.creatorId, name: "Cleo")
                // A student buys the course and takes the first step.
                let student = harness.courseBot("school").user(id: Self.studentId + 1, firstName: "Pia")
                try await student.send("/start", expecting: "Paid School")
                try student.press("Buy · 250 ⭐")
                _ = try await student.waitForMessage { $0.json["invoice"] != nil }
                guard case .paid(let record) = try await student.pay() else { Issue.record("payment refused"); return }
                _ = try await student.waitForMessage(containing: "Step 1/2 · Intro")

                let launch = harness.initData(id: Self.creatorId, name: "Cleo", queryId: "AAE-browser-2")
                try await Browser.run(name: "workspace-running") { browser in
                    try await browser.navigate(to: harness.base + "/app#tgWebAppData=" + Self.formEncode(launch) + "&tgWebAppVersion=8.0")
                    try await browser.waitFor("[data-test=course-item][data-id=school]", timeout: .seconds(30)).click()
                    // A bots.yaml course: its content is read-only here, which the settings say.
                    _ = try await browser.waitFor("[data-test=read-only]")

                    // Statistics: one student, the funnel drawn with a bar per step, the revenue.
                    try await browser.find("[data-test=tab-stats]").click()
                    let chart = try await browser.waitFor("[data-test=funnel-chart]")
                    let bars = try await chart.findAll("[data-test=funnel-bar]")
                    #expect(bars.count == 2)
                    #expect(try await bars[0].attribute("data-count") == "1")
                    #expect(try await browser.find("[data-test=stat-students]").text().hasPrefix("1"))
                    #expect(try await browser.find("[data-test=stat-revenue]").text().contains("250 ⭐"))
                    try await browser.screenshot("workspace-running-01-stats")

                    // Students: Pia with her progress, and her card.
                    try await browser.find("[data-test=tab-students]").click()
                    let row = try await browser.waitFor("[data-test=student-row][data-user-id=\"\(Self.studentId + 1)\"]")
                    #expect(try await row.text().contains("1/2"))
                    try await row.find("button").click()
                    _ = try await browser.waitFor("[data-test=student-card]", containing: "1/2 steps")
                    try await browser.screenshot("workspace-running-02-students")

                    // A broadcast to every student reaches Pia.
                    try await browser.find("[data-test=tab-broadcast]").click()
                    try await browser.waitFor("[data-test=broadcast-text]").sendKeys("**New lesson** tomorrow")
                    _ = try await browser.waitForScript("document.querySelector('[data-test=step-preview]').innerHTML.includes('<b>New lesson</b>')")
                    try await browser.find("[data-test=send-broadcast]").click()
                    _ = try await browser.waitFor("[data-test=broadcast-accepted]", containing: "accepted")
                    let broadcast = try await student.waitForMessage(containing: "New lesson")
                    #expect(broadcast.body.contains("tomorrow"))
                    // The page follows the broadcast's counts until it is over.
                    _ = try await browser.waitFor("[data-test=broadcast-counts]", containing: "delivered: 1")
                    try await browser.screenshot("workspace-running-03-broadcast")

                    // Payments: the purchase, refunded from the page.
                    try await browser.find("[data-test=tab-payments]").click()
                    let payment = try await browser.waitFor("[data-test=payment-row][data-charge-id=\"\(record.telegramPaymentChargeId)\"]")
                    #expect(try await payment.text().contains("250 ⭐"))
                    try await payment.find("[data-test=refund]").click()
                    #expect(try await browser.acceptAlert(timeout: .seconds(5)).contains("Refund 250 ⭐"))
                    _ = try await student.waitForMessage(containing: "Your payment was refunded")
                    try await browser.waitUntil("the ledger to mark the refund") {
                        let ledger = try await harness.call("GET", "/courses/school/payments", token: check)["payments"]?.arrayValue ?? []
                        return ledger.first?["refunded"]?.boolValue == true
                    }
                    try await browser.find("[data-test=tab-payments]").click()
                    _ = try await browser.waitFor("[data-test=refunded]")
                    try await browser.screenshot("workspace-running-04-refunded")

                    // A course of one's own: settings and price saved; publishing without a bot is refused, said so.
                    try await browser.find("[data-test=back]").click()
                    try await browser.waitFor("[data-test=new-course]").click()
                    try await browser.waitFor("[data-test=new-course-title]").sendKeys("Priced Course")
                    try await browser.find("[data-test=create-course]").click()
                    let slug = try #require(try await browser.waitFor("[data-test=course-screen]").attribute("data-id"))
                    try await browser.waitFor("[data-test=course-category]").sendKeys("design")
                    try await browser.find("[data-test=course-difficulty] option[value=\"3\"]").click()
                    try await browser.find("[data-test=price-model] option[value=paid]").click()
                    try await browser.waitFor("[data-test=price-amount]").sendKeys("120")
                    try await browser.find("[data-test=save-course]").click()
                    try await browser.waitUntil("the settings to be stored") {
                        let course = try await harness.call("GET", "/courses/\(slug)", token: check)
                        return course["price"]?["amount"]?.intValue == 120
                    }
                    let course = try await harness.call("GET", "/courses/\(slug)", token: check)
                    #expect(course["category"]?.stringValue == "design")
                    #expect(course["difficulty"]?.intValue == 3)
                    #expect(course["price"]?["model"]?.stringValue == "paid")
                    let statusBefore = try await browser.find("[data-test=course-status]").text()
                    try await browser.find("[data-test=publish]").click()
                    let refusal = try await browser.waitFor("[data-test=form-error]")
                    #expect(try await refusal.text().contains("connect a bot"))
                    #expect(try await browser.find("[data-test=course-status]").text() == statusBefore)
                    try await browser.screenshot("workspace-running-05-settings")

                // Steps of every kind are edited in place: the first step's text changed, an
                // assignment added, then the first step deleted.
                try await browser.find("[data-test=tab-steps]").click()
                let first = try await browser.waitFor("[data-test=step-item]")
                let firstId = try #require(try await first.attribute("data-step-id"))
                try await first.find("[data-test=step-title]").click()
                try await browser.waitFor("[data-test=step-text]").replaceText(with: "Changed in the **app**")
                try await browser.find("[data-test=save-step]").click()
                try await browser.waitUntil("the step to be replaced") {
                    let steps = try await harness.call("GET", "/courses/\(slug)/steps", token: check)["steps"]?.arrayValue ?? []
                    return steps.first?["text"]?.stringValue == "Changed in the **app**"
                }
                let before = (try await harness.call("GET", "/courses/\(slug)/steps", token: check)["steps"]?.arrayValue ?? []).count
                try await Self.addStep("assignment", browser)
                try await browser.find("[data-test=step-title-input]").sendKeys("Homework")
                try await browser.find("[data-test=assignment-text]").sendKeys("Send a photo of your sketch.")
                try await browser.find("[data-test=accept-photo]").click()
                try await browser.find("[data-test=assignment-review] option[value=auto]").click()
                try await browser.find("[data-test=save-step]").click()
                try await Self.waitForSteps(before + 1, browser)
                let assignment = try #require((try await harness.call("GET", "/courses/\(slug)/steps", token: check)["steps"]?.arrayValue ?? []).last)
                #expect(assignment["type"]?.stringValue == "assignment")
                #expect(assignment["text"]?.stringValue == "Send a photo of your sketch.")
                #expect(assignment["accept"] == .array(["text", "photo"]))
                #expect((assignment["review"]?.stringValue ?? "auto") == "auto", "course.yaml's default, so maybe omitted")
                try await browser.find("[data-test=step-item][data-step-id=\"\(firstId)\"] [data-test=step-title]").click()
                try await browser.waitFor("[data-test=delete-step]").click()
                try await browser.acceptAlert(timeout: .seconds(5))
                try await Self.waitForSteps(before, browser)
                let remaining = try await harness.call("GET", "/courses/\(slug)/steps", token: check)["steps"]?.arrayValue ?? []
                #expect(!remaining.contains { $0["id"]?.stringValue == firstId })
                try await browser.screenshot("workspace-running-06-steps")
                }
            }
        }

        @Test func aDesktopBrowserSignsInThroughTheLoginWidget() async throws {
            try await WorkspaceHarness.with(managerToken: "730021:TEST-app-manager", courses: [("730022:TEST-app-essays", Self.essaysYAML)]) { harness in
                try await Browser.run(name: "workspace-widget") { browser in
                    try await browser.navigate(to: harness.base + "/app")
                    // No launch data: the Login Widget, for the manager bot `getMe` named.
                    let script = try await browser.waitFor("the Login Widget script", timeout: .seconds(30)) { () -> BrowserElement? in
                        try await browser.findAll("[data-test=login-widget] script").first
                    }
                    #expect(try await script.attribute("data-telegram-login") == "school_manager_bot")
                    try await browser.screenshot("workspace-widget-01-sign-in")
                    // Telegram's widget calls back with the signed user (numbers as numbers).
                    let fields = TelegramSignIn.makeWidget(
                        user: .init(id: Self.creatorId, firstName: "Cleo", authDate: Int64(Date().timeIntervalSince1970)), token: harness.managerToken)
                    let user: JSONValue = .object(fields.mapValues { value in Int64(value).map(JSONValue.int) ?? .string(value) })
                    try await browser.execute("window.gongbuWidgetAuth(arguments[0]);", [user])
                    _ = try await browser.waitFor("[data-test=course-item][data-id=essays]")
                    #expect(try await browser.find("[data-test=who]").text() == "Cleo")
                    // A forged callback is refused, and the page says so.
                    try await browser.execute("sessionStorage.clear();")
                    try await browser.refresh()
                    try await browser.waitForScript("typeof window.gongbuWidgetAuth === 'function'")
                    var forged = fields
                    forged["first_name"] = "Mallory"
                    try await browser.execute("window.gongbuWidgetAuth(arguments[0]);", [.object(forged.mapValues(JSONValue.string))])
                    _ = try await browser.waitFor("[data-test=signin-error]", containing: "Sign-in failed")
                }
            }
        }

        /// Picks `type` in the add-step menu and opens the new step's editor.
        static func addStep(_ type: String, _ browser: BrowserSession) async throws {
            try await browser.waitFor("[data-test=add-step-type]").click()
            try await browser.find("[data-test=add-step-type] option[value=\(type)]").click()
            try await browser.find("[data-test=add-step]").click()
            _ = try await browser.waitFor("[data-test=step-editor][data-type=\(type)]")
        }

        /// Waits until the steps list (shown again after a save) holds `count` steps.
        static func waitForSteps(_ count: Int, _ browser: BrowserSession) async throws {
            try await browser.waitUntil("\(count) steps in the list") {
                let editors = try await browser.findAll("[data-test=step-editor]")
                let items = try await browser.findAll("[data-test=step-item]")
                return editors.isEmpty && items.count == count
            }
        }

        /// `application/x-www-form-urlencoded` encoding, as Telegram encodes the launch parameters.
        static func formEncode(_ text: String) -> String {
            var allowed = CharacterSet.alphanumerics
            allowed.insert(charactersIn: "-._~")
            return text.addingPercentEncoding(withAllowedCharacters: allowed) ?? text
        }
    }
}
