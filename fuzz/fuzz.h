/* Shared checks of the libFuzzer targets (fuzz/fuzz_*.c). A broken
 * invariant aborts, which libFuzzer and the regression runner report as a
 * crash with the message. */
#ifndef OASIS_FUZZ_H
#define OASIS_FUZZ_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analysis/analyzer.h"
#include "corpus/common.h"
#include "corpus/encoding.h"
#include "corpus/reader.h"
#include "oasis.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define FUZZ_CHECK(cond)                                                                   \
    do {                                                                                   \
        if (!(cond)) {                                                                     \
            fprintf(stderr, "%s:%d: check failed: %s\n", __FILE__, __LINE__, #cond);       \
            abort();                                                                       \
        }                                                                                  \
    } while (0)

/* Lines of buf as the readers count them (a last line without '\n'
 * included). */
static inline long fuzz_lines(const char *buf, size_t len)
{
    long n = 0;
    for (size_t i = 0; i < len; i++)
        n += buf[i] == '\n';
    return n + 1;
}

static inline void fuzz_check_text(const char *s)
{
    if (s)
        FUZZ_CHECK(oa_utf8_valid(s, strlen(s), NULL));
}

/* What every reader promises of a record it emits (corpus/reader.h). */
typedef struct fuzz_emit {
    long lines; /* of the input: source lines stay within */
    size_t docs;
} fuzz_emit;

static inline int fuzz_emit_check(void *userdata, const oasis_doc *doc)
{
    fuzz_emit *e = userdata;
    FUZZ_CHECK(doc->text != NULL);
    fuzz_check_text(doc->id);
    fuzz_check_text(doc->title);
    fuzz_check_text(doc->text);
    FUZZ_CHECK(doc->source_line >= 1 && doc->source_line <= e->lines);
    FUZZ_CHECK(doc->n_departements == 0 || doc->departements != NULL);
    for (size_t i = 0; i < doc->n_departements; i++)
        FUZZ_CHECK(oasis_departement_find(doc->departements[i]) != NULL);
    for (size_t i = 0; i < doc->n_categories; i++)
        fuzz_check_text(doc->categories[i]);
    e->docs++;
    return 0;
}

static inline void fuzz_warn_check(void *userdata, const char *file, long line,
                                   const char *message)
{
    const fuzz_emit *e = userdata;
    FUZZ_CHECK(file != NULL && message != NULL && *message);
    FUZZ_CHECK(line >= 0 && line <= e->lines);
}

/* A file's bytes decoded as oa_read_bytes() does, the decoded text checked
 * (valid UTF-8 without NUL, bad lines sorted and in range), then read by
 * one reader with the bad lines, each record checked. */
typedef int (*fuzz_reader_fn)(oa_reader *r, const char *buf, size_t len, const oa_read_ctx *ctx);

static inline void fuzz_read(const uint8_t *data, size_t size, fuzz_reader_fn read)
{
    fuzz_emit e = {fuzz_lines((const char *)data, size), 0};
    oa_reader r = {"fuzz", fuzz_emit_check, &e, fuzz_warn_check, &e, 0, 0};
    oa_text t = OA_TEXT_INIT;
    int rc = oa_corpus_decode(&r, (const char *)data, size, &t);
    if (rc == 0) {
        FUZZ_CHECK(oa_utf8_valid(t.data, t.len, NULL));
        FUZZ_CHECK(memchr(t.data, '\0', t.len) == NULL);
        e.lines = fuzz_lines(t.data, t.len);
        for (size_t i = 0; i < t.n_bad; i++) {
            FUZZ_CHECK(t.bad_lines[i] >= 1 && t.bad_lines[i] <= e.lines);
            FUZZ_CHECK(i == 0 || t.bad_lines[i] > t.bad_lines[i - 1]);
        }
        oa_read_progress progress = {0, t.len};
        oa_read_ctx ctx = {t.bad_lines, t.n_bad, &progress};
        rc = read(&r, t.data, t.len, &ctx);
        FUZZ_CHECK(rc == 0 || rc == OASIS_EFORMAT);
        FUZZ_CHECK(progress.done <= t.len);
    } else {
        FUZZ_CHECK(rc == OASIS_EFORMAT);
    }
    oa_text_free(&t);
}

#endif
