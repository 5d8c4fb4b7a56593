@testable import BotRuntime
import Testing

/// The statistics chart's pure parts: the hand-written PNG/zlib encoder (checked by an
/// independent decoder), the bitmap font, and the funnel's geometry.
@Suite("Funnel chart PNG")
struct FunnelChartTests {
    @Test("CRC-32 and Adler-32 give the published check values")
    func checksums() {
        #expect(CRC32.checksum(Array("123456789".utf8)) == 0xCBF4_3926)
        #expect(Adler32.checksum(Array("Wikipedia".utf8)) == 0x11E6_0398)
        let long = (0..<100_000).map { UInt8(truncatingIfNeeded: $0 &* 7) }
        #expect(CRC32.checksum(long) == PNGFile.crc32(long))
        #expect(Adler32.checksum(long) == PNGFile.adler32(long))
    }

    @Test("stored blocks: signature, IHDR, valid CRCs, and IDAT inflates back to the scanlines", arguments: [1, 40, 200])
    func stored(rows: Int) throws {
        var raster = Raster(width: 400, height: rows)
        raster.fill(x: 10, y: 0, width: 100, height: rows, color: 2)
        raster[399, rows - 1] = 4
        let bytes = [UInt8](PNGEncoder.encode(raster, palette: FunnelChart.palette, compression: .stored))
        #expect(Array(bytes[0..<8]) == [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A])
        let png = try PNGFile(bytes)
        #expect(png.chunks.map(\.type) == ["IHDR", "PLTE", "IDAT", "IEND"])
        #expect(png.width == 400 && png.height == rows && png.bitDepth == 8 && png.colorType == 3)
        #expect(png.chunks[1].data.count == 3 * FunnelChart.palette.count)
        let pixels = try png.pixels()
        #expect(pixels.bytes == raster.pixels)
        // 200 rows of 401 bytes need two stored blocks of at most 65,535 bytes.
        #expect(png.idat.count == 2 + (rows * 401) + 5 * ((rows * 401 + 65_534) / 65_535) + 4)
    }

    @Test("run-length deflate inflates back to the same pixels and is far smaller")
    func runs() throws {
        let chart = FunnelChart(title: "Funnel: demo-course", students: 500, doneBySteps: [480, 350, 120, 0, 7])
        let raster = chart.render()
        let compressed = [UInt8](chart.png())
        let stored = PNGEncoder.encode(raster, palette: FunnelChart.palette, compression: .stored)
        let png = try PNGFile(compressed)
        #expect(try png.pixels().bytes == raster.pixels)
        #expect(compressed.count * 10 < stored.count)
        // Long runs and single bytes alike survive the round trip.
        let data: [UInt8] = [1, 2, 2, 2, 2] + Array(repeating: 9, count: 1_000) + [3] + Array(repeating: 0, count: 259) + [7, 7, 7]
        var reader = PNGFile.BitReader(bytes: PNGEncoder.zlib(data, compression: .runs), position: 16)
        #expect(try PNGFile.inflate(&reader) == data)
        #expect(try PNGFile.inflateZlib(PNGEncoder.zlib([], compression: .runs)).isEmpty)
        #expect(try PNGFile.inflateZlib(PNGEncoder.zlib([], compression: .stored)).isEmpty)
    }

    @Test("a bar's length in pixels is proportional to its count")
    func proportional() throws {
        let chart = FunnelChart(title: "t", students: 400, doneBySteps: [400, 200, 100, 1, 0])
        let pixels = try PNGFile([UInt8](chart.png())).pixels()
        let bar = FunnelChart.Color.bar.rawValue
        var lengths: [Int] = []
        for index in chart.bars.indices {
            let slot = chart.slot(index)
            let row = pixels.row(slot.y + slot.height / 2)
            lengths.append(row.filter { $0 == bar }.count)
            // The bar starts at the same x for every row and is one solid run.
            if let first = row.firstIndex(of: bar) {
                #expect(first - row.startIndex == slot.x)
                #expect(row[first..<(first + lengths[index])].allSatisfy { $0 == bar })
            }
        }
        let full = chart.maxLength
        #expect(lengths == [full, full, full / 2, full / 4, 1, 0])
        #expect(full > 300)
    }

    @Test("the font has a distinct glyph for every digit and letter; labels are drawn")
    func font() {
        let characters = Array("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ")
        let glyphs = characters.map(BitmapFont.glyph)
        #expect(glyphs.allSatisfy { $0.count == BitmapFont.glyphHeight && $0.allSatisfy { $0 < 32 } })
        #expect(Set(glyphs.map { $0.map(String.init).joined(separator: ",") }).count == characters.count)
        #expect(BitmapFont.glyph("a") == BitmapFont.glyph("A"))
        #expect(!BitmapFont.hasGlyph("Ж") && BitmapFont.glyph("Ж") == BitmapFont.glyph("\u{FFFD}"))
        var raster = Raster(width: 40, height: 20)
        let end = raster.draw("17", x: 2, y: 2, scale: 2, color: 1)
        #expect(end == 2 + 2 * BitmapFont.advance * 2)
        #expect(raster.pixels.filter { $0 == 1 }.count == (glyphs[1] + glyphs[7]).map { $0.nonzeroBitCount }.reduce(0, +) * 4)
    }

    @Test("the caption keeps within Telegram's 1,024 characters")
    func caption() {
        let lines = (1...200).map { "\($0). A step with a rather long title number \($0)" }
        let caption = ManagerDesk.chartCaption(title: "Funnel", lines: lines)
        #expect(caption.count <= 1_024 + "<b></b>".count)
        #expect(caption.hasSuffix("\n…") && caption.contains("1. A step"))
        #expect(ManagerDesk.chartCaption(title: "Funnel", lines: ["1. Intro"]) == "<b>Funnel</b>\n1. Intro")
    }
}
