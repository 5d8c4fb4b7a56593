import Testing
@testable import CourseFlows

@Suite struct CallbackDataTests {
    @Test func roundTrips() {
        let ref = StepReference(index: 3, stepId: "constants-quiz")
        let all: [CallbackData] = [
            .start, .contents, .open(ref), .next(ref), .back(ref), .retry(ref),
            .answer(ref, pass: 12, question: 3, option: 2), .toggle(ref, pass: 1, question: 0, option: 0),
            .submit(ref, pass: 99_999, question: 99_999), .language("ru"),
        ]
        for data in all {
            #expect(CallbackData(decoding: data.encoded) == data)
            #expect(data.encoded.utf8.count <= 64)
        }
    }

    @Test func garbageDecodesToNil() {
        let garbage = [
            "", "v1", "v1|", "v2|s", "v1|x", "v1|s|extra", "v1|o|1", "v1|o|a|12345678", "v1|o|1|1234567",
            "v1|o|1|ABCDEF12", "v1|o|-1|12345678", "v1|o|01|12345678", "v1|o|100000|12345678",
            "v1|a|1|12345678|1|2", "v1|l|RU", "v1|l|", "v1|l|" + String(repeating: "a", count: 17),
            String(repeating: "v1|c", count: 20), "v1|o|1|1234567\u{0}", "v1|o|1|12345678|",
        ]
        for data in garbage { #expect(CallbackData(decoding: data) == nil, "\(data)") }
    }

    @Test func referenceSurvivesReorder() {
        let ids = ["intro", "video", "quiz"]
        let ref = StepReference(index: 2, stepId: "quiz")
        #expect(ref.resolve(in: ids.map(StepReference.hash)) == 2)
        #expect(ref.resolve(in: ["quiz", "intro"].map(StepReference.hash)) == 0)
        #expect(ref.resolve(in: ["intro", "video"].map(StepReference.hash)) == nil)
    }
}
