import CompressNIO
import Foundation
import NIOCore

/// Writes paletted PNG files (8 bits per pixel, colour type 3) so the manager bot can draw
/// charts without an image library. This type does only the PNG framing — signature, IHDR,
/// PLTE, IDAT, IEND, each chunk with its CRC-32 — and leaves the zlib stream (deflate plus its
/// RFC 1950 header and Adler-32) to compress-nio over the system zlib.
package enum PNGEncoder {
    /// The zlib stream of the image data could not be written.
    package struct Failure: Error, CustomStringConvertible {
        package let reason: String
        package let file: String
        package let line: Int

        package var description: String { "\(file):\(line): PNG encoding failed: \(reason)" }
    }

    package static let signature: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]

    /// The PNG file of `raster` drawn with `palette` (at most 256 RGB colours).
    package static func encode(_ raster: Raster, palette: [RGB]) throws -> Data {
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
        file += chunk("IDAT", try zlib(scanlines))
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

    /// A zlib stream (RFC 1950) of `data`, as IDAT carries it.
    package static func zlib(_ data: [UInt8], file: String = #fileID, line: Int = #line) throws -> [UInt8] {
        var input = ByteBuffer(bytes: data)
        do {
            let compressed = try input.compress(with: .zlib())
            return Array(compressed.readableBytesView)
        } catch {
            throw Failure(reason: String(describing: error), file: file, line: line)
        }
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

/// CRC-32 (ISO 3309, polynomial 0xEDB88320), as PNG chunks carry it (compress-nio exposes none).
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

extension Array where Element == UInt8 {
    mutating func appendBigEndian(_ value: UInt32) {
        append(contentsOf: [UInt8(value >> 24), UInt8((value >> 16) & 0xFF), UInt8((value >> 8) & 0xFF), UInt8(value & 0xFF)])
    }
}
