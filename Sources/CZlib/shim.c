#include "CZlib.h"
#include <limits.h>
#include <string.h>
#include <zlib.h>

int cm_inflate_raw(const uint8_t *in, size_t n_in, uint8_t *out, size_t n_out) {
    if (n_in > UINT_MAX || n_out > UINT_MAX) return -10;
    z_stream s;
    memset(&s, 0, sizeof s);
    if (inflateInit2(&s, -MAX_WBITS) != Z_OK) return -1;
    s.next_in = (Bytef *)in;
    s.avail_in = (uInt)n_in;
    s.next_out = out;
    s.avail_out = (uInt)n_out;
    int rc = inflate(&s, Z_FINISH);
    int produced_ok = (s.total_out == n_out);
    inflateEnd(&s);
    if (rc != Z_STREAM_END) return -2;
    return produced_ok ? 0 : -3;
}

uint32_t cm_crc32(const uint8_t *data, size_t n) {
    uLong c = crc32(0L, Z_NULL, 0);
    while (n > 0) {
        uInt chunk = n > (size_t)UINT_MAX ? UINT_MAX : (uInt)n;
        c = crc32(c, data, chunk);
        data += chunk;
        n -= chunk;
    }
    return (uint32_t)c;
}
