/// setMyCommands, setMyName, setMyDescription, setMyShortDescription and their getters.
extension BotState {
    mutating func profileMethod(_ method: String, _ p: RequestParameters) throws(BotAPIError) -> JSONValue {
        let language = p.string("language_code") ?? ""
        if !language.isEmpty, language.count != 2 { throw .badRequest("invalid language code specified") }
        switch method {
        case "setmycommands":
            guard let commands = p.structured("commands")?.arrayValue else { throw .badRequest("can't parse commands JSON object") }
            guard commands.count <= 100 else { throw .badRequest("too many commands specified") }
            for command in commands {
                guard let name = command["command"]?.stringValue, (1...32).contains(name.count),
                    name.allSatisfy({ $0.isASCII && ($0.isLowercase || $0.isNumber || $0 == "_") })
                else { throw .badRequest("BOT_COMMAND_INVALID") }
                guard let description = command["description"]?.stringValue, (1...256).contains(description.count) else {
                    throw .badRequest("BOT_COMMAND_DESCRIPTION_INVALID")
                }
            }
            profile.commands[language] = .array(commands)
        case "deletemycommands":
            profile.commands[language] = nil
        case "getmycommands":
            return profile.commands[language] ?? .array([])
        case "setmyname":
            let name = p.string("name") ?? ""
            guard name.count <= 64 else { throw .badRequest("bot name is too long") }
            profile.names[language] = name.isEmpty ? nil : name
        case "getmyname":
            return ["name": .string(profile.names[language] ?? profile.names[""] ?? "")]
        case "setmydescription":
            let text = p.string("description") ?? ""
            guard text.count <= 512 else { throw .badRequest("bot description is too long") }
            profile.descriptions[language] = text.isEmpty ? nil : text
        case "getmydescription":
            return ["description": .string(profile.descriptions[language] ?? profile.descriptions[""] ?? "")]
        case "setmyshortdescription":
            let text = p.string("short_description") ?? ""
            guard text.count <= 120 else { throw .badRequest("bot short description is too long") }
            profile.shortDescriptions[language] = text.isEmpty ? nil : text
        case "getmyshortdescription":
            return ["short_description": .string(profile.shortDescriptions[language] ?? profile.shortDescriptions[""] ?? "")]
        default:
            throw .notFound
        }
        return true
    }
}
