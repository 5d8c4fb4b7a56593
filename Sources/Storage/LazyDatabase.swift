import Foundation
import GRDB
import Synchronization

/// A course database opened on first use and closable when idle, so a thousand idle course
/// bots hold no SQLite connection (each costs about 170 KiB) until a student writes.
public final class LazyDatabase: Sendable {
    public let path: String
    private let migrator: DatabaseMigrator
    private let connection = Mutex<DatabaseQueue?>(nil)

    init(path: String, migrator: DatabaseMigrator) {
        self.path = path
        self.migrator = migrator
    }

    /// The open connection, opening (and migrating) it if needed.
    public func queue() throws(StorageError) -> DatabaseQueue {
        if let open = connection.withLock({ $0 }) { return open }
        let opened = try DatabaseOpener.openQueue(path: path, migrator: migrator)
        return connection.withLock { current in
            if let current { return current }
            current = opened
            return opened
        }
    }

    /// Whether a connection is open now.
    public var isOpen: Bool { connection.withLock { $0 != nil } }

    /// Closes the connection; the next use opens it again.
    public func close() {
        connection.withLock { $0 = nil }
    }
}
