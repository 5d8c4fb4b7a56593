import Foundation
import Testing
import TelegramBotAPI
@testable import TelegramClient

@Suite struct MultipartFormTests {
    /// A part of a multipart body: its headers and content.
    struct Part {
        var name: String
        var filename: String?
        var contentType: String?
        var content: Data
    }

    /// A small independent parser, so the encoder is checked against the format, not against itself.
    func parse(_ body: Data, boundary: String) throws -> [Part] {
        let text = String(decoding: body, as: UTF8.self)
        #expect(text.hasSuffix("--\(boundary)--\r\n"))
        var parts: [Part] = []
        let delimiter = Data("--\(boundary)".utf8)
        var chunks: [Data] = []
        var rest = body[...]
        while let range = rest.range(of: delimiter) {
            chunks.append(Data(rest[rest.startIndex..<range.lowerBound]))
            rest = rest[range.upperBound...]
        }
        for chunk in chunks.dropFirst() {
            let separator = Data("\r\n\r\n".utf8)
            let headerEnd = try #require(chunk.range(of: separator))
            let headers = String(decoding: chunk[chunk.startIndex..<headerEnd.lowerBound], as: UTF8.self)
            var content = Data(chunk[headerEnd.upperBound...])
            #expect(content.suffix(2) == Data("\r\n".utf8))
            content.removeLast(2)
            func value(_ key: String) -> String? {
                guard let range = headers.range(of: "\(key)=\"") else { return nil }
                return String(headers[range.upperBound...].prefix { $0 != "\"" })
            }
            let type = headers.components(separatedBy: "\r\n").first { $0.hasPrefix("Content-Type: ") }
                .map { String($0.dropFirst("Content-Type: ".count)) }
            parts.append(Part(name: value("name") ?? "", filename: value("filename"), contentType: type, content: content))
        }
        return parts
    }

    @Test func uploadIsAFilePartAndOtherFieldsAreFormFields() throws {
        let image = Data([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x00, 0xFF])
        let method = SendPhoto(
            chatId: 42, photo: .upload(filename: "step \"1\".png", data: image, mimeType: "image/png"),
            caption: "Привет <b>мир</b>", parseMode: .html, hasSpoiler: true,
            replyMarkup: .inline([[.callback("Next", data: "n")]]))
        let form = try MultipartForm.make(for: try method.encoded(), boundary: "TESTBOUNDARY")
        #expect(form.contentType == "multipart/form-data; boundary=TESTBOUNDARY")
        let parts = try parse(form.finished(), boundary: "TESTBOUNDARY")
        let byName = Dictionary(uniqueKeysWithValues: parts.map { ($0.name, $0) })
        #expect(parts.map(\.name) == ["caption", "chat_id", "has_spoiler", "parse_mode", "reply_markup", "photo"])
        #expect(byName["chat_id"]?.content == Data("42".utf8))
        #expect(byName["has_spoiler"]?.content == Data("true".utf8))
        #expect(byName["caption"]?.content == Data("Привет <b>мир</b>".utf8))
        #expect(byName["parse_mode"]?.content == Data("HTML".utf8))
        let markup = try #require(byName["reply_markup"]?.content)
        let decoded = try JSONDecoder().decode(InlineKeyboardMarkup.self, from: markup)
        #expect(decoded.inlineKeyboard.first?.first?.callbackData == "n")
        let photo = try #require(byName["photo"])
        #expect(photo.content == image)
        #expect(photo.contentType == "image/png")
        #expect(photo.filename == "step %221%22.png")
        #expect(byName["photo"]?.filename != nil)
    }

    @Test func nestedOrSecondaryUploadsKeepTheirAttachReference() throws {
        let method = SendVideo(
            chatId: 1, video: .fileId("BAAD"),
            thumbnail: .upload(filename: "t.jpg", data: Data([7]), mimeType: ""))
        let parts = try parse(MultipartForm.make(for: try method.encoded(), boundary: "B").finished(), boundary: "B")
        #expect(parts.map(\.name) == ["chat_id", "video", "thumbnail"])
        #expect(parts[1].content == Data("BAAD".utf8))
        #expect(parts[2].filename == "t.jpg")
        #expect(parts[2].contentType == "application/octet-stream")
    }

    @Test func attachStringWithoutUploadIsSentAsText() throws {
        let encoded = EncodedMethod(name: "sendPhoto", json: Data(#"{"chat_id":1,"photo":"attach://photo","n":null}"#.utf8))
        let parts = try parse(MultipartForm.make(for: encoded, boundary: "B").finished(), boundary: "B")
        #expect(parts.map(\.name) == ["chat_id", "photo"])
        #expect(parts[1].content == Data("attach://photo".utf8))
    }
}
