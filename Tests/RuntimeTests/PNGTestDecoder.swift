import CompressNIO
import NIOCore

/// Reads back the chart photos the manager bot sends, end to end: chunk framing with each CRC
/// checked, IHDR, and the pixels, with the zlib stream inflated by zlib itself (as an image
/// viewer would). The encoder's own checks, with an independent inflater, are in ChartsTests.
struct PNGFile {
    struct Invalid: Error, CustomStringConvertible {
        let description: String
        init(_ description: String) { self.description = description }
    }

    struct Chunk {
        let type: String
        let data: [UInt8]
    }

    struct Pixels {
        let width: Int
        let bytes: [UInt8]

        func row(_ y: Int) -> ArraySlice<UInt8> { bytes[(y * width)..<((y + 1) * width)] }
    }

    let chunks: [Chunk]
    let width: Int
    let height: Int
    let bitDepth: UInt8
    let colorType: UInt8

    init(_ bytes: [UInt8]) throws {
        guard bytes.count > 8, Array(bytes[0..<8]) == [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A] else { throw Invalid("no PNG signature") }
        var chunks: [Chunk] = []
        var offset = 8
        while offset < bytes.count {
            guard offset + 12 <= bytes.count else { throw Invalid("truncated chunk") }
            let length = Int(Self.uint32(bytes, offset))
            guard offset + 12 + length <= bytes.count else { throw Invalid("chunk longer than the file") }
            let typed = Array(bytes[(offset + 4)..<(offset + 8 + length)])
            guard Self.uint32(bytes, offset + 8 + length) == Self.crc32(typed) else { throw Invalid("bad CRC in chunk \(offset)") }
            chunks.append(Chunk(type: String(decoding: typed[0..<4], as: UTF8.self), data: Array(typed[4...])))
            offset += 12 + length
        }
        guard let header = chunks.first, header.type == "IHDR", header.data.count == 13 else { throw Invalid("IHDR is not first") }
        guard chunks.last?.type == "IEND" else { throw Invalid("no IEND") }
        self.chunks = chunks
        width = Int(Self.uint32(header.data, 0))
        height = Int(Self.uint32(header.data, 4))
        bitDepth = header.data[8]
        colorType = header.data[9]
    }

    /// Palette indices, row by row (8-bit paletted images with filter type 0 only).
    func pixels() throws -> Pixels {
        guard bitDepth == 8, colorType == 3 else { throw Invalid("not 8-bit paletted") }
        var stream = ByteBuffer(bytes: chunks.filter { $0.type == "IDAT" }.flatMap(\.data))
        let raw = Array(try stream.decompress(with: .zlib()).readableBytesView)
        guard raw.count == (width + 1) * height else { throw Invalid("\(raw.count) bytes of image data for \(width)x\(height)") }
        var bytes: [UInt8] = []
        for y in 0..<height {
            guard raw[y * (width + 1)] == 0 else { throw Invalid("filter type \(raw[y * (width + 1)])") }
            bytes += raw[(y * (width + 1) + 1)..<((y + 1) * (width + 1))]
        }
        return Pixels(width: width, bytes: bytes)
    }

    static func uint32(_ bytes: [UInt8], _ at: Int) -> UInt32 {
        UInt32(bytes[at]) << 24 | UInt32(bytes[at + 1]) << 16 | UInt32(bytes[at + 2]) << 8 | UInt32(bytes[at + 3])
    }

    /// Bit by bit, without a table.
    static func crc32(_ bytes: [UInt8]) -> UInt32 {
        var crc: UInt32 = 0xFFFF_FFFF
        for byte in bytes {
            crc ^= UInt32(byte)
            for _ in 0..<8 { crc = (crc >> 1) ^ (crc & 1 == 1 ? 0xEDB8_8320 : 0) }
        }
        return ~crc
    }
}
