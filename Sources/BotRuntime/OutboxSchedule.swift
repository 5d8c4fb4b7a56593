import Storage

/// One bot's pending outbox in memory, so the sender neither queries nor decodes rows per wave:
/// a queue per chat (the chat's own rows first, then broadcast rows, so students' answers never
/// wait behind a broadcast), answers to queries apart (they skip the queue but not a pause),
/// and the time each chat may send next in two heaps (chats with their own rows served first).
/// Pure: time is passed in and it does no I/O; SQLite stays the durable record (the sender
/// loads it at start and writes every settlement).
struct OutboxSchedule: Sendable {
    /// What Telegram's answer means for a row sent (and for the rows behind it).
    enum Settlement: Sendable, Equatable {
        /// Done for good (delivered, or refused for good): the row leaves.
        case finished
        /// Try again at this time (5xx, network); the chat's later rows wait behind it.
        case retry(at: Double)
        /// 429 for this chat: nothing to this chat before `until`, the row included.
        case chatPaused(until: Double)
        /// 429 for the whole bot: nothing at all before `until`.
        case botPaused(until: Double)
        /// 403, the user blocked the bot: the row leaves and the chat's queued rows are dropped.
        case blocked
    }

    enum Lane: Sendable { case own, broadcast }

    struct ChatQueue: Sendable {
        var own = RowQueue()
        var broadcast = RowQueue()
        /// The lane of the row in flight (always the first of its lane); nil: none in flight.
        var inFlight: Lane?
        /// The ticket of the chat's live slot (0: not scheduled).
        var ticket: UInt64 = 0
        var ticketLane: Lane = .own

        var lane: Lane { own.isEmpty ? .broadcast : .own }
        var head: OutboxRow? { own.first ?? broadcast.first }
        var isEmpty: Bool { own.isEmpty && broadcast.isEmpty }
    }

    private(set) var limiter: RateLimiter
    private var chats: [Int64: ChatQueue] = [:]
    private var urgent: [OutboxRow] = []
    private var urgentInFlight: [Int64: OutboxRow] = [:]
    private var ownSlots = SlotHeap()
    private var broadcastSlots = SlotHeap()
    private var nextTicket: UInt64 = 1
    /// Ids of every row held (queued or in flight).
    private(set) var known: Set<Int64> = []
    /// No call at all before this time (a 429 for the whole bot).
    private(set) var botPausedUntil: Double = 0
    /// No call to a chat before its time (a 429 for that chat).
    private(set) var chatPausedUntil: [Int64: Double] = [:]
    private var compactedAt: Double?

    init(limits: RateLimiter.Limits = .telegram) {
        self.limiter = RateLimiter(limits: limits)
    }

    /// Rows held, queued or in flight.
    var count: Int { known.count }
    var isEmpty: Bool { known.isEmpty }

    /// The rows queued for a chat, in the order they will go (in flight first), answers excluded.
    func queued(chatId: Int64) -> [OutboxRow] {
        guard let chat = chats[chatId] else { return [] }
        return Array(chat.own.all) + Array(chat.broadcast.all)
    }

    /// Adds rows (in id order); rows already held are ignored.
    mutating func enqueue(_ rows: some Sequence<OutboxRow>, now: Double) {
        for row in rows where known.insert(row.id).inserted {
            if row.urgent {
                urgent.append(row)
                continue
            }
            var chat = chats[row.chatId] ?? ChatQueue()
            if row.broadcastId == nil { chat.own.append(row) } else { chat.broadcast.append(row) }
            // A chat waiting on the broadcast lane moves to the own lane when a row of its own comes.
            let needsSlot = chat.inFlight == nil && (chat.ticket == 0 || chat.ticketLane != chat.lane)
            chats[row.chatId] = chat
            if needsSlot { schedule(row.chatId, now: now) }
        }
    }

