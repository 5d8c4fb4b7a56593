import GRDB

/// The payment tables. In a course database (`course-v3`), every payment its bot received, in
/// the transaction that credited it (UNIQUE charge id), until the platform ledger has it. In the
/// platform database (`platform-v3`), the ledger itself (UNIQUE `telegram_payment_charge_id`),
/// refunds asked for in the manager bot, and install settings (the invoice signing secret).
enum PaymentTables {
    static func registerCourse(in migrator: inout DatabaseMigrator) {
        migrator.registerMigration("course-v3") { db in
            try db.execute(sql: """
                CREATE TABLE payments (
                    telegram_payment_charge_id TEXT PRIMARY KEY,
                    user_id INTEGER NOT NULL,
                    chat_id INTEGER NOT NULL,
                    item TEXT NOT NULL,
                    amount INTEGER NOT NULL,
                    currency TEXT NOT NULL,
                    provider_payment_charge_id TEXT,
                    subscription_expires_at REAL,
                    paid_at REAL NOT NULL,
                    refunded_at REAL,
                    ledgered_at REAL
                );
                CREATE INDEX payments_unledgered ON payments (ledgered_at);
                """)
        }
    }

    static func registerPlatform(in migrator: inout DatabaseMigrator) {
        migrator.registerMigration("platform-v3") { db in
            try db.execute(sql: """
                CREATE TABLE payments (
                    id INTEGER PRIMARY KEY AUTOINCREMENT,
                    telegram_payment_charge_id TEXT NOT NULL UNIQUE,
                    provider_payment_charge_id TEXT,
                    course_slug TEXT NOT NULL,
                    bot_id INTEGER NOT NULL,
                    user_id INTEGER NOT NULL,
                    item TEXT NOT NULL,
                    step_id TEXT,
                    amount INTEGER NOT NULL,
                    currency TEXT NOT NULL,
                    commission INTEGER NOT NULL,
                    paid_at REAL NOT NULL,
                    recorded_at REAL NOT NULL,
                    refunded_at REAL
                );
                CREATE INDEX payments_course ON payments (course_slug);
                CREATE TABLE refund_requests (
                    id INTEGER PRIMARY KEY AUTOINCREMENT,
                    key TEXT NOT NULL UNIQUE,
                    payment_id INTEGER NOT NULL,
                    requester_id INTEGER NOT NULL,
                    requested_at REAL NOT NULL,
                    status TEXT NOT NULL DEFAULT 'pending',
                    error TEXT,
                    done_at REAL
                );
                CREATE INDEX refund_requests_open ON refund_requests (status);
                CREATE TABLE settings (
                    key TEXT PRIMARY KEY,
                    value BLOB NOT NULL
                );
                """)
        }
    }

    /// Course database: payments received in this batch (a charge id already stored is ignored)
    /// and refunds applied to students.
    static func write(payments: [CoursePaymentRow], refunds: [String], now: Double, db: Database) throws {
        for row in payments {
            try db.execute(sql: """
                INSERT OR IGNORE INTO payments (telegram_payment_charge_id, user_id, chat_id, item, amount, currency,
                    provider_payment_charge_id, subscription_expires_at, paid_at)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
                """, arguments: [row.chargeId, row.userId, row.chatId, row.item, row.amount, row.currency, row.providerChargeId, row.expiresAt, row.paidAt])
        }
        for chargeId in refunds {
            try db.execute(sql: "UPDATE payments SET refunded_at = ? WHERE telegram_payment_charge_id = ? AND refunded_at IS NULL", arguments: [now, chargeId])
        }
    }

    /// Platform database: refunds asked for in the manager bot (a repeated key is ignored).
    static func write(refundRequests: [RefundRequestRow], db: Database) throws {
        for row in refundRequests {
            try db.execute(sql: """
                INSERT OR IGNORE INTO refund_requests (key, payment_id, requester_id, requested_at) VALUES (?, ?, ?, ?)
                """, arguments: [row.key, row.paymentId, row.requesterId, row.requestedAt])
        }
    }
}

/// A payment as a course database keeps it.
public struct CoursePaymentRow: Sendable, Equatable {
    public var chargeId: String
    public var userId: Int64
    public var chatId: Int64
    /// `course`, `all`, `plan`, `step:<id>` or `unknown`.
    public var item: String
    public var amount: Int
    public var currency: String
    public var providerChargeId: String?
    public var expiresAt: Double?
    public var paidAt: Double
    public var refundedAt: Double?

    public init(
        chargeId: String, userId: Int64, chatId: Int64, item: String, amount: Int, currency: String,
        providerChargeId: String?, expiresAt: Double?, paidAt: Double, refundedAt: Double? = nil
    ) {
        self.chargeId = chargeId
        self.userId = userId
        self.chatId = chatId
        self.item = item
        self.amount = amount
        self.currency = currency
        self.providerChargeId = providerChargeId
        self.expiresAt = expiresAt
        self.paidAt = paidAt
        self.refundedAt = refundedAt
    }
}

/// A refund a creator or admin asked for in the manager bot (`key` makes a repeat harmless).
public struct RefundRequestRow: Sendable, Equatable {
    public var key: String
    public var paymentId: Int64
    public var requesterId: Int64
    public var requestedAt: Double

    public init(key: String, paymentId: Int64, requesterId: Int64, requestedAt: Double) {
        self.key = key
        self.paymentId = paymentId
        self.requesterId = requesterId
        self.requestedAt = requestedAt
    }
}
