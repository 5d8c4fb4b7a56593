import Foundation

/// Finds the bytes of one top-level member of a JSON object without decoding the document:
/// `callRaw` returns `result` as sent, so the outbox pays no decode and re-encode per message.
enum JSONSpan {
    /// The byte range of the value of `key` in the top-level object of `data`, if present.
    static func value(forKey key: String, in data: Data) -> Range<Int>? {
        let target = Array(key.utf8)
        return data.withUnsafeBytes { (raw: UnsafeRawBufferPointer) -> Range<Int>? in
            let bytes = raw.bindMemory(to: UInt8.self)
            var index = skipSpace(bytes, 0)
            guard index < bytes.count, bytes[index] == UInt8(ascii: "{") else { return nil }
            index += 1
            while true {
                index = skipSpace(bytes, index)
                guard index < bytes.count, bytes[index] == UInt8(ascii: "\"") else { return nil }
                let keyStart = index + 1
                guard let keyEnd = endOfString(bytes, index) else { return nil }
                let matches = keyEnd - 1 - keyStart == target.count
                    && zip(bytes[keyStart..<(keyEnd - 1)], target).allSatisfy { $0 == $1 }
                index = skipSpace(bytes, keyEnd)
                guard index < bytes.count, bytes[index] == UInt8(ascii: ":") else { return nil }
                index = skipSpace(bytes, index + 1)
                guard let valueEnd = endOfValue(bytes, index) else { return nil }
                if matches { return index..<valueEnd }
                index = skipSpace(bytes, valueEnd)
                guard index < bytes.count, bytes[index] == UInt8(ascii: ",") else { return nil }
                index += 1
            }
        }
    }

    private static func skipSpace(_ bytes: UnsafeBufferPointer<UInt8>, _ start: Int) -> Int {
        var index = start
        while index < bytes.count, [0x20, 0x0A, 0x0D, 0x09].contains(bytes[index]) { index += 1 }
        return index
    }

    /// `start` is at an opening quote; returns the index just past the closing quote.
    private static func endOfString(_ bytes: UnsafeBufferPointer<UInt8>, _ start: Int) -> Int? {
        var index = start + 1
        while index < bytes.count {
            switch bytes[index] {
            case UInt8(ascii: "\\"): index += 2
            case UInt8(ascii: "\""): return index + 1
            default: index += 1
            }
        }
        return nil
    }

    /// Returns the index just past the value starting at `start`.
    private static func endOfValue(_ bytes: UnsafeBufferPointer<UInt8>, _ start: Int) -> Int? {
        guard start < bytes.count else { return nil }
        switch bytes[start] {
        case UInt8(ascii: "\""):
            return endOfString(bytes, start)
        case UInt8(ascii: "{"), UInt8(ascii: "["):
            var depth = 0
            var index = start
            while index < bytes.count {
                switch bytes[index] {
                case UInt8(ascii: "\""):
                    guard let end = endOfString(bytes, index) else { return nil }
                    index = end
                    continue
                case UInt8(ascii: "{"), UInt8(ascii: "["):
                    depth += 1
                case UInt8(ascii: "}"), UInt8(ascii: "]"):
                    depth -= 1
                    if depth == 0 { return index + 1 }
                default:
                    break
                }
                index += 1
            }
            return nil
        default:
            var index = start
            while index < bytes.count, ![UInt8(ascii: ","), UInt8(ascii: "}"), UInt8(ascii: "]"), 0x20, 0x0A, 0x0D, 0x09].contains(bytes[index]) {
                index += 1
            }
            return index > start ? index : nil
        }
    }
}
