import CertmaxIO
import Testing
@testable import CertmaxAttention

/// Issue 15 item 2: `Matrix`, `LinearMap`, `LayerNormParameters` and `AttentionLayer`
/// throw an `InputError` on dimension mismatches (preconditions, index-out-of-range traps
/// and a division by zero heads before); the `unchecked...` forms keep the fast path.
@Suite struct CheckedAttentionEntryPointTests {
    static func map(_ out: Int, _ inn: Int) -> LinearMap {
        LinearMap(uncheckedWeight: Matrix(uncheckedRows: out, cols: inn, data: (0..<(out * inn)).map { Double($0 % 7) * 0.1 - 0.3 }),
                  bias: [Double](repeating: 0.05, count: out))
    }

    @Test func matrixConstructorsThrow() {
        #expect(throws: InputError.self) { try Matrix(rows: 2, cols: 2, data: [1, 2, 3]) }
        #expect(throws: InputError.self) { try Matrix(rows: -1, cols: -1, data: [1]) }
        #expect(throws: InputError.self) { try Matrix(rows: Int.max, cols: 2, data: []) }
        #expect(throws: InputError.self) { try Matrix(rows: -2, cols: 3) }
        #expect(throws: InputError.self) { try Matrix([[1, 2], [3]]) }
        #expect((try? Matrix([[1, 2], [3, 4]]))?.rows == 2)
        #expect((try? Matrix(rows: 2, cols: 1, data: [1, 2])) == Matrix(uncheckedRows: 2, cols: 1, data: [1, 2]))
    }

    @Test func mapsAndLayerNormThrow() {
        #expect(throws: InputError.self) { try LinearMap(weight: Matrix(uncheckedRows: 2, cols: 3), bias: [0]) }
        #expect(throws: InputError.self) { try LayerNormParameters(gamma: [1, 1], beta: [0]) }
        #expect(throws: InputError.self) { try LayerNormParameters(gamma: [1], beta: [0], epsilon: .nan) }
        let m = Self.map(2, 3)
        #expect(throws: InputError.self) { try m.apply(Matrix(uncheckedRows: 1, cols: 2)) }
        #expect((try? m.apply(Matrix(uncheckedRows: 1, cols: 3))) == m.uncheckedApply(Matrix(uncheckedRows: 1, cols: 3)))
        var edited = m
        edited.bias = [1]
        #expect(throws: InputError.self) { try edited.apply(Matrix(uncheckedRows: 1, cols: 3)) }
        let ln = LayerNormParameters(uncheckedGamma: [1, 1], beta: [0, 0])
        #expect(throws: InputError.self) { try ln.apply(Matrix(uncheckedRows: 1, cols: 3)) }
    }

    @Test func attentionLayerThrows() {
        let q = Self.map(4, 3), o = Self.map(3, 4)
        // Heads not dividing the width, zero heads, a key of another shape, an output that
        // does not take the heads' width, a residual of another width, LayerNorm of another width.
        #expect(throws: InputError.self) { try AttentionLayer(query: q, key: q, value: q, output: o, heads: 3) }
        #expect(throws: InputError.self) { try AttentionLayer(query: q, key: q, value: q, output: o, heads: 0) }
        #expect(throws: InputError.self) { try AttentionLayer(query: q, key: Self.map(4, 2), value: q, output: o, heads: 2) }
        #expect(throws: InputError.self) { try AttentionLayer(query: q, key: q, value: q, output: Self.map(3, 2), heads: 2) }
        #expect(throws: InputError.self) { try AttentionLayer(query: q, key: q, value: q, output: Self.map(5, 4), heads: 2, residual: true) }
        #expect(throws: InputError.self) {
            try AttentionLayer(query: q, key: q, value: q, output: o, heads: 2,
                               layerNorm: LayerNormParameters(uncheckedGamma: [1], beta: [0]))
        }
        let layer = try? AttentionLayer(query: q, key: q, value: q, output: o, heads: 2, residual: true)
        #expect(layer != nil)
        guard var layer else { return }
        let x = Matrix(uncheckedRows: 2, cols: 3, data: [0.1, -0.2, 0.3, 0.5, 0, -1])
        #expect(throws: InputError.self) { try layer.forward(Matrix(uncheckedRows: 2, cols: 4)) }
        #expect(throws: InputError.self) { try layer.attentionWeights(Matrix(uncheckedRows: 2, cols: 2)) }
        #expect((try? layer.forward(x)) == layer.uncheckedForward(x))
        // The fields are public: a layer edited into an inconsistent state is caught too.
        layer.heads = 0
        #expect(layer.headDimension == 0)
        #expect(throws: InputError.self) { try layer.forward(x) }
    }
}
