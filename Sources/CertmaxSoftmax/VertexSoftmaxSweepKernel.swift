import CCertmaxKernels

// The run-time choice between the two forms of the tight Vertex-Softmax sweep (issue 16):
// the portable Swift kernel (`VertexSoftmax._tightSweep`, SIMD4 lanes, Dekker products) and
// the x86-64-v3 kernel in C (Sources/CCertmaxKernels/vertex_sweep_fma.c: AVX2 lanes, each
// exact product's error one FMA). The binary stays baseline x86-64; the C kernel runs only
// when the CPU reports AVX2 and FMA.
//
// Error rule: the FMA kernel performs the portable kernel's operations in the same order,
// except that each exact product error is fma(a, b, -RN(a b)) instead of Dekker's form:
// equal wherever Dekker's form is exact (every case the proof treats as exact), and within
// the proof's absolute slack (2^-1070 per operation) in the subnormal range, where the FMA
// form errs by at most 2^-1075. Candidates on the portable kernel's rare branches (tiny
// numerators or denominators, slack of half an ulp) make the C kernel decline, and the
// portable kernel answers. So the bounds are the portable kernel's bit for bit on every
// box whose products stay normal (VertexSoftmaxFMAKernelTests), and sound on all.

extension VertexSoftmax {
    /// Which form of the tight sweep a `PreparedBox` runs.
    public enum SweepKernel: Sendable, Equatable {
        /// The AVX2/FMA kernel where the CPU has it, else the portable kernel (the default).
        case automatic
        /// The portable Swift kernel only (the reference the FMA kernel is checked against).
        case portable

        /// True when this CPU and OS support the AVX2/FMA kernel (checked once).
        public static let fmaAvailable: Bool = certmax_kernels_have_fma() != 0
        /// True when the AVX2 rank-counting order (K <= 64) is used (checked once).
        static let rankOrderAvailable: Bool = certmax_kernels_have_avx2() != 0
    }

    /// The prepared columns interleaved for the FMA kernel: 8 doubles per score,
    /// [yU, yU, yL, yL, cU, cU, cL, cL] (`terms` holds columns yU, cU, yL, cL, each `s8` long).
    static func _packTerms(_ terms: [Double], _ K: Int, _ s8: Int) -> [Double] {
        [Double](unsafeUninitializedCapacity: 8 * K) { b, n in
            terms.withUnsafeBufferPointer { t in
                for i in 0..<K {
                    let yU = t[i], cU = t[s8 + i], yL = t[2 * s8 + i], cL = t[3 * s8 + i]
                    b[8 * i] = yU; b[8 * i + 1] = yU; b[8 * i + 2] = yL; b[8 * i + 3] = yL
                    b[8 * i + 4] = cU; b[8 * i + 5] = cU; b[8 * i + 6] = cL; b[8 * i + 7] = cL
                }
            }
            n = 8 * K
        }
    }

    /// The tight sweep by the FMA kernel: nil when the kernel declines (the caller then runs
    /// the portable kernel, which decides every case). Same results as `_tightSweep`.
    @usableFromInline
    static func _fmaSweep(_ c: UnsafeBufferPointer<Double>, _ order: UnsafeBufferPointer<Int>,
                          _ cmin: Double, _ cmax: Double, _ dExp: Int, _ packed: [Double], _ deep: Bool)
        -> (min: (lower: Double, upper: Double, k: Int), max: (lower: Double, upper: Double, k: Int))?
    {
        let K = c.count
        let sc = Double(sign: .plus, exponent: -dExp, significand: 1)
        let slack: Double = deep ? 0x1p-96 : 0x1p-147
        var out = (0.0, 0.0, 0.0, 0.0)
        var idx = (0, 0)
        let status = packed.withUnsafeBufferPointer { pb in
            withUnsafeTemporaryAllocation(of: SIMD4<Double>.self, capacity: 4 * K + 2) { st in
                withUnsafeMutableBytes(of: &out) { o in
                    withUnsafeMutableBytes(of: &idx) { ix in
                        certmax_vertex_sweep_fma(c.baseAddress!, order.baseAddress!, K, cmin, cmax, sc, pb.baseAddress!, slack,
                                                 UnsafeMutableRawPointer(st.baseAddress!),
                                                 o.baseAddress!.assumingMemoryBound(to: Double.self),
                                                 ix.baseAddress!.assumingMemoryBound(to: Int.self))
                    }
                }
            }
        }
        guard status == 0 else { return nil }
        return _finishSweep(SIMD2(out.0, out.1), SIMD2(out.2, out.3), SIMD2(Int64(idx.0), Int64(idx.1)), K, cmin, cmax, dExp)
    }
}
