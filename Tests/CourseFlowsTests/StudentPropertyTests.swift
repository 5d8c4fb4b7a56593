import CourseModel
import Foundation
import PropertyBased
import SceneEngine
import Testing
import TelegramBotAPI

@testable import CourseFlows

/// Properties of the student reducer, for any sequence of events a student (or a stale or forged
/// client) can send: progress never shrinks (the course bot has no reset), no step is shown before
/// its required predecessors are done, a payment is credited once whatever the replays, every
/// button's data fits 64 bytes, and every text fits Telegram's limits once split.
@Suite struct StudentPropertyTests {
    static let swiftBasics = try! Fixture.swiftBasics()

    /// One step of a student's session, drawn from a number: a button of the latest keyboard (the
    /// usual case), a command, a typed answer, a poll answer, or a button nobody drew.
    static func event(_ code: Int, keyboard: [Button], course: Course) -> ChatEvent.Kind {
        let pick = code / 16
        switch code % 16 {
        case 0...6:
            let data = keyboard.compactMap(StudentDriver.data)
            guard !data.isEmpty else { return .command("start", arguments: "") }
            return .callback(queryId: "q", data: data[pick % data.count], messageId: 7)
        case 7: return .command(["start", "contents", "progress", "help", "language"][pick % 5], arguments: "")
        case 8: return .text(["var", "let", "func double(_ x: Int) -> Int { x * 2 }", "hello"][pick % 4])
        case 9: return .pollAnswer(pollId: "p", optionIds: [pick % 3])
        case 10:
            let ref = StepReference(index: pick % course.steps.count, stepId: course.steps[pick % course.steps.count].id)
            let forged: [CallbackData] = [
                .open(ref), .next(ref), .back(ref), .retry(ref), .answer(ref, pass: pick % 4, question: pick % 4, option: pick % 4),
                .toggle(ref, pass: pick % 4, question: pick % 4, option: pick % 4), .submit(ref, pass: pick % 4, question: pick % 4),
            ]
            return .callback(queryId: "q", data: forged[pick % forged.count].encoded, messageId: 7)
        case 11: return .attachment(Attachment(kind: .document, fileId: "f\(pick)", fileName: "main.swift", caption: nil))
        default:
            let data = keyboard.compactMap(StudentDriver.data)
            return .callback(queryId: "q", data: data.isEmpty ? "v1|s" : data[pick % data.count], messageId: pick % 2 == 0 ? 7 : nil)
        }
    }

    /// The step numbers (1-based) of every step card among the effects (`Step i/N · title`).
    static func shownSteps(_ effects: [Effect]) -> [Int] {
        effects.flatMap { effect -> [Int] in
            guard case .send(let message) = effect else { return [] }
            let plain = TelegramHTML.plainText(of: message.text)
            guard plain.hasPrefix("Step "), let slash = plain.firstIndex(of: "/"),
                let number = Int(plain[plain.index(plain.startIndex, offsetBy: 5)..<slash])
            else { return [] }
            return [number]
        }
    }

    /// Wire rules every effect obeys; a description of the first broken one, nil when all hold.
    static func wireProblem(_ effects: [Effect]) -> String? {
        for effect in effects {
            var buttons: [[Button]] = []
            switch effect {
            case .send(let message), .edit(_, let message):
                let limit = message.media == nil ? TextLimits.messageText : TextLimits.caption
                if TelegramHTMLCheck.visibleLength(message.text) > limit { return "text over \(limit): \(message.text.prefix(80))" }
                if !TelegramHTMLCheck.isValid(message.text) { return "invalid HTML: \(message.text.prefix(200))" }
                if message.media == nil, message.text.isEmpty { return "empty text" }
                buttons = message.buttons
            case .editButtons(_, let rows): buttons = rows
            case .sendInvoice(let invoice):
                if invoice.title.count > 32 || invoice.description.count > 255 || invoice.payload.utf8.count > 128 { return "invoice over limits" }
            default: break
            }
            for button in buttons.flatMap({ $0 }) {
                guard case .callback(let data) = button.action else { continue }
                if data.utf8.count > 64 || CallbackData(decoding: data) == nil { return "callback data \(data)" }
            }
        }
        return nil
    }

    @Test func progressGrowsStepsOpenInOrderAndEveryMessageFitsTelegram() async {
        let course = Self.swiftBasics
        let scene = Fixture.scene(course)
        await propertyCheck(count: 40, input: Gen.int(in: 0...9_999).array(of: 1...40)) { codes in
            var state = StudentState()
            var keyboard: [Button] = []
            for (number, code) in codes.enumerated() {
                let before = state.progress.done
                let event = ChatEvent(updateId: Int64(number + 1), chatId: 42, user: ChatUser(id: 42, firstName: "Ada", languageCode: "en"),
                                      kind: Self.event(code, keyboard: keyboard, course: course))
                let effects = scene.handle(event, state: &state, now: 1_000 + Double(number))
                #expect(state.progress.done.isSuperset(of: before), "progress shrank on \(event.kind)")
                for shown in Self.shownSteps(effects) {
                    #expect(UnlockRules.isUnlocked(shown - 1, in: course, progress: state.progress), "step \(shown) shown while locked after \(event.kind)")
                }
                for (index, step) in course.steps.enumerated() where state.progress.done.contains(step.id) {
                    #expect(UnlockRules.isUnlocked(index, in: course, progress: state.progress), "\(step.id) done before its required predecessors")
                }
                if let problem = Self.wireProblem(effects) { Issue.record("\(problem) after \(event.kind)") }
                let buttons = StudentDriver.buttons(effects)
                if !buttons.isEmpty { keyboard = buttons }
            }
        }
    }

