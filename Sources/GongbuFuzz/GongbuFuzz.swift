import Foundation
import FuzzTargets

// `gongbu-fuzz`: the fuzz targets of FuzzTargets, one per run, chosen by GONGBU_FUZZ_TARGET.
//
// Built with `-sanitize=fuzzer,address -DFUZZING`, libFuzzer owns `main` and calls
// `LLVMFuzzerTestOneInput` (see the README's Reliability section). Built normally, it replays
// files: `gongbu-fuzz TARGET FILE...` runs each file through the target once.

#if FUZZING
/// The target of this fuzzing run, read once from the environment.
let selectedTarget: FuzzTarget = {
    let name = ProcessInfo.processInfo.environment["GONGBU_FUZZ_TARGET"] ?? ""
    guard let target = FuzzTarget(rawValue: name) else {
        fatalError("set GONGBU_FUZZ_TARGET to one of: \(FuzzTarget.allCases.map(\.rawValue).joined(separator: ", "))")
    }
    return target
}()

/// libFuzzer's driver (SwiftPM gives an executable its own entry point, so libFuzzer's `main`
/// is not used: this one hands the arguments to the driver with the target as its callback).
@_silgen_name("LLVMFuzzerRunDriver")
func runFuzzerDriver(
    _ argc: UnsafeMutablePointer<CInt>,
    _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>>,
    _ callback: @convention(c) (UnsafePointer<UInt8>?, Int) -> CInt
) -> CInt

/// libFuzzer's own entry for one input (its runtime refers to it, though the driver above is
/// handed the same function).
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    selectedTarget.run(UnsafeRawBufferPointer(start: data, count: size))
    return 0
}

@main
struct GongbuFuzz {
    static func main() {
        _ = selectedTarget
        var argc = CommandLine.argc
        var argv = CommandLine.unsafeArgv
        let status = runFuzzerDriver(&argc, &argv) { data, size in
            selectedTarget.run(UnsafeRawBufferPointer(start: data, count: size))
            return 0
        }
        exit(status)
    }
}
#else
/// Replays inputs through a target without libFuzzer (the crash files a fuzzing run leaves).
@main
struct GongbuFuzz {
    static func main() {
        let arguments = CommandLine.arguments.dropFirst()
        guard let name = arguments.first, let target = FuzzTarget(rawValue: name) else {
            FileHandle.standardError.write(Data("usage: gongbu-fuzz TARGET FILE... (targets: \(FuzzTarget.allCases.map(\.rawValue).joined(separator: ", ")))\n".utf8))
            exit(2)
        }
        for path in arguments.dropFirst() {
            guard let data = FileManager.default.contents(atPath: path) else {
                FileHandle.standardError.write(Data("cannot read \(path)\n".utf8))
                exit(1)
            }
            data.withUnsafeBytes { target.run($0) }
        }
        print("\(arguments.count - 1) inputs through \(name): no crash")
    }
}
#endif
