import Foundation
import Glibc

/// A child process started with `posix_spawn`, its standard streams on close-on-exec pipes.
///
/// Why not Foundation's `Process`: on Linux (swift-corelibs-foundation up to 6.3.1) `Process.run()`
/// scans `/proc/self/fd` with a 256-byte over-read and crashes now and then when tests spawn
/// children while other threads open files (swiftlang/swift-corelibs-foundation#5472). Tests and
/// the benchmark start `gongbu` through this instead.
public final class SpawnedProcess: @unchecked Sendable {
    // @unchecked: `pid` and the fds are set once in init; the collected output is guarded by `lock`;
    // `status` is written under `lock` by the one waiter.
    public let pid: pid_t
    private var stdinFD: Int32?
    private let stdoutFD: Int32
    private let stderrFD: Int32
    private let lock = NSLock()
    private var collected: (out: Data, err: Data) = (Data(), Data())
    private var readersDone = DispatchGroup()
    private var exitStatus: Int32?

    /// The error of a spawn that could not start.
    public struct SpawnError: Error, CustomStringConvertible {
        public var description: String
    }

    /// Starts `executable` with `arguments` (not including argv[0]) and exactly `environment`.
    /// With `collectOutput`, stdout and stderr are read into memory as they arrive (so a chatty
    /// child never blocks); without it, stdout is left for `readLine()`.
    public init(
        executable: String, arguments: [String], environment: [String: String], directory: String? = nil,
        pipeStdin: Bool = false, collectOutput: Bool = true
    ) throws {
        // Pipes are made close-on-exec and the child spawned under one lock, so no other child
        // started from here can inherit this one's pipe ends (and hold its output open).
        Self.spawnLock.lock()
        defer { Self.spawnLock.unlock() }
        func makePipe() throws -> (read: Int32, write: Int32) {
            var fds: [Int32] = [0, 0]
            guard pipe(&fds) == 0 else { throw SpawnError(description: "pipe failed: errno \(errno)") }
            for fd in fds { _ = fcntl(fd, F_SETFD, FD_CLOEXEC) }
            return (fds[0], fds[1])
        }
        // A child that exits early must not kill this process with SIGPIPE when it writes to it.
        if pipeStdin { Glibc.signal(SIGPIPE, SIG_IGN) }
        let input = pipeStdin ? try makePipe() : nil
        let output = try makePipe()
        let errors = try makePipe()

        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        if let input { posix_spawn_file_actions_adddup2(&actions, input.read, 0) }
        posix_spawn_file_actions_adddup2(&actions, output.write, 1)
        posix_spawn_file_actions_adddup2(&actions, errors.write, 2)
        // Nothing else of this process reaches the child: an inherited socket (a test's client
        // connection, an emulator's accepted one) would stay open in it after this process closes
        // its side, so the peer would never see the connection end.
        Self.closeFrom(3, in: &actions)

        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        // The child starts with default signal handling even where the parent ignores SIGPIPE.
        var defaults = sigset_t()
        sigemptyset(&defaults)
        sigaddset(&defaults, SIGPIPE)
        posix_spawnattr_setsigdefault(&attributes, &defaults)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGDEF))

        // In another directory: through the shell's `cd` (posix_spawn_file_actions_addchdir_np is not
        // visible to Swift here).
        let program = directory == nil ? executable : "/bin/sh"
        let words = directory.map { ["/bin/sh", "-c", "cd \"$0\" && exec \"$@\"", $0, executable] + arguments } ?? [executable] + arguments
        let argv = words.map { strdup($0) } + [nil]
        let envp = environment.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer {
            argv.forEach { free($0) }
            envp.forEach { free($0) }
        }
        var child: pid_t = 0
        let result = posix_spawn(&child, program, &actions, &attributes, argv, envp)
        if let input { close(input.read) }
        close(output.write)
        close(errors.write)
        guard result == 0 else {
            if let input { close(input.write) }
            close(output.read)
            close(errors.read)
            throw SpawnError(description: "could not start \(executable): \(String(cString: strerror(result)))")
        }
        pid = child
        stdinFD = input?.write
        stdoutFD = output.read
        stderrFD = errors.read
        if collectOutput { collect(stdoutFD, intoStdout: true) }
        collect(stderrFD, intoStdout: false)
    }

    deinit {
        closeInput()
    }

    private static let spawnLock = NSLock()

    private func collect(_ fd: Int32, intoStdout: Bool) {
        readersDone.enter()
        let thread = Thread { [self] in
            var buffer = [UInt8](repeating: 0, count: 65_536)
            while true {
                let count = read(fd, &buffer, buffer.count)
                if count < 0, errno == EINTR { continue }
                guard count > 0 else { break }
                lock.lock()
                if intoStdout {
                    collected.out.append(contentsOf: buffer[0..<count])
                } else {
                    collected.err.append(contentsOf: buffer[0..<count])
                }
                lock.unlock()
            }
            close(fd)
            readersDone.leave()
        }
        thread.start()
    }

    /// Writes to the child's standard input (when it was piped); errors (a child gone) are ignored.
    public func write(_ text: String) {
        lock.lock()
        let fd = stdinFD
        lock.unlock()
        guard let stdinFD = fd else { return }
        var bytes = Array(text.utf8)
        var offset = 0
        while offset < bytes.count {
            let written = bytes.withUnsafeMutableBytes { Glibc.write(stdinFD, $0.baseAddress! + offset, $0.count - offset) }
            if written < 0, errno == EINTR { continue }
            guard written > 0 else { return }
            offset += written
        }
    }

    /// Closes the child's standard input (end of input).
    public func closeInput() {
        lock.lock()
        let fd = stdinFD
        stdinFD = nil
        lock.unlock()
        if let fd { close(fd) }
    }

    /// A line of the child's stdout (only without `collectOutput`); nil at end of output. Blocking.
    private var lineBuffer = Data()
    public func readLine() -> String? {
        while true {
            if let newline = lineBuffer.firstIndex(of: 0x0A) {
                let line = String(decoding: lineBuffer[lineBuffer.startIndex..<newline], as: UTF8.self)
                lineBuffer.removeSubrange(lineBuffer.startIndex...newline)
                return line
            }
            var buffer = [UInt8](repeating: 0, count: 4096)
            let count = read(stdoutFD, &buffer, buffer.count)
            if count < 0, errno == EINTR { continue }
            guard count > 0 else { return nil }
            lineBuffer.append(contentsOf: buffer[0..<count])
        }
    }

    public func signal(_ signal: Int32) {
        if !hasExited { kill(pid, signal) }
    }

    public func terminate() { signal(SIGTERM) }

    public func interrupt() { signal(SIGINT) }

    /// True once the child has exited (reaps it without blocking).
    public var hasExited: Bool {
        lock.lock()
        defer { lock.unlock() }
        if exitStatus != nil { return true }
        var status: Int32 = 0
        if waitpid(pid, &status, WNOHANG) == pid {
            exitStatus = Self.decode(status)
            return true
        }
        return false
    }

    /// Blocks until the child exits; its exit code (128 + n when killed by signal n).
    @discardableResult
    public func waitUntilExit() -> Int32 {
        lock.lock()
        if let exitStatus {
            lock.unlock()
            return exitStatus
        }
        lock.unlock()
        var status: Int32 = 0
        var result: pid_t
        repeat { result = waitpid(pid, &status, 0) } while result < 0 && errno == EINTR
        lock.lock()
        defer { lock.unlock() }
        if exitStatus == nil { exitStatus = result == pid ? Self.decode(status) : -1 }
        return exitStatus ?? -1
    }

    /// Waits for the child and for the last of its output without holding a thread: async tests
    /// share a pool of as many threads as cores, and a child that takes minutes (a build, a
    /// fuzzing run, a slow shutdown) must not stall every other test meanwhile.
    public func finished() async -> (status: Int32, stdout: String, stderr: String) {
        while !hasExited {
            try? await Task.sleep(for: .milliseconds(20))
        }
        return finish()
    }

    /// Waits for the child and for the last of its output (blocking the calling thread).
    public func finish() -> (status: Int32, stdout: String, stderr: String) {
        let status = waitUntilExit()
        readersDone.wait()
        return (status, stdout, stderr)
    }

    public var stdout: String {
        lock.lock()
        defer { lock.unlock() }
        return String(decoding: collected.out, as: UTF8.self)
    }

    public var stderr: String {
        lock.lock()
        defer { lock.unlock() }
        return String(decoding: collected.err, as: UTF8.self)
    }

    private static func decode(_ status: Int32) -> Int32 {
        let signal = status & 0x7f
        return signal == 0 ? (status >> 8) & 0xff : 128 + signal
    }
}

extension SpawnedProcess {
    /// glibc's `posix_spawn_file_actions_addclosefrom_np` (2.34+), looked up at run time since
    /// Swift's Glibc module does not export it; without it, every other descriptor is marked
    /// close-on-exec here instead.
    static func closeFrom(_ lowest: Int32, in actions: inout posix_spawn_file_actions_t) {
        typealias CloseFrom = @convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>, Int32) -> Int32
        if let symbol = dlsym(nil, "posix_spawn_file_actions_addclosefrom_np") {
            let closeFrom = unsafeBitCast(symbol, to: CloseFrom.self)
            if closeFrom(&actions, lowest) == 0 { return }
        }
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: "/proc/self/fd") else { return }
        for name in names {
            guard let fd = Int32(name), fd >= lowest else { continue }
            _ = fcntl(fd, F_SETFD, fcntl(fd, F_GETFD) | FD_CLOEXEC)
        }
    }
}
