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
        defer {
            if !stopped { _ = demo.interrupt() }
            try? FileManager.default.removeItem(at: demo.temporaryRoot)
        }
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
    }

    @Test("the Pay button of the paid step's invoice pays it in the emulator and the step opens; a second student gets a pane of their own")
    func payAndSecondStudent() async throws {
        let demo = try RunningDemo.start()
        var stopped = false
        defer {
            if !stopped { _ = demo.interrupt() }
            try? FileManager.default.removeItem(at: demo.temporaryRoot)
        }
        try await Browser.run(name: "playground-pay") { browser in
            try await browser.navigate(to: demo.base + "/playground")
            try await browser.waitFor("#pane-student .startbar button.start").click()
            try await browser.waitFor("#pane-student .ikb", containing: "Start", timeout: .seconds(30)).click()
            for step in 2...5 {
                // The newest message's Next: each step's message is drawn below the last.
                let next = try await browser.waitFor("the Next button of step \(step - 1)", timeout: .seconds(30)) { () -> BrowserElement? in
                    guard try await browser.findAll("#pane-student .msg").last?.text().contains("Step \(step - 1)/10") == true else { return nil }
                    return try await Self.last(browser, "#pane-student .ikb", containing: "Next")
                }
                try await next.click()
                _ = try await browser.waitFor("#pane-student .msg", containing: "Step \(step)/10", timeout: .seconds(30))
            }
            let next = try await browser.waitFor("the Next button of step 5") { () -> BrowserElement? in
                try await Self.last(browser, "#pane-student .ikb", containing: "Next")
            }
            try await next.click()
            try await browser.waitFor("#pane-student .ikb", containing: "Buy · 5", timeout: .seconds(30)).click()
            _ = try await browser.waitFor("#pane-student .invoice", containing: "⭐ 5", timeout: .seconds(30))
            try await browser.waitFor("#pane-student .ikb.pay").click()
            _ = try await browser.waitFor("#pane-student .msg.out", containing: "You paid 5 ⭐", timeout: .seconds(30))
            // The step itself, once bought: the PDF with its caption (the locked card said only its title).
            let sheet = try await browser.waitFor("#pane-student .msg", containing: "Everything so far on one page", timeout: .seconds(30))
            #expect(try await sheet.text().contains("Step 6/10 · Cheat sheet"))
            #expect(try await sheet.find(".doc a").text().hasSuffix(".pdf"))
            try await browser.screenshot("playground-paid")

            try await browser.find("#toggle-third").click()
            _ = try await browser.waitFor("#pane-third .pane-head", containing: "Grace", timeout: .seconds(30))
            try await browser.waitFor("#pane-third .startbar button.start").click()
            _ = try await browser.waitFor("#pane-third .msg", containing: "Swift Basics", timeout: .seconds(30))
            #expect(try await Self.last(browser, "#pane-third .msg", containing: "Cheat sheet") == nil)
            try await browser.screenshot("playground-second-student")
        }
        let (status, stderr) = demo.interrupt()
        stopped = true
        #expect(status == 0, "\(stderr)")
    }

    /// The last element matching `css` whose text contains `text`.
    static func last(_ browser: BrowserSession, _ css: String, containing text: String) async throws -> BrowserElement? {
        for element in try await browser.findAll(css).reversed() where try await element.text().contains(text) {
            return element
        }
        return nil
    }
}
