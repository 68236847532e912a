// libFuzzer entry point for the VNN-LIB parser (compiled by scripts/fuzz/parsers.sh vnnlib).
//
// Each input is parsed into its DNF specification; a rejection must be a one-line
// InputError naming the file. A parsed specification must be consistent: input box of
// the declared size with lower <= upper (outer box containing the inner one), constraint
// indices inside the declared variables, finite coefficients and bounds.
import Foundation

func fuzzVNNLib(_ bytes: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let data = Data(bytes: bytes, count: size)
    let spec: VNNLibSpecification
    do throws(InputError) {
        spec = try VNNLibSpecification(data: data, source: "fuzz.vnnlib")
    } catch {
        checkRejection(error, source: "fuzz.vnnlib")
        return 0
    }
    precondition(spec.inputCount >= 0 && spec.outputCount >= 0)
    for d in spec.disjuncts {
        let box = d.input
        precondition(box.lower.count == spec.inputCount && box.upper.count == spec.inputCount, "box size")
        for i in box.lower.indices {
            precondition(box.lower[i] <= box.upper[i], "box lower > upper at \(i)")
        }
        for c in d.constraints {
            precondition(c.bound.isFinite, "non-finite bound")
            for t in c.terms {
                precondition(t.index >= 0 && t.index < spec.outputCount, "output index \(t.index) of \(spec.outputCount)")
                precondition(t.coefficient.isFinite, "non-finite coefficient")
            }
        }
    }
    _ = spec.disjunctsByInputBox()
    return 0
}
