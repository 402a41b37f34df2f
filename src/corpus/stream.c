/* Reading a corpus file from disk in blocks (see reader.h, oa_stream). */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <iconv.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "corpus/common.h"
#include "corpus/encoding.h"
#include "corpus/reader.h"
#include "taxonomy/departements.h"
#include "util/buf.h"
#include "util/error.h"

/* What the first bytes of a file are sniffed on (as encoding.c does). */
#define HEAD_BYTES 65536

struct oa_stream {
    FILE *f;
    char *path;
    size_t block;
    unsigned long long size;  /* bytes read by the first pass */
    size_t skip;              /* byte order mark bytes */
    const char *encoding;     /* iconv name, NULL for UTF-8 */
    const char *shown;        /* the name the warning gives */
    int bom;                  /* the encoding comes from a byte order mark */
    long first_bad_line;      /* 8-bit text: its first line that is not UTF-8 */
    char *refused;            /* why the file is refused, NULL when it is not */
    oa_buf whole;             /* not a regular file (a pipe): its bytes, kept */
    int is_whole;
};

/* The decoded lines of a stream, from its start. */
typedef struct lines {
    oa_stream *st;
    iconv_t cd;
    char *raw;                 /* one block read from the file */
    size_t raw_carry;          /* bytes at raw's start left by iconv */
    oa_buf text;               /* decoded text not yet handed out */
    size_t pos;                /* where the next line starts in text */
    unsigned long long read;   /* bytes read from the file */
    int eof;
} lines;

void oa_stream_free(oa_stream *st)
{
    if (!st)
        return;
    if (st->f)
        fclose(st->f);
    free(st->path);
    free(st->refused);
    oa_buf_free(&st->whole);
    free(st);
}

static int read_error(const oa_stream *st)
{
    return oa_error(OASIS_EIO, "%s: read error", st->path);
}

/* Up to n bytes into buf: fewer only at the end of the file. */
static int read_some(oa_stream *st, char *buf, size_t n, size_t *got)
{
    *got = fread(buf, 1, n, st->f);
    return ferror(st->f) ? read_error(st) : 0;
}

static int rewind_stream(oa_stream *st)
{
    if (fseek(st->f, 0, SEEK_SET) != 0)
        return oa_error(OASIS_EIO, "%s: %s", st->path, strerror(errno));
    clearerr(st->f);
    return 0;
}

static int refuse(oa_stream *st, const char *msg)
{
    free(st->refused);
    if (!(st->refused = oa_strdup(msg)))
        return OASIS_ENOMEM;
    return 0;
}

/* Converts the whole file from enc, output dropped: 0 with *ok 0 and *bad_at
 * the offset (from the end of the byte order mark) when a byte does not
 * convert. */
static int check_conversion(oa_stream *st, const char *enc, char *buf, int *ok,
                            unsigned long long *bad_at)
{
    *ok = 1;
    iconv_t cd = iconv_open("UTF-8", enc);
    if (cd == (iconv_t)-1)
        return oa_error(OASIS_EFORMAT, "cannot convert from %s: %s", enc, strerror(errno));
    char out[8192];
    size_t carry = 0, got;
    unsigned long long off = 0; /* of buf[0] from the end of the mark */
    int rc = rewind_stream(st);
    if (!rc && st->skip)
        rc = read_some(st, buf, st->skip, &got);
    while (!rc) {
        if ((rc = read_some(st, buf + carry, st->block, &got)))
            break;
        int eof = got < st->block;
        char *ip = buf;
        size_t il = carry + got;
        while (il > 0) {
            char *op = out;
            size_t ol = sizeof out;
            if (iconv(cd, &ip, &il, &op, &ol) != (size_t)-1 || errno == E2BIG)
                continue;
            if (errno == EINVAL && !eof)
                break; /* a sequence the next block completes */
            *ok = 0;
            *bad_at = off + (unsigned long long)(ip - buf);
            break;
        }
        if (!*ok || eof)
            break;
        off += (unsigned long long)(ip - buf);
        memmove(buf, ip, il);
        carry = il;
    }
    iconv_close(cd);
    return rc;
}

