import Foundation
import XCTest
@testable import CertmaxIO
import TestSupport

/// The wire-format reader on handcrafted bytes: varint limits, tags, lengths, fixed-width
/// values, packed and unpacked repeated fields, unknown fields, groups and nesting depth.
final class ProtobufReaderTests: XCTestCase {
    func reader(_ bytes: [UInt8]) -> ProtobufReader { ProtobufReader(bytes: bytes, source: "m.pb", location: "top") }

    func varint(_ bytes: [UInt8]) -> Result<UInt64, InputError> {
        var r = reader(bytes)
        do { return .success(try r.readVarint()) } catch { return .failure(error) }
    }

    func testVarintLimits() throws {
        XCTAssertEqual(try varint([0]).get(), 0)
        XCTAssertEqual(try varint([0x96, 0x01]).get(), 150)
        XCTAssertEqual(try varint([0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x01]).get(), UInt64.max)
        XCTAssertEqual(try varint([0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x01]).get(), 1 << 63)
        // Non-minimal encodings are valid protobuf.
        XCTAssertEqual(try varint([0x81, 0x80, 0x00]).get(), 1)
        func problem(_ b: [UInt8]) -> String {
            if case .failure(let e) = varint(b) { return e.description }
            return "accepted"
        }
        XCTAssertEqual(problem([0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x02]), "m.pb: top: varint overflows 64 bits (at byte 0)")
        XCTAssertEqual(problem([0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x81, 0x00]), "m.pb: top: varint longer than 10 bytes (at byte 0)")
        XCTAssertEqual(problem([0x80]), "m.pb: top: truncated varint (at byte 0)")
        XCTAssertEqual(problem([]), "m.pb: top: truncated varint (at byte 0)")
        // Every prefix of a long varint is truncated.
        let long: [UInt8] = [0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x01]
        for n in 0..<long.count { XCTAssertEqual(problem(Array(long.prefix(n))), "m.pb: top: truncated varint (at byte 0)", "prefix \(n)") }
    }

    func firstError(_ bytes: [UInt8], _ body: (inout ProtobufReader, ProtobufField) throws(InputError) -> Void) -> String {
        var r = reader(bytes)
        do {
            while let f = try r.nextField() { try body(&r, f) }
            return "accepted"
        } catch {
            return error.description
        }
    }

    func testTagsWireTypesAndGroups() {
        let skip: (inout ProtobufReader, ProtobufField) throws(InputError) -> Void = { r, f throws(InputError) in try r.skip(f) }
        XCTAssertEqual(firstError([0x00, 0x00], skip), "m.pb: top: field number 0 is invalid (at byte 0)")
        XCTAssertEqual(firstError([0x0E], skip), "m.pb: top: field 1 has invalid wire type 6 (at byte 0)")
        XCTAssertEqual(firstError([0x0F], skip), "m.pb: top: field 1 has invalid wire type 7 (at byte 0)")
        XCTAssertEqual(firstError([0x0B, 0x0C], skip), "m.pb: top: field 1 uses the deprecated group encoding (wire type 3), which ONNX files do not use (at byte 0)")
        XCTAssertEqual(firstError([0x08, 0x01, 0x0C], skip), "m.pb: top: field 1 uses the deprecated group encoding (wire type 4), which ONNX files do not use (at byte 2)")
        // A tag above 2^32 (field number beyond 2^29 - 1).
        XCTAssertEqual(firstError([0x80, 0x80, 0x80, 0x80, 0x10], skip), "m.pb: top: field tag 4294967296 is out of range (at byte 0)")
        // The largest valid field number, skipped as unknown.
        var w = ProtobufWriter()
        w.int((1 << 29) - 1, 5)
        XCTAssertEqual(firstError(w.bytes, skip), "accepted")
    }

    func testLengthsAreCheckedAgainstTheRemainingBytes() {
        let skip: (inout ProtobufReader, ProtobufField) throws(InputError) -> Void = { r, f throws(InputError) in try r.skip(f) }
        XCTAssertEqual(firstError([0x12, 0x03, 0x61, 0x62], skip), "m.pb: top: field #2 (2) claims 3 bytes, only 2 remain in the message (truncated or corrupt) (at byte 0)")
        // A length of 2^63 and of UInt64.max: no overflow, a clean error.
        XCTAssertEqual(firstError([0x12, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x01], skip),
                       "m.pb: top: field #2 (2) claims 9223372036854775808 bytes, only 0 remain in the message (truncated or corrupt) (at byte 0)")
        XCTAssertEqual(firstError([0x12] + [UInt8](repeating: 0xFF, count: 9) + [0x01], skip),
                       "m.pb: top: field #2 (2) claims 18446744073709551615 bytes, only 0 remain in the message (truncated or corrupt) (at byte 0)")
        XCTAssertEqual(firstError([0x0D, 1, 2, 3], skip), "m.pb: top: fixed32 field 1 needs 4 bytes, only 3 remain in the message (truncated or corrupt) (at byte 0)")
        XCTAssertEqual(firstError([0x09, 1, 2, 3, 4, 5, 6, 7], skip), "m.pb: top: fixed64 field 1 needs 8 bytes, only 7 remain in the message (truncated or corrupt) (at byte 0)")
        // Unknown fields of every valid wire type are skipped.
        var w = ProtobufWriter()
        w.int(3, -1)
        w.tag(4, wireType: 1); w.fixed64(7)
        w.tag(5, wireType: 5); w.fixed32(7)
        w.string(6, "skip me")
        XCTAssertEqual(firstError(w.bytes, skip), "accepted")
    }

