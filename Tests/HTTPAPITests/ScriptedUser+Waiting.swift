import GongbuTesting

let patience = Duration.seconds(20)

extension ScriptedUser {
    @discardableResult
    func press(_ label: String, expecting text: String) async throws -> ChatMessage {
        try press(label)
        return try await waitForMessage(containing: text, timeout: patience)
    }

    @discardableResult
    func send(_ message: String, expecting text: String) async throws -> ChatMessage {
        send(message)
        return try await waitForMessage(containing: text, timeout: patience)
    }
}