    /// The rows that may go now, at most `limit`, marked in flight (each must be settled): ready
    /// answers to queries first (no bucket, but every pause), then one row per chat whose buckets
    /// have a token, chats with their own rows before chats with only broadcast rows.
    mutating func next(now: Double, limit: Int) -> [OutboxRow] {
        compactIfDue(now: now)
        guard botPausedUntil <= now, limit > 0 else { return [] }
        var wave: [OutboxRow] = []
        var index = 0
        while index < urgent.count, wave.count < limit {
            let row = urgent[index]
            if row.notBefore <= now, chatPausedUntil[row.chatId] ?? 0 <= now {
                urgent.remove(at: index)
                urgentInFlight[row.id] = row
                wave.append(row)
            } else {
                index += 1
            }
        }
        for lane in [Lane.own, .broadcast] {
            while wave.count < limit, limiter.botWait(now: now) <= 0, let slot = firstSlot(lane), slot.time <= now {
                _ = popSlot(lane)
                guard var chat = chats[slot.chatId], chat.ticket == slot.ticket, chat.inFlight == nil, let head = chat.head else { continue }
                chat.ticket = 0
                chats[slot.chatId] = chat
                let ready = readyTime(slot.chatId, head: head, now: now)
                if ready > now {
                    schedule(slot.chatId, now: now)
                    continue
                }
                limiter.take(chatId: slot.chatId, now: now)
                chat.inFlight = chat.lane
                chats[slot.chatId] = chat
                wave.append(head)
            }
        }
        return wave
    }

    /// The earliest time `next` may have something (nil: nothing queued, only a new row or a
    /// settlement changes that). May be early (a slot left behind), never late.
    func nextTime(now: Double) -> Double? {
        var earliest = Double.infinity
        for row in urgent {
            earliest = min(earliest, max(row.notBefore, chatPausedUntil[row.chatId] ?? 0))
        }
        let slot = min(ownSlots.first?.time ?? .infinity, broadcastSlots.first?.time ?? .infinity)
        if slot < .infinity {
            earliest = min(earliest, max(slot, now + limiter.botWait(now: now)))
        }
        guard earliest < .infinity else { return nil }
        return max(earliest, botPausedUntil)
    }

    /// Records what became of a row `next` handed out. Returns the rows dropped with it (a
    /// blocked chat's queue), which are no longer held and must be recorded as blocked too.
    @discardableResult
    mutating func settle(_ row: OutboxRow, _ settlement: Settlement, now: Double) -> [OutboxRow] {
        if row.urgent {
            guard var held = urgentInFlight.removeValue(forKey: row.id) else { return [] }
            switch settlement {
            case .finished:
                known.remove(row.id)
            case .blocked:
                known.remove(row.id)
                return drop(chatId: row.chatId, now: now)
            case .retry(let at):
                putOff(&held, until: at)
                urgent.insert(held, at: 0)
            case .chatPaused(let until):
                putOff(&held, until: until)
                pause(chatId: row.chatId, until: until)
                urgent.insert(held, at: 0)
            case .botPaused(let until):
                putOff(&held, until: until)
                botPausedUntil = max(botPausedUntil, until)
                urgent.insert(held, at: 0)
            }
            return []
        }
        guard var chat = chats[row.chatId], let lane = chat.inFlight else { return [] }
        chat.inFlight = nil
        switch settlement {
        case .finished:
            remove(first: lane, of: &chat)
            known.remove(row.id)
        case .blocked:
            remove(first: lane, of: &chat)
            known.remove(row.id)
            chats[row.chatId] = chat
            return drop(chatId: row.chatId, now: now)
        case .retry(let at):
            update(first: lane, of: &chat) { putOff(&$0, until: at) }
        case .chatPaused(let until):
            update(first: lane, of: &chat) { putOff(&$0, until: until) }
            pause(chatId: row.chatId, until: until)
        case .botPaused(let until):
            update(first: lane, of: &chat) { putOff(&$0, until: until) }
            botPausedUntil = max(botPausedUntil, until)
        }
        if chat.isEmpty {
            chats.removeValue(forKey: row.chatId)
        } else {
            chats[row.chatId] = chat
            schedule(row.chatId, now: now)
        }
        return []
    }

