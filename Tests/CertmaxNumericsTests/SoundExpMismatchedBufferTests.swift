import CertmaxNumerics
import Testing

/// The SoundExp buffer kernels never trap on buffers of different counts (issue 15 item
/// 2): the common prefix is what the matched call gives, bit for bit, and every further
/// output element is the trivially sound 0 / +inf ([0, +inf] for intervals).
@Suite struct SoundExpMismatchedBufferTests {
    static let xs: [Double] = (0..<13).map { Double($0) * 0.75 - 4 }

    @Test func encloseWithShortAndLongOutputs() {
        let x = Self.xs
        var refDown = [Double](repeating: .nan, count: x.count), refUp = refDown
        x.withUnsafeBufferPointer { xp in
            refDown.withUnsafeMutableBufferPointer { d in refUp.withUnsafeMutableBufferPointer { u in SoundExp.enclose(xp, down: d, up: u) } }
        }
        var down = [Double](repeating: .nan, count: 9), up = [Double](repeating: .nan, count: 17)
        x.withUnsafeBufferPointer { xp in
            down.withUnsafeMutableBufferPointer { d in up.withUnsafeMutableBufferPointer { u in SoundExp.enclose(xp, down: d, up: u) } }
        }
        #expect(Array(down) == Array(refDown.prefix(9)))
        #expect(Array(up.prefix(9)) == Array(refUp.prefix(9)))
        #expect(up[9...].allSatisfy { $0 == .infinity }, "\(up)")
    }

    @Test func boundsAndIntervalExpWithMismatchedCounts() {
        let lo = Self.xs, hi = Self.xs.map { $0 + 0.5 }
        var refLow = [Double](repeating: .nan, count: lo.count), refUp = refLow
        lo.withUnsafeBufferPointer { l in hi.withUnsafeBufferPointer { h in
            refLow.withUnsafeMutableBufferPointer { a in refUp.withUnsafeMutableBufferPointer { b in
                SoundExp.bounds(lower: l, upper: h, lowerOut: a, upperOut: b)
            } }
        } }
        var lowOut = [Double](repeating: .nan, count: 20), upOut = [Double](repeating: .nan, count: 5)
        lo.withUnsafeBufferPointer { l in hi.withUnsafeBufferPointer { h in
            lowOut.withUnsafeMutableBufferPointer { a in upOut.withUnsafeMutableBufferPointer { b in
                SoundExp.bounds(lower: l, upper: h, lowerOut: a, upperOut: b)
            } }
        } }
        #expect(Array(lowOut.prefix(5)) == Array(refLow.prefix(5)) && upOut == Array(refUp.prefix(5)))
        #expect(lowOut[5...].allSatisfy { $0 == 0 }, "\(lowOut)")
        let boxes = lo.indices.map { Interval(uncheckedLower: lo[$0], upper: hi[$0]) }
        var ref = [Interval](repeating: .zero, count: boxes.count)
        boxes.withUnsafeBufferPointer { b in ref.withUnsafeMutableBufferPointer { o in SoundExp.exp(b, into: o) } }
        var out = [Interval](repeating: .zero, count: boxes.count + 3)
        boxes.withUnsafeBufferPointer { b in out.withUnsafeMutableBufferPointer { o in SoundExp.exp(b, into: o) } }
        #expect(Array(out.prefix(boxes.count)) == ref)
        #expect(out[boxes.count...].allSatisfy { $0.lower == 0 && $0.upper == .infinity })
        var short = [Interval](repeating: .zero, count: 4)
        boxes.withUnsafeBufferPointer { b in short.withUnsafeMutableBufferPointer { o in SoundExp.exp(b, into: o) } }
        #expect(short == Array(ref.prefix(4)))
    }
}