int oa_stream_open(oa_stream **out, const char *path, size_t block, oa_bytes_fn observe,
                   void *userdata)
{
    *out = NULL;
    if (block < 16)
        block = 16;
    oa_stream *st = calloc(1, sizeof *st);
    if (!st)
        return oa_error(OASIS_ENOMEM, "out of memory");
    st->block = block;
    if (!(st->path = oa_strdup(path))) {
        free(st);
        return OASIS_ENOMEM;
    }
    if (!(st->f = fopen(path, "rb"))) {
        int rc = oa_error(OASIS_EIO, "%s: %s", path, strerror(errno));
        oa_stream_free(st);
        return rc;
    }
    struct stat sb;
    if (fstat(fileno(st->f), &sb) != 0 || !S_ISREG(sb.st_mode)) {
        /* A pipe cannot be read twice: its bytes are kept. */
        st->is_whole = 1;
        char chunk[65536];
        size_t n;
        int rc = oa_buf_append(&st->whole, "", 0);
        while (!rc && (n = fread(chunk, 1, sizeof chunk, st->f)) > 0) {
            if (observe)
                observe(userdata, chunk, n);
            rc = oa_buf_append(&st->whole, chunk, n);
        }
        if (!rc && ferror(st->f))
            rc = read_error(st);
        if (rc) {
            oa_stream_free(st);
            return rc;
        }
        st->size = st->whole.len;
        *out = st;
        return 0;
    }
    /* A block, and room for a cut sequence carried in front of it. */
    size_t cap = (block > HEAD_BYTES ? block : HEAD_BYTES) + 8;
    char *buf = malloc(cap);
    if (!buf) {
        oa_stream_free(st);
        return oa_error(OASIS_ENOMEM, "out of memory");
    }
    size_t got, head;
    int rc = read_some(st, buf, HEAD_BYTES, &head);
    if (!rc) {
        size_t bom = 0;
        const char *enc = oa_encoding_bom(buf, head, &bom);
        if (enc) {
            st->encoding = st->shown = enc;
            st->bom = 1;
            st->skip = bom;
        } else {
            if (head >= 3 && !memcmp(buf, "\xef\xbb\xbf", 3))
                st->skip = 3;
            const char *why = oa_encoding_binary(buf + st->skip, head - st->skip);
            char msg[160];
            snprintf(msg, sizeof msg, "%s, not text: refused", why ? why : "");
            if (why)
                rc = refuse(st, *why ? msg
                                     : "looks like UTF-16 without a byte order mark: refused "
                                       "(save it as UTF-8)");
        }
    }
    /* The first pass: every byte to observe, and the census. */
    oa_census census;
    memset(&census, 0, sizeof census);
    census.line = 1;
    size_t carry = 0;
    int skip_left = (int)st->skip;
    if (!rc)
        rc = rewind_stream(st);
    while (!rc) {
        if ((rc = read_some(st, buf + carry, block, &got)))
            break;
        int eof = got < block;
        st->size += got;
        if (observe)
            observe(userdata, buf + carry, got);
        if (!st->encoding && !st->refused) {
            char *s = buf;
            size_t n = carry + got;
            if (skip_left) {
                size_t k = (size_t)skip_left < n ? (size_t)skip_left : n;
                s += k;
                n -= k;
                skip_left -= (int)k;
            }
            size_t used = oa_encoding_census(&census, s, n, eof);
            carry = n - used;
            memmove(buf, s + used, carry);
        }
        if (eof)
            break;
    }
    if (!rc && !st->refused) {
        int ok = 1;
        unsigned long long bad_at = 0;
        if (st->encoding) {
            rc = check_conversion(st, st->encoding, buf, &ok, &bad_at);
            if (!rc && !ok) {
                char msg[160];
                snprintf(msg, sizeof msg, "not valid %s (byte order mark) at byte %llu: refused",
                         st->encoding, bad_at + st->skip);
                rc = refuse(st, msg);
            }
        } else if (!oa_encoding_is_utf8(&census)) {
            /* Not UTF-8 at all: the 8-bit encodings French text comes in. */
            st->first_bad_line = census.first_line;
            st->encoding = "WINDOWS-1252";
            st->shown = "Windows-1252";
            rc = check_conversion(st, st->encoding, buf, &ok, &bad_at);
            if (!rc && !ok) {
                st->encoding = "ISO-8859-1";
                st->shown = "ISO-8859-1";
                rc = check_conversion(st, st->encoding, buf, &ok, &bad_at);
                if (!rc && !ok)
                    rc = oa_error(OASIS_EFORMAT, "not valid %s at byte %llu", st->encoding,
                                  bad_at);
            }
        }
    }
    free(buf);
    if (rc && rc != OASIS_EFORMAT) {
        oa_stream_free(st);
        return rc;
    }
    if (rc) /* conversion unavailable: refused */
        rc = refuse(st, oa_error_message());
    if (rc) {
        oa_stream_free(st);
        return rc;
    }
    *out = st;
    return 0;
}

