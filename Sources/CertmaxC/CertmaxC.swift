// CertmaxC: the C ABI of Certmax (libCertmaxC.so, header include/certmax.h).
//
// Every exported function is a thin shell over the same library call the `certmax` CLI
// makes (SoftmaxBounds, VertexSoftmax/BatchedSoftmax, ZoneLP, the Taylor-radius bounds,
// Verifier.run), so results are bit-identical to the CLI's. The layer adds only argument
// checking: pointers, sizes, strides and values are validated before any library entry
// point is reached (library preconditions trap; no trap and no Swift error may cross the
// C boundary). A failed call returns a nonzero status (the CLI's exit code for the same
// problem) and leaves a one-line message for `certmax_last_error()`.
//
// One concept per file: status and error plumbing (CallStatus, LastError), argument
// checks (ArgumentChecks, RowReader), then one file per exported family.

/// The library version reported by `certmax_version()` (the CLI's version string).
let certmaxCVersion: StaticString = "0.1.0"

/// `const char *certmax_version(void)`: the library version, a static string.
@c(certmax_version)
public func certmax_version() -> UnsafePointer<CChar> {
    UnsafeRawPointer(certmaxCVersion.utf8Start).assumingMemoryBound(to: CChar.self)
}
