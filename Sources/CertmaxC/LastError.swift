#if canImport(Glibc)
import Glibc
#endif

/// The thread-local message of the last failed call (`certmax_last_error()`).
///
/// Each thread owns one malloc'd C string, replaced (and the old one freed) by the next
/// failure on that thread and freed at thread exit (pthread key destructor). A successful
/// call leaves it unchanged, like errno.
enum LastError {
    /// The pthread key holding each thread's message (created once, never deleted).
    static let key: pthread_key_t = {
        var k = pthread_key_t()
        _ = pthread_key_create(&k) { free($0) }
        return k
    }()

    /// Replaces this thread's message with `message` (one line).
    static func set(_ message: String) {
        let oneLine = message.split(whereSeparator: \.isNewline).joined(separator: " ")
        let old = pthread_getspecific(key)
        _ = pthread_setspecific(key, strdup(oneLine))
        free(old)
    }

    /// This thread's message, or nil when no call failed on it yet.
    static var current: UnsafePointer<CChar>? {
        pthread_getspecific(key).map { UnsafePointer($0.assumingMemoryBound(to: CChar.self)) }
    }
}

/// The empty string returned when no call has failed on the calling thread.
private let emptyMessage: StaticString = ""

/// `const char *certmax_last_error(void)`: the message of the last failed call on the
/// calling thread ("" if none). Valid until the next failed call on the same thread.
@c(certmax_last_error)
public func certmax_last_error() -> UnsafePointer<CChar> {
    LastError.current ?? UnsafeRawPointer(emptyMessage.utf8Start).assumingMemoryBound(to: CChar.self)
}
