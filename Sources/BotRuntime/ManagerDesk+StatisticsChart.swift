import Charts
import Foundation
import Storage
import TelegramBotAPI
import TelegramClient

/// The completion funnel as a PNG photo beside the statistics message (contract §5): drawn by
/// `FunnelChart` in pure Swift, written to `data/charts/` and uploaded by the manager bot's
/// outbox sender with sendPhoto as multipart bytes; the step titles are in the caption, the
/// chart carries the numbers.
extension ManagerDesk {
    func sendFunnelChart(_ entry: ManagedCourse, chatId: Int64, locale: String) async {
        do {
            let course = entry.course
            let activity = try await entry.store.activity(since: now() - Self.activeWindow)
            let chart = FunnelChart(
                title: "Funnel: \(course.slug)", students: activity.students,
                doneBySteps: course.steps.map { activity.doneByStep[$0.id] ?? 0 })
            let caption = Self.chartCaption(
                title: escaped("chart.caption_title", locale, ["course": course.title]),
                lines: course.steps.enumerated().map { escaped("chart.caption_step", locale, ["n": String($0.offset + 1), "step": $0.element.title ?? $0.element.id]) })
            // Written next to the platform database and sent from the outbox as a multipart upload.
            let folder = ((platform.path as NSString).deletingLastPathComponent as NSString).appendingPathComponent("charts")
            try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
            let path = (folder as NSString).appendingPathComponent("funnel-\(course.slug)-\(UUID().uuidString.prefix(8)).png")
            try chart.png().write(to: URL(fileURLWithPath: path))
            let body: [String: Any] = ["chat_id": chatId, "caption": caption, "parse_mode": "HTML"]
            let json = try JSONSerialization.data(withJSONObject: body, options: [.sortedKeys])
            outbox.add(NewOutboxRow(chatId: chatId, method: "sendPhoto", payload: json, mediaPath: path, mediaField: "photo"))
        } catch {
            logger.warning("could not send the statistics chart", metadata: ["course": "\(entry.course.slug)", "error": "\(redactTokens(String(describing: error)))"])
        }
    }

    /// The caption's title line and as many step lines as fit Telegram's 1,024 characters.
    static func chartCaption(title: String, lines: [String]) -> String {
        var caption = "<b>\(title)</b>"
        var visible = title.count
        for (index, line) in lines.enumerated() {
            let rest = lines.count - index - 1
            // Room for "…" when later steps do not fit.
            if visible + 1 + line.count > 1_024 - (rest > 0 ? 2 : 0) {
                caption += "\n…"
                break
            }
            caption += "\n" + line
            visible += 1 + line.count
        }
        return caption
    }
}
