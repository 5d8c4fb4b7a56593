import PropertyBased
import Testing
import TelegramBotAPI

/// For any rendered Markdown and any limit, the splitter's parts each fit the limit, are valid
/// Telegram HTML on their own, and together keep every visible character but the whitespace cut at.
@Suite struct SplitterPropertyTests {
    static let pieces = Gen.element(of: [
        "word", "**bold words**", "_italic_", "`co<de>`", "a & b", "<not a tag>", "👩‍💻", "\n\n", "\n", "- item\n",
        "[link](https://example.org/x?a=1&b=2)", "ünïcödé", "```\nlet x = 1\n```\n", "> quote\n", "1234567890",
    ])

    @Test func partsFitTheLimitAreValidAndLoseNothingVisible() async {
        await propertyCheck(count: 60, input: Self.pieces.array(of: 0...400), Gen.int(in: 16...600)) { pieces, limit in
            let html = MarkdownRenderer().render(pieces.compactMap { $0 }.joined(separator: " "))
            let parts = MessageSplitter.split(html: html, limit: limit)
            for part in parts {
                #expect(TelegramHTML.visibleLength(of: part) <= limit, "\(part)")
                #expect(HTMLValidator.problem(in: part) == nil, "\(HTMLValidator.problem(in: part) ?? ""): \(part)")
                let blank = TelegramHTML.plainText(of: part).allSatisfy { $0.isWhitespace }
                #expect(!blank, "a blank part")
            }
            let squeeze = { (text: String) in text.filter { !$0.isWhitespace } }
            #expect(squeeze(parts.map { TelegramHTML.plainText(of: $0) }.joined()) == squeeze(TelegramHTML.plainText(of: html)))
        }
    }

    @Test func anyMessageFitsTelegramsLimitsOnceSplit() async {
        await propertyCheck(count: 6, input: Self.pieces.array(of: 500...3_000)) { pieces in
            let html = MarkdownRenderer().render(pieces.compactMap { $0 }.joined(separator: " "))
            for (limit, parts) in [(4096, MessageSplitter.split(html: html)), (1024, MessageSplitter.split(html: html, limit: 1024))] {
                #expect(!parts.isEmpty)
                #expect(parts.allSatisfy { TelegramHTML.visibleLength(of: $0) <= limit })
            }
        }
    }
}
