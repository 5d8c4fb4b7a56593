import Foundation
import Testing
@testable import TelegramClient

@Suite("JSONSpan")
struct JSONSpanTests {
    func result(_ json: String) -> String? {
        let data = Data(json.utf8)
        return JSONSpan.value(forKey: "result", in: data).map { String(decoding: data[$0], as: UTF8.self) }
    }

    @Test("finds result whatever comes before it, strings and nesting included")
    func findsResult() {
        #expect(result(#"{"ok":true,"result":{"message_id":5,"text":"a \"}\" b","x":[1,{"y":"]"}]}}"#) == #"{"message_id":5,"text":"a \"}\" b","x":[1,{"y":"]"}]}"#)
        #expect(result(#"{ "description" : "a,b}" , "ok" : true , "result" : true }"#) == "true")
        #expect(result(#"{"ok":true,"result":[ ]}"#) == "[ ]")
        #expect(result(#"{"ok":true,"result":-12.5e3}"#) == "-12.5e3")
        #expect(result(#"{"ok":true,"results":1}"#) == nil)
    }

    @Test("garbage is no result, never a crash")
    func garbage() {
        for text in ["", "[]", "{", #"{"result""#, #"{"result":"#, #"{"result":"unterminated}"#, "null", #"{"a":1 "result":2}"#] {
            #expect(result(text) == nil, "\(text)")
        }
    }
}
