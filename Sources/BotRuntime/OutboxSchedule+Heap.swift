import Storage

extension OutboxSchedule {
    /// A chat's place in the schedule: the time its first row may go. `ticket` tells a live
    /// entry from one left behind when the chat was scheduled again (those are skipped).
    struct Slot: Sendable {
        var time: Double
        var chatId: Int64
        var ticket: UInt64
    }

    /// A binary min-heap of slots by time (then ticket, so equal times keep their order).
    struct SlotHeap: Sendable {
        private(set) var slots: [Slot] = []

        var isEmpty: Bool { slots.isEmpty }
        var count: Int { slots.count }
        var first: Slot? { slots.first }

        private static func before(_ a: Slot, _ b: Slot) -> Bool {
            a.time < b.time || (a.time == b.time && a.ticket < b.ticket)
        }

        mutating func push(_ slot: Slot) {
            slots.append(slot)
            var child = slots.count - 1
            while child > 0 {
                let parent = (child - 1) / 2
                guard Self.before(slots[child], slots[parent]) else { break }
                slots.swapAt(child, parent)
                child = parent
            }
        }

        mutating func pop() -> Slot? {
            guard !slots.isEmpty else { return nil }
            slots.swapAt(0, slots.count - 1)
            let top = slots.removeLast()
            var parent = 0
            while true {
                let left = 2 * parent + 1
                let right = left + 1
                var smallest = parent
                if left < slots.count, Self.before(slots[left], slots[smallest]) { smallest = left }
                if right < slots.count, Self.before(slots[right], slots[smallest]) { smallest = right }
                guard smallest != parent else { break }
                slots.swapAt(parent, smallest)
                parent = smallest
            }
            return top
        }
    }

    /// A first-in first-out queue of rows that pops in O(1) (an array and the index of its head).
    struct RowQueue: Sendable {
        private var rows: [OutboxRow] = []
        private var head = 0

        var isEmpty: Bool { head == rows.count }
        var count: Int { rows.count - head }
        var first: OutboxRow? { isEmpty ? nil : rows[head] }
        var all: ArraySlice<OutboxRow> { rows[head...] }

        mutating func append(_ row: OutboxRow) { rows.append(row) }

        mutating func updateFirst(_ change: (inout OutboxRow) -> Void) {
            guard !isEmpty else { return }
            change(&rows[head])
        }

        @discardableResult
        mutating func removeFirst() -> OutboxRow? {
            guard !isEmpty else { return nil }
            let row = rows[head]
            head += 1
            if head > 32, head * 2 > rows.count {
                rows.removeFirst(head)
                head = 0
            }
            return row
        }
    }
}