unsigned long long oa_stream_size(const oa_stream *st)
{
    return st->size;
}

static void lines_free(lines *l)
{
    if (l->cd != (iconv_t)-1)
        iconv_close(l->cd);
    free(l->raw);
    oa_buf_free(&l->text);
}

static int lines_open(lines *l, oa_stream *st)
{
    memset(l, 0, sizeof *l);
    l->st = st;
    l->cd = (iconv_t)-1;
    int rc = rewind_stream(st);
    if (rc)
        return rc;
    if (!(l->raw = malloc(st->block + 8)))
        return oa_error(OASIS_ENOMEM, "out of memory");
    if (st->encoding && (l->cd = iconv_open("UTF-8", st->encoding)) == (iconv_t)-1)
        return oa_error(OASIS_EFORMAT, "cannot convert from %s: %s", st->encoding,
                        strerror(errno));
    size_t got;
    if (st->skip && !(rc = read_some(st, l->raw, st->skip, &got)))
        l->read = got;
    return rc;
}

/* Appends raw[0..n) to l->text, converted when the file needs it. */
static int decode(lines *l, size_t n, int eof)
{
    if (l->cd == (iconv_t)-1) {
        l->raw_carry = 0;
        return oa_buf_append(&l->text, l->raw, n);
    }
    char *ip = l->raw;
    size_t il = n;
    int rc = 0;
    while (il > 0 && !rc) {
        if ((rc = oa_buf_reserve(&l->text, il * 2 + 16)))
            break;
        size_t len = l->text.len;
        char *op = l->text.data + len;
        size_t ol = l->text.cap - len - 1, before = ol;
        size_t r = iconv(l->cd, &ip, &il, &op, &ol);
        l->text.len = len + (before - ol);
        l->text.data[l->text.len] = '\0';
        if (r != (size_t)-1 || errno == E2BIG)
            continue;
        if (errno == EINVAL && !eof)
            break;
        rc = oa_error(OASIS_EFORMAT, "%s: changed while it was read", l->st->path);
    }
    l->raw_carry = il;
    if (il)
        memmove(l->raw, ip, il);
    return rc;
}

/* The next line (without its '\n'): 1, or 0 at the end of the file. The
 * line stays valid until the next call. */
