#ifndef CERTMAX_CZLIB_H
#define CERTMAX_CZLIB_H
// Thin shim over the system zlib: raw-deflate decompression for .npz members written by
// np.savez_compressed (zip method 8), and CRC-32 for member integrity checks.
#include <stddef.h>
#include <stdint.h>

/// Inflates raw deflate data (no zlib/gzip header) from `in` (n_in bytes) into `out`
/// (exactly n_out bytes expected). Returns 0 on success (stream complete and exactly
/// n_out bytes produced), a negative value otherwise.
int cm_inflate_raw(const uint8_t *in, size_t n_in, uint8_t *out, size_t n_out);

/// CRC-32 (the zip polynomial) of `n` bytes.
uint32_t cm_crc32(const uint8_t *data, size_t n);
#endif
