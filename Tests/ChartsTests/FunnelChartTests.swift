@testable import Charts
import Testing

/// The statistics chart's pure parts: the PNG framing around compress-nio's zlib stream (checked
/// by an independent decoder), the bitmap font, and the funnel's geometry.
@Suite("Funnel chart PNG")
struct FunnelChartTests {
    @Test("CRC-32 gives the published check value; the test decoder's checksums agree")
    func checksums() {
        #expect(CRC32.checksum(Array("123456789".utf8)) == 0xCBF4_3926)
        #expect(PNGFile.adler32(Array("Wikipedia".utf8)) == 0x11E6_0398)
        let long = (0..<100_000).map { UInt8(truncatingIfNeeded: $0 &* 7) }
        #expect(CRC32.checksum(long) == PNGFile.crc32(long))
    }

    @Test("signature, IHDR, PLTE, valid CRCs, and IDAT inflates back to the pixels", arguments: [1, 40, 200])
    func roundTrip(rows: Int) throws {
        var raster = Raster(width: 400, height: rows)
        raster.fill(x: 10, y: 0, width: 100, height: rows, color: 2)
        // Pseudo-random pixels too, so the stream holds literals and far matches, not just runs.
        var seed: UInt32 = 12_345
        for x in 200..<260 {
            for y in 0..<rows {
                seed = seed &* 1_103_515_245 &+ 12_345
                raster[x, y] = UInt8((seed >> 16) % 5)
            }
        }
        raster[399, rows - 1] = 4
        let bytes = [UInt8](try PNGEncoder.encode(raster, palette: FunnelChart.palette))
        #expect(Array(bytes[0..<8]) == [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A])
        let png = try PNGFile(bytes)
        #expect(png.chunks.map(\.type) == ["IHDR", "PLTE", "IDAT", "IEND"])
        #expect(png.width == 400 && png.height == rows && png.bitDepth == 8 && png.colorType == 3)
        #expect(png.chunks[1].data.count == 3 * FunnelChart.palette.count)
        #expect(png.chunks[0].data[10...] == [0, 0, 0])
        #expect(try png.pixels().bytes == raster.pixels)
        // zlib writes dynamic-Huffman blocks here, so the independent inflater's hardest path is used.
        #expect(try PNGFile.blockTypes(ofZlib: png.idat).contains(2))
    }

    @Test("the chart is deflated with Huffman blocks, far smaller than its raw scanlines, and decodes")
    func compressed() throws {
        let chart = FunnelChart(title: "Funnel: demo-course", students: 500, doneBySteps: [480, 350, 120, 0, 7])
        let raster = chart.render()
        let png = try PNGFile([UInt8](try chart.png()))
        #expect(try png.pixels().bytes == raster.pixels)
        #expect(png.idat.count * 10 < (raster.width + 1) * raster.height)
        let blocks = try PNGFile.blockTypes(ofZlib: png.idat)
        #expect(!blocks.isEmpty && !blocks.contains(0))
        // Any bytes survive the zlib round trip, the empty input too.
        let data: [UInt8] = [1, 2, 2, 2, 2] + Array(repeating: 9, count: 1_000) + [3] + Array(repeating: 0, count: 259) + [7, 7, 7]
        #expect(try PNGFile.inflateZlib(PNGEncoder.zlib(data)) == data)
        #expect(try PNGFile.inflateZlib(PNGEncoder.zlib([])).isEmpty)
    }

    @Test("a bar's length in pixels is proportional to its count")
    func proportional() throws {
        let chart = FunnelChart(title: "t", students: 400, doneBySteps: [400, 200, 100, 1, 0])
        let pixels = try PNGFile([UInt8](try chart.png())).pixels()
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
}
