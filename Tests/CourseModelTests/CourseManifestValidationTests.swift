import CourseModel
import Manifests
import Testing

/// Each rule of course.yaml, reported at its exact line and column.
@Suite struct CourseManifestValidationTests {
    func errors(_ yaml: String, files: [String: String] = [:]) throws -> [String] {
        try CourseManifestTests.errors(yaml, files: files)
    }

    static let header = "slug: demo\ntitle: Demo\n"

    @Test func duplicateStepIds() throws {
        let yaml = Self.header + """
            steps:
              - id: a
                type: text
                text: one
              - id: a
                type: text
                text: two

            """
        #expect(try errors(yaml) == ["7:9: duplicate step id 'a' (first used by step 1)"])
    }

    @Test func unknownStepTypeWithSuggestion() throws {
        let yaml = Self.header + "steps:\n  - id: a\n    type: vidoe\n    file: x.mp4\n"
        #expect(try errors(yaml) == [
            "5:11: type must be one of text, photo, video, document, audio, quiz, assignment, got 'vidoe' (did you mean 'video'?)",
        ])
    }

    @Test func unknownKeysOfStepsAndCourse() throws {
        let yaml = Self.header + "titel: x\nsteps:\n  - id: a\n    type: text\n    text: hi\n    caption: no\n"
        #expect(try errors(yaml) == [
            "3:1: unknown key 'titel' in course (did you mean 'title'?); expected one of: slug, title, description, language, category, difficulty, price, creator, duration_minutes, steps",
            "8:5: unknown key 'caption' in step 'a'; expected one of: id, type, title, required, paid, price, text",
        ])
    }

    @Test func correctIndexOutOfRange() throws {
        let yaml = Self.header + """
            steps:
              - id: q
                type: quiz
                questions:
                  - question: One?
                    options: [a, b, c]
                    correct: 3
                  - question: Many?
                    options: [a, b]
                    correct: [0, 5]

            """
        #expect(try errors(yaml) == [
            "9:18: correct index 3 is out of range: there are 3 options, numbered 0 to 2",
            "12:22: correct index 5 is out of range: there are 2 options, numbered 0 to 1",
        ])
    }

    @Test func questionWithNeitherOptionsNorAnswers() throws {
        let yaml = Self.header + "steps:\n  - id: q\n    type: quiz\n    questions:\n      - question: What?\n        explanation: none\n"
        #expect(try errors(yaml) == [
            "7:9: question 1 of step 'q' needs options (with correct) or answers (free text)",
        ])
    }

    @Test func nativeOnlyForSingleChoice() throws {
        let yaml = Self.header + """
            steps:
              - id: q
                type: quiz
                questions:
                  - question: Many?
                    options: [a, b]
                    correct: [0, 1]
                    native: true

            """
        #expect(try errors(yaml) == ["10:17: native: true is only for single-choice questions (one correct index)"])
    }

    @Test func missingMediaFile() throws {
        let yaml = Self.header + "steps:\n  - id: p\n    type: photo\n    file: media/missing.png\n"
        #expect(try errors(yaml) == [
            "6:11: media file 'media/missing.png' not found (looked for courses/demo/media/missing.png)",
        ])
    }

    @Test func mediaMayNotEscapeTheCourseFolder() throws {
        let yaml = Self.header + """
            steps:
              - id: p
                type: document
                file: media/../../secret.txt
              - id: q
                type: document
                file: /etc/passwd

            """
        #expect(try errors(yaml, files: ["../secret.txt": "x"]) == [
            "6:11: file 'media/../../secret.txt' must be a relative path inside the course folder",
            "9:11: file '/etc/passwd' must be a relative path inside the course folder",
        ])
    }

    @Test func mediaNeedsExactlyOneSource() throws {
        let yaml = Self.header + """
            steps:
              - id: a
                type: audio
                caption: nothing
              - id: b
                type: video
                file_id: abc
                url: https://example.org/v.mp4

            """
        #expect(try errors(yaml) == [
            "4:5: a audio step needs exactly one of file, file_id or url",
            "10:5: a video step takes only one of file, file_id or url, got file_id and url",
        ])
    }

    @Test func slugFormat() throws {
        let yaml = "slug: Swift_Basics\ntitle: T\nsteps:\n  - id: a\n    type: text\n    text: t\n"
        #expect(try errors(yaml) == [
            "1:7: slug must be lowercase letters, digits and '-' (like swift-basics), got 'Swift_Basics'",
        ])
    }

    @Test func emptyStepsList() throws {
        #expect(try errors(Self.header + "steps: []\n") == ["3:8: steps must not be empty: a course needs at least one step"])
    }

    @Test func paidCourseNeedsAnAmount() throws {
        let steps = "steps:\n  - id: a\n    type: text\n    text: t\n"
        #expect(try errors(Self.header + "price:\n  model: paid\n" + steps) == ["4:3: a paid course needs an amount greater than 0"])
        #expect(try errors(Self.header + "price:\n  model: paid\n  amount: 0\n" + steps) == ["5:11: amount must be a positive number of Stars, got 0"])
    }

    @Test func subscriptionNeedsThirtyDaysAndAnAmount() throws {
        let steps = "steps:\n  - id: a\n    type: text\n    text: t\n"
        #expect(try errors(Self.header + "price:\n  model: subscription\n  amount: 100\n  period_days: 31\n" + steps) == [
            "6:16: period_days must be 30, the only subscription period Telegram allows, got 31",
        ])
        #expect(try errors(Self.header + "price:\n  model: subscription\n  period_days: 30\n" + steps) == [
            "4:3: a subscription needs an amount greater than 0",
        ])
        #expect(try errors(Self.header + "price:\n  model: subscription\n  amount: 10001\n  period_days: 30\n" + steps) == [
            "5:11: a subscription costs at most 10000 Stars a period (Telegram's limit), got 10001",
        ])
        let course = try CourseManifestTests.load(Self.header + "price:\n  model: subscription\n  amount: 100\n  period_days: 30\n" + steps).get()
        #expect(course.price == .subscription(amount: 100, periodDays: 30))
    }

    @Test func paidStepsBelongToFreemiumWithTheirOwnPrice() throws {
        let steps = "steps:\n  - id: a\n    type: text\n    text: t\n  - id: b\n    type: text\n    text: t\n    paid: true\n"
        #expect(try errors(Self.header + "price:\n  model: freemium\n" + steps) == [
            "12:5: step 'b' is paid: true in a freemium course and needs its own price greater than 0",
        ])
        #expect(try errors(Self.header + "price:\n  model: paid\n  amount: 10\n" + steps) == [
            "13:5: step 'b' is paid: true, but only a freemium course sells steps on their own (course price model is paid)",
        ])
        #expect(try errors(Self.header + steps) == [
            "10:5: step 'b' is paid: true, but only a freemium course sells steps on their own (course price model is free)",
        ])
        let course = try CourseManifestTests.load(Self.header + "price:\n  model: freemium\n" + steps + "    price: 50\n").get()
        #expect(course.price == .freemium(unlockAll: nil))
        #expect(course.steps[1].paid && course.steps[1].price == 50)
    }

    @Test func wrongTypesAndRanges() throws {
        let yaml = """
            slug: demo
            title: Demo
            difficulty: 9
            creator: me
            steps:
              - id: q
                type: quiz
                pass_score: 150
                attempts: 0
                questions:
                  - question: [not, text]
                    answers: [x]
              - id: w
                type: assignment
                text: Do
                accept: [text, sms]
                review: teacher

            """
        #expect(try errors(yaml) == [
            "3:13: difficulty must be between 1 and 5, got 9",
            "4:10: creator must be an integer, got 'me'",
            "8:17: pass_score must be a percent between 0 and 100, got 150",
            "9:15: attempts must be at least 1 (omit it for unlimited), got 0",
            "11:19: question must be a string, got a list",
            "16:20: accept must be one of text, photo, document, voice, video, got 'sms'",
            "17:13: review must be one of auto, creator, got 'teacher'",
        ])
    }

    @Test func allErrorsAreCollectedAcrossTheFile() throws {
        let yaml = """
            slug: Bad Slug
            steps:
              - id: a
                type: text
              - id: a
                type: quiz
                questions:
                  - question: Q
                    options: [x, y]
                    correct: 2
              - type: photo
                file: nowhere.png

            """
        #expect(try errors(yaml) == [
            "1:7: slug must be lowercase letters, digits and '-' (like swift-basics), got 'Bad Slug'",
            "1:1: missing key 'title' in course",
            "3:5: missing key 'text' in step 'a'",
            "10:18: correct index 2 is out of range: there are 2 options, numbered 0 to 1",
            "11:5: missing key 'id' in steps[2]",
            "12:11: media file 'nowhere.png' not found (looked for courses/demo/nowhere.png)",
        ])
    }

    @Test func yamlSyntaxError() throws {
        let found = try errors("slug: demo\ntitle: \"unterminated\nsteps: []\n")
        #expect(found.count == 1)
        #expect(found.first?.contains("YAML syntax error") == true)
    }
}