    @Test func aPaymentIsCreditedOnceWhateverTheReplays() async {
        var course = Self.swiftBasics
        course.price = .paid(amount: 250)
        let signer = PaymentSigner(secret: Array(repeating: 7, count: 32))
        let scene = CourseBotScene(course: course, courseDirectory: "/srv/courses/swift-basics", rendering: Fixture.rendering,
                                   payments: CoursePayments(signer: signer))
        let user = ChatUser(id: 42, firstName: "Ada", languageCode: "en")
        let payload = InvoicePayload(item: .course, userId: 42, nonce: "n1").encoded(slug: course.slug, signer: signer)
        let payment = Payment(currency: "XTR", totalAmount: 250, payload: payload, telegramChargeId: "charge-1")
        // Each number: 0 the payment (again), 1 a second payment of its own charge id, else another event.
        await propertyCheck(count: 40, input: Gen.int(in: 0...99).array(of: 1...30)) { codes in
            var state = StudentState()
            var thanks = 0
            var paidEvents = 0
            for (number, code) in codes.enumerated() {
                let kind: ChatEvent.Kind = switch code % 4 {
                case 0: .successfulPayment(payment)
                case 1: .command(["start", "contents", "progress"][code % 3], arguments: "")
                case 2: .callback(queryId: "q", data: CallbackData.next(StepReference(index: code % 10, stepId: course.steps[code % 10].id)).encoded, messageId: 7)
                default: .callback(queryId: "q", data: CallbackData.buy("c").encoded, messageId: 7)
                }
                if case .successfulPayment = kind { paidEvents += 1 }
                let event = ChatEvent(updateId: Int64(number + 1), chatId: 42, user: user, kind: kind)
                let before = state.progress.done
                let effects = scene.handle(event, state: &state, now: 1_000 + Double(number))
                thanks += effects.filter { if case .send(let message) = $0 { message.text.contains("Thank you for your purchase") } else { false } }.count
                #expect(state.progress.done.isSuperset(of: before))
                if let problem = Self.wireProblem(effects) { Issue.record("\(problem) after \(kind)") }
            }
            #expect(state.purchases.count == (paidEvents > 0 ? 1 : 0))
            #expect(state.progress.ownsCourse == (paidEvents > 0))
            #expect(thanks == (paidEvents > 0 ? 1 : 0), "thanked \(thanks) times for \(paidEvents) deliveries")
        }
    }

    @Test func callbackDataAlwaysFits64BytesAndDecodesBack() async {
        let stepId = Gen.letterOrNumber.string(of: 1...200)
        await propertyCheck(count: 200, input: Gen.int(in: -5...250_000).array(of: 4), stepId) { numbers, id in
            let ref = StepReference(index: numbers[0], stepId: id)
            let all: [CallbackData] = [
                .start, .contents, .open(ref), .next(ref), .back(ref), .retry(ref), .buyStep(ref), .buy("c"), .language(id.lowercased()),
                .answer(ref, pass: numbers[1], question: numbers[2], option: numbers[3]),
                .toggle(ref, pass: numbers[1], question: numbers[2], option: numbers[3]),
                .submit(ref, pass: numbers[1], question: numbers[2]),
            ]
            for data in all {
                let encoded = data.encoded
                #expect(encoded.utf8.count <= 64, "\(encoded)")
                #expect(CallbackData(decoding: encoded) != nil, "\(encoded) does not decode")
            }
        }
    }

    @Test func aStepOfAnyLengthIsSentInPartsThatFit() async {
        let words = Gen.element(of: ["let", "**bold**", "_it_", "`code`", "<tag>", "&amp;", "👩‍💻", "x\n\n", "- item\n", "[a](https://e.org)", "ü"])
        await propertyCheck(count: 20, input: words.array(of: 1...3_000)) { parts in
            let text = parts.compactMap { $0 }.joined(separator: " ")
            let course = Course(slug: "long", title: "Long", steps: [Step(id: "a", title: "A", content: .text(text))])
            var state = StudentState()
            let event = ChatEvent(updateId: 1, chatId: 42, user: ChatUser(id: 42, firstName: "Ada"), kind: .callback(queryId: "q", data: "v1|s", messageId: 7))
            let effects = Fixture.scene(course).handle(event, state: &state, now: 1)
            #expect(effects.count >= 2)
            if let problem = Self.wireProblem(effects) { Issue.record("\(problem)") }
        }
    }
}
