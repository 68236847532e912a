// libFuzzer entry point for the .npz reader (compiled by scripts/fuzz/parsers.sh npz):
// the zip directory, stored and deflated members, then every member as a .npy array.
// A rejection must be a one-line InputError naming the archive.
import Foundation

func fuzzNpz(_ bytes: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    do throws(InputError) {
        let z = try NpzArchive(data: Data(bytes: bytes, count: size), source: "fuzz.npz")
        for name in z.names.prefix(16) {
            do throws(InputError) {
                let a = try z.array(name)
                precondition(a.values.count == a.shape.reduce(1, *), "\(name): \(a.values.count) values for \(a.shape)")
            } catch {
                checkRejection(error, source: "fuzz.npz")
            }
        }
    } catch {
        checkRejection(error, source: "fuzz.npz")
    }
    return 0
}
