@testable import BotRuntime
import Testing

/// The statistics photo's caption: the step titles the chart's ASCII font cannot draw.
@Suite("Funnel chart caption")
struct ChartCaptionTests {
    @Test("the caption keeps within Telegram's 1,024 characters")
    func caption() {
        let lines = (1...200).map { "\($0). A step with a rather long title number \($0)" }
        let caption = ManagerDesk.chartCaption(title: "Funnel", lines: lines)
        #expect(caption.count <= 1_024 + "<b></b>".count)
        #expect(caption.hasSuffix("\n…") && caption.contains("1. A step"))
        #expect(ManagerDesk.chartCaption(title: "Funnel", lines: ["1. Intro"]) == "<b>Funnel</b>\n1. Intro")
    }
}
