import Foundation
import Testing

/// `gongbu preview COURSE_DIR` as a creator uses it: the built binary, a scripted stdin, and
/// the chat as printed on stdout.
@Suite(.serialized) struct PreviewTests {
    static let course = GongbuBinary.root.appendingPathComponent("courses/swift-basics").path

    @Test func walksTheExampleCourseThroughTheQuiz() async throws {
        let script = [
            "/start",
            "1",  // Start
            "1",  // Next ▶️ (step 1 has no Back)
            "2", "2", "2", "2", "2",  // Next ▶️ up to step 7
            "2",  // Next ▶️: the quiz
            "2",  // "var": wrong
            "1", "2", "4", "5",  // Int, String, Bool, Submit
            ":poll 2",  // wrong on purpose
            ":poll 1",  // already answered: refused
            "var",
            "/progress",
            ":quit",
            "/start",  // never read
        ]
        let output = try await GongbuBinary.run(["preview", Self.course], input: script.joined(separator: "\n") + "\n")
        #expect(output.status == 0, "stderr: \(output.stderr)")
        let out = output.stdout
        #expect(output.stderr.isEmpty, "logs are quiet without --log-level: \(output.stderr)")

        #expect(out.contains("Previewing \"Swift Basics\" (10 steps)"))
        #expect(out.contains("> /start\n\nSwift Basics\n"))
        #expect(out.contains("  [1] Start\n"))
        #expect(out.contains("Step 1/10 · Welcome"))
        #expect(out.contains("  [1] Next ▶️\n  [2] 📋 Contents\n"))
        #expect(out.contains("[photo: media/swift-logo.png]\nStep 2/10 · Meet Swift"))
        #expect(out.contains("  [1] ◀️ Back  [2] Next ▶️\n  [3] 📋 Contents"))
        #expect(out.contains("[video: media/intro.mp4]\nStep 4/10 · A quick warm-up"))
        #expect(out.contains("[document: media/swift-cheatsheet.pdf]\nStep 6/10 · Cheat sheet"))
        #expect(out.contains("[audio: media/hello-chime.mp3]\nStep 7/10 · Halfway there"))
        // HTML is gone: tags stripped, entities decoded.
        #expect(!out.contains("<b>") && !out.contains("&lt;") && !out.contains("&quot;"))
        #expect(out.contains("\"Hello, \\(name)!\""))

        // The quiz: a wrong answer, a multiple choice, a native poll, free text.
        #expect(out.contains("Step 8/10 · Check yourself"))
        #expect(out.contains("  [1] let\n  [2] var\n  [3] const"))
        #expect(out.contains("💬 (pop-up) ❌ Wrong."))
        #expect(out.contains("✏️ (edited)\nQuestion 1 of 4"))
        #expect(out.contains("  [1] ☑ Int\n  [2] ☑ String\n  [3] ☐ Number\n  [4] ☑ Bool\n  [5] Submit"))
        #expect(out.contains("📊 Quiz: What does greet(\"Ada\") return?\n  (1) Hello, Ada!\n  (2) Hello, name!\n  (3) Ada"))
        #expect(out.contains("🗳 You chose (2) Hello, name!\n❌ Wrong; the right answer: (1) Hello, Ada!"))
        #expect(out.contains("⚠️ you already answered this poll"))
        #expect(out.contains("Your answer: var"))
        #expect(out.contains("Your score: 50% (2 of 4)"))
        #expect(out.contains("  [1] Retry\n  [2] 📋 Contents"))

        #expect(out.contains("> /progress\n\nYour progress · Swift Basics\n\n▰▰▰▰▰▰▰▱▱▱ 7/10 steps done"))
        #expect(out.hasSuffix("> :quit\n"), "nothing is read after :quit")
    }

    @Test func passesTheQuizAndSendsTheAssignment() async throws {
        let work = FileManager.default.temporaryDirectory.appendingPathComponent("double-\(UUID().uuidString).swift")
        try "func double(_ x: Int) -> Int { x * 2 }\nprint(double(21))\n".write(to: work, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(at: work) }
        let script = [
            "/start", "1", "1", "2", "2", "2", "2", "2", "2",
            "1",  // let
            "1", "2", "4", "5",  // Int, String, Bool, Submit
            ":poll 1",
            "var",
            "1",  // Next ▶️: the assignment
            ":file \(work.path)",
            "/progress",
        ]
        let output = try await GongbuBinary.run(
            ["preview", Self.course, "--log-level", "debug"], input: script.joined(separator: "\n") + "\n")
        #expect(output.status == 0, "stderr: \(output.stderr)")
        let out = output.stdout
        #expect(out.contains("💬 (pop-up) ✅ Correct!"))
        #expect(out.contains("🗳 You chose (1) Hello, Ada!\n✅ Right"))
        #expect(out.contains("✅ Quiz passed! 🎉"))
        #expect(out.contains("Step 9/10 · Your first program"))
        #expect(out.contains("✅ Thank you! Your work is accepted."))
        #expect(out.contains("9/10 steps done"))
        // Logs only because --log-level was given, and never with the token.
        #expect(output.stderr.contains("1:***"))
        #expect(!output.stderr.contains("PREVIEW-local") && !out.contains("PREVIEW-local"))
    }

