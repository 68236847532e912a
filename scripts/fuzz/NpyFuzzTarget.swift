// libFuzzer entry point for the .npy reader (compiled by scripts/fuzz/parsers.sh npy).
// A rejection must be a one-line InputError naming the file; an accepted array must hold
// as many values as its shape promises, and its matrix view must agree.
import Foundation

func fuzzNpy(_ bytes: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    do throws(InputError) {
        let a = try NpyArray(data: Data(bytes: bytes, count: size), source: "fuzz.npy")
        precondition(a.shape.allSatisfy { $0 >= 0 }, "negative dimension \(a.shape)")
        precondition(a.values.count == a.shape.reduce(1, *), "\(a.values.count) values for shape \(a.shape)")
        do throws(InputError) {
            let m = try a.matrix(source: "fuzz.npy", name: "x")
            precondition(m.rows * m.columns == m.values.count, "matrix view \(m.rows) x \(m.columns)")
        } catch {
            checkRejection(error, source: "fuzz.npy")
        }
    } catch {
        checkRejection(error, source: "fuzz.npy")
    }
    return 0
}
