@testable import GongbuTesting
import Testing

@Suite("Telegram HTML")
struct HTMLParserTests {
    @Test("entities carry UTF-16 offsets and lengths")
    func utf16Offsets() throws {
        let parsed = try TelegramHTML.parse("😀 <b>привет</b> <i>x</i>").get()
        #expect(parsed.text == "😀 привет x")
        #expect(parsed.entities == [["offset": 3, "length": 6, "type": "bold"], ["offset": 10, "length": 1, "type": "italic"]])
    }

    @Test("byte offsets in errors count UTF-8 bytes")
    func byteOffsets() {
        guard case .failure(let error) = TelegramHTML.parse("é<x>") else { Issue.record("accepted"); return }
        #expect(error.message == "Unsupported start tag \"x\" at byte offset 2")
    }

    @Test("nested tags, pre with language, expandable quote, unknown & left literal")
    func nesting() throws {
        let parsed = try TelegramHTML.parse("<b><i>bi</i></b> <pre><code class=\"language-swift\">x</code></pre> a&b &nbsp;").get()
        #expect(parsed.text == "bi x a&b &nbsp;")
        #expect(parsed.entities.count == 4)
        #expect(parsed.entities[0] == ["offset": 0, "length": 2, "type": "bold"])
        #expect(parsed.entities[1] == ["offset": 0, "length": 2, "type": "italic"])
        let quote = try TelegramHTML.parse("<blockquote expandable>q</blockquote>").get()
        #expect(quote.entities == [["offset": 0, "length": 1, "type": "expandable_blockquote"]])
    }

    @Test("JSON parser and serializer round-trip")
    func jsonRoundTrip() throws {
        let text = #"{"a":[1,-2,3.5,true,false,null],"b":"x\"y\\z\n\u00e9\ud83d\ude00","c":{}}"#
        let value = try JSONValue.parse(Data(text.utf8))
        #expect(value["b"] == "x\"y\\z\né😀")
        #expect(value["a"]?[2] == .double(3.5))
        #expect(try JSONValue.parse(Data(value.serialized.utf8)) == value)
        #expect(throws: (any Error).self) { try JSONValue.parse(Data("{\"a\":".utf8)) }
    }
}

import Foundation