    @Test func russianStudentSeesRussianLabels() async throws {
        let output = try await GongbuBinary.run(["preview", Self.course, "--language", "ru"], input: "/start\n1\n/progress\n")
        #expect(output.status == 0, "stderr: \(output.stderr)")
        #expect(output.stdout.contains("  [1] Начать\n"))
        #expect(output.stdout.contains("Шаг 1/10 · Welcome"))
        #expect(output.stdout.contains("  [1] Дальше ▶️\n  [2] 📋 Содержание\n"))
        #expect(output.stdout.contains("Ваш прогресс · Swift Basics"))
        #expect(output.stdout.contains("Пройдено шагов: 1/10"))
        #expect(!output.stdout.contains("Next ▶️"))
    }

    @Test func endOfInputStopsCleanly() async throws {
        let output = try await GongbuBinary.run(["preview", Self.course], input: "")
        #expect(output.status == 0, "stderr: \(output.stderr)")
        #expect(output.stdout.contains("Type /start to begin"))
        #expect(!output.stdout.contains("Swift Basics\n\nLearn"), "nothing was sent, so the bot said nothing")
    }

    @Test func previewCommandsAreExplainedAndChecked() async throws {
        let output = try await GongbuBinary.run(["preview", Self.course], input: ":help\n1\n:poll 1\n:nope\n:file /no/such/file.swift\n")
        #expect(output.status == 0, "stderr: \(output.stderr)")
        #expect(output.stdout.contains(":poll N      answer the newest quiz poll"))
        #expect(output.stdout.contains("⚠️ no buttons to press yet"))
        #expect(output.stdout.contains("⚠️ no open poll to answer"))
        #expect(output.stdout.contains("⚠️ unknown preview command :nope"))
        #expect(output.stdout.contains("⚠️ cannot read /no/such/file.swift"))
    }

    @Test func dataFolderKeepsProgressBetweenPreviews() async throws {
        let data = FileManager.default.temporaryDirectory.appendingPathComponent("gongbu-preview-test-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: data) }
        let first = try await GongbuBinary.run(["preview", Self.course, "--data", data.path], input: "/start\n1\n1\n")
        #expect(first.status == 0, "stderr: \(first.stderr)")
        #expect(first.stdout.contains("Step 2/10 · Meet Swift"))
        let second = try await GongbuBinary.run(["preview", Self.course, "--data", data.path], input: "/progress\n")
        #expect(second.status == 0, "stderr: \(second.stderr)")
        #expect(second.stdout.contains("2/10 steps done"))
        #expect(second.stdout.contains("Current step: Meet Swift"))
    }

    @Test func brokenCourseExitsOneWithFileLineColumn() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("gongbu-preview-broken-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let yaml = """
            slug: broken
            title: Broken
            description: A course with a typo.
            language: en
            steps:
              - id: hello
                type: txt
                text: Hi
            """
        try yaml.write(to: folder.appendingPathComponent("course.yaml"), atomically: true, encoding: .utf8)
        let output = try await GongbuBinary.run(["preview", folder.path], input: "/start\n")
        #expect(output.status == 1)
        let lines = output.stderr.split(separator: "\n").map(String.init)
        let prefix = folder.path + "/course.yaml:"
        let located = lines.filter { line in
            guard line.hasPrefix(prefix) else { return false }
            let place = line.dropFirst(prefix.count).split(separator: ":", maxSplits: 2)
            return place.count == 3 && Int(place[0]) != nil && Int(place[1]) != nil
        }
        #expect(!located.isEmpty, "stderr: \(output.stderr)")
        #expect(located.contains { $0.hasPrefix(prefix + "7:") }, "the bad type is on line 7: \(output.stderr)")
        #expect(!output.stdout.contains("Previewing"))
    }

    @Test func missingCourseFolderExitsOne() async throws {
        let output = try await GongbuBinary.run(["preview", "/no/such/course"], input: "")
        #expect(output.status == 1)
        #expect(output.stderr.contains("/no/such/course"))
    }
}

extension GongbuBinary {
    /// Runs to completion with `input` as standard input (then end of input).
    static func run(_ arguments: [String], input: String, environment: [String: String] = [:], timeout: TimeInterval = 120) async throws -> Output {
        let running = try start(arguments, environment: environment, pipeStdin: true)
        running.process.write(input)
        running.process.closeInput()
        let deadline = Date().addingTimeInterval(timeout)
        while !running.process.hasExited, Date() < deadline { try await Task.sleep(for: .milliseconds(50)) }
        if !running.process.hasExited { running.terminate() }
        return await running.wait()
    }
}
