import Foundation

/// The bots.yaml of a `gongbu run` child with the manager bot (`${MANAGER}`) and one course bot
/// (`${COURSE}`, the example course) on an emulator, with the HTTP listener on `port`: what the
/// tests that run the real binary against both bots share.
enum ManagerAndCourseConfig {
    /// Writes `bots.yaml` into `folder` and returns its path.
    static func write(into folder: URL, apiURL: String, port: Int) throws -> String {
        let file = folder.appendingPathComponent("bots.yaml")
        try """
            telegram:
              api_url: \(apiURL)
              poll_timeout: 2
            data_dir: data
            http:
              listen: 127.0.0.1:\(port)
            manager:
              token: ${MANAGER}
              creators: open
            bots:
              - token: ${COURSE}
                course: \(GongbuBinary.root.appendingPathComponent("courses/swift-basics").path)
            """.write(to: file, atomically: true, encoding: .utf8)
        return file.path
    }
}
