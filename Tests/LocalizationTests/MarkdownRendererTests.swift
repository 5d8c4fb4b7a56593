import Testing
import TelegramBotAPI

@Suite("MarkdownRenderer")
struct MarkdownRendererTests {
    let renderer = MarkdownRenderer()

    @Test(arguments: [
        ("**Swift** is fast", "<b>Swift</b> is fast"),
        ("__bold__ text", "<b>bold</b> text"),
        ("an *italic* word", "an <i>italic</i> word"),
        ("an _italic_ word", "an <i>italic</i> word"),
        ("***both***", "<b><i>both</i></b>"),
        ("use `let x = 1 < 2`", "use <code>let x = 1 &lt; 2</code>"),
        ("``a ` b``", "<code>a ` b</code>"),
        ("~~old~~ new", "<s>old</s> new"),
        ("the end is ||secret||", "the end is <tg-spoiler>secret</tg-spoiler>"),
        ("[Swift](https://swift.org)", "<a href=\"https://swift.org\">Swift</a>"),
        ("[q](https://e.org/?a=1&b=\"2\")", "<a href=\"https://e.org/?a=1&amp;b=&quot;2&quot;\">q</a>"),
        ("[me](tg://user?id=42)", "<a href=\"tg://user?id=42\">me</a>"),
        ("[x](javascript:alert(1))", "x"),
        ("[file](media/intro.pdf)", "file"),
        ("[**bold** link](https://a.org)", "<a href=\"https://a.org\"><b>bold</b> link</a>"),
        ("**[link](https://a.org)**", "<b><a href=\"https://a.org\">link</a></b>"),
        ("[`code` in link](https://a.org)", "<a href=\"https://a.org\">code in link</a>"),
        ("snake_case_name and my_var", "snake_case_name and my_var"),
        ("2 * 3 * 4", "2 * 3 * 4"),
        ("**unclosed bold", "**unclosed bold"),
        ("*unclosed", "*unclosed"),
        ("`unclosed code", "`unclosed code"),
        ("~single~ tilde", "~single~ tilde"),
        ("a < b && c > d", "a &lt; b &amp;&amp; c &gt; d"),
        ("<b>not html</b>", "&lt;b&gt;not html&lt;/b&gt;"),
        ("\\*not italic\\*", "*not italic*"),
        ("*italic **bold** more*", "<i>italic <b>bold</b> more</i>"),
        ("**bold *italic* more**", "<b>bold <i>italic</i> more</b>"),
        ("**see `a**b` here**", "<b>see <code>a**b</code> here</b>"),
        ("\"quotes\" & 'apostrophes'", "&quot;quotes&quot; &amp; 'apostrophes'"),
    ])
    func inline(markdown: String, html: String) {
        #expect(renderer.render(markdown) == html)
    }

    @Test func headingsBecomeBoldWithoutNestedBold() {
        #expect(renderer.render("# Title") == "<b>Title</b>")
        #expect(renderer.render("## The **big** one ##") == "<b>The big one</b>")
        #expect(renderer.render("#hashtag") == "#hashtag")
    }

    @Test func listsBecomeBulletLines() {
        let markdown = "Intro:\n- one\n* two\n+ **three**\n\n1. first\n2) second\n  - nested"
        let expected = "Intro:\n• one\n• two\n• <b>three</b>\n\n1. first\n2. second\n  ◦ nested"
        #expect(renderer.render(markdown) == expected)
    }

    @Test func quotesBecomeOneBlockquote() {
        #expect(renderer.render("> first\n> **second**\n\nafter") == "<blockquote>first\n<b>second</b></blockquote>\n\nafter")
        #expect(renderer.render(">\n>") == "")
    }

    @Test func fencedCodeKeepsTextAndLanguage() {
        let markdown = "Before\n```swift\nlet a = \"<x>\" && **b**\n    indented\n```\nAfter"
        let expected = "Before\n<pre><code class=\"language-swift\">let a = &quot;&lt;x&gt;&quot; &amp;&amp; **b**\n    indented</code></pre>\nAfter"
        #expect(renderer.render(markdown) == expected)
        #expect(renderer.render("```\nplain\n```") == "<pre>plain</pre>")
        #expect(renderer.render("```js\nunclosed") == "<pre><code class=\"language-js\">unclosed</code></pre>")
        #expect(renderer.render("```x```") == "<code>x</code>")
    }

    @Test func paragraphsAndLineBreaks() {
        #expect(renderer.render("one\ntwo\n\n\n\nthree\r\nfour") == "one\ntwo\n\nthree\nfour")
        #expect(renderer.render("**bold\nacross lines**") == "<b>bold\nacross lines</b>")
        #expect(renderer.render("**not\n\nacross paragraphs**") == "**not\n\nacross paragraphs**")
        #expect(renderer.render("---") == "──────────")
    }

    @Test func escapeCoversAttributes() {
        #expect(TelegramHTML.escape("a&b<c>\"d\"") == "a&amp;b&lt;c&gt;&quot;d&quot;")
        #expect(TelegramHTML.escape("plain") == "plain")
    }

    @Test func linkSchemes() {
        #expect(TelegramHTML.isAllowedLink("https://example.org"))
        #expect(TelegramHTML.isAllowedLink("HTTP://example.org"))
        #expect(TelegramHTML.isAllowedLink("tg://resolve?domain=x"))
        #expect(!TelegramHTML.isAllowedLink("https://"))
        #expect(!TelegramHTML.isAllowedLink("ftp://example.org"))
        #expect(!TelegramHTML.isAllowedLink("https://a.org/a b"))
        #expect(!TelegramHTML.isAllowedLink("mailto:a@b.c"))
    }

    @Test func edgeInputsAlwaysGiveValidHTML() {
        let inputs = [
            "", "*", "**", "***", "****", "_", "__", "`", "``", "```", "[", "]", "[]()", "[a]()", "[](https://a.org)",
            "||", "||||", "~~~~", "> ", "#", "# ", "- ", "1.", "&", "&amp;", "<", ">", "\\", "\\\\", "*a**b*", "**a*b**",
            "_a_b_", "__a__b__", "*a _b* c_", "[a *b](https://x.org) c*", "||a **b|| c**", "~~a `b~~ c`",
            String(repeating: "*a ", count: 2000), String(repeating: "[", count: 3000), String(repeating: "**a", count: 1500),
            String(repeating: "`", count: 5000), String(repeating: "_x", count: 3000), String(repeating: "**", count: 40) + "x" + String(repeating: "**", count: 40),
        ]
        for input in inputs {
            let html = renderer.render(input)
            #expect(HTMLValidator.problem(in: html) == nil, "input \(input.prefix(60).debugDescription) → \(html.prefix(200))")
        }
    }

    @Test func randomInputsAlwaysGiveValidHTMLAndKeepVisibleWords() {
        var generator = SeededGenerator(seed: 20_240_601)
        for _ in 0..<1500 {
            let input = MarkdownFuzz.text(length: Int.random(in: 1...120, using: &generator), using: &generator)
            let html = renderer.render(input)
            if let problem = HTMLValidator.problem(in: html) {
                Issue.record("\(problem): input \(input.debugDescription) → \(html.debugDescription)")
                return
            }
            // Plain words survive rendering (except in a link destination, which is never shown).
            if input.contains("Привет"), !input.contains("](") {
                #expect(TelegramHTML.plainText(of: html).contains("Привет"), "input \(input.debugDescription) → \(html.debugDescription)")
            }
        }
    }
}
