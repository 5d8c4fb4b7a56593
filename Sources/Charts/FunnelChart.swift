import Foundation

/// A course's completion funnel as a horizontal bar chart (contract §5: statistics "as a PNG
/// chart"): one bar for the students enrolled, then one per step for the students who have done
/// it, each labelled with its number and count; bar lengths are proportional to the counts.
/// Step titles go in the photo's caption (the built-in font draws only ASCII). The one public
/// type of `Charts`: the manager bot builds it from the course database and sends `png()`.
public struct FunnelChart: Sendable {
    /// One bar: a short label drawn left of it ("ALL", "1", "2", …) and its count.
    package struct Bar: Sendable, Equatable {
        package var label: String
        package var count: Int

        package init(label: String, count: Int) {
            self.label = label
            self.count = count
        }
    }

    /// Where a bar sits in the image (its full length is `maxLength` pixels).
    package struct Slot: Sendable, Equatable {
        package var x: Int
        package var y: Int
        package var length: Int
        package var height: Int
    }

    package enum Color: UInt8, CaseIterable {
        case background = 0, ink, bar, track, muted
    }

    package static let palette: [RGB] = [
        RGB(255, 255, 255), RGB(33, 37, 41), RGB(44, 123, 229), RGB(228, 232, 238), RGB(120, 128, 140),
    ]

    package static let width = 640
    static let padding = 16
    static let scale = 2
    static let rowHeight = 28
    static let barHeight = 20
    static let titleHeight = BitmapFont.glyphHeight * scale
    static let maxBars = 300

    package var title: String
    package var bars: [Bar]
    /// The count a full-length bar stands for (the students enrolled, or the largest count).
    package var total: Int

    package init(title: String, bars: [Bar], total: Int? = nil) {
        self.title = title
        self.bars = Array(bars.prefix(Self.maxBars))
        self.total = max(1, total ?? 0, self.bars.map(\.count).max() ?? 0)
    }

    /// The enrolled students, then each step's done count, labelled by step number.
    public init(title: String, students: Int, doneBySteps: [Int]) {
        let bars = [Bar(label: "ALL", count: students)] + doneBySteps.enumerated().map { Bar(label: String($0.offset + 1), count: $0.element) }
        self.init(title: title, bars: bars, total: students)
    }

    var labelWidth: Int { max(3, bars.map(\.label.count).max() ?? 0) * BitmapFont.advance * Self.scale }
    static let countWidth = 10 * BitmapFont.advance * scale
    var barX: Int { Self.padding + labelWidth + 8 }
    /// Pixels of a bar whose count equals `total`.
    package var maxLength: Int { Self.width - barX - Self.countWidth - Self.padding }
    var top: Int { Self.padding + Self.titleHeight + Self.padding }
    package var height: Int { top + bars.count * Self.rowHeight + Self.padding }

    /// The length in pixels of a bar of `count`: proportional, and at least 1 for a count > 0.
    package func length(of count: Int) -> Int {
        guard count > 0 else { return 0 }
        return max(1, Int((Double(min(count, total)) / Double(total) * Double(maxLength)).rounded()))
    }

    package func slot(_ index: Int) -> Slot {
        Slot(x: barX, y: top + index * Self.rowHeight, length: length(of: bars[index].count), height: Self.barHeight)
    }

    package func render() -> Raster {
        var image = Raster(width: Self.width, height: height, background: Color.background.rawValue)
        image.draw(String(title.prefix(48)), x: Self.padding, y: Self.padding, scale: Self.scale, color: Color.ink.rawValue)
        let textOffset = (Self.barHeight - BitmapFont.glyphHeight * Self.scale) / 2
        for (index, bar) in bars.enumerated() {
            let slot = slot(index)
            let labelX = barX - 8 - Raster.textWidth(bar.label, scale: Self.scale)
            image.draw(bar.label, x: labelX, y: slot.y + textOffset, scale: Self.scale, color: Color.ink.rawValue)
            image.fill(x: slot.x, y: slot.y, width: maxLength, height: slot.height, color: Color.track.rawValue)
            image.fill(x: slot.x, y: slot.y, width: slot.length, height: slot.height, color: Color.bar.rawValue)
            let percent = Int((Double(bar.count) / Double(total) * 100).rounded())
            let countX = image.draw(String(bar.count), x: slot.x + maxLength + 8, y: slot.y + textOffset, scale: Self.scale, color: Color.ink.rawValue)
            if index > 0 || bar.count != total {
                image.draw(" \(percent)%", x: countX, y: slot.y + textOffset, scale: Self.scale, color: Color.muted.rawValue)
            }
        }
        return image
    }

    /// The chart as a PNG file.
    public func png() throws -> Data {
        try PNGEncoder.encode(render(), palette: Self.palette)
    }
}
