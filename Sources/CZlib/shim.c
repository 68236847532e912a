#include "CZlib.h"
#include <limits.h>
#include <stdint.h>
#include <stdlib.h>
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

void cm_free(void *p) { free(p); }

int cm_gunzip(const uint8_t *in, size_t n_in, size_t max_out, uint8_t **out, size_t *n_out,
              const char **message) {
    *out = NULL;
    *n_out = 0;
    *message = NULL;
    z_stream s;
    memset(&s, 0, sizeof s);
    if (inflateInit2(&s, 16 + MAX_WBITS) != Z_OK) return CM_GZ_NOMEM;
    size_t cap = n_in < ((size_t)1 << 26) ? n_in * 4 : ((size_t)1 << 28);
    if (cap < 4096) cap = 4096;
    if (cap > max_out) cap = max_out + 1;  /* room to notice one byte too many */
    uint8_t *buf = malloc(cap);
    if (buf == NULL) { inflateEnd(&s); return CM_GZ_NOMEM; }
    size_t produced = 0, fed = 0;
    int result = CM_GZ_OK;
    for (;;) {
        if (s.avail_in == 0 && fed < n_in) {
            size_t chunk = n_in - fed;
            if (chunk > UINT_MAX) chunk = UINT_MAX;
            s.next_in = (Bytef *)(in + fed);
            s.avail_in = (uInt)chunk;
            fed += chunk;
        }
        if (produced == cap) {
            if (cap > max_out) { result = CM_GZ_TOO_LARGE; break; }
            size_t grown = cap > (SIZE_MAX / 2) ? SIZE_MAX : cap * 2;
            if (grown > max_out) grown = max_out + 1;
            uint8_t *bigger = realloc(buf, grown);
            if (bigger == NULL) { result = CM_GZ_NOMEM; break; }
            buf = bigger;
            cap = grown;
        }
        size_t room = cap - produced;
        uInt avail = room > UINT_MAX ? UINT_MAX : (uInt)room;
        s.next_out = buf + produced;
        s.avail_out = avail;
        int rc = inflate(&s, Z_NO_FLUSH);
        produced += avail - s.avail_out;
        if (produced > max_out) { result = CM_GZ_TOO_LARGE; break; }
        if (rc == Z_STREAM_END) {
            size_t position = fed - s.avail_in;  /* first byte after this member */
            if (position == n_in) break;         /* done */
            if (n_in - position >= 2 && in[position] == 0x1f && in[position + 1] == 0x8b) {
                if (inflateReset(&s) != Z_OK) { result = CM_GZ_CORRUPT; break; }
                continue;
            }
            result = CM_GZ_TRAILING;
            break;
        }
        if (rc == Z_OK) continue;
        if (rc == Z_BUF_ERROR) {
            /* No progress: either the output is full (grow and retry) or the input ended. */
            if (s.avail_out == 0) continue;
            if (s.avail_in == 0 && fed < n_in) continue;
            result = s.avail_in == 0 ? CM_GZ_TRUNCATED : CM_GZ_CORRUPT;
            break;
        }
        if (rc == Z_MEM_ERROR) { result = CM_GZ_NOMEM; break; }
        *message = s.msg;  /* zlib's messages are static strings */
        result = CM_GZ_CORRUPT;
        break;
    }
    inflateEnd(&s);
    if (result != CM_GZ_OK) { free(buf); *message = result == CM_GZ_CORRUPT ? *message : NULL; return result; }
    if (produced == 0) { free(buf); return CM_GZ_OK; }
    *out = buf;
    *n_out = produced;
    return CM_GZ_OK;
}
