import CertmaxIO

/// A failed argument check or option value in the C layer: the status to return (a CLI
/// exit code) and the message for `certmax_last_error()`.
struct CallError: Error {
    var status: CertmaxExitCode
    var message: String

    /// Invalid input data (NULL pointer, bad size or stride, NaN, lower > upper...): 65.
    static func invalid(_ function: String, _ problem: String) -> CallError {
        CallError(status: .badInput, message: "\(function): \(problem)")
    }

    /// An option value out of range (the CLI's usage error): 64.
    static func usage(_ function: String, _ problem: String) -> CallError {
        CallError(status: .usage, message: "\(function): \(problem)")
    }
}

/// Runs the body of an exported function: returns 0 on success; maps every thrown error to
/// its status (the CLI's exit code: 64 usage, 65 invalid input, 66 unreadable input,
/// 70 internal failure) and records its one-line message for `certmax_last_error()`.
/// Nothing thrown escapes; traps are prevented by the checks the bodies run first.
@inline(__always)
func cCall(_ function: String, _ body: () throws -> Void) -> Int32 {
    do {
        try body()
        return CertmaxExitCode.success.rawValue
    } catch let e as CallError {
        LastError.set(e.message)
        return e.status.rawValue
    } catch let e as InputError {
        LastError.set(e.description)
        return e.exitCode.rawValue
    } catch let e as CertmaxFailure {
        LastError.set(e.description)
        return CertmaxExitCode.internalFailure.rawValue
    } catch {
        LastError.set("\(function): \(error)")
        return CertmaxExitCode.internalFailure.rawValue
    }
}
