import BrowserTesting
import Foundation
import GongbuTesting
import Hummingbird
import Testing

extension BrowserSuite {
    /// The browser harness itself, on a small page served over loopback: every command a workspace
    /// test relies on (navigate, click, type, scripts, pointer drag, file upload, screenshot) has an
    /// effect the page records, so a command that silently did nothing fails here.
    @Suite struct BrowserHarnessTests {
        static let page = """
        <!doctype html><html><head><meta charset="utf-8"><title>Harness page</title>
        <style>
          .box { width: 120px; height: 60px; margin: 20px; background: #8cf; touch-action: none; user-select: none; }
          #target { background: #fc8; }
        </style></head><body>
        <button id="count" data-test="count">clicked 0</button>
        <input id="name" data-test="name"><p id="echo"></p>
        <div class="box" id="source">drag me</div><div class="box" id="target">drop here</div><p id="drop"></p>
        <input type="file" id="file"><p id="picked"></p>
        <script>
          let clicks = 0;
          document.getElementById('count').addEventListener('click', e => { clicks++; e.target.textContent = 'clicked ' + clicks; });
          document.getElementById('name').addEventListener('input', e => { document.getElementById('echo').textContent = 'hello ' + e.target.value; });
          let dragging = false, moves = 0;
          document.getElementById('source').addEventListener('pointerdown', () => { dragging = true; moves = 0; });
          document.addEventListener('pointermove', () => { if (dragging) moves++; });
          document.addEventListener('pointerup', e => {
            if (!dragging) return; dragging = false;
            const over = document.elementFromPoint(e.clientX, e.clientY);
            document.getElementById('drop').textContent = 'dropped on ' + (over ? over.id : 'nothing') + ' after ' + moves + ' moves';
          });
          document.getElementById('file').addEventListener('change', async e => {
            const f = e.target.files[0];
            document.getElementById('picked').textContent = f.name + ' ' + f.size + ' ' + (await f.text());
          });
        </script></body></html>
        """

        @Test func drivesAPageThroughEveryCommand() async throws {
            let router = Router()
            router.get("/page") { _, _ -> Response in
                Response(status: .ok, headers: [.contentType: "text/html; charset=utf-8"], body: .init(byteBuffer: ByteBuffer(string: Self.page)))
            }
            let upload = FileManager.default.temporaryDirectory.appendingPathComponent("harness-\(UUID().uuidString).txt")
            try Data("gongbu upload".utf8).write(to: upload)
            defer { try? FileManager.default.removeItem(at: upload) }

            try await LoopbackServer.serving(router) { server in try await Browser.run(name: "harness") { browser in
                try await browser.navigate(to: server.baseURL + "/page")
                #expect(try await browser.title() == "Harness page")

                let button = try await browser.waitFor("[data-test=count]")
                try await button.click()
                try await button.click()
                #expect(try await button.text() == "clicked 2")

                let name = try await browser.find("[data-test=name]")
                try await name.sendKeys("Ada")
                _ = try await browser.waitFor("#echo", containing: "hello Ada")
                try await name.replaceText(with: "Grace")
                #expect(try await name.property("value").stringValue == "Grace")
                #expect(try await browser.find("#echo").text() == "hello Grace")

                try await browser.drag(try await browser.find("#source"), to: try await browser.find("#target"))
                let drop = try await browser.waitFor("#drop", containing: "dropped on")
                let dropText = try await drop.text()
                #expect(dropText.hasPrefix("dropped on target after "), "\(dropText)")
                #expect((Int(dropText.split(separator: " ").dropLast().last ?? "") ?? 0) >= 2, "the drag moved in steps: \(dropText)")

                try await browser.find("#file").upload(file: upload)
                _ = try await browser.waitFor("#picked", containing: "gongbu upload")
                #expect(try await browser.find("#picked").text() == "\(upload.lastPathComponent) 13 gongbu upload")

                #expect(try await browser.execute("return arguments[0] + 1;", [41]).intValue == 42)
                let later = try await browser.executeAsync("const done = arguments[arguments.length - 1]; setTimeout(() => done('later'), 50);")
                #expect(later.stringValue == "later")
            // Nothing leaves the machine: host names do not resolve in the test browser.
            let outside = try await browser.executeAsync(
                "const done = arguments[arguments.length - 1]; fetch('https://telegram.org/js/telegram-web-app.js').then(() => done('reached'), () => done('blocked'));")
            #expect(outside.stringValue == "blocked")
                try await browser.waitForScript("document.getElementById('count').textContent === 'clicked 2'")

                let shot = try await browser.screenshot("harness-page")
                let png = try Data(contentsOf: shot)
                #expect(png.starts(with: [0x89, 0x50, 0x4E, 0x47]), "a PNG at \(shot.path)")
                #expect(png.count > 1000)

                let missing = await #expect(throws: BrowserError.self) { try await browser.find("#nothing-here") }
                #expect(missing?.code == "no such element")
                #expect(missing?.description.contains("find \"#nothing-here\"") == true)
            } }
        }

        @Test func aWaitThatTimesOutSaysWhatItWaitedFor() async throws {
            let router = Router()
            router.get("/page") { _, _ -> Response in
                Response(status: .ok, headers: [.contentType: "text/html"], body: .init(byteBuffer: ByteBuffer(string: "<p id=x>x</p>")))
            }
            try await LoopbackServer.serving(router) { server in try await Browser.run(name: "harness-timeout") { browser in
                try await browser.navigate(to: server.baseURL + "/page")
                let error = await #expect(throws: BrowserError.self) {
                    _ = try await browser.waitFor("#never", timeout: .milliseconds(500))
                }
                #expect(error?.step == "wait for \"#never\" to be displayed")
                #expect(error?.description.contains("/page") == true)
            } }
        }
    }
}
