import Foundation

/// A minimal PNG writer for paletted images (8 bits per pixel, colour type 3), so the manager
/// bot can draw charts without a browser, an image library or a system zlib: the zlib stream is
/// written by hand, either as stored blocks or as one fixed-Huffman deflate block whose only
/// back-references repeat the previous byte (runs), which shrinks flat chart areas ~100-fold.
package enum PNGEncoder {
    /// How the image data is deflated.
    package enum Compression: Sendable {
        /// Uncompressed deflate blocks (≤ 65,535 bytes each).
        case stored
        /// One fixed-Huffman block with run-length back-references (distance 1).
        case runs
    }

    package static let signature: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]

    /// The PNG file of `raster` drawn with `palette` (at most 256 RGB colours).
    package static func encode(_ raster: Raster, palette: [RGB], compression: Compression = .runs) -> Data {
        precondition(!palette.isEmpty && palette.count <= 256, "a PNG palette holds 1...256 colours")
        var file = signature
        var header: [UInt8] = []
        header.appendBigEndian(UInt32(raster.width))
        header.appendBigEndian(UInt32(raster.height))
        header += [8, 3, 0, 0, 0]  // bit depth 8, paletted, deflate, adaptive filtering, no interlace
        file += chunk("IHDR", header)
        file += chunk("PLTE", palette.flatMap { [$0.red, $0.green, $0.blue] })
        // Every scanline starts with filter type 0 (None).
        var scanlines: [UInt8] = []
        scanlines.reserveCapacity((raster.width + 1) * raster.height)
        for y in 0..<raster.height {
            scanlines.append(0)
            scanlines += raster.pixels[(y * raster.width)..<((y + 1) * raster.width)]
        }
        file += chunk("IDAT", zlib(scanlines, compression: compression))
        file += chunk("IEND", [])
        return Data(file)
    }

    /// length, type, data, CRC-32 of type + data.
    static func chunk(_ type: String, _ data: [UInt8]) -> [UInt8] {
        var bytes: [UInt8] = []
        bytes.appendBigEndian(UInt32(data.count))
        let typed = Array(type.utf8) + data
        bytes += typed
        bytes.appendBigEndian(CRC32.checksum(typed))
        return bytes
    }

    /// A zlib stream (RFC 1950): header, deflate blocks (RFC 1951), Adler-32 of the data.
    package static func zlib(_ data: [UInt8], compression: Compression) -> [UInt8] {
        var out: [UInt8] = [0x78, 0x01]  // deflate, 32 KiB window, no dictionary; (0x78 << 8 | 0x01) % 31 == 0
        switch compression {
        case .stored: out += storedBlocks(data)
        case .runs: out += runBlock(data)
        }
        out.appendBigEndian(Adler32.checksum(data))
        return out
    }

    static func storedBlocks(_ data: [UInt8]) -> [UInt8] {
        var out: [UInt8] = []
        var start = 0
        repeat {
            let length = min(65_535, data.count - start)
            let last = start + length == data.count
            out.append(last ? 1 : 0)  // BFINAL, BTYPE 00, then aligned to the byte
            out += [UInt8(length & 0xFF), UInt8(length >> 8), UInt8(~length & 0xFF), UInt8((~length >> 8) & 0xFF)]
            out += data[start..<(start + length)]
            start += length
        } while start < data.count
        return out
    }

    /// One final fixed-Huffman block: literals, and (length, distance 1) pairs for runs ≥ 4.
    static func runBlock(_ data: [UInt8]) -> [UInt8] {
        var bits = BitWriter()
        bits.write(1, count: 1)  // BFINAL
        bits.write(1, count: 2)  // BTYPE 01: fixed Huffman
        var index = 0
        while index < data.count {
            let byte = data[index]
            bits.writeLiteral(Int(byte))
            index += 1
            // Repeats of the byte just written become back-references to distance 1.
            var run = 0
            while index + run < data.count, data[index + run] == byte, run < 258 { run += 1 }
            if run >= 3 {
                bits.writeLength(run)
                bits.writeHuffman(0, length: 5)  // distance code 0: distance 1, no extra bits
                index += run
            }
        }
        bits.writeLiteral(256)  // end of block
        return bits.finish()
    }
}

