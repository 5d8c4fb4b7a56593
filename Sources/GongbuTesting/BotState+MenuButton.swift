/// setChatMenuButton / getChatMenuButton: the bot's menu button, default or per chat.
extension BotState {
    mutating func menuButtonMethod(_ method: String, _ p: RequestParameters) throws(BotAPIError) -> JSONValue {
        let key = p.int("chat_id") ?? 0
        switch method {
        case "setchatmenubutton":
            guard let button = p.structured("menu_button") else {
                menuButtons[key] = nil
                return true
            }
            guard let type = button["type"]?.stringValue, ["default", "commands", "web_app"].contains(type) else {
                throw .badRequest("can't parse menu button: unsupported type")
            }
            if type == "web_app" {
                guard button["text"]?.stringValue?.isEmpty == false else { throw .badRequest("can't parse menu button: text is empty") }
                guard let url = button["web_app"]?["url"]?.stringValue, url.hasPrefix("https://") else {
                    throw .badRequest("can't parse menu button: Web App URL must be HTTPS")
                }
            }
            menuButtons[key] = button
            return true
        default:
            return menuButtons[key] ?? ["type": "default"]
        }
    }
}