    func testSubMessageLengthsStayInsideTheParent() throws {
        // Field 1 (a message of 4 bytes) whose content claims a 10-byte string.
        var r = reader([0x0A, 0x04, 0x12, 0x0A, 0x61, 0x62, 0x12, 0x00])
        let f = try XCTUnwrap(try r.nextField())
        var sub = try r.subMessage(f, name: "child", location: "top.child")
        let g = try XCTUnwrap(try sub.nextField())
        XCTAssertThrowsError(try sub.readString(g, name: "s")) { e in
            XCTAssertEqual((e as? InputError)?.description, "m.pb: top.child: field s (2) claims 10 bytes, only 2 remain in the message (truncated or corrupt) (at byte 2)")
        }
        // The parent continues after the child.
        let h = try XCTUnwrap(try r.nextField())
        XCTAssertEqual(h.number, 2)
        XCTAssertEqual(try r.readString(h, name: "s"), "")
        XCTAssertTrue(r.isAtEnd)
    }

    func testPackedAndUnpackedRepeatedFieldsConcatenate() throws {
        var w = ProtobufWriter()
        w.int(1, 5)
        w.packedVarints(1, [1, UInt64(bitPattern: -2), 300])
        w.int(1, 7)
        w.float(2, 1.5)
        w.packedFixed32(2, [Float(2.5).bitPattern, Float(-0.0).bitPattern])
        w.tag(3, wireType: 1); w.fixed64(Double.pi.bitPattern)
        w.packedFixed64(3, [Double(1e300).bitPattern])
        w.packedVarints(1, [])
        var r = reader(w.bytes)
        var ints: [UInt64] = [], floats: [UInt32] = [], doubles: [UInt64] = []
        while let f = try r.nextField() {
            switch f.number {
            case 1: try r.appendVarints(f, name: "ints", to: &ints)
            case 2: try r.appendFixed32(f, name: "floats", to: &floats)
            default: try r.appendFixed64(f, name: "doubles", to: &doubles)
            }
        }
        XCTAssertEqual(ints.map { Int64(bitPattern: $0) }, [5, 1, -2, 300, 7])
        XCTAssertEqual(floats.map { Float(bitPattern: $0) }, [1.5, 2.5, -0.0])
        XCTAssertEqual(doubles.map { Double(bitPattern: $0) }, [.pi, 1e300])

        let wrongPacked: (inout ProtobufReader, ProtobufField) throws(InputError) -> Void = { r, f throws(InputError) in
            var v: [UInt32] = []
            try r.appendFixed32(f, name: "floats", to: &v)
        }
        XCTAssertEqual(firstError([0x12, 0x03, 1, 2, 3], wrongPacked), "m.pb: top: packed field floats (2) has 3 bytes, not a multiple of 4 (at byte 0)")
        XCTAssertEqual(firstError([0x10, 0x01], wrongPacked), "m.pb: top: field floats (2) has wire type varint, expected fixed32 or packed (at byte 0)")
        let packedVarints: (inout ProtobufReader, ProtobufField) throws(InputError) -> Void = { r, f throws(InputError) in
            var v: [UInt64] = []
            try r.appendVarints(f, name: "ints", to: &v)
        }
        // A packed run whose last varint runs past the run's end (but not past the buffer).
        XCTAssertEqual(firstError([0x0A, 0x02, 0x01, 0x80, 0x01], packedVarints), "m.pb: top: truncated varint (at byte 3)")
    }

    func testStringsMustBeUTF8AndInt32MustFit() {
        let string: (inout ProtobufReader, ProtobufField) throws(InputError) -> Void = { r, f throws(InputError) in _ = try r.readString(f, name: "name") }
        XCTAssertEqual(firstError([0x0A, 0x02, 0xC3, 0x28], string), "m.pb: top: field name (1) is not valid UTF-8 (at byte 0)")
        XCTAssertEqual(firstError([0x0A, 0x02, 0xC3, 0xA9], string), "accepted")
        let int32: (inout ProtobufReader, ProtobufField) throws(InputError) -> Void = { r, f throws(InputError) in _ = try r.readInt32(f, name: "type") }
        var w = ProtobufWriter()
        w.int(1, 1 << 31)
        XCTAssertEqual(firstError(w.bytes, int32), "m.pb: top: field type (1) = 2147483648 does not fit in int32 (at byte 0)")
        var v = ProtobufWriter()
        v.int(1, -(1 << 31))
        XCTAssertEqual(firstError(v.bytes, int32), "accepted")
        XCTAssertEqual(firstError([0x0A, 0x00], int32), "m.pb: top: field type (1) has wire type length-delimited, expected varint (at byte 0)")
    }

    func testNestingDepthIsLimited() throws {
        func nested(_ levels: Int) -> [UInt8] {
            var inner = ProtobufWriter()
            for _ in 0..<levels {
                var outer = ProtobufWriter()
                outer.message(1, inner)
                inner = outer
            }
            return inner.bytes
        }
        func descend(_ bytes: [UInt8]) throws(InputError) -> Int {
            var r = reader(bytes)
            var levels = 0
            while let f = try r.nextField() {
                r = try r.subMessage(f, name: "child", location: "top")
                levels += 1
            }
            return levels
        }
        XCTAssertEqual(try descend(nested(ProtobufReader.maximumDepth)), ProtobufReader.maximumDepth)
        XCTAssertThrowsError(try descend(nested(ProtobufReader.maximumDepth + 1))) { e in
            XCTAssertTrue((e as? InputError)?.description.contains("messages nest deeper than 64 levels") == true, "\(e)")
        }
    }
}
