import Foundation
import TelegramBotAPI

/// The emulator's JSON is the wire package's (one JSON value type in the project), named here so
/// tests that import only GongbuTesting can use it.
public typealias JSONValue = TelegramBotAPI.JSONValue

extension JSONValue {
    /// A structured value; a string holding serialized JSON (as form-encoded requests send
    /// `reply_markup`) is parsed, anything else is returned as is.
    public var structured: JSONValue? {
        if case .string(let text) = self {
            return try? JSONValue.parse(Data(text.utf8))
        }
        return self
    }

    /// Parses JSON text.
    public static func parse(_ data: Data) throws -> JSONValue {
        try JSONParser.parse(data)
    }

    /// Compact JSON text with object keys sorted (deterministic, cheap for small objects).
    public var serialized: String {
        var output = ""
        output.reserveCapacity(64)
        write(into: &output)
        return output
    }

    func write(into output: inout String) {
        switch self {
        case .null: output += "null"
        case .bool(let value): output += value ? "true" : "false"
        case .int(let value): output += String(value)
        case .double(let value):
            if value.isFinite { output += value == value.rounded() && abs(value) < 1e15 ? String(Int64(value)) : String(value) } else { output += "null" }
        case .string(let value): Self.writeString(value, into: &output)
        case .array(let elements):
            output += "["
            for (index, element) in elements.enumerated() {
                if index > 0 { output += "," }
                element.write(into: &output)
            }
            output += "]"
        case .object(let members):
            output += "{"
            for (index, key) in members.keys.sorted().enumerated() {
                if index > 0 { output += "," }
                Self.writeString(key, into: &output)
                output += ":"
                members[key]!.write(into: &output)
            }
            output += "}"
        }
    }

    static func writeString(_ value: String, into output: inout String) {
        output += "\""
        for scalar in value.unicodeScalars {
            switch scalar {
            case "\"": output += "\\\""
            case "\\": output += "\\\\"
            case "\n": output += "\\n"
            case "\r": output += "\\r"
            case "\t": output += "\\t"
            default:
                if scalar.value < 0x20 {
                    output += "\\u" + String(repeating: "0", count: 4 - String(scalar.value, radix: 16).count)
                        + String(scalar.value, radix: 16)
                } else {
                    output.unicodeScalars.append(scalar)
                }
            }
        }
        output += "\""
    }
}
