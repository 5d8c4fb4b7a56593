/// A paletted image in memory (one byte per pixel: the palette index), with the few drawing
/// operations a bar chart needs: filled rectangles and text in the built-in bitmap font.
package struct Raster: Sendable, Equatable {
    package let width: Int
    package let height: Int
    package private(set) var pixels: [UInt8]

    package init(width: Int, height: Int, background: UInt8 = 0) {
        precondition(width > 0 && height > 0, "an image has at least one pixel")
        self.width = width
        self.height = height
        self.pixels = Array(repeating: background, count: width * height)
    }

    package subscript(x: Int, y: Int) -> UInt8 {
        get { pixels[y * width + x] }
        set {
            guard x >= 0, y >= 0, x < width, y < height else { return }
            pixels[y * width + x] = newValue
        }
    }

    /// Fills the rectangle, clipped to the image.
    package mutating func fill(x: Int, y: Int, width w: Int, height h: Int, color: UInt8) {
        let left = max(0, x)
        let right = min(width, x + w)
        let top = max(0, y)
        let bottom = min(height, y + h)
        guard left < right, top < bottom else { return }
        for row in top..<bottom {
            for column in left..<right { pixels[row * width + column] = color }
        }
    }

    /// Draws `text` with its top-left corner at (x, y), each font pixel a `scale`×`scale` square.
    /// Returns the x after the last character.
    @discardableResult
    package mutating func draw(_ text: String, x: Int, y: Int, scale: Int = 2, color: UInt8) -> Int {
        var cursor = x
        for character in text {
            let rows = BitmapFont.glyph(character)
            for (row, bits) in rows.enumerated() {
                for column in 0..<BitmapFont.glyphWidth where bits & (1 << (BitmapFont.glyphWidth - 1 - column)) != 0 {
                    fill(x: cursor + column * scale, y: y + row * scale, width: scale, height: scale, color: color)
                }
            }
            cursor += BitmapFont.advance * scale
        }
        return cursor
    }

    /// The width `text` takes when drawn at `scale`.
    package static func textWidth(_ text: String, scale: Int = 2) -> Int {
        text.count * BitmapFont.advance * scale
    }
}
