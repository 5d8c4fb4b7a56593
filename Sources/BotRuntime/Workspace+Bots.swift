import Foundation
import TelegramBotAPI
import TelegramClient

/// A course's bot over HTTP (contract §9): connected like a token pasted in the manager bot.
extension Workspace {
    /// `PUT /courses/:id/bot {"token"}`: checked with getMe, stored, started at once; returns
    /// its username. The token is never echoed, in answers or errors.
    public func connectBot(_ user: User, id: String, token raw: String) async throws -> String? {
        let entry = try await entry(id, for: user)
        let token = BotToken(raw.trimmingCharacters(in: .whitespacesAndNewlines))
        let outcome: ManagerDesk.ConnectOutcome
        do {
            outcome = try await operationDesk.connect(token, to: entry, by: user.id)
        } catch let error as BotAPIError where error.isRetryable {
            throw WorkspaceError.conflict("Telegram could not be reached to check the token; try again")
        }
        switch outcome {
        case .connected(let botId, let username): return username ?? String(botId)
        case .invalid: throw WorkspaceError.invalid("Telegram does not accept this bot token (\(token.redacted))", field: "token")
        case .inUse: throw WorkspaceError.conflict("this bot (\(token.redacted)) already runs a course here")
        }
    }

    /// `DELETE /courses/:id/bot`: every bot connected to the course stopped and forgotten.
    public func disconnectBot(_ user: User, id: String) async throws {
        _ = try await entry(id, for: user)
        let bots = try await platform.connectedBots().filter { $0.courseSlug == id }
        guard !bots.isEmpty else { throw WorkspaceError.notFound("no bot is connected to course \(id)") }
        for bot in bots { _ = try await operationDesk.unbind(bot, by: user.id) }
    }
}