/// An sRGB colour of a palette.
package struct RGB: Sendable, Equatable {
    package var red: UInt8
    package var green: UInt8
    package var blue: UInt8

    package init(_ red: UInt8, _ green: UInt8, _ blue: UInt8) {
        self.red = red
        self.green = green
        self.blue = blue
    }
}

/// Deflate's bit order: values LSB first, Huffman codes MSB first (RFC 1951 §3.1.1).
struct BitWriter {
    private(set) var bytes: [UInt8] = []
    private var current: UInt32 = 0
    private var filled = 0

    mutating func write(_ value: Int, count: Int) {
        for bit in 0..<count {
            current |= UInt32((value >> bit) & 1) << filled
            filled += 1
            if filled == 8 {
                bytes.append(UInt8(current))
                current = 0
                filled = 0
            }
        }
    }

    mutating func writeHuffman(_ code: Int, length: Int) {
        for bit in stride(from: length - 1, through: 0, by: -1) { write((code >> bit) & 1, count: 1) }
    }

    /// A literal/length symbol with the fixed code of RFC 1951 §3.2.6.
    mutating func writeLiteral(_ symbol: Int) {
        switch symbol {
        case 0...143: writeHuffman(0x30 + symbol, length: 8)
        case 144...255: writeHuffman(0x190 + symbol - 144, length: 9)
        case 256...279: writeHuffman(symbol - 256, length: 7)
        default: writeHuffman(0xC0 + symbol - 280, length: 8)
        }
    }

    /// A match length 3...258 as its symbol (257...285) and extra bits.
    mutating func writeLength(_ length: Int) {
        let (symbol, base, extra) = Self.lengthCode(length)
        writeLiteral(symbol)
        if extra > 0 { write(length - base, count: extra) }
    }

    static let lengthBases = [3, 4, 5, 6, 7, 8, 9, 10, 11, 13, 15, 17, 19, 23, 27, 31, 35, 43, 51, 59, 67, 83, 99, 115, 131, 163, 195, 227, 258]
    static let lengthExtra = [0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3, 4, 4, 4, 4, 5, 5, 5, 5, 0]

    static func lengthCode(_ length: Int) -> (symbol: Int, base: Int, extra: Int) {
        var index = lengthBases.count - 1
        while lengthBases[index] > length { index -= 1 }
        return (257 + index, lengthBases[index], lengthExtra[index])
    }

    mutating func finish() -> [UInt8] {
        if filled > 0 {
            bytes.append(UInt8(current))
            current = 0
            filled = 0
        }
        return bytes
    }
}

/// CRC-32 (ISO 3309, polynomial 0xEDB88320), as PNG chunks carry it.
package enum CRC32 {
    static let table: [UInt32] = (0..<256).map { index in
        var value = UInt32(index)
        for _ in 0..<8 { value = value & 1 == 1 ? 0xEDB8_8320 ^ (value >> 1) : value >> 1 }
        return value
    }

    package static func checksum(_ bytes: some Sequence<UInt8>) -> UInt32 {
        var crc: UInt32 = 0xFFFF_FFFF
        for byte in bytes { crc = table[Int((crc ^ UInt32(byte)) & 0xFF)] ^ (crc >> 8) }
        return crc ^ 0xFFFF_FFFF
    }
}

/// Adler-32 (RFC 1950), the checksum that ends a zlib stream.
package enum Adler32 {
    package static func checksum(_ bytes: some Sequence<UInt8>) -> UInt32 {
        var a: UInt32 = 1
        var b: UInt32 = 0
        var pending = 0
        for byte in bytes {
            a += UInt32(byte)
            b += a
            pending += 1
            // 5552 is the most bytes before b can overflow 32 bits.
            if pending == 5552 {
                a %= 65_521
                b %= 65_521
                pending = 0
            }
        }
        return (b % 65_521) << 16 | (a % 65_521)
    }
}

extension Array where Element == UInt8 {
    mutating func appendBigEndian(_ value: UInt32) {
        append(contentsOf: [UInt8(value >> 24), UInt8((value >> 16) & 0xFF), UInt8((value >> 8) & 0xFF), UInt8(value & 0xFF)])
    }
}
