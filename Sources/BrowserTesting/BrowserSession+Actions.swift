import Foundation
import GongbuTesting

/// W3C Actions: real pointer input (down, moves, up) dispatched by the browser, for what a click
/// cannot do, such as drag and drop. Chromium sends pointer and mouse events for these (not HTML5
/// `dragstart`/`drop`), so a page that supports both is testable.
extension BrowserSession {
    /// Special keys for `sendKeys` (WebDriver's private-use code points).
    public enum Key {
        public static let enter = "\u{E007}"
        public static let tab = "\u{E004}"
        public static let backspace = "\u{E003}"
        public static let escape = "\u{E00C}"
    }

    /// Runs one pointer source's actions, then releases everything still pressed.
    public func performPointerActions(_ actions: [JSONValue], step: String) async throws {
        let source: JSONValue = [
            "type": "pointer", "id": "mouse", "parameters": ["pointerType": "mouse"], "actions": .array(actions),
        ]
        _ = try await client.send(.POST, path + "/actions", ["actions": [source]], step: step)
        _ = try await client.send(.DELETE, path + "/actions", step: step + " (release)")
    }

    /// Presses on the centre of `source`, moves in `steps` moves to the centre of `target`
    /// (offset by `offsetY` pixels, e.g. to drop below its middle), and releases.
    public func drag(_ source: BrowserElement, to target: BrowserElement, offsetY: Int = 0, steps: Int = 8) async throws {
        let start = try await centre(of: source)
        let end = try await centre(of: target)
        var actions: [JSONValue] = [
            ["type": "pointerMove", "duration": 0, "origin": "viewport", "x": .int(start.x), "y": .int(start.y)],
            ["type": "pointerDown", "button": 0],
            ["type": "pause", "duration": 150],
        ]
        let endY = end.y + Int64(offsetY)
        for index in 1...max(steps, 1) {
            let x = start.x + (end.x - start.x) * Int64(index) / Int64(max(steps, 1))
            let y = start.y + (endY - start.y) * Int64(index) / Int64(max(steps, 1))
            actions.append(["type": "pointerMove", "duration": 40, "origin": "viewport", "x": .int(x), "y": .int(y)])
        }
        actions.append(["type": "pause", "duration": 100])
        actions.append(["type": "pointerUp", "button": 0])
        try await performPointerActions(actions, step: "drag \(source) to \(target)")
    }

    /// The centre of an element in viewport pixels, after scrolling it into view.
    public func centre(of element: BrowserElement) async throws -> (x: Int64, y: Int64) {
        let value = try await execute(
            """
            const e = arguments[0]; e.scrollIntoView({block: 'center'});
            const r = e.getBoundingClientRect();
            return [Math.round(r.left + r.width / 2), Math.round(r.top + r.height / 2)];
            """, [element.json])
        guard let x = value[0]?.intValue, let y = value[1]?.intValue else {
            throw BrowserError(step: "locate \(element)", message: "no bounding box: \(value.serialized)")
        }
        return (x, y)
    }
}
