import Testing
import TelegramBotAPI

@Suite("MessageSplitter")
struct MessageSplitterTests {
    @Test func shortTextIsOneUnchangedChunk() {
        let html = "<b>Hello</b> &amp; welcome"
        #expect(MessageSplitter.split(html: html, limit: 4096) == [html])
        #expect(MessageSplitter.split(html: "  \n ", limit: 4096).isEmpty)
    }

    @Test func countsVisibleUTF16NotMarkup() {
        #expect(TelegramHTML.visibleLength(of: "<b>ab</b>&lt;") == 3)
        #expect(TelegramHTML.visibleLength(of: "👩‍💻") == 5)
        // 30 visible characters wrapped in a lot of markup still fit a limit of 30.
        let html = "<b><i>" + String(repeating: "x", count: 30) + "</i></b>"
        #expect(MessageSplitter.split(html: html, limit: 30) == [html])
    }

    @Test func prefersParagraphsThenLinesThenWords() {
        let paragraph = String(repeating: "a", count: 20)
        let html = "\(paragraph) \(paragraph)\n\n\(paragraph)\n\(paragraph)"
        #expect(MessageSplitter.split(html: html, limit: 50) == ["\(paragraph) \(paragraph)", "\(paragraph)\n\(paragraph)"])
        #expect(MessageSplitter.split(html: "\(paragraph)\n\(paragraph) \(paragraph)", limit: 45) == [paragraph, "\(paragraph) \(paragraph)"])
        #expect(MessageSplitter.split(html: "\(paragraph) \(paragraph) \(paragraph)", limit: 45) == ["\(paragraph) \(paragraph)", paragraph])
    }

    @Test func hardCutDoesNotBreakEntitiesOrGraphemes() {
        let html = String(repeating: "&lt;", count: 20) + String(repeating: "👍", count: 20)
        let chunks = MessageSplitter.split(html: html, limit: 16)
        #expect(chunks.joined() == html)
        for chunk in chunks {
            #expect(TelegramHTML.visibleLength(of: chunk) <= 16)
            #expect(HTMLValidator.problem(in: chunk) == nil)
        }
    }

    @Test func reopensTagsAcrossChunks() {
        let words = (1...30).map { "word\($0)" }.joined(separator: " ")
        let html = "<b>bold <i>\(words)</i></b> tail"
        let chunks = MessageSplitter.split(html: html, limit: 100)
        #expect(chunks.count > 1)
        #expect(chunks.first?.hasPrefix("<b>bold <i>") == true)
        #expect(chunks.first?.hasSuffix("</i></b>") == true)
        #expect(chunks.dropFirst().first?.hasPrefix("<b><i>") == true)
        for chunk in chunks {
            #expect(HTMLValidator.problem(in: chunk) == nil, "\(chunk)")
            #expect(TelegramHTML.visibleLength(of: chunk) <= 100)
        }
        #expect(chunks.map(TelegramHTML.plainText(of:)).joined(separator: " ") == TelegramHTML.plainText(of: html))
    }

    @Test func linksAndPreAreReopenedWithTheirAttributes() {
        let code = (1...40).map { "let value\($0) = \($0)" }.joined(separator: "\n")
        let html = "<pre><code class=\"language-swift\">\(code)</code></pre>"
        let chunks = MessageSplitter.split(html: html, limit: 200)
        #expect(chunks.count > 1)
        for chunk in chunks {
            #expect(chunk.hasPrefix("<pre><code class=\"language-swift\">"))
            #expect(chunk.hasSuffix("</code></pre>"))
            #expect(HTMLValidator.problem(in: chunk) == nil)
        }
    }

    @Test(arguments: [TelegramHTML.messageLimit, TelegramHTML.captionLimit, 300])
    func longMarkdownSplitsIntoValidChunks(limit: Int) {
        var generator = SeededGenerator(seed: UInt64(limit))
        var markdown = ""
        while markdown.count < 10_000 {
            markdown += MarkdownFuzz.text(length: 200, using: &generator)
            markdown += ["\n\n", "\n", " ", "\n```swift\nlet x = 1\n```\n", "\n> quote **bold**\n"].randomElement(using: &generator)!
        }
        let html = MarkdownRenderer().render(markdown)
        let chunks = MessageSplitter.split(html: html, limit: limit)
        #expect(chunks.count >= TelegramHTML.visibleLength(of: html) / limit)
        for chunk in chunks {
            #expect(TelegramHTML.visibleLength(of: chunk) <= limit)
            #expect(HTMLValidator.problem(in: chunk) == nil, "\(chunk.prefix(300))")
            let visible = TelegramHTML.plainText(of: chunk)
            #expect(visible.contains { !$0.isWhitespace })
        }
        // Nothing but the whitespace at the cuts is lost.
        let original = TelegramHTML.plainText(of: html).filter { !$0.isWhitespace }
        let joined = chunks.map(TelegramHTML.plainText(of:)).joined().filter { !$0.isWhitespace }
        #expect(joined == original)
    }

    @Test func randomHTMLFromRendererSplitsValidly() {
        var generator = SeededGenerator(seed: 7)
        for _ in 0..<300 {
            let markdown = MarkdownFuzz.text(length: Int.random(in: 50...600, using: &generator), using: &generator)
            let html = MarkdownRenderer().render(markdown)
            let limit = Int.random(in: 16...120, using: &generator)
            for chunk in MessageSplitter.split(html: html, limit: limit) {
                guard TelegramHTML.visibleLength(of: chunk) <= limit, HTMLValidator.problem(in: chunk) == nil else {
                    Issue.record("bad chunk \(chunk.debugDescription) (limit \(limit)) of \(html.debugDescription)")
                    return
                }
            }
        }
    }
}
