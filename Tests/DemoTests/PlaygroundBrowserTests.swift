import BrowserTesting
import Foundation
import Testing

/// The playground page in headless Chromium, against a real `gongbu demo`: the student pane
/// starts the course bot and walks a step with the inline buttons, live through the event stream.
@Suite("playground in a browser", .serialized)
struct PlaygroundBrowserTests {
    @Test("START, the welcome card's Start, then Next: step 2 (a photo) appears in the student pane; the creator pane shows the manager bot and links to /app")
    func startAndNext() async throws {
        let demo = try RunningDemo.start()
        var stopped = false
        defer { if !stopped { _ = demo.interrupt() } }
        try await Browser.run(name: "playground") { browser in
            try await browser.navigate(to: demo.base + "/playground")
            #expect(try await browser.title() == "Gongbu playground")
            // The creator opened the manager bot at start: its welcome is in the creator pane.
            _ = try await browser.waitFor("#pane-creator .msg", containing: "Gongbu manager", timeout: .seconds(30))
            let appLink = try await browser.find("#pane-creator a.app")
            #expect(try await appLink.attribute("href")?.contains("/app#tgWebAppData=") == true)

            try await browser.waitFor("#pane-student .startbar button.start").click()
            try await browser.waitFor("#pane-student .ikb", containing: "Start", timeout: .seconds(30)).click()
            _ = try await browser.waitFor("#pane-student .msg", containing: "Step 1/10 · Welcome", timeout: .seconds(30))
            try await browser.waitFor("#pane-student .ikb", containing: "Next").click()
            let step = try await browser.waitFor("#pane-student .msg", containing: "Step 2/10 · Meet Swift", timeout: .seconds(30))
            // The photo is drawn from the emulator's file and has loaded.
            let image = try await step.find("img")
            try await browser.waitUntil("the step's photo to load") {
                try await image.property("naturalWidth").intValue ?? 0 > 0
            }
            // Bold text of the first step is rendered from its entities.
            #expect(try await browser.find("#pane-student .msg b").text() == "Swift Basics")
            let shot = try await browser.screenshot("playground-step")
            #expect(FileManager.default.fileExists(atPath: shot.path))
        }
        let (status, stderr) = demo.interrupt()
        stopped = true
        #expect(status == 0, "\(stderr)")
        try? FileManager.default.removeItem(at: demo.temporaryRoot)
    }
}
