/// Reads back the PNGs the charts write, independently of the encoder: chunk framing with each
/// CRC checked, IHDR, and the zlib stream inflated by a small RFC 1951 inflater of its own
/// (stored, fixed- and dynamic-Huffman blocks) with its Adler-32 checked.
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

    static let signature: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]

    init(_ bytes: [UInt8]) throws {
        guard bytes.count > 8, Array(bytes[0..<8]) == Self.signature else { throw Invalid("no PNG signature") }
        var chunks: [Chunk] = []
        var offset = 8
        while offset < bytes.count {
            guard offset + 12 <= bytes.count else { throw Invalid("truncated chunk") }
            let length = Int(Self.uint32(bytes, offset))
            guard offset + 12 + length <= bytes.count else { throw Invalid("chunk longer than the file") }
            let typed = Array(bytes[(offset + 4)..<(offset + 8 + length)])
            let crc = Self.uint32(bytes, offset + 8 + length)
            guard crc == Self.crc32(typed) else { throw Invalid("bad CRC in chunk \(offset)") }
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

    var idat: [UInt8] { chunks.filter { $0.type == "IDAT" }.flatMap(\.data) }

    /// Palette indices, row by row (8-bit paletted images with filter type 0 only).
    func pixels() throws -> Pixels {
        guard bitDepth == 8, colorType == 3 else { throw Invalid("not 8-bit paletted") }
        let raw = try Self.inflateZlib(idat)
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

    /// Bit by bit, without a table: slow and obviously right.
    static func crc32(_ bytes: [UInt8]) -> UInt32 {
        var crc: UInt32 = 0xFFFF_FFFF
        for byte in bytes {
            crc ^= UInt32(byte)
            for _ in 0..<8 { crc = (crc >> 1) ^ (crc & 1 == 1 ? 0xEDB8_8320 : 0) }
        }
        return ~crc
    }

    static func adler32(_ bytes: [UInt8]) -> UInt32 {
        var a: UInt32 = 1
        var b: UInt32 = 0
        for byte in bytes {
            a = (a + UInt32(byte)) % 65_521
            b = (b + a) % 65_521
        }
        return b << 16 | a
    }

    static func inflateZlib(_ stream: [UInt8]) throws -> [UInt8] {
        guard stream.count >= 6, stream[0] & 0x0F == 8, (UInt16(stream[0]) << 8 | UInt16(stream[1])) % 31 == 0 else { throw Invalid("bad zlib header") }
        var reader = BitReader(bytes: stream, position: 16)
        var blockTypes: [Int] = []
        let data = try inflate(&reader, blockTypes: &blockTypes)
        let end = (reader.position + 7) / 8
        guard end + 4 <= stream.count, uint32(stream, end) == adler32(data) else { throw Invalid("bad Adler-32") }
        return data
    }

    struct BitReader {
        let bytes: [UInt8]
        var position: Int

        mutating func bit() throws -> Int {
            guard position / 8 < bytes.count else { throw Invalid("deflate stream ends early") }
            defer { position += 1 }
            return Int(bytes[position / 8] >> (position % 8)) & 1
        }

        mutating func bits(_ count: Int) throws -> Int {
            var value = 0
            for index in 0..<count { value |= try bit() << index }
            return value
        }

        mutating func alignToByte() { position = (position + 7) / 8 * 8 }
    }

    static let lengthBases = [3, 4, 5, 6, 7, 8, 9, 10, 11, 13, 15, 17, 19, 23, 27, 31, 35, 43, 51, 59, 67, 83, 99, 115, 131, 163, 195, 227, 258]
    static let lengthExtra = [0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3, 4, 4, 4, 4, 5, 5, 5, 5, 0]
    static let distanceBases = [1, 2, 3, 4, 5, 7, 9, 13, 17, 25, 33, 49, 65, 97, 129, 193, 257, 385, 513, 769, 1025, 1537, 2049, 3073, 4097, 6145, 8193, 12289, 16385, 24577]
    static let distanceExtra = [0, 0, 0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6, 7, 7, 8, 8, 9, 9, 10, 10, 11, 11, 12, 12, 13, 13]

    /// The deflate block types met, in order (0 stored, 1 fixed, 2 dynamic Huffman).
    static func blockTypes(ofZlib stream: [UInt8]) throws -> [Int] {
        var reader = BitReader(bytes: stream, position: 16)
        var blockTypes: [Int] = []
        _ = try inflate(&reader, blockTypes: &blockTypes)
        return blockTypes
    }

    /// A canonical Huffman code (RFC 1951 §3.2.2) decoded one bit at a time, as zlib's puff.c does.
    struct Huffman {
        var counts = [Int](repeating: 0, count: 16)
        var symbols: [Int]

        init(lengths: [Int]) {
            for length in lengths { counts[length] += 1 }
            counts[0] = 0
            var offsets = [Int](repeating: 0, count: 16)
            for length in 1..<15 { offsets[length + 1] = offsets[length] + counts[length] }
            symbols = [Int](repeating: 0, count: lengths.count)
            for (symbol, length) in lengths.enumerated() where length != 0 {
                symbols[offsets[length]] = symbol
                offsets[length] += 1
            }
        }

        func decode(_ reader: inout BitReader) throws -> Int {
            var code = 0
            var first = 0
            var index = 0
            for length in 1...15 {
                code |= try reader.bit()
                let count = counts[length]
                if code - first < count { return symbols[index + code - first] }
                index += count
                first = (first + count) << 1
                code <<= 1
            }
            throw Invalid("bad Huffman code")
        }

        static let fixedLiterals = Huffman(lengths: (0..<288).map { $0 < 144 ? 8 : $0 < 256 ? 9 : $0 < 280 ? 7 : 8 })
        static let fixedDistances = Huffman(lengths: [Int](repeating: 5, count: 30))
    }

    static let codeLengthOrder = [16, 17, 18, 0, 8, 7, 9, 6, 10, 5, 11, 4, 12, 3, 13, 2, 14, 1, 15]

    /// The literal/length and distance codes of a dynamic block (RFC 1951 §3.2.7).
    static func dynamicCodes(_ reader: inout BitReader) throws -> (Huffman, Huffman) {
        let literalCount = try reader.bits(5) + 257
        let distanceCount = try reader.bits(5) + 1
        let codeLengthCount = try reader.bits(4) + 4
        var codeLengthLengths = [Int](repeating: 0, count: 19)
        for index in 0..<codeLengthCount { codeLengthLengths[codeLengthOrder[index]] = try reader.bits(3) }
        let codeLengths = Huffman(lengths: codeLengthLengths)
        var lengths: [Int] = []
        while lengths.count < literalCount + distanceCount {
            let symbol = try codeLengths.decode(&reader)
            switch symbol {
            case 0...15: lengths.append(symbol)
            case 16:
                guard let previous = lengths.last else { throw Invalid("repeat with no previous length") }
                lengths += [Int](repeating: previous, count: 3 + (try reader.bits(2)))
            case 17: lengths += [Int](repeating: 0, count: 3 + (try reader.bits(3)))
            default: lengths += [Int](repeating: 0, count: 11 + (try reader.bits(7)))
            }
        }
        guard lengths.count == literalCount + distanceCount else { throw Invalid("code lengths overrun") }
        guard lengths[256] != 0 else { throw Invalid("no end-of-block code") }
        return (Huffman(lengths: Array(lengths[0..<literalCount])), Huffman(lengths: Array(lengths[literalCount...])))
    }

    static func inflate(_ reader: inout BitReader, blockTypes: inout [Int]) throws -> [UInt8] {
        var out: [UInt8] = []
        var final = 0
        repeat {
            final = try reader.bit()
            let type = try reader.bits(2)
            blockTypes.append(type)
            switch type {
            case 0:
                reader.alignToByte()
                let length = try reader.bits(16)
                let complement = try reader.bits(16)
                guard length == ~complement & 0xFFFF else { throw Invalid("stored block length check") }
                for _ in 0..<length { out.append(UInt8(try reader.bits(8))) }
            case 1, 2:
                let (literals, distances) = type == 1 ? (Huffman.fixedLiterals, Huffman.fixedDistances) : try dynamicCodes(&reader)
                while true {
                    let symbol = try literals.decode(&reader)
                    if symbol < 256 {
                        out.append(UInt8(symbol))
                        continue
                    }
                    if symbol == 256 { break }
                    let index = symbol - 257
                    guard index < lengthBases.count else { throw Invalid("bad length symbol") }
                    let length = lengthBases[index] + (try reader.bits(lengthExtra[index]))
                    let code = try distances.decode(&reader)
                    guard code < distanceBases.count else { throw Invalid("bad distance code") }
                    let distance = distanceBases[code] + (try reader.bits(distanceExtra[code]))
                    guard distance <= out.count else { throw Invalid("distance before the start") }
                    for _ in 0..<length { out.append(out[out.count - distance]) }
                }
            default:
                throw Invalid("reserved block type 3")
            }
        } while final == 0
        return out
    }
}
