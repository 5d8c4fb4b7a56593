/// The manager bot as the Mini App names it: its id, whose health entry carries the username
/// `getMe` answered (the Login Widget on `/app` is for that bot).
extension Workspace {
    public var managerBotId: Int64 { desk.managerBotId }
}