static int next_line(lines *l, const char **s, size_t *n, int *rc)
{
    *rc = 0;
    for (;;) {
        char *start = l->text.data ? l->text.data + l->pos : NULL;
        size_t left = l->text.len - l->pos;
        char *nl = left ? memchr(start, '\n', left) : NULL;
        if (nl || (l->eof && left)) {
            *s = start;
            *n = nl ? (size_t)(nl - start) : left;
            l->pos += *n + (nl ? 1 : 0);
            return 1;
        }
        if (l->eof)
            return 0;
        /* Keep the unfinished line only, then read on. A line longer than a
         * block grows the buffer; it is given back once the line is out. */
        if (l->pos) {
            memmove(l->text.data, start, left);
            l->text.len = left;
            l->text.data[left] = '\0';
            l->pos = 0;
        }
        if (l->text.cap > 4 * l->st->block + 64 && left < l->st->block) {
            oa_buf small = OA_BUF_INIT;
            if ((*rc = oa_buf_append(&small, l->text.data, left)))
                return 0;
            oa_buf_free(&l->text);
            l->text = small;
        }
        size_t got;
        if ((*rc = read_some(l->st, l->raw + l->raw_carry, l->st->block, &got)))
            return 0;
        l->read += got;
        l->eof = got < l->st->block;
        if ((*rc = decode(l, l->raw_carry + got, l->eof)))
            return 0;
    }
}

/* 1 when the first line that is not blank is shaped as a JSON object (as
 * oa_detect_format() sees it). */
static int starts_as_jsonl(oa_stream *st, int *rc)
{
    lines l;
    const char *s;
    size_t n;
    int jsonl = 0, first = 1;
    if ((*rc = lines_open(&l, st))) {
        lines_free(&l);
        return 0;
    }
    while (next_line(&l, &s, &n, rc)) {
        if (first && n >= 3 && !memcmp(s, "\xef\xbb\xbf", 3)) {
            s += 3;
            n -= 3;
        }
        first = 0;
        oa_corpus_trim(&s, &n);
        if (n == 0)
            continue;
        jsonl = s[0] == '{' && s[n - 1] == '}';
        break;
    }
    lines_free(&l);
    return jsonl;
}

/* A file of another format: read whole, as oa_read_bytes() reads it. */
static int read_whole(oa_reader *r, oa_stream *st, oa_read_progress *progress)
{
    char *buf;
    size_t len;
    int rc = oa_read_file(st->path, &buf, &len);
    if (rc)
        return rc;
    rc = oa_read_bytes(r, buf, len, progress);
    free(buf);
    return rc;
}

int oa_stream_read(oa_reader *r, oa_stream *st, oa_read_progress *progress)
{
    if (st->is_whole)
        return oa_read_bytes(r, st->whole.data, st->whole.len, progress);
    if (st->refused)
        return oa_error(OASIS_EFORMAT, "%s", st->refused);
    int rc = oa_departements_init();
    if (rc)
        return rc;
    int jsonl = starts_as_jsonl(st, &rc);
    if (rc)
        return rc;
    if (!jsonl)
        return read_whole(r, st, progress);
    if (st->bom)
        oa_corpus_warn(r, 0, "encoded in %s (byte order mark): converted to UTF-8", st->shown);
    else if (st->encoding)
        oa_corpus_warn(r, 0,
                       "not UTF-8 (first at line %ld): read as %s; save the file as UTF-8 to "
                       "silence this warning",
                       st->first_bad_line, st->shown);
    if (progress) {
        progress->done = 0;
        progress->total = (size_t)st->size;
    }
    lines l;
    oa_buf fixed = OA_BUF_INIT;
    size_t n_bad = 0;
    long no = 0;
    const char *s;
    size_t n;
    if (!(rc = lines_open(&l, st))) {
        while (!rc && next_line(&l, &s, &n, &rc)) {
            int bad;
            no++;
            if (progress) {
                unsigned long long pending = l.text.len - l.pos + l.raw_carry;
                progress->done = (size_t)(l.read > pending ? l.read - pending : 0);
            }
            if ((rc = oa_encoding_check_line(r, s, n, no, &n_bad, &fixed, &bad)))
                break;
            if (fixed.len) {
                s = fixed.data;
                n = fixed.len;
            }
            if (no == 1 && n >= 3 && !memcmp(s, "\xef\xbb\xbf", 3)) {
                s += 3;
                n -= 3;
            }
            rc = oa_corpus_jsonl_line(r, no, s, n, bad);
        }
    }
    if (!rc)
        oa_encoding_bad_summary(r, n_bad);
    oa_buf_free(&fixed);
    lines_free(&l);
    return rc;
}
