import Foundation
import XCTest
import CertmaxIO
import TestSupport

/// gzip decompression in `readInputFile` / `gunzip`.
final class GzipInputTests: XCTestCase {
    /// gzip.compress(b"hello, certmax\n", mtime=0) from Python.
    static let hello: [UInt8] = [31, 139, 8, 0, 0, 0, 0, 0, 2, 3, 203, 72, 205, 201, 201, 215, 81, 72, 78, 45, 42, 201,
                                 77, 172, 224, 2, 0, 30, 144, 143, 181, 15, 0, 0, 0]
    /// gzip.compress(b"", mtime=0).
    static let empty: [UInt8] = [31, 139, 8, 0, 0, 0, 0, 0, 2, 3, 3, 0, 0, 0, 0, 0, 0, 0, 0, 0]

    func write(_ bytes: [UInt8], name: String = "x.gz") throws -> String {
        let dir = try ONNXTestFiles.temporaryDirectory()
        let url = dir.appendingPathComponent(name)
        try Data(bytes).write(to: url)
        return url.path
    }

    func error(_ bytes: [UInt8], limit: Int = maximumDecompressedInputSize) -> InputError? {
        do {
            _ = try gunzip(Data(bytes), source: "x.gz", limit: limit)
            return nil
        } catch {
            return error
        }
    }

    func testReadInputFileDecompressesByMagicBytesNotByName() throws {
        let path = try write(Self.hello, name: "no-extension")
        let (data, source) = try readInputFile(path)
        XCTAssertEqual(String(decoding: data, as: UTF8.self), "hello, certmax\n")
        XCTAssertEqual(source, path)
        let plain = try write(Array("{\"lower\": [1]}".utf8), name: "plain.json.gz")
        XCTAssertEqual(String(decoding: try readInputFile(plain).data, as: UTF8.self), "{\"lower\": [1]}", "not gzip content: read as is")
        XCTAssertEqual(try gunzip(Data(Self.empty), source: "e.gz"), Data())
    }

    func testConcatenatedMembersAreJoined() throws {
        let d = try gunzip(Data(Self.hello + Self.empty + Self.hello), source: "x.gz")
        XCTAssertEqual(String(decoding: d, as: UTF8.self), "hello, certmax\nhello, certmax\n")
    }

    func testCorruptTruncatedTrailingAndOversizedStreamsAreRejected() throws {
        for cut in 2..<Self.hello.count {
            let e = try XCTUnwrap(error(Array(Self.hello.prefix(cut))), "cut at \(cut) accepted")
            XCTAssertEqual(e.kind, .invalid)
            XCTAssertTrue(e.description.hasPrefix("x.gz: "), e.description)
        }
        XCTAssertEqual(error(Array(Self.hello.prefix(20)))?.description, "x.gz: gzip stream is truncated (file cut short?)")
        var badCRC = Self.hello
        badCRC[badCRC.count - 6] ^= 0xFF
        XCTAssertEqual(error(badCRC)?.description, "x.gz: corrupt gzip stream: incorrect data check")
        var badMethod = Self.hello
        badMethod[2] = 7
        XCTAssertEqual(error(badMethod)?.description, "x.gz: corrupt gzip stream: unknown compression method")
        XCTAssertEqual(error(Self.hello + [0, 0, 0])?.description, "x.gz: unexpected bytes after the end of the gzip stream")
        XCTAssertEqual(error(Self.hello, limit: 14)?.description, "x.gz: gzip content decompresses to more than 14 bytes (the limit)")
        XCTAssertNil(error(Self.hello, limit: 15), "exactly at the limit")
        // A flipped bit in the deflate data is either a data error or a CRC mismatch, and in
        // the trailer a CRC or length mismatch. (Byte 26 is excluded: its high bits are the
        // padding after the final block, which no decoder can check.)
        var rng = SeededGenerator(seed: 0x62_1F)
        for _ in 0..<200 {
            var b = Self.hello
            var i = 26
            while i == 26 { i = Int.random(in: 10..<b.count, using: &rng) }
            b[i] ^= UInt8(1) << UInt8.random(in: 0..<8, using: &rng)
            XCTAssertNotNil(error(b), "flip at \(i) accepted: \(b)")
        }
    }

    func testLargeModelIsDecompressedCompletelyAndCapped() throws {
        let path = try ONNXTestFiles.vitPath("pgd_2_3_16.onnx.gz")
        let raw = try Data(contentsOf: URL(fileURLWithPath: path))
        let data = try gunzip(raw, source: path)
        XCTAssertGreaterThan(data.count, raw.count)
        // gzip's trailer stores the size mod 2^32.
        let isize = raw.suffix(4).enumerated().reduce(0) { $0 | Int($1.element) << (8 * $1.offset) }
        XCTAssertEqual(data.count, isize)
        XCTAssertEqual(try readInputFile(path).data, data)
        XCTAssertThrowsError(try gunzip(raw, source: path, limit: data.count - 1))
        XCTAssertEqual(try gunzip(raw, source: path, limit: data.count), data)
    }
}