    /// Pauses the whole bot (Telegram's global flood answer, seen on several chats at once).
    mutating func pauseBot(until: Double) {
        botPausedUntil = max(botPausedUntil, until)
    }

    // MARK: - Inside

    /// The lane's earliest slot (read in place: a copy of the heap would cost a copy per pop).
    private func firstSlot(_ lane: Lane) -> Slot? {
        lane == .own ? ownSlots.first : broadcastSlots.first
    }

    private mutating func popSlot(_ lane: Lane) -> Slot? {
        lane == .own ? ownSlots.pop() : broadcastSlots.pop()
    }

    /// When the chat's first row may go: its own time, the chat's pause, the chat's bucket.
    private func readyTime(_ chatId: Int64, head: OutboxRow, now: Double) -> Double {
        max(head.notBefore, chatPausedUntil[chatId] ?? 0, now + limiter.chatWait(chatId: chatId, now: now))
    }

    /// Gives an idle chat with rows a fresh slot (any older slot of it becomes stale).
    private mutating func schedule(_ chatId: Int64, now: Double) {
        guard var chat = chats[chatId], chat.inFlight == nil, let head = chat.head else { return }
        let ticket = nextTicket
        nextTicket += 1
        chat.ticket = ticket
        chat.ticketLane = chat.lane
        chats[chatId] = chat
        let slot = Slot(time: readyTime(chatId, head: head, now: now), chatId: chatId, ticket: ticket)
        if chat.lane == .own { ownSlots.push(slot) } else { broadcastSlots.push(slot) }
    }

    private mutating func pause(chatId: Int64, until: Double) {
        chatPausedUntil[chatId] = max(chatPausedUntil[chatId] ?? 0, until)
    }

    private func putOff(_ row: inout OutboxRow, until: Double) {
        row.notBefore = until
        row.attempts += 1
    }

    private func remove(first lane: Lane, of chat: inout ChatQueue) {
        if lane == .own { chat.own.removeFirst() } else { chat.broadcast.removeFirst() }
    }

    private func update(first lane: Lane, of chat: inout ChatQueue, _ change: (inout OutboxRow) -> Void) {
        if lane == .own { chat.own.updateFirst(change) } else { chat.broadcast.updateFirst(change) }
    }

    /// Drops a blocked chat's queued rows (a row still in flight settles on its own).
    private mutating func drop(chatId: Int64, now: Double) -> [OutboxRow] {
        var dropped: [OutboxRow] = []
        if var chat = chats[chatId] {
            var kept = ChatQueue()
            if let lane = chat.inFlight {
                let first = lane == .own ? chat.own.removeFirst() : chat.broadcast.removeFirst()
                if let first {
                    if lane == .own { kept.own.append(first) } else { kept.broadcast.append(first) }
                }
                kept.inFlight = lane
            }
            dropped += chat.own.all
            dropped += chat.broadcast.all
            chat = kept
            if chat.isEmpty { chats.removeValue(forKey: chatId) } else { chats[chatId] = chat }
        }
        dropped += urgent.filter { $0.chatId == chatId }
        urgent.removeAll { $0.chatId == chatId }
        for row in dropped { known.remove(row.id) }
        return dropped.sorted { $0.id < $1.id }
    }

    /// Once a minute: forgets full buckets and past pauses (memory stays flat over many chats).
    private mutating func compactIfDue(now: Double) {
        guard let last = compactedAt else {
            compactedAt = now
            return
        }
        guard now - last > 60 else { return }
        limiter.compact(now: now)
        chatPausedUntil = chatPausedUntil.filter { $0.value > now }
        compactedAt = now
    }
}
