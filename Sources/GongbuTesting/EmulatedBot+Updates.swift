import Foundation

/// getUpdates with Telegram's semantics: offset confirms, limit caps, long polls wake
/// on the first new update, and a second concurrent poll conflicts.
extension EmulatedBot {
    struct PollRequest {
        var offset: Int64?
        var limit: Int
        var timeout: Int
        var allowedUpdates: Set<String>?

        init(_ p: RequestParameters) {
            offset = p.int("offset")
            limit = Int(max(1, min(100, p.int("limit") ?? 100)))
            timeout = Int(max(0, p.int("timeout") ?? 0))
            if let list = p.structured("allowed_updates")?.arrayValue {
                allowedUpdates = Set(list.compactMap(\.stringValue))
            }
        }
    }

    /// Answers getUpdates at once if it can (updates pending, timeout 0, conflict);
    /// nil means the request has to wait.
    func getUpdatesImmediately(_ request: PollRequest) -> MethodOutcome? {
        let (outcome, resumptions) = state.withLock { state -> (MethodOutcome?, [() -> Void]) in
            state.startPoll(request, policy: conflictPolicy, mustAnswer: false)
        }
        resumptions.forEach { $0() }
        return outcome
    }

    func allocatePollId() -> UInt64 {
        state.withLock { state in
            defer { state.nextPollId += 1 }
            return state.nextPollId
        }
    }

    /// Waits for updates until `timeout` seconds pass.
    func getUpdatesWaiting(_ request: PollRequest, pollId: UInt64) async -> MethodOutcome {
        await withCheckedContinuation { (continuation: CheckedContinuation<MethodOutcome, Never>) in
            let (immediate, resumptions) = state.withLock { state -> (MethodOutcome?, [() -> Void]) in
                // Its client went away between the watch and now: nobody waits for the answer.
                if state.abandonedPollIds.remove(pollId) != nil { return (.result(.array([])), []) }
                let (outcome, resumptions) = state.startPoll(request, policy: conflictPolicy, mustAnswer: false)
                if outcome == nil {
                    state.poll = OpenPoll(id: pollId, limit: request.limit, continuation: continuation)
                }
                return (outcome, resumptions)
            }
            resumptions.forEach { $0() }
            if let immediate {
                continuation.resume(returning: immediate)
                return
            }
            let timeoutTask = Task { [weak self] in
                try? await Task.sleep(for: .seconds(request.timeout))
                guard !Task.isCancelled else { return }
                self?.finishPoll(id: pollId, with: .result(.array([])))
            }
            let stillOpen = state.withLock { state -> Bool in
                guard state.poll?.id == pollId else { return false }
                state.poll?.timeoutTask = timeoutTask
                return true
            }
            if !stillOpen { timeoutTask.cancel() }
        }
    }

    /// The client of a waiting poll went away: forget the poll so the next one is not refused.
    func abandonPoll(id: UInt64) {
        let open = state.withLock { state -> Bool in
            guard state.poll?.id != id else { return true }
            // Not waiting yet: remembered, so it answers at once when it starts.
            state.abandonedPollIds.insert(id)
            return false
        }
        if open { finishPoll(id: id, with: .result(.array([]))) }
    }

    /// The poll ended (answered, or never started): it can no longer be abandoned.
    func forgetAbandoned(id: UInt64) {
        _ = state.withLock { $0.abandonedPollIds.remove(id) }
    }

    /// Stops every waiting poll (the emulator is shutting down).
    func finishAllPolls() {
        let poll = state.withLock { state -> OpenPoll? in
            defer { state.poll = nil }
            return state.poll
        }
        poll?.timeoutTask?.cancel()
        poll?.continuation.resume(returning: .result(.array([])))
    }

    private func finishPoll(id: UInt64, with outcome: MethodOutcome) {
        let poll = state.withLock { state -> OpenPoll? in
            guard let poll = state.poll, poll.id == id else { return nil }
            state.poll = nil
            return poll
        }
        poll?.timeoutTask?.cancel()
        poll?.continuation.resume(returning: outcome)
    }
}

extension BotState {
    /// Applies a getUpdates request; returns its answer, or nil when it must wait.
    mutating func startPoll(_ request: EmulatedBot.PollRequest, policy: EmulatorConfiguration.ConflictPolicy, mustAnswer: Bool)
        -> (MethodOutcome?, [() -> Void])
    {
        var resumptions: [() -> Void] = []
        if webhookURL != nil { return (.failure(.conflictWithWebhook), []) }
        if let open = poll {
            switch policy {
            case .rejectNewRequest:
                return (.failure(.conflictWithOtherPoll), [])
            case .terminateEarlierRequest:
                poll = nil
                resumptions.append {
                    open.timeoutTask?.cancel()
                    open.continuation.resume(returning: .failure(.conflictWithOtherPoll))
                }
            }
        }
        if let offset = request.offset {
            if offset > 0 {
                if let first = updates.firstIndex(where: { $0.id >= offset }) {
                    if first > 0 { updates.removeFirst(first) }
                } else {
                    updates.removeAll()
                }
            } else if offset < 0 {
                let keep = Int(min(Int64(updates.count), -offset))
                updates.removeFirst(updates.count - keep)
            }
        }
        if let allowed = request.allowedUpdates {
            allowedUpdates = allowed.isEmpty ? nil : allowed
        }
        if let allowedUpdates {
            updates.removeAll { !allowedUpdates.contains($0.kind) && $0.kind != "unknown" }
        }
        if !updates.isEmpty || request.timeout == 0 || mustAnswer {
            return (.success(Self.batch(updates.prefix(request.limit))), resumptions)
        }
        return (nil, resumptions)
    }

    static func batch(_ updates: ArraySlice<QueuedUpdate>) -> String {
        "[" + updates.map(\.json).joined(separator: ",") + "]"
    }

    /// Appends an update (its JSON text must already hold `id`) and wakes a waiting poll.
    mutating func enqueueRaw(kind: String, id: Int64? = nil, text: String) -> [() -> Void] {
        let updateId = id ?? nextUpdateId
        nextUpdateId = max(nextUpdateId, updateId + 1)
        if let allowedUpdates, !allowedUpdates.contains(kind), kind != "unknown" { return [] }
        updates.append(QueuedUpdate(id: updateId, kind: kind, json: text))
        guard let open = poll else { return [] }
        poll = nil
        let body = Self.batch(updates.prefix(open.limit))
        return [{
            open.timeoutTask?.cancel()
            open.continuation.resume(returning: .success(body))
        }]
    }

    /// Enqueues an update of `kind` with `body`, numbering it.
    mutating func enqueue(kind: String, _ body: JSONValue) -> [() -> Void] {
        let id = nextUpdateId
        let text = JSONValue.object(["update_id": .int(id), kind: body]).serialized
        return enqueueRaw(kind: kind, id: id, text: text)
    }

    /// Makes chats named in an injected update known, so the bot may answer them.
    mutating func learnChats(from update: JSONValue) {
        for kind in ["message", "edited_message", "callback_query", "pre_checkout_query", "poll_answer"] {
            guard let body = update[kind] else { continue }
            let user = body["from"] ?? body["user"]
            guard let userId = user?["id"]?.intValue, chats[userId] == nil else { continue }
            chats[userId] = ChatState(user: UserProfile(
                id: userId, firstName: user?["first_name"]?.stringValue ?? "User",
                lastName: user?["last_name"]?.stringValue, username: user?["username"]?.stringValue,
                languageCode: user?["language_code"]?.stringValue))
        }
    }
}
