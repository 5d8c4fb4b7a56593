import Foundation
import GongbuTesting
import Testing

/// `gongbu run` whose HTTP listener cannot bind (the port is taken) while its bots poll: the
/// service group cancels the supervisor, every worker stops and the process exits with an
/// error, instead of spinning forever and ignoring SIGTERM (as it once did).
@Suite("HTTP listener that cannot bind", .timeLimit(.minutes(2)))
struct HTTPBindFailureTests {
    /// A loopback socket listening on some port, held until closed.
    static func occupyPort() throws -> (fd: Int32, port: Int) {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length) == 0 && listen(fd, 4) == 0 && getsockname(fd, $0, &length) == 0 }
        }
        try #require(bound)
        return (fd, Int(UInt16(bigEndian: address.sin_port)))
    }

    @Test("the port is taken: gongbu run stops its polling bots and exits 1")
    func portTaken() async throws {
        let emulator = BotAPIEmulator()
        try await emulator.start()
        _ = emulator.addBot(token: "3221:TEST-bind-manager", username: "bind_manager_bot")
        let course = emulator.addBot(token: "3222:TEST-bind-course", username: "bind_course_bot")
        let folder = URL(fileURLWithPath: NSTemporaryDirectory()).appendingPathComponent("gongbu-bind-" + UUID().uuidString)
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let taken = try Self.occupyPort()
        defer { close(taken.fd) }
        let config = try ManagerAndCourseConfig.write(into: folder, apiURL: emulator.baseURL, port: taken.port)
        let environment = ["COURSE": "3222:TEST-bind-course", "MANAGER": "3221:TEST-bind-manager", "GONGBU_RESOURCES": GongbuBinary.root.path]
        let running = try GongbuBinary.start(["run", "--config", config], environment: environment)
        let exited = try await eventually(timeout: .seconds(30)) { running.process.hasExited }
        if !exited { running.process.signal(SIGKILL) }
        let output = await running.wait()
        #expect(exited, "gongbu run went on after its listener failed: \(output.stderr.suffix(2000))")
        #expect(output.status == 1, "exit \(output.status): \(output.stderr.suffix(2000))")
        _ = course
        #expect(!output.stderr.contains("TEST-bind"))
        await emulator.stop()
    }
}
