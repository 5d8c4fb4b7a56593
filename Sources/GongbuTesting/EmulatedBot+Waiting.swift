/// Event-driven waiting for scripted users: a waiter is checked whenever its chat changes,
/// never by polling.
extension BotState {
    /// Removes the waiters of `chatId` whose condition now holds; returns their resumptions.
    mutating func satisfiedWaiters(chatId: Int64) -> [() -> Void] {
        guard let chatWaiters = waiters[chatId] else { return [] }
        var resumptions: [() -> Void] = []
        for (id, waiter) in chatWaiters {
            guard let result = waiter.check(self) else { continue }
            waiters[chatId]?[id] = nil
            if waiters[chatId]?.isEmpty == true { waiters[chatId] = nil }
            resumptions.append {
                waiter.timeoutTask?.cancel()
                waiter.continuation.resume(returning: result)
            }
        }
        return resumptions
    }
}

extension EmulatedBot {
    /// Waits until `check` gives a result for the chat, or fails after `timeout` with
    /// `failure(transcript)`.
    func wait(
        chatId: Int64,
        timeout: Duration,
        check: @escaping @Sendable (BotState) -> WaitResult?,
        failure: @escaping @Sendable ([ChatMessage]) -> any Error
    ) async throws -> WaitResult {
        let waiterId = state.withLock { state -> UInt64 in
            defer { state.nextWaiterId += 1 }
            return state.nextWaiterId
        }
        return try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<WaitResult, any Error>) in
                if Task.isCancelled {
                    continuation.resume(throwing: CancellationError())
                    return
                }
                let immediate = state.withLock { state -> WaitResult? in
                    if let result = check(state) { return result }
                    state.waiters[chatId, default: [:]][waiterId] = Waiter(chatId: chatId, check: check, continuation: continuation)
                    return nil
                }
                if let immediate {
                    continuation.resume(returning: immediate)
                    return
                }
                let timeoutTask = Task { [weak self] in
                    try? await Task.sleep(for: timeout)
                    guard !Task.isCancelled, let self else { return }
                    let transcript = self.transcript(chatId: chatId)
                    self.failWaiter(waiterId, chatId: chatId, with: failure(transcript))
                }
                let registered = state.withLock { state -> Bool in
                    guard state.waiters[chatId]?[waiterId] != nil else { return false }
                    state.waiters[chatId]?[waiterId]?.timeoutTask = timeoutTask
                    return true
                }
                if !registered { timeoutTask.cancel() }
            }
        } onCancel: {
            self.failWaiter(waiterId, chatId: chatId, with: CancellationError())
        }
    }

    func failWaiter(_ id: UInt64, chatId: Int64, with error: any Error) {
        let waiter = state.withLock { state -> Waiter? in
            let waiter = state.waiters[chatId]?.removeValue(forKey: id)
            if state.waiters[chatId]?.isEmpty == true { state.waiters[chatId] = nil }
            return waiter
        }
        waiter?.timeoutTask?.cancel()
        waiter?.continuation.resume(throwing: error)
    }

    /// The bot messages of a chat, oldest first.
    func transcript(chatId: Int64) -> [ChatMessage] {
        state.withLock { state in state.chats[chatId]?.botMessages.map(\.chatMessage) ?? [] }
    }

    /// Fails every waiter (the emulator is shutting down).
    func failAllWaiters(with error: any Error) {
        let all = state.withLock { state -> [Waiter] in
            defer { state.waiters.removeAll() }
            return state.waiters.values.flatMap(\.values)
        }
        for waiter in all {
            waiter.timeoutTask?.cancel()
            waiter.continuation.resume(throwing: error)
        }
    }
}
