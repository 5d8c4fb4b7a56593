import Foundation

/// Path helpers shared by bots.yaml and course.yaml: resolving relative paths and
/// keeping course media inside the course folder.
enum Paths {
    /// `path` made absolute against `base` (itself absolute), `.` and `..` folded.
    static func absolute(_ path: String, base: String) -> String {
        let joined = path.hasPrefix("/") ? path : (base.hasSuffix("/") ? base + path : base + "/" + path)
        return normalize(joined)
    }

    /// The current directory joined with `path` when relative.
    static func absolute(_ path: String) -> String {
        absolute(path, base: FileManager.default.currentDirectoryPath)
    }

    /// Folds `.` and `..` lexically (no symlink resolution), keeping a leading `/`.
    static func normalize(_ path: String) -> String {
        var parts: [Substring] = []
        for part in path.split(separator: "/", omittingEmptySubsequences: true) {
            switch part {
            case ".": continue
            case "..": if !parts.isEmpty { parts.removeLast() }
            default: parts.append(part)
            }
        }
        return (path.hasPrefix("/") ? "/" : "") + parts.joined(separator: "/")
    }

    /// Whether a relative path stays inside its folder (no leading `/`, never climbs above it with `..`).
    static func staysInside(_ relative: String) -> Bool {
        guard !relative.hasPrefix("/"), !relative.hasPrefix("~") else { return false }
        var depth = 0
        for part in relative.split(separator: "/", omittingEmptySubsequences: true) {
            switch part {
            case ".": continue
            case "..":
                depth -= 1
                if depth < 0 { return false }
            default: depth += 1
            }
        }
        return depth > 0
    }

    /// `folder` joined with `name` as a user would write it (`courses/x` + `course.yaml`).
    static func join(_ folder: String, _ name: String) -> String {
        if folder.isEmpty || folder == "." { return name }
        return folder.hasSuffix("/") ? folder + name : folder + "/" + name
    }
}
