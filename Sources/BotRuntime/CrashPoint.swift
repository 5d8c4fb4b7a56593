import Foundation

/// Named points where the process can be made to die at once (SIGKILL, no cleanup), for the
/// tests that prove a creator's action survives a crash at its worst moment: the process is
/// started with `GONGBU_CRASH_AT=<name>` and kills itself the first time it gets there. Nothing
/// happens without the variable.
enum CrashPoint {
    static let armed: String? = ProcessInfo.processInfo.environment["GONGBU_CRASH_AT"].flatMap { $0.isEmpty ? nil : $0 }

    static func reach(_ name: String) {
        guard let armed, armed == name else { return }
        kill(getpid(), SIGKILL)
    }
}
