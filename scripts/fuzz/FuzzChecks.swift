// Shared checks of the parser fuzz targets (compiled into each by parsers.sh).
//
// A rejected input must give a one-line InputError that names the source; anything else
// (a trap, a sanitizer report, a multi-line or anonymous message) is a crash.
func checkRejection(_ error: InputError, source: String) {
    precondition(!error.description.isEmpty && !error.description.contains(where: \.isNewline), "bad error text: \(error)")
    precondition(error.description.hasPrefix(source), "error does not name \(source): \(error)")
}
