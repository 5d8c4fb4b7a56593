/// The progress line's bar (`▰▰▰▱▱▱▱▱▱▱` for 3 of 10), the same wherever progress is shown.
public enum ProgressBar {
    /// A bar of `width` cells with `done/total` of them filled (rounded down, but at least one cell
    /// once anything is done and all cells only when everything is).
    public static func bar(done: Int, total: Int, width: Int = 10) -> String {
        let width = max(1, width)
        guard total > 0 else { return String(repeating: "▱", count: width) }
        let done = min(max(0, done), total)
        var filled = done * width / total
        if done > 0 { filled = max(filled, 1) }
        if done < total { filled = min(filled, width - 1) }
        return String(repeating: "▰", count: filled) + String(repeating: "▱", count: width - filled)
    }
}
