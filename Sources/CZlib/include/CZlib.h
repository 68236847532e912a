#ifndef CERTMAX_CZLIB_H
#define CERTMAX_CZLIB_H
// Thin shim over the system zlib: raw-deflate decompression for .npz members written by
// np.savez_compressed (zip method 8), CRC-32 for member integrity checks, and gzip
// decompression of whole input files (.onnx.gz, .vnnlib.gz).
#include <stddef.h>
#include <stdint.h>

/// Inflates raw deflate data (no zlib/gzip header) from `in` (n_in bytes) into `out`
/// (exactly n_out bytes expected). Returns 0 on success (stream complete and exactly
/// n_out bytes produced), a negative value otherwise.
int cm_inflate_raw(const uint8_t *in, size_t n_in, uint8_t *out, size_t n_out);

/// CRC-32 (the zip polynomial) of `n` bytes.
uint32_t cm_crc32(const uint8_t *data, size_t n);

/// Result codes of `cm_gunzip`.
enum {
    CM_GZ_OK = 0,
    CM_GZ_NOMEM = -1,      /* zlib init or a buffer allocation failed */
    CM_GZ_CORRUPT = -2,    /* bad header, bad deflate data or bad CRC/length trailer */
    CM_GZ_TRUNCATED = -3,  /* the input ends inside a member */
    CM_GZ_TOO_LARGE = -4,  /* more than max_out bytes would be produced */
    CM_GZ_TRAILING = -5    /* bytes after a complete member that are not another member */
};

/// Decompresses a gzip file (one member, or several concatenated members as written by
/// `cat a.gz b.gz`, whose outputs are concatenated like gunzip does) from `in` (n_in
/// bytes), streaming into a buffer that grows by doubling. On CM_GZ_OK, `*out` is a
/// malloc'd buffer of `*n_out` bytes (free it with `free`; it may be NULL when
/// `*n_out == 0`). On failure `*out` is NULL, and `*message` is zlib's static message
/// for corrupt data when it has one (else NULL). Never writes more than max_out bytes.
int cm_gunzip(const uint8_t *in, size_t n_in, size_t max_out, uint8_t **out, size_t *n_out,
              const char **message);

/// `free` for buffers returned by `cm_gunzip`.
void cm_free(void *p);
#endif
