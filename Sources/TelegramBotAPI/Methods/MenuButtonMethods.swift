/// The bot's menu button (`MenuButton`): only the Mini App kind Gongbu uses (`MenuButtonWebApp`),
/// so the manager bot opens the web workspace from its chat (contract §9, `http.public_url`).
public struct MenuButton: Codable, Sendable, Hashable {
    /// Always `web_app`.
    public var type: String
    public var text: String
    public var webApp: WebAppInfo

    public static func webApp(_ text: String, url: String) -> MenuButton {
        MenuButton(type: "web_app", text: text, webApp: WebAppInfo(url: url))
    }

    enum CodingKeys: String, CodingKey {
        case type, text
        case webApp = "web_app"
    }
}

/// `setChatMenuButton`: a private chat's menu button, or (no chat) the bot's default one.
public struct SetChatMenuButton: BotMethod, Codable, Hashable {
    public typealias Response = Bool
    public static let name = "setChatMenuButton"
    public var chatId: Int64?
    public var menuButton: MenuButton?

    public init(chatId: Int64? = nil, menuButton: MenuButton?) {
        self.chatId = chatId
        self.menuButton = menuButton
    }

    enum CodingKeys: String, CodingKey {
        case chatId = "chat_id"
        case menuButton = "menu_button"
    }
}
