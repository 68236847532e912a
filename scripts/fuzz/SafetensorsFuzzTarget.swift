// libFuzzer entry point for the safetensors reader (compiled by scripts/fuzz/parsers.sh
// safetensors). The reader maps files, so each input is written to a file in /dev/shm
// (tmpfs) first, with POSIX open/write/ftruncate on one descriptor kept open for the run
// (FileManager.createFile replaced the file on every input, ~6 ms each: 153 exec/s);
// then the header is validated and every tensor read as doubles (and as
// floats). A rejection must be a one-line InputError naming the file; a read tensor must
// have as many values as its shape promises.
import Foundation

let safetensorsPath = "/dev/shm/certmax-fuzz-\(getpid()).safetensors"

let safetensorsDescriptor: CInt = {
    let fd = open(safetensorsPath, O_RDWR | O_CREAT | O_TRUNC, 0o600)
    precondition(fd >= 0, "cannot create \(safetensorsPath)")
    return fd
}()

func fuzzSafetensors(_ bytes: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let fd = safetensorsDescriptor
    precondition(ftruncate(fd, 0) == 0 && pwrite(fd, bytes, size, 0) == size, "cannot write \(safetensorsPath)")
    do throws(InputError) {
        let file = try SafetensorsFile(path: safetensorsPath)
        for name in file.tensorNames.prefix(64) {
            do throws(InputError) {
                let info = try file.info(name)
                let count = info.shape.reduce(1) { $0.multipliedReportingOverflow(by: $1).partialValue }
                let v = try file.doubles(name)
                precondition(v.count == count, "\(name): \(v.count) values for shape \(info.shape)")
                _ = try file.floats(name)
                if count > 1 { _ = try file.doubles(name, elements: 1..<count) }
            } catch {
                checkRejection(error, source: safetensorsPath)
            }
        }
    } catch {
        checkRejection(error, source: safetensorsPath)
    }
    return 0
}
