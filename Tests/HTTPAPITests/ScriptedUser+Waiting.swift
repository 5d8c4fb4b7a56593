import GongbuTesting

extension ScriptedUser {
    @discardableResult
    func press(_ label: String, expecting text: String) async throws -> ChatMessage {
        try press(label)
        return try await waitForMessage(containing: text, timeout: ScriptedUser.patience)
    }

    @discardableResult
    func send(_ message: String, expecting text: String) async throws -> ChatMessage {
        send(message)
        return try await waitForMessage(containing: text, timeout: ScriptedUser.patience)
    }
}
