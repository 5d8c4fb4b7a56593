/// The school's bots.yaml, read once by the CLI and passed down as a value:
/// where Telegram is, where data lives, the manager bot, payments and the course bots.
///
/// Paths are already resolved against the folder of bots.yaml; `${VAR}` already replaced.
public struct BotsConfig: Sendable, Equatable {
    /// The Bot API server and how bots poll it.
    public struct Telegram: Sendable, Equatable {
        /// Base URL without a trailing slash; requests go to `{apiURL}/bot{token}/{method}`.
        public var apiURL: String
        /// getUpdates long-poll timeout, seconds.
        public var pollTimeout: Int

        public init(apiURL: String = BotsConfig.defaultAPIURL, pollTimeout: Int = 50) {
            self.apiURL = apiURL
            self.pollTimeout = pollTimeout
        }
    }

    /// Where /healthz, /metrics, the REST API and the Mini App listen.
    public struct HTTP: Sendable, Equatable {
        /// `host:port` as written.
        public var listen: String
        public var host: String
        public var port: Int
        /// `https://...` where users reach this listener (no trailing `/`): the manager bot's
        /// menu button and `/courses` cards open the Mini App at `<public_url>/app`.
        public var publicURL: String?

        public init(listen: String, host: String, port: Int, publicURL: String? = nil) {
            self.listen = listen
            self.host = host
            self.port = port
            self.publicURL = publicURL
        }
    }

    /// Who may create courses in the manager bot.
    public enum CreatorsPolicy: String, Sendable, Equatable, CaseIterable {
        /// Anyone may create courses.
        case open
        /// Admins approve new creators.
        case invite
    }

    /// The manager bot, where creators build and run courses.
    public struct Manager: Sendable, Equatable {
        public var token: String
        /// Telegram user ids of platform admins.
        public var admins: [Int64]
        public var creators: CreatorsPolicy

        public init(token: String, admins: [Int64] = [], creators: CreatorsPolicy = .open) {
            self.token = token
            self.admins = admins
            self.creators = creators
        }
    }

    /// How courses are paid for.
    public struct Payments: Sendable, Equatable {
        /// Empty: Telegram Stars.
        public var providerToken: String
        public var termsURL: String?
        /// `XTR` (Stars) when there is no provider token.
        public var currency: String
        /// The platform's share of each payment, percent.
        public var commissionPercent: Int

        public init(providerToken: String = "", termsURL: String? = nil, currency: String = "XTR", commissionPercent: Int = 0) {
            self.providerToken = providerToken
            self.termsURL = termsURL
            self.currency = currency
            self.commissionPercent = commissionPercent
        }

        public var usesStars: Bool { providerToken.isEmpty }
    }

    /// One course bot: a token and the course folder it teaches.
    public struct Bot: Sendable, Equatable {
        public var token: String
        /// Absolute path of the course folder (holding course.yaml).
        public var course: String
        /// The folder as written in bots.yaml, for messages.
        public var coursePath: String
        /// Where `course:` is written in bots.yaml (1-based), for messages about the course folder.
        public var line: Int
        public var column: Int

        public init(token: String, course: String, coursePath: String, line: Int = 0, column: Int = 0) {
            self.token = token
            self.course = course
            self.coursePath = coursePath
            self.line = line
            self.column = column
        }

        /// `course.yaml` inside the folder as written, the FILE of its diagnostics.
        public var courseFileDisplayPath: String {
            CourseManifest.manifestDisplayPath(forFolder: coursePath)
        }
    }

    public static let defaultAPIURL = "https://api.telegram.org"
    /// Environment variable that beats `telegram.api_url`.
    public static let apiURLOverrideVariable = "GONGBU_TELEGRAM_API_URL"

    public var telegram: Telegram
    /// Absolute path of the data folder.
    public var dataDir: String
    public var http: HTTP?
    public var manager: Manager?
    public var payments: Payments
    public var bots: [Bot]
    /// Absolute path of the folder holding bots.yaml; relative paths were resolved against it.
    public var baseDirectory: String

    public init(
        telegram: Telegram = Telegram(), dataDir: String, http: HTTP? = nil, manager: Manager? = nil,
        payments: Payments = Payments(), bots: [Bot] = [], baseDirectory: String
    ) {
        self.telegram = telegram
        self.dataDir = dataDir
        self.http = http
        self.manager = manager
        self.payments = payments
        self.bots = bots
        self.baseDirectory = baseDirectory
    }
}
